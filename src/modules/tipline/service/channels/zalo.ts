/**
 * Zalo Official Account, OA API v3. Webhook events are signed: `X-ZEvent-Signature: mac=<hex>` where
 * hex = SHA-256(app_id + raw body + timestamp + OA secret key). Replies are consultation messages (/v3.0/oa/message/cs)
 * with the OA access token, which lives about 25 hours and is refreshed with the refresh token (single use, so the
 * new pair is stored). Consultation messages may be sent within 7 days of the person's last interaction.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { download, postJson } from './http.js';
import { ChannelError, type ChannelAdapter, type ChannelSettings, type Inbound } from './types.js';

const DAY = 86_400_000;
const MAX_TEXT = 2000;

export function zaloSignature(appId: string, body: string, timestamp: string, secret: string): string {
  return (
    'mac=' +
    createHash('sha256')
      .update(appId + body + timestamp + secret, 'utf8')
      .digest('hex')
  );
}

/** Where the OA token is refreshed: the real OAuth host, or the same base as the API when it was overridden (tests). */
export const oauthBase = (cfg: ChannelSettings, overridden: boolean) =>
  overridden ? cfg.apiBase : 'https://oauth.zaloapp.com';

function fail(json: any, status: number): never {
  const code = Number(json?.error);
  const m = String(json?.message ?? status);
  if (code === -216 || code === -124 || code === -14014) throw new ChannelError('token', m);
  if (code === -230) throw new ChannelError('window', m);
  if (code === -213 || code === -201) throw new ChannelError('blocked', m);
  if (code === -32 || status === 429) throw new ChannelError('rate', m, 60);
  throw new ChannelError('other', m);
}

export const zalo: ChannelAdapter = {
  name: 'zalo',
  verify(cfg, req) {
    const given = req.headers.get('x-zevent-signature') ?? '';
    if (!cfg.secret || !given) return false;
    let ts = '';
    try {
      const v = (JSON.parse(req.body) as { timestamp?: unknown })?.timestamp;
      ts = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
    } catch {
      return false;
    }
    const expected = zaloSignature(cfg.appId, req.body, ts, cfg.secret);
    return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  },
  parse(body: any) {
    if (!body || typeof body.event_name !== 'string') return [];
    const ev = body.event_name as string;
    const userId = ev === 'follow' || ev === 'unfollow' ? body.follower?.id : body.sender?.id;
    if (userId == null) return [];
    const base = {
      userId: String(userId),
      eventId: String(body.message?.msg_id ?? `${ev}:${userId}:${body.timestamp}`),
    };
    const att = Array.isArray(body.message?.attachments) ? body.message.attachments[0] : undefined;
    const out: Inbound[] = [];
    if (ev === 'follow') out.push({ ...base, kind: 'follow' });
    else if (ev === 'unfollow') out.push({ ...base, kind: 'unfollow' });
    else if (ev === 'user_send_text') out.push({ ...base, kind: 'text', text: String(body.message?.text ?? '') });
    else if (ev === 'user_send_link')
      out.push({ ...base, kind: 'text', text: [body.message?.text, att?.payload?.url].filter(Boolean).join(' ') });
    else if (ev === 'user_send_image' && typeof att?.payload?.url === 'string')
      out.push({ ...base, kind: 'image', image: { ref: att.payload.url }, text: body.message?.text || undefined });
    else if (ev === 'user_send_location' && att?.payload?.coordinates)
      out.push({
        ...base,
        kind: 'location',
        location: { lat: Number(att.payload.coordinates.latitude), lon: Number(att.payload.coordinates.longitude) },
      });
    else if (ev.startsWith('user_send_')) out.push({ ...base, kind: 'unsupported' });
    return out;
  },
  async send(cfg, to, msg, ctx) {
    if (!ctx.lastInboundAt || Date.now() - ctx.lastInboundAt.getTime() > 7 * DAY)
      throw new ChannelError('window', 'no interaction in the last 7 days');
    const message: Record<string, unknown> = { text: msg.text.slice(0, MAX_TEXT) };
    // Buttons send their payload back as the person's message ("oa.query.hide": not shown in the chat).
    if (msg.buttons?.length)
      message.attachment = {
        type: 'template',
        payload: {
          buttons: msg.buttons
            .slice(0, 5)
            .map((b) => ({ title: b.title.slice(0, 100), type: 'oa.query.hide', payload: b.payload })),
        },
      };
    const { status, json } = await postJson(
      cfg.outbound,
      `${cfg.apiBase}/v3.0/oa/message/cs`,
      { recipient: { user_id: to }, message },
      { access_token: cfg.token },
    );
    if (status !== 200 || Number(json?.error) !== 0) fail(json, status);
  },
  async download(cfg, ref, maxBytes) {
    return download(cfg.outbound, ref, maxBytes);
  },
};
