import type { Db } from '../../db/client.js';
import type { Locale, Vars } from '../i18n/index.js';
import { enqueue, registerJob } from '../jobs/queue.js';
import type { Channels } from './channels.js';
import { renderTemplate } from './templates.js';

export type Channel = 'email' | 'push' | 'webhook';

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

/** Records one message per recipient and queues its delivery; returns the notification ids. */
export async function send(db: Db, messages: Message[]): Promise<number[]> {
  if (messages.length === 0) return [];
  return db.tx(async (tx) => {
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO notifications (channel, recipient, template, locale, vars, ref_type, ref_id)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(channel text, recipient text, template text, locale text, vars jsonb, ref_type text, ref_id text)
       RETURNING id`,
      [JSON.stringify(messages.map((m) => ({ channel: m.channel, recipient: m.recipient, template: m.template, locale: m.locale ?? 'vi', vars: m.vars ?? {}, ref_type: m.refType ?? null, ref_id: m.refId == null ? null : String(m.refId) })))],
    );
    const ids = rows.map((r) => r.id);
    await tx.query(
      `INSERT INTO jobs (type, payload, max_attempts) SELECT $1, jsonb_build_object('notificationId', id), 6 FROM unnest($2::bigint[]) AS id`,
      [JOB, ids],
    );
    return ids;
  });
}

/** Webhook events go to every active endpoint subscribed to the event (or to all events). */
export async function sendWebhookEvent(db: Db, event: string, vars: Vars, ref?: { type: string; id: string | number }): Promise<number[]> {
  const endpoints = await db.query<{ id: number }>(
    `SELECT id FROM webhook_endpoints WHERE active AND (cardinality(events) = 0 OR $1 = ANY(events))`,
    [event],
  );
  return send(db, endpoints.map((e) => ({ channel: 'webhook', recipient: String(e.id), template: event, vars, refType: ref?.type, refId: ref?.id })));
}

interface NotificationRow {
  id: number; channel: Channel; recipient: string; template: string; locale: Locale; vars: Vars; status: string; attempts: number;
}

export function registerNotifyJobs(channels: Channels): void {
  registerJob(JOB, async ({ notificationId }: { notificationId: number }, { db, job }) => {
    const n = await db.one<NotificationRow>(`SELECT * FROM notifications WHERE id = $1`, [notificationId]);
    if (!n || n.status === 'sent') return;
    try {
      if (n.channel === 'email') {
        await channels.email(n.recipient, renderTemplate(n.template, n.locale, n.vars));
      } else if (n.channel === 'webhook') {
        const ep = await db.one<{ url: string; secret: string }>(`SELECT url, secret FROM webhook_endpoints WHERE id = $1`, [Number(n.recipient)]);
        if (!ep) throw new Error('webhook endpoint no longer exists');
        await channels.webhook(ep.url, ep.secret, n.template, n.vars);
      } else {
        const sub = await db.one<{ endpoint: string; p256dh: string; auth: string }>(`SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = $1`, [Number(n.recipient)]);
        if (!sub) throw new Error('push subscription no longer exists');
        await channels.push(sub, renderTemplate(n.template, n.locale, n.vars));
      }
      await db.query(`UPDATE notifications SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`, [n.id]);
    } catch (err) {
      const last = job.attempts >= job.max_attempts;
      await db.query(`UPDATE notifications SET status = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1`, [n.id, last ? 'failed' : 'retrying', err instanceof Error ? err.message : String(err)]);
      throw err;
    }
  });
}

export async function enqueueNotification(db: Db, notificationId: number): Promise<void> {
  await enqueue(db, JOB, { notificationId });
}
