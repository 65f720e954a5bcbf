/**
 * Facebook Messenger (a Page): `hub.challenge` handshake, `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with
 * the app secret), `messaging` events; replies through the Send API. Meta's window: a reply within 24 hours of the
 * person's last message (messaging_type RESPONSE); a staff member's reply up to 7 days (MESSAGE_TAG HUMAN_AGENT);
 * nothing after that: the update falls back to e-mail/SMS.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Locale } from '../../../../platform/i18n/index.js';
import { download, getJson, postJson } from './http.js';
import { ChannelError, type ChannelAdapter, type Inbound } from './types.js';

export const GRAPH_VERSION = 'v19.0';
const HOUR = 3600_000;
const MAX_TEXT = 2000;

export function messengerSignature(secret: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** The messaging_type (and tag) Meta allows now, or null when no message may be sent. */
export function messagingType(
  lastInboundAt: Date | null,
  staff: boolean,
  now = Date.now(),
): { messaging_type: string; tag?: string } | null {
  if (!lastInboundAt) return null;
  const age = now - lastInboundAt.getTime();
  if (age <= 24 * HOUR) return { messaging_type: 'RESPONSE' };
  if (staff && age <= 7 * 24 * HOUR) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  return null;
}

function fail(status: number, json: any): never {
  const e = json?.error ?? {};
  const code = Number(e.code);
  const sub = Number(e.error_subcode);
  const m = String(e.message ?? status);
  if (code === 10 && sub === 2018278) throw new ChannelError('window', m);
  if (code === 551 || sub === 1545041 || sub === 2018108) throw new ChannelError('blocked', m);
  if (code === 4 || code === 32 || code === 613 || status === 429) throw new ChannelError('rate', m, 60);
  if (code === 190) throw new ChannelError('token', m);
  throw new ChannelError('other', m);
}

/** A Graph API profile locale ("en_US", "vi_VN") → the language we answer in; other languages get Vietnamese. */
export function localeOfProfile(locale: unknown): Locale | null {
  if (typeof locale !== 'string') return null;
  if (/^en(_|$)/i.test(locale)) return 'en';
  if (/^vi(_|$)/i.test(locale)) return 'vi';
  return null;
}

export const messenger: ChannelAdapter = {
  name: 'messenger',
  verify(cfg, req) {
    const given = req.headers.get('x-hub-signature-256') ?? '';
    if (!cfg.secret || !given) return false;
    const expected = messengerSignature(cfg.secret, req.body);
    return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  },
  parse(body: any) {
    if (!body || body.object !== 'page' || !Array.isArray(body.entry)) return [];
    const out: Inbound[] = [];
    for (const entry of body.entry) {
      for (const ev of Array.isArray(entry?.messaging) ? entry.messaging : []) {
        const userId = ev?.sender?.id;
        if (userId == null) continue;
        const m = ev.message;
        if (m?.is_echo) continue;
        const base = {
          userId: String(userId),
          eventId: String(m?.mid ?? ev.postback?.mid ?? `${userId}:${ev.timestamp}`),
        };
        if (ev.postback) {
          out.push({ ...base, kind: 'payload', payload: String(ev.postback.payload ?? '') });
        } else if (m?.quick_reply?.payload) {
          out.push({ ...base, kind: 'payload', payload: String(m.quick_reply.payload) });
        } else if (typeof m?.text === 'string') {
          out.push({ ...base, kind: 'text', text: m.text });
        } else if (Array.isArray(m?.attachments) && m.attachments.length) {
          const a = m.attachments[0];
          if (a.type === 'image' && typeof a.payload?.url === 'string')
            out.push({ ...base, kind: 'image', image: { ref: a.payload.url } });
          else if (a.type === 'location' && a.payload?.coordinates)
            out.push({
              ...base,
              kind: 'location',
              location: { lat: Number(a.payload.coordinates.lat), lon: Number(a.payload.coordinates.long) },
            });
          else if (a.type === 'fallback' && typeof a.payload?.url === 'string')
            out.push({ ...base, kind: 'text', text: a.payload.url });
          else out.push({ ...base, kind: 'unsupported' });
        }
      }
    }
    return out;
  },
  async send(cfg, to, msg, ctx) {
    const type = messagingType(ctx.lastInboundAt, ctx.staff);
    if (!type) throw new ChannelError('window', 'outside the 24-hour messaging window');
    const message: Record<string, unknown> = { text: msg.text.slice(0, MAX_TEXT) };
    if (msg.buttons?.length)
      message.quick_replies = msg.buttons
        .slice(0, 13)
        .map((b) => ({ content_type: 'text', title: b.title.slice(0, 20), payload: b.payload.slice(0, 1000) }));
    const { status, json } = await postJson(
      cfg.outbound,
      `${cfg.apiBase}/${GRAPH_VERSION}/me/messages?access_token=${encodeURIComponent(cfg.token)}`,
      { recipient: { id: to }, ...type, message },
    );
    if (status !== 200 || json?.error) fail(status, json);
  },
  async profileLocale(cfg, psid) {
    // User Profile API: GET /<PSID>?fields=locale with the page token → { "locale": "en_US", "id": "<PSID>" }
    const { status, json } = await getJson(
      cfg.outbound,
      `${cfg.apiBase}/${GRAPH_VERSION}/${encodeURIComponent(psid)}?fields=locale&access_token=${encodeURIComponent(cfg.token)}`,
    );
    if (status !== 200 || json?.error) return null;
    return localeOfProfile(json?.locale);
  },
  async download(cfg, ref, maxBytes) {
    return download(cfg.outbound, ref, maxBytes);
  },
};
