import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import webpush from 'web-push';
import type { MessageTemplate } from './templates.js';

export interface Channels {
  email(to: string, msg: MessageTemplate): Promise<void>;
  webhook(url: string, secret: string, event: string, body: Record<string, unknown>): Promise<void>;
  push(sub: { endpoint: string; p256dh: string; auth: string }, msg: MessageTemplate & { url?: string }): Promise<void>;
}

export interface ChannelConfig {
  smtpUrl?: string;
  mailFrom: string;
  vapid?: { publicKey: string; privateKey: string; subject: string };
  webhookTimeoutMs?: number;
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function createChannels(cfg: ChannelConfig): Channels {
  let transport: Transporter | null = null;
  const mailer = () => {
    if (!cfg.smtpUrl) throw new Error('SMTP_URL is not set: email cannot be sent');
    transport ??= nodemailer.createTransport(cfg.smtpUrl, { from: cfg.mailFrom });
    return transport;
  };
  return {
    async email(to, msg) {
      await mailer().sendMail({ from: cfg.mailFrom, to, subject: msg.subject, text: msg.text });
    },
    async webhook(url, secret, event, payload) {
      const body = JSON.stringify({ event, data: payload, sent_at: new Date().toISOString() });
      const ts = String(Math.floor(Date.now() / 1000));
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-caunoi-event': event, 'x-caunoi-timestamp': ts, 'x-caunoi-signature': signWebhook(secret, ts, body) },
        body,
        signal: AbortSignal.timeout(cfg.webhookTimeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
    async push(sub, msg) {
      if (!cfg.vapid) throw new Error('web push keys are not configured');
      await webpush.sendNotification(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        JSON.stringify({ title: msg.subject, body: msg.text, url: msg.url }),
        { vapidDetails: cfg.vapid, TTL: 3600 },
      );
    },
  };
}
