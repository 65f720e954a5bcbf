import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import webpush from 'web-push';
import { PermanentJobError } from '../jobs/queue.js';
import { OutboundRefusedError, safeFetch, type OutboundOptions } from '../net/outbound.js';
import type { MessageTemplate } from './templates.js';

export interface Channels {
  email(to: string, msg: MessageTemplate): Promise<void>;
  webhook(url: string, secret: string, event: string, body: Record<string, unknown>): Promise<void>;
  push(sub: { endpoint: string; p256dh: string; auth: string }, msg: MessageTemplate & { url?: string }): Promise<void>;
  /** Closes pooled connections (graceful shutdown). */
  close?(): void;
}

export interface ChannelConfig {
  smtpUrl?: string;
  /** With no smtpUrl: each message is written here as an .eml file (a demo's mail, readable in any mail program). */
  outboxDir?: string | null;
  mailFrom: string;
  vapid?: { publicKey: string; privateKey: string; subject: string };
  webhookTimeoutMs?: number;
  pushTimeoutMs?: number;
  /** The outbound guard's settings, read at each send (OUTBOUND_ALLOW_HOSTS); default: from process.env. */
  outbound?: () => OutboundOptions;
}

/** A push subscription the push service says is gone (404/410): the caller should forget it. */
export class GoneSubscriptionError extends PermanentJobError {}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * What a receiver of our webhooks does: recompute the HMAC over "timestamp.body" and refuse
 * a timestamp older (or newer) than `toleranceSeconds`, so a captured request cannot be replayed.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | null | undefined,
  body: string,
  signature: string | null | undefined,
  toleranceSeconds = 300,
  nowMs = Date.now(),
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** SMTP 5xx answers (unknown mailbox, refused address) will not get better by retrying. */
function smtpPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function createChannels(cfg: ChannelConfig): Channels {
  let transport: Transporter | null = null;
  const outbox = !cfg.smtpUrl && cfg.outboxDir ? cfg.outboxDir : null;
  const mailer = () => {
    if (outbox)
      return (transport ??= nodemailer.createTransport(
        { streamTransport: true, buffer: true, newline: 'unix' },
        { from: cfg.mailFrom },
      ));
    if (!cfg.smtpUrl) throw new Error('SMTP_URL is not set: email cannot be sent');
    // Bounded waits: a stuck SMTP server must not hold a job slot until the job counts as stale.
    // A small pool of kept-open connections: a new handshake per message was the delivery bottleneck.
    transport ??= nodemailer.createTransport(
      `${cfg.smtpUrl}${cfg.smtpUrl.includes('?') ? '&' : '?'}connectionTimeout=30000&greetingTimeout=30000&socketTimeout=60000&pool=true&maxConnections=4&maxMessages=500`,
      { from: cfg.mailFrom },
    );
    return transport;
  };
  // Webhook and push addresses were typed by someone: never let them reach this machine or its network (SSRF).
  // A refused address will not become acceptable by retrying.
  const guarded = async (url: string, init: Parameters<typeof safeFetch>[1]) => {
    try {
      return await safeFetch(url, init, cfg.outbound?.());
    } catch (err) {
      if (err instanceof OutboundRefusedError) throw new PermanentJobError(err.message);
      throw err;
    }
  };
  return {
    close() {
      transport?.close();
      transport = null;
    },
    async email(to, msg) {
      try {
        const info = await mailer().sendMail({
          from: cfg.mailFrom,
          to,
          subject: msg.subject,
          text: msg.text,
          ...(msg.replyTo ? { replyTo: msg.replyTo } : {}),
        });
        if (outbox) await writeOutbox(outbox, to, (info as unknown as { message: Buffer }).message);
      } catch (err) {
        if (smtpPermanent(err)) throw new PermanentJobError(err instanceof Error ? err.message : String(err));
        throw err;
      }
    },
    async webhook(url, secret, event, payload) {
      const body = JSON.stringify({ event, data: payload, sent_at: new Date().toISOString() });
      const ts = String(Math.floor(Date.now() / 1000));
      const res = await guarded(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'CauNoi-Webhook/1',
          'x-caunoi-event': event,
          'x-caunoi-timestamp': ts,
          'x-caunoi-signature': signWebhook(secret, ts, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(cfg.webhookTimeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 410) throw new PermanentJobError('webhook answered 410 Gone');
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
    async push(sub, msg) {
      if (!cfg.vapid) throw new Error('web push keys are not configured');
      // web-push builds the encrypted body and the VAPID header; we send it ourselves so that
      // timeouts and the answer are handled like every other channel.
      const req = webpush.generateRequestDetails(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        JSON.stringify({ title: msg.subject, body: msg.text, url: msg.url }),
        { vapidDetails: cfg.vapid, TTL: 3600, urgency: 'normal' },
      );
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers as Record<string, unknown>))
        if (k.toLowerCase() !== 'content-length') headers[k] = String(v);
      const res = await guarded(req.endpoint, {
        method: req.method,
        headers,
        body: req.body ? new Uint8Array(req.body) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(cfg.pushTimeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 404 || res.status === 410)
        throw new GoneSubscriptionError(`push service answered ${res.status}: subscription gone`);
      if (res.status === 400 || res.status === 413)
        throw new PermanentJobError(`push service refused the message (${res.status})`);
      if (!res.ok) throw new Error(`push service answered ${res.status}`);
    },
  };
}

/** One file per message, named so that a folder listing reads in the order they were sent. */
async function writeOutbox(dir: string, to: string, message: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const who = to.replace(/[^a-zA-Z0-9@._-]/g, '_').slice(0, 60);
  await writeFile(path.join(dir, `${stamp}-${randomBytes(3).toString('hex')}-${who}.eml`), message, { mode: 0o600 });
}
