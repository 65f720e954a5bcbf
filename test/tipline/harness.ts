import sharp from 'sharp';
import { testApp, type TestApp } from '../helpers/app.js';
import { startTelegram } from './fakes/telegram.js';

export const TG_TOKEN = '123456:TEST-token_abc';
export const TG_SECRET = 'tg-webhook-secret_1';

/** The whole platform with the Telegram channel pointed at a local fake Bot API (demo: false for an empty platform). */
export async function telegramApp(env: Record<string, string> = {}, opts: { demo?: boolean } = {}) {
  const tg = await startTelegram(TG_TOKEN);
  const t = await testApp({
    demo: opts.demo,
    env: {
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_BASE: tg.url,
      OUTBOUND_ALLOW_HOSTS: tg.host,
      ...env,
    },
  });
  let updateId = 1000;
  const post = (body: string, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': TG_SECRET }) =>
    t.app.request('/tipline/telegram', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-test-ip': '149.154.167.1', ...headers },
    });
  const from = (chat: number, lang = 'vi') => ({ id: chat, is_bot: false, first_name: 'A', language_code: lang });
  const api = {
    ...t,
    tg,
    post,
    /** A text message from a person (chat id = user id in private chats). */
    text: (chat: number, text: string, opts: { lang?: string; updateId?: number } = {}) =>
      post(
        JSON.stringify({
          update_id: opts.updateId ?? ++updateId,
          message: {
            message_id: updateId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: chat, type: 'private' },
            from: from(chat, opts.lang),
            text,
          },
        }),
      ),
    tap: (chat: number, data: string, lang = 'vi') =>
      post(
        JSON.stringify({
          update_id: ++updateId,
          callback_query: {
            id: `cq${updateId}`,
            from: from(chat, lang),
            message: { message_id: 1, chat: { id: chat, type: 'private' } },
            data,
          },
        }),
      ),
    photo: (chat: number, bytes: Buffer, caption?: string) => {
      const id = `file${++updateId}`;
      tg.files.set(id, bytes);
      return post(
        JSON.stringify({
          update_id: updateId,
          message: {
            message_id: updateId,
            chat: { id: chat, type: 'private' },
            from: from(chat),
            caption,
            photo: [
              { file_id: id, file_unique_id: id, width: 90, height: 90, file_size: 100 },
              { file_id: id, file_unique_id: id, width: 1000, height: 1000, file_size: bytes.length },
            ],
          },
        }),
      );
    },
    raw: (chat: number, message: Record<string, unknown>) =>
      post(
        JSON.stringify({
          update_id: ++updateId,
          message: { message_id: updateId, chat: { id: chat, type: 'private' }, from: from(chat), ...message },
        }),
      ),
    /** Runs the queued work (the conversation, then the deliveries) until nothing is due. */
    drain: () => t.drainJobs(),
    last: (chat: number) => tg.to(chat).at(-1),
    async close() {
      await t.close();
      await tg.close();
    },
  };
  return api;
}

export type TelegramHarness = Awaited<ReturnType<typeof telegramApp>>;

/** A screenshot-like picture of Vietnamese text (dark text on white, a phone's width). */
export async function textImage(
  lines: string[],
  opts: { width?: number; fontSize?: number; font?: string; jpeg?: number } = {},
): Promise<Buffer> {
  const width = opts.width ?? 1080;
  const size = opts.fontSize ?? 40;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const height = Math.round(lines.length * size * 1.6 + size * 2);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${lines
    .map(
      (l, i) =>
        `<text x="${size}" y="${Math.round(size * 1.5 + i * size * 1.6)}" font-family="${opts.font ?? 'DejaVu Sans'}" font-size="${size}" fill="#111">${esc(l)}</text>`,
    )
    .join('')}</svg>`;
  const img = sharp(Buffer.from(svg));
  return opts.jpeg ? img.jpeg({ quality: opts.jpeg }).toBuffer() : img.png().toBuffer();
}

export async function published(t: TestApp): Promise<{ id: number; title: string; claim: string }> {
  const r = await t.db.one<{ id: number; title: string; claim: string }>(
    `SELECT id, title, COALESCE(claim, title) AS claim FROM desk_items WHERE kind = 'factcheck' AND status = 'published' ORDER BY id LIMIT 1`,
  );
  return r!;
}
