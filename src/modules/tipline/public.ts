/**
 * What the tiplines offer other modules. The crisis module adds the tipline subscribers of a released statement's
 * units to its distribution (channel 'tipline', recipient = the subscriber's id), through the notification queue
 * with delivery tracking like e-mail and push.
 */
import type { Db } from '../../db/client.js';
import type { Locale } from '../../platform/i18n/index.js';
import { subscribersOfPaths } from './repo.js';

export async function tiplineAlertRecipients(
  db: Db,
  unitPaths: string[],
): Promise<{ channel: 'tipline'; address: string; locale: Locale }[]> {
  const paths = unitPaths.filter((p) => /^\d+(\.\d+)*$/.test(p));
  if (paths.length === 0) return [];
  return (await subscribersOfPaths(db, paths)).map((s) => ({
    channel: 'tipline' as const,
    address: String(s.user_id),
    locale: s.locale,
  }));
}
