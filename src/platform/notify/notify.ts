import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Locale, Vars } from '../i18n/index.js';
import { enqueue, type JobContext, notifyWorkers, PermanentJobError } from '../jobs/queue.js';
import type { JobRegistry, ModuleJobs } from '../jobs/registry.js';
import { assertOutboundAllowed, OutboundRefusedError, type OutboundOptions } from '../net/outbound.js';
import { GoneSubscriptionError, type Channels } from './channels.js';
import type { MessageTemplate, Templates } from './templates.js';

export type Channel = 'email' | 'push' | 'webhook' | 'tipline';

export interface Message {
  channel: Channel;
  /** email address; push subscription id; webhook endpoint id. */
  recipient: string;
  template: string;
  locale?: Locale;
  vars?: Vars;
  /** What the message is about, so a module can list deliveries (e.g. 'crisis.statement', '12'). */
  refType?: string;
  refId?: string | number;
}

const JOB = 'notify.deliver';

/**
 * A delivery function for a channel a module brings (the tiplines), returned in its jobs' `deliverers`; it throws like
 * the built-in channels.
 */
export type ChannelDeliverer = (
  db: Db,
  n: { id: number; recipient: string; template: string; locale: Locale; vars: Vars },
  msg: MessageTemplate,
) => Promise<void>;

/** Records one message per recipient and queues its delivery; returns the notification ids. */
export async function send(db: Db, messages: Message[]): Promise<number[]> {
  if (messages.length === 0) return [];
  return db.tx(async (tx) => {
    const rows = await tx.query<{ id: number; channel: Channel }>(
      `INSERT INTO notifications (channel, recipient, template, locale, vars, ref_type, ref_id)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(channel text, recipient text, template text, locale text, vars jsonb, ref_type text, ref_id text)
       RETURNING id, channel`,
      [
        JSON.stringify(
          messages.map((m) => ({
            channel: m.channel,
            recipient: m.recipient,
            template: m.template,
            locale: m.locale ?? 'vi',
            vars: m.vars ?? {},
            ref_type: m.refType ?? null,
            ref_id: m.refId == null ? null : String(m.refId),
          })),
        ),
      ],
    );
    const ids = rows.map((r) => r.id);
    // Attempts per channel: a partner's webhook receiver may be down for an hour (10 attempts
    // span about 85 minutes of back-off); email 6 (about 5 minutes); push 5.
    await tx.query(
      `INSERT INTO jobs (type, payload, max_attempts)
       SELECT $1, jsonb_build_object('notificationId', id), CASE ch WHEN 'webhook' THEN 10 WHEN 'push' THEN 5 ELSE 6 END
       FROM unnest($2::bigint[], $3::text[]) AS x(id, ch)`,
      [JOB, ids, rows.map((r) => r.channel)],
    );
    await notifyWorkers(tx);
    return ids;
  });
}

/** Webhook events go to every active endpoint subscribed to the event (or to all events). */
export async function sendWebhookEvent(
  db: Db,
  event: string,
  vars: Vars,
  ref?: { type: string; id: string | number },
): Promise<number[]> {
  const endpoints = await db.query<{ id: number }>(
    `SELECT id FROM webhook_endpoints WHERE active AND (cardinality(events) = 0 OR $1 = ANY(events))`,
    [event],
  );
  return send(
    db,
    endpoints.map((e) => ({
      channel: 'webhook',
      recipient: String(e.id),
      template: event,
      vars,
      refType: ref?.type,
      refId: ref?.id,
    })),
  );
}

interface NotificationRow {
  id: number;
  channel: Channel;
  recipient: string;
  template: string;
  locale: Locale;
  vars: Vars;
  status: string;
  attempts: number;
}

const isPermanent = (err: unknown) =>
  Boolean(err && typeof err === 'object' && (err as { permanent?: unknown }).permanent === true);

