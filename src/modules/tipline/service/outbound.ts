/**
 * Outgoing chat messages go through the platform's notification queue (channel 'tipline'): retried when the
 * platform is busy, tracked per message, and — where the platform's messaging window or a block forbids sending —
 * sent by e-mail (or an SMS gateway) if the resident left one; the case's status page shows what could not be sent.
 */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { PermanentJobError } from '../../../platform/jobs/queue.js';
import type { ModuleJobs } from '../../../platform/jobs/registry.js';
import { send, sendWebhookEvent } from '../../../platform/notify/notify.js';
import type { TemplateTable } from '../../../platform/notify/templates.js';
import { adapters } from './channels/index.js';
import { postForm } from './channels/http.js';
import { ChannelError, type Button, type ChannelSettings, type Outgoing } from './channels/types.js';
import { oauthBase } from './channels/zalo.js';
import { tiplineText } from '../i18n.js';
import * as repo from '../repo.js';
import { channelSettings, forgetSettings, type ZaloTokens } from './settings.js';

export const TEMPLATE = 'tipline.message';
export const FALLBACK_TEMPLATE = 'tipline.fallback';

export const tiplineTemplates: TemplateTable = {
  [TEMPLATE]: { vi: { subject: '{org}', text: '{text}' }, en: { subject: '{org}', text: '{text}' } },
  [FALLBACK_TEMPLATE]: {
    vi: {
      subject: 'Cập nhật từ {org}',
      text: 'Tin nhắn này không gửi được qua ứng dụng chat nên được gửi qua e-mail:\n\n{text}',
    },
    en: {
      subject: 'An update from {org}',
      text: 'This message could not be delivered in the chat app, so it comes by e-mail:\n\n{text}',
    },
  },
};

export interface Say extends Outgoing {
  caseId?: number | null;
  staffUserId?: number | null;
}

/** Records the outgoing messages of a conversation and queues their delivery (inside the caller's transaction). */
export async function say(db: Db, user: { id: number; locale: Locale }, org: string, messages: Say[]): Promise<void> {
  for (const m of messages) {
    const mid = await repo.insertMessage(db, {
      userId: user.id,
      direction: 'out',
      kind: m.staffUserId ? 'staff' : 'bot',
      body: m.text,
      caseId: m.caseId,
      staffUserId: m.staffUserId,
    });
    const [nid] = await send(db, [
      {
        channel: 'tipline',
        recipient: String(user.id),
        template: TEMPLATE,
        locale: user.locale,
        vars: { org, text: m.text, buttons: JSON.stringify(m.buttons ?? []), staff: m.staffUserId ? '1' : '' },
        refType: m.caseId ? 'tipline.case' : 'tipline.user',
        refId: m.caseId ?? user.id,
      },
    ]);
    await repo.setMessageNotification(db, mid, nid!);
  }
}

/** Zalo's access token lives about 25 hours: a new pair is fetched with the (single-use) refresh token. */
export async function refreshZaloToken(deps: Pick<Deps, 'db' | 'config' | 'state'>): Promise<boolean> {
  const cfg = await channelSettings(deps, 'zalo');
  // the refresh token is single use: read the newest one, never a cached copy another process may have spent
  const refreshToken =
    (await repo.getSetting<ZaloTokens>(deps.db, 'tipline.zalo.tokens'))?.refreshToken ?? cfg.refreshToken;
  if (!refreshToken || !cfg.appId) return false;
  const { status, json } = await postForm(
    cfg.outbound,
    `${oauthBase(cfg, Boolean(deps.config.ZALO_API_BASE) || cfg.apiBase !== 'https://openapi.zalo.me')}/v4/oa/access_token`,
    { refresh_token: refreshToken, app_id: cfg.appId, grant_type: 'refresh_token' },
    { secret_key: cfg.secret },
  );
  if (status !== 200 || typeof json?.access_token !== 'string') return false;
  const tokens: ZaloTokens = {
    accessToken: json.access_token,
    refreshToken: String(json.refresh_token ?? refreshToken),
    expiresAt: new Date(Date.now() + Number(json.expires_in ?? 90000) * 1000).toISOString(),
  };
  await repo.setSetting(deps.db, 'tipline.zalo.tokens', tokens);
  forgetSettings(deps);
  return true;
}

/** Refreshes the Zalo token when it expires within two hours (the scheduled job), or when none was stored yet. */
export async function refreshZaloIfDue(deps: Pick<Deps, 'db' | 'config' | 'state'>): Promise<boolean> {
  const t = await repo.getSetting<ZaloTokens>(deps.db, 'tipline.zalo.tokens');
  if (t && new Date(t.expiresAt).getTime() - Date.now() > 2 * 3600_000) return false;
  return refreshZaloToken(deps);
}

