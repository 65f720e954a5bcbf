/** The staff inbox: conversations with their cases; replies as the office, signed with the staff member's name and audited. */
import { z } from 'zod';
import { assertCanForInstallation } from '../../../platform/auth/installation.js';
import { AppError } from '../../../platform/errors.js';
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, assertCan, type Principal } from '../../../platform/auth/permissions.js';
import { CHANNELS, type ChannelName } from './channels/types.js';
import { tiplineText } from '../i18n.js';
import * as repo from '../repo.js';
import { say } from './outbound.js';
import { forgetSettings, saveChannelSettings, storedSettings, type StoredChannelSettings } from './settings.js';

export const REPLY_MAX = 2000;

/** The reply form; its text is checked by staffReply (empty or too long: beside the field). */
export const replySchema = z.object({ text: z.string().optional().default('') });

/** A setting left empty keeps what is stored. */
const setting = z
  .string()
  .optional()
  .transform((v) => v?.trim() || undefined);

/** A channel's settings form; the API address is checked by saveSettings. */
export const channelSettingsSchema = z.object({
  enabled: z
    .string()
    .optional()
    .transform((v) => v?.trim() === '1'),
  token: setting,
  secret: setting,
  verifyToken: setting,
  appId: setting,
  apiBase: setting,
});

export class TiplineFormError extends AppError {
  constructor(readonly errors: Record<string, string>) {
    super({ status: 422, key: 'error.validation', fields: errors, catalog: tiplineText });
  }
}

export async function inbox(deps: Pick<Deps, 'db'>, p: Principal) {
  assertCan(p, 'tipline.inbox');
  return repo.inbox(deps.db, 200);
}

export async function conversation(deps: Pick<Deps, 'db'>, p: Principal, userId: number) {
  assertCan(p, 'tipline.inbox');
  const user = await repo.getUser(deps.db, userId);
  if (!user) return null;
  const [messages, cases] = await Promise.all([
    repo.messagesOfUser(deps.db, userId),
    repo.casesOfUser(deps.db, userId),
  ]);
  return { user, messages, cases };
}

export async function staffReply(
  deps: Pick<Deps, 'db' | 'config'>,
  a: Actor,
  userId: number,
  text: string,
): Promise<void> {
  const { principal: p, ip } = a;
  assertCan(p, 'tipline.inbox');
  const body = text.trim();
  if (!body || body.length > REPLY_MAX) throw new TiplineFormError({ text: 'err.text' });
  await deps.db.tx(async (tx) => {
    const user = await repo.getUser(tx, userId);
    if (!user) throw new TiplineFormError({ _form: 'err.text' });
    const signed = `${body}\n${tiplineText.t(user.locale)('staff.signature', { name: p.name, org: deps.config.ORG_NAME })}`;
    await say(tx, user, deps.config.ORG_NAME, [{ text: signed, staffUserId: p.userId }]);
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: 'tipline.reply',
      entityType: 'tipline.conversation',
      entityId: userId,
      ip,
      data: { channel: user.channel, length: body.length },
    });
  });
}

/** The channels speak for the whole office: only an administrator of the top unit changes them. */
const assertSettingsAdmin = (db: Db, p: Principal) => assertCanForInstallation(db, p, 'tipline.settings');

export async function channelSettingsForm(deps: Pick<Deps, 'db'>, p: Principal) {
  await assertSettingsAdmin(deps.db, p);
  const out = {} as Record<ChannelName, StoredChannelSettings>;
  for (const c of CHANNELS) out[c] = await storedSettings(deps.db, c);
  return out;
}

export async function saveSettings(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  name: ChannelName,
  s: StoredChannelSettings,
): Promise<void> {
  const { principal: p, ip } = a;
  await assertSettingsAdmin(deps.db, p);
  if (s.apiBase && !/^https?:\/\/[^\s/]+[^\s]*$/.test(s.apiBase))
    throw new TiplineFormError({ apiBase: 'err.setting' });
  await deps.db.tx(async (tx) => {
    await saveChannelSettings(tx, name, s);
    // secrets are never written to the audit log, only which fields were set
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: 'tipline.settings',
      entityType: 'tipline.channel',
      entityId: name,
      ip,
      data: { enabled: s.enabled ?? null, fields: Object.keys(s).filter((k) => (s as Record<string, unknown>)[k]) },
    });
  });
  forgetSettings(deps);
}
