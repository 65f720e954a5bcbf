/** Telling the residents who asked (and left an address) that their question is answered. */
import type { Db } from '../../../db/client.js';
import { send } from '../../../platform/notify/notify.js';
import * as repo from '../repo.js';
import type { Kind } from '../repo.js';
import { itemPath } from './shared.js';

export async function notifyAskers(
  tx: Db,
  clusterIds: number[],
  item: { id: number; kind: Kind; slug: string; title: string; verdict: string | null },
  baseUrl: string,
): Promise<void> {
  const claims = await repo.takeClaimsToNotify(tx, clusterIds);
  if (claims.length === 0) return;
  const verdicts = new Map((await repo.listVerdicts(tx)).map((v) => [v.code, v]));
  const v = item.verdict ? verdicts.get(item.verdict) : undefined;
  await send(
    tx,
    claims.map((c) => ({
      channel: 'email' as const,
      recipient: c.contact_email,
      template: 'desk.claim-answered',
      locale: c.locale === 'en' ? ('en' as const) : ('vi' as const),
      vars: {
        code: c.code,
        title: item.title,
        verdict: (c.locale === 'en' ? v?.label_en : v?.label) ?? '',
        url: `${baseUrl}${itemPath(item)}`,
        track: `${baseUrl}/claims/${c.code}`,
      },
      refType: 'desk.claim',
      refId: c.id,
    })),
  );
}