async function sendOnce(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  cfg: ChannelSettings,
  to: string,
  msg: Outgoing,
  ctx: { lastInboundAt: Date | null; staff: boolean },
): Promise<void> {
  try {
    await adapters[cfg.name].send(cfg, to, msg, ctx);
  } catch (err) {
    // an expired Zalo token: refresh once and try again
    if (err instanceof ChannelError && err.kind === 'token' && cfg.name === 'zalo' && (await refreshZaloToken(deps))) {
      await adapters.zalo.send(await channelSettings(deps, 'zalo'), to, msg, ctx);
      return;
    }
    throw err;
  }
}

const stopButton = (locale: Locale): Button => ({
  title: tiplineText.t(locale)('btn.stopAll'),
  payload: '#stopalerts',
});

/**
 * Delivers one queued chat message. A person's messages must arrive in the order they were written, but the queue
 * runs deliveries in parallel: under a per-person lock, earlier undelivered messages to the same person go first
 * (their own jobs then find them sent).
 */
export function tiplineDelivery(deps: Pick<Deps, 'db' | 'config' | 'state' | 'templates'>): ModuleJobs {
  const deliver: NonNullable<ModuleJobs['deliverers']>[string] = async (db, n, msg) => {
    // errors are thrown after the commit: what was sent (and any fallback e-mail queued) is recorded either way
    let failure: unknown = null;
    await db.tx(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(7412017, $1::int)`, [Number(n.recipient)]);
      for (const e of await repo.undeliveredBefore(tx, n.recipient, n.id)) {
        try {
          await deliverOne(tx, deps, e, deps.templates.render(e.template, e.locale, e.vars));
          await repo.markNotification(tx, e.id, 'sent', null);
        } catch (err) {
          if (!(err instanceof PermanentJobError)) {
            // an earlier message waits for its retry: this one waits too, to keep the order
            failure = err;
            return;
          }
          await repo.markNotification(tx, e.id, 'failed', err.message);
        }
      }
      const self = await repo.notificationState(tx, n.id);
      if (self?.status === 'sent') return;
      if (self?.status === 'failed') {
        failure = new PermanentJobError(self.last_error ?? 'tipline:failed');
        return;
      }
      try {
        await deliverOne(tx, deps, n, msg);
      } catch (err) {
        failure = err;
      }
    });
    if (failure) throw failure;
  };
  return { deliverers: { tipline: deliver } };
}

async function deliverOne(
  db: Db,
  deps: Pick<Deps, 'config' | 'state'>,
  n: { recipient: string; template: string; vars: Record<string, string | number> },
  msg: { text: string },
): Promise<void> {
  const user = await repo.getUser(db, Number(n.recipient));
  if (!user || !user.address) throw new PermanentJobError('tipline:gone');
  const cfg = await channelSettings({ db, config: deps.config, state: deps.state }, user.channel);
  if (!cfg.enabled) throw new PermanentJobError('tipline:off');
  let buttons: Button[] = [];
  try {
    buttons = typeof n.vars.buttons === 'string' ? (JSON.parse(n.vars.buttons) as Button[]) : [];
  } catch {
    buttons = [];
  }
  // a crisis statement: one tap stops every alert
  if (n.template !== TEMPLATE) buttons = [stopButton(user.locale)];
  try {
    await sendOnce(
      { db, config: deps.config, state: deps.state },
      cfg,
      user.address,
      { text: msg.text, buttons },
      { lastInboundAt: user.last_inbound_at, staff: n.vars.staff === '1' },
    );
  } catch (err) {
    if (!(err instanceof ChannelError)) throw err;
    if (err.kind === 'rate' || err.kind === 'other') throw err;
    if (err.kind === 'token') throw new PermanentJobError('tipline:token');
    if (err.kind === 'blocked') await repo.updateUser(db, user.id, { blocked: true });
    let via = 'none';
    if (user.email) {
      await send(db, [
        {
          channel: 'email',
          recipient: user.email,
          template: FALLBACK_TEMPLATE,
          locale: user.locale,
          vars: { org: deps.config.ORG_NAME, text: msg.text },
        },
      ]);
      via = 'email';
    } else if (
      user.phone &&
      (await sendWebhookEvent(db, 'tipline.sms', { phone: user.phone, text: msg.text.slice(0, 640) })).length
    ) {
      via = 'sms';
    }
    throw new PermanentJobError(`tipline:${err.kind}:${via}`);
  }
}

/** Sends at once, outside the queue (the goodbye after a deletion: afterwards nothing about the person is kept). */
export async function sendNow(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  user: repo.UserRow,
  msg: Outgoing,
): Promise<void> {
  if (!user.address) return;
  const cfg = await channelSettings(deps, user.channel);
  await sendOnce(deps, cfg, user.address, msg, { lastInboundAt: user.last_inbound_at, staff: false }).catch(
    () => undefined,
  );
}
