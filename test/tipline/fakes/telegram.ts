/**
 * A local Telegram Bot API: sendMessage, getFile, file downloads and answerCallbackQuery, with the documented
 * answers: {ok:true,result} or {ok:false,error_code,description[,parameters.retry_after]} (401 bad token,
 * 403 "bot was blocked by the user", 429 "Too Many Requests").
 */
import { startFake } from './server.js';

export interface TelegramSent {
  chatId: string;
  text: string;
  buttons: { text: string; callback_data: string }[];
}

export async function startTelegram(token: string) {
  const sent: TelegramSent[] = [];
  const files = new Map<string, Buffer>();
  const blocked = new Set<string>();
  const state = { rateLimited: 0 };
  const fake = await startFake((r) => {
    const m = r.path.match(/^\/bot([^/]+)\/(\w+)$/);
    const f = r.path.match(/^\/file\/bot([^/]+)\/photos\/(.+)$/);
    if (f) {
      if (f[1] !== token) return { status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } };
      const b = files.get(decodeURIComponent(f[2]!));
      return b
        ? { status: 200, bytes: b, type: 'image/jpeg' }
        : { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
    }
    if (!m) return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
    if (m[1] !== token) return { status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } };
    const method = m[2];
    if (method === 'sendMessage') {
      if (state.rateLimited > 0) {
        state.rateLimited--;
        return {
          status: 429,
          json: {
            ok: false,
            error_code: 429,
            description: 'Too Many Requests: retry after 1',
            parameters: { retry_after: 1 },
          },
        };
      }
      const chatId = String(r.json?.chat_id);
      if (blocked.has(chatId))
        return {
          status: 403,
          json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
        };
      if (typeof r.json?.text !== 'string' || !r.json.text)
        return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } };
      const buttons = (r.json.reply_markup?.inline_keyboard ?? []).flat();
      sent.push({ chatId, text: r.json.text, buttons });
      return {
        status: 200,
        json: {
          ok: true,
          result: {
            message_id: sent.length,
            chat: { id: Number(chatId), type: 'private' },
            date: Math.floor(Date.now() / 1000),
            text: r.json.text,
          },
        },
      };
    }
    if (method === 'getFile') {
      const id = String(r.json?.file_id);
      if (!files.has(id))
        return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' } };
      return {
        status: 200,
        json: {
          ok: true,
          result: { file_id: id, file_unique_id: id, file_size: files.get(id)!.length, file_path: `photos/${id}` },
        },
      };
    }
    if (method === 'answerCallbackQuery') return { status: 200, json: { ok: true, result: true } };
    return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
  });
  return {
    ...fake,
    sent,
    files,
    blocked,
    state,
    to: (chatId: string | number) => sent.filter((s) => s.chatId === String(chatId)),
  };
}