function render(templates: Templates, n: NotificationRow): MessageTemplate {
  try {
    const msg = templates.render(n.template, n.locale, n.vars);
    // a message may name who answers it (a crisis statement: the spokesperson)
    return typeof n.vars.replyTo === 'string' && n.vars.replyTo ? { ...msg, replyTo: n.vars.replyTo } : msg;
  } catch (err) {
    throw new PermanentJobError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Delivers one notification. A failure leaves the row 'retrying' (the queue tries again after a
 * back-off) until the attempts are used up or the failure is permanent: then 'failed', with the
 * error kept. Nothing is dropped silently.
 */
export function notifyJobs(app: { channels: Channels; templates: Templates; jobs: JobRegistry }): ModuleJobs {
  const { channels, templates } = app;
  const deliver = async ({ notificationId }: { notificationId: number }, { db, job }: JobContext) => {
    const n = await db.one<NotificationRow>(`SELECT * FROM notifications WHERE id = $1`, [notificationId]);
    if (!n || n.status === 'sent' || n.status === 'failed') return;
    try {
      if (n.channel === 'email') {
        await channels.email(n.recipient, render(templates, n));
      } else if (n.channel === 'webhook') {
        const ep = await db.one<{ url: string; secret: string; active: boolean }>(
          `SELECT url, secret, active FROM webhook_endpoints WHERE id = $1`,
          [Number(n.recipient)],
        );
        if (!ep || !ep.active) throw new PermanentJobError('webhook endpoint no longer exists');
        await channels.webhook(ep.url, ep.secret, n.template, n.vars);
      } else if (app.jobs.deliverer(n.channel)) {
        await app.jobs.deliverer(n.channel)!(db, n, render(templates, n));
      } else {
        const sub = await db.one<{ endpoint: string; p256dh: string; auth: string }>(
          `SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = $1`,
          [Number(n.recipient)],
        );
        if (!sub) throw new PermanentJobError('push subscription no longer exists');
        const msg = render(templates, n);
        try {
          await channels.push(sub, { ...msg, url: typeof n.vars.url === 'string' ? n.vars.url : undefined });
        } catch (err) {
          if (err instanceof GoneSubscriptionError)
            await db.query(`DELETE FROM push_subscriptions WHERE id = $1`, [Number(n.recipient)]);
          throw err;
        }
      }
      await db.query(
        `UPDATE notifications SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
        [n.id],
      );
    } catch (err) {
      const last = job.attempts >= job.max_attempts || isPermanent(err);
      await db.query(`UPDATE notifications SET status = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1`, [
        n.id,
        last ? 'failed' : 'retrying',
        (err instanceof Error ? err.message : String(err)).slice(0, 2000),
      ]);
      throw err;
    }
  };
  return { handlers: { [JOB]: deliver } };
}

export interface NotificationStatus {
  id: number;
  channel: Channel;
  recipient: string;
  status: 'queued' | 'sent' | 'failed' | 'retrying';
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
}

/** How the deliveries about one record went (e.g. a crisis statement's distribution list). */
export async function deliveriesFor(db: Db, refType: string, refId: string | number): Promise<NotificationStatus[]> {
  return db.query<NotificationStatus>(
    `SELECT id, channel, recipient, status, attempts, last_error, sent_at FROM notifications WHERE ref_type = $1 AND ref_id = $2 ORDER BY id`,
    [refType, String(refId)],
  );
}

export async function notificationStatus(db: Db, ids: number[]): Promise<NotificationStatus[]> {
  return db.query<NotificationStatus>(
    `SELECT id, channel, recipient, status, attempts, last_error, sent_at FROM notifications WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [ids],
  );
}

/** A browser's PushSubscription as JSON (`subscription.toJSON()`). */
export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export class PushSubscriptionError extends Error {
  readonly code = 'push.badSubscription';
}

const b64urlBytes = (s: unknown) =>
  typeof s === 'string' && /^[A-Za-z0-9_-]+={0,2}$/.test(s) ? Buffer.from(s, 'base64url') : null;

/**
 * Stores (or moves to `userId`) a browser's push subscription and returns its id: the recipient
 * of `{ channel: 'push' }` messages. Refuses anything that is not a real subscription: an https
 * endpoint (http only on the loopback, for tests), a P-256 public key and a 16-byte auth secret.
 */
export async function savePushSubscription(
  db: Db,
  userId: number | null,
  sub: PushSubscriptionInput,
  outbound?: OutboundOptions,
): Promise<number> {
  let url: URL;
  try {
    url = new URL(String(sub?.endpoint));
  } catch {
    throw new PushSubscriptionError('endpoint is not a URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (
    !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) ||
    url.username ||
    url.password ||
    url.href.length > 1000
  )
    throw new PushSubscriptionError('endpoint must be an https URL');
  const key = b64urlBytes(sub.keys?.p256dh);
  const auth = b64urlBytes(sub.keys?.auth);
  if (!key || key.length !== 65 || key[0] !== 4)
    throw new PushSubscriptionError('p256dh must be an uncompressed P-256 public key');
  if (!auth || auth.length !== 16) throw new PushSubscriptionError('auth must be 16 bytes');
  // The server will POST to this address: never to this machine or its network (outbound.ts; pass outboundOptions(config)).
  try {
    await assertOutboundAllowed(url, outbound);
  } catch (e) {
    if (e instanceof OutboundRefusedError) throw new PushSubscriptionError(`endpoint refused: ${e.code}`);
    throw e;
  }
  const row = await db.one<{ id: number }>(
    `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth RETURNING id`,
    [userId, url.href, sub.keys.p256dh, sub.keys.auth],
  );
  return row!.id;
}

export async function deletePushSubscription(db: Db, endpoint: string): Promise<boolean> {
  return (await db.query(`DELETE FROM push_subscriptions WHERE endpoint = $1 RETURNING id`, [endpoint])).length > 0;
}

/** The push recipients (subscription ids) of a user: one per browser or device. */
export async function pushSubscriptionIds(db: Db, userId: number): Promise<string[]> {
  const rows = await db.query<{ id: number }>(`SELECT id FROM push_subscriptions WHERE user_id = $1 ORDER BY id`, [
    userId,
  ]);
  return rows.map((r) => String(r.id));
}

/** Registers a receiver for outgoing webhooks; the secret (generated unless given) signs every delivery. */
export async function addWebhookEndpoint(
  db: Db,
  ep: { name: string; url: string; secret?: string; events?: string[] },
): Promise<{ id: number; secret: string }> {
  const url = new URL(ep.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('webhook URL must be http(s)');
  const secret = ep.secret ?? randomBytes(24).toString('base64url');
  const row = await db.one<{ id: number }>(
    `INSERT INTO webhook_endpoints (name, url, secret, events) VALUES ($1, $2, $3, $4) RETURNING id`,
    [ep.name, url.href, secret, ep.events ?? []],
  );
  return { id: row!.id, secret };
}

export async function enqueueNotification(db: Db, notificationId: number): Promise<void> {
  await enqueue(db, JOB, { notificationId });
}
