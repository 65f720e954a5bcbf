/**
 * Telegram Bot API: the webhook carries `X-Telegram-Bot-Api-Secret-Token` (the secret_token given to setWebhook);
 * replies with sendMessage and inline keyboards. A bot may write to anyone who started it (no messaging window),
 * until they block it (403).
 */
import { timingSafeEqual } from 'node:crypto';
import { download, postJson } from './http.js';
import { ChannelError, type ChannelAdapter, type Inbound } from './types.js';

const MAX_TEXT = 4096;
const sameSecret = (a: string, b: string) =>
  a.length > 0 && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function fail(status: number, json: any): never {
  const d = String(json?.description ?? status);
  if (status === 429) throw new ChannelError('rate', d, Number(json?.parameters?.retry_after ?? 5));
  if (status === 403) throw new ChannelError('blocked', d);
  if (status === 401) throw new ChannelError('token', d);
  throw new ChannelError('other', d);
}

export const telegram: ChannelAdapter = {
  name: 'telegram',
  verify(cfg, req) {
    return sameSecret(cfg.secret, req.headers.get('x-telegram-bot-api-secret-token') ?? '');
  },
  parse(body: any) {
    if (!body || typeof body !== 'object' || !Number.isSafeInteger(body.update_id)) return [];
    const eventId = String(body.update_id);
    const cq = body.callback_query;
    if (cq && cq.from?.id != null) {
      return [
        {
          eventId,
          userId: String(cq.message?.chat?.id ?? cq.from.id),
          locale: lang(cq.from.language_code),
          kind: 'payload',
          payload: String(cq.data ?? ''),
          callbackId: String(cq.id),
        },
      ];
    }
    const m = body.message;
    if (!m || m.chat?.id == null) {
      const mcm = body.my_chat_member;
      if (mcm?.new_chat_member?.status === 'kicked')
        return [{ eventId, userId: String(mcm.chat.id), kind: 'unfollow' }];
      return [];
    }
    // groups are never read: the tipline talks with one person at a time
    if (m.chat.type && m.chat.type !== 'private') return [];
    const base = { eventId, userId: String(m.chat.id), locale: lang(m.from?.language_code) };
    if (typeof m.text === 'string') return [{ ...base, kind: 'text', text: m.text }];
    if (Array.isArray(m.photo) && m.photo.length) {
      const best = m.photo[m.photo.length - 1];
      return [
        {
          ...base,
          kind: 'image',
          image: { ref: String(best.file_id), size: best.file_size },
          text: typeof m.caption === 'string' ? m.caption : undefined,
        },
      ];
    }
    if (m.document && typeof m.document.mime_type === 'string' && m.document.mime_type.startsWith('image/')) {
      return [
        {
          ...base,
          kind: 'image',
          image: { ref: String(m.document.file_id), size: m.document.file_size, mime: m.document.mime_type },
        },
      ];
    }
    if (m.location && Number.isFinite(m.location.latitude) && Number.isFinite(m.location.longitude)) {
      return [{ ...base, kind: 'location', location: { lat: m.location.latitude, lon: m.location.longitude } }];
    }
    return [{ ...base, kind: 'unsupported' }];
  },
  async send(cfg, to, msg) {
    const rows: { text: string; callback_data: string }[][] = [];
    for (const b of msg.buttons ?? []) {
      const last = rows[rows.length - 1];
      const btn = { text: b.title.slice(0, 64), callback_data: b.payload.slice(0, 64) };
      if (last && last.length < 2) last.push(btn);
      else rows.push([btn]);
    }
    const body: Record<string, unknown> = {
      chat_id: to,
      text: msg.text.slice(0, MAX_TEXT),
      disable_web_page_preview: false,
    };
    if (rows.length) body.reply_markup = { inline_keyboard: rows };
    const { status, json } = await postJson(cfg.outbound, `${cfg.apiBase}/bot${cfg.token}/sendMessage`, body);
    if (status !== 200 || json?.ok !== true) fail(status, json);
  },
  async ack(cfg, callbackId) {
    await postJson(cfg.outbound, `${cfg.apiBase}/bot${cfg.token}/answerCallbackQuery`, {
      callback_query_id: callbackId,
    }).catch(() => undefined);
  },
  async download(cfg, ref, maxBytes) {
    const { status, json } = await postJson(cfg.outbound, `${cfg.apiBase}/bot${cfg.token}/getFile`, { file_id: ref });
    if (status !== 200 || json?.ok !== true || typeof json.result?.file_path !== 'string') fail(status, json);
    return download(cfg.outbound, `${cfg.apiBase}/file/bot${cfg.token}/${json.result.file_path}`, maxBytes);
  },
};

function lang(code: unknown): Inbound['locale'] {
  return typeof code === 'string' && code.toLowerCase().startsWith('en') ? 'en' : undefined;
}
