import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { published, telegramApp, textImage, type TelegramHarness } from './harness.js';

let h: TelegramHarness;
beforeAll(async () => {
  h = await telegramApp();
});
afterAll(async () => h?.close());

describe('Telegram webhook', () => {
  it('refuses a missing or wrong secret token with 401 and logs no body', async () => {
    const logged: unknown[] = [];
    const warn = h.deps.log.warn.bind(h.deps.log);
    h.deps.log.warn = ((obj: unknown) => void logged.push(obj)) as typeof h.deps.log.warn;
    try {
      const body = JSON.stringify({
        update_id: 1,
        message: { message_id: 1, chat: { id: 5, type: 'private' }, text: 'bí mật của người dân' },
      });
      expect((await h.post(body, {})).status).toBe(401);
      expect((await h.post(body, { 'x-telegram-bot-api-secret-token': 'wrong-secret' })).status).toBe(401);
    } finally {
      h.deps.log.warn = warn;
    }
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged)).not.toContain('bí mật');
    await h.drain();
    expect(h.tg.to(5)).toHaveLength(0);
  });

  it('answers 400 to a body that is not JSON, and 413 to a huge one', async () => {
    expect((await h.post('this is not json')).status).toBe(400);
    expect((await h.post(`{"update_id":1,"message":{"text":"${'a'.repeat(300_000)}"}}`)).status).toBe(413);
  });

  it('greets with the menu (Vietnamese first) and answers anything that fits nothing with the menu', async () => {
    const res = await h.text(101, '/start');
    expect(res.status).toBe(200);
    await h.drain();
    const m = h.last(101)!;
    expect(m.text).toContain('Hộp thư kết nối');
    expect(m.buttons.map((b) => b.text)).toEqual(
      expect.arrayContaining([
        'Hỏi tin này đúng không',
        'Gửi phản ánh',
        'Theo dõi mã hồ sơ',
        'Nhận cảnh báo',
        'Dừng nhận mọi tin',
      ]),
    );
    await h.text(101, 'ừ');
    await h.drain();
    expect(h.tg.to(101)).toHaveLength(2);
    expect(h.last(101)!.text).toContain('Gõ "menu" bất cứ lúc nào');
  });

  it('speaks English when the account language is English', async () => {
    await h.text(102, 'hello', { lang: 'en-GB' });
    await h.drain();
    expect(h.last(102)!.text).toContain('citizen mailbox and fact-check desk');
    expect(h.last(102)!.buttons.map((b) => b.text)).toContain('Send a report');
  });

  it('ignores a replayed update (same update_id)', async () => {
    await h.text(103, 'menu', { updateId: 777001 });
    await h.text(103, 'menu', { updateId: 777001 });
    await h.drain();
    expect(h.tg.to(103)).toHaveLength(1);
  });

  it('answers a forwarded rumour at once when a published fact-check answers it: verdict, title and link', async () => {
    const fc = await published(h);
    await h.text(104, fc.claim);
    await h.drain();
    const m = h.last(104)!;
    expect(m.text).toContain('Tin này đã được kiểm chứng');
    expect(m.text).toContain(fc.title);
    expect(m.text).toMatch(/http:\/\/test\.local\/factchecks\/\d+-/);
  });

  it('files an unanswered claim only with consent, gives a code, and pushes the later answer to everyone in the cluster', async () => {
    const rumour = 'Nghe nói tối thứ bảy này sẽ có mưa sao băng màu tím nhìn rõ trên bầu trời lúc ba giờ sáng';
    await h.text(105, rumour);
    await h.drain();
    expect(h.last(105)!.text).toContain('Bạn có muốn gửi cho tổ kiểm chứng không');
    await h.tap(105, '#no');
    await h.drain();
    expect(h.last(105)!.text).toContain('không được lưu');
    expect((await h.db.query(`SELECT 1 FROM desk_claims WHERE text = $1`, [rumour])).length).toBe(0);

    await h.text(105, rumour);
    await h.text(106, rumour + '!');
    await h.drain();
    // one after the other: the desk clusters a claim with those filed before it
    await h.tap(105, '#yes');
    await h.drain();
    await h.tap(106, '#yes');
    await h.drain();
    const filed = h.last(105)!.text;
    expect(filed).toMatch(/Mã của bạn: KC-[A-Z0-9]{7}/);
    const statusUrl = filed.match(/http:\/\/test\.local(\/tipline\/s\/[\w-]+)/)![1]!;
    expect(h.last(106)!.text).toMatch(/Mã của bạn: KC-/);

    // the desk answers the cluster with a published fact-check
    const fc = await published(h);
    const code = filed.match(/KC-[A-Z0-9]{7}/)![0];
    await h.db.query(
      `UPDATE desk_clusters SET status = 'answered_existing', factcheck_id = $2, answered_at = now() WHERE id = (SELECT cluster_id FROM desk_claims WHERE code = $1)`,
      [code, fc.id],
    );
    const { watchCases } = await import('../../src/modules/tipline/service/watch.js');
    expect(await watchCases(h.deps)).toBeGreaterThanOrEqual(2);
    await h.drain();
    for (const chat of [105, 106]) {
      expect(h.last(chat)!.text).toContain('Kết quả kiểm chứng cho mã KC-');
      expect(h.last(chat)!.text).toContain(fc.title);
    }
    // nothing is sent twice
    expect(await watchCases(h.deps)).toBe(0);
    const page = await h.client().get(statusUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('đã gửi');
    expect(page.text).toContain(fc.title);
  });

  it('reads a forwarded screenshot (Vietnamese OCR) and answers from the matched fact-check', async () => {
    const fc = await published(h);
    const img = await textImage(
      fc.claim.match(/.{1,38}(\s|$)/g)!.map((s) => s.trim()),
      { jpeg: 80 },
    );
    await h.photo(107, img);
    await h.drain();
    const msgs = h.tg.to(107).map((m) => m.text);
    expect(msgs[0]).toContain('Chữ đọc được từ ảnh');
    expect(msgs.at(-1)).toContain('Tin này đã được kiểm chứng');
  }, 60_000);

  it('says so for a picture that is not an image, an unsupported attachment, and a huge message', async () => {
    await h.photo(108, Buffer.from('%PDF-1.4 not an image at all'));
    await h.drain();
    expect(h.last(108)!.text).toContain('không phải là ảnh');
    await h.raw(108, { voice: { file_id: 'v1', duration: 3 } });
    await h.drain();
    expect(h.tg.to(108).at(-2)!.text).toContain('chỉ đọc được chữ, đường link, ảnh');
    await h.text(108, 'qwxz plorb vrunk '.repeat(400));
    await h.drain();
    const texts = h.tg.to(108).map((m) => m.text);
    expect(texts.some((t) => t.includes('Tin nhắn quá dài'))).toBe(true);
    expect(texts.at(-1)).toContain('Bạn có muốn gửi cho tổ kiểm chứng không');
  });

  it('retries when the platform rate-limits (429) and delivers afterwards', async () => {
    h.tg.state.rateLimited = 1;
    await h.text(111, 'menu');
    await h.drain();
    expect(h.tg.to(111)).toHaveLength(0);
    const n = await h.db.one<{ status: string }>(
      `SELECT status FROM notifications WHERE channel = 'tipline' ORDER BY id DESC LIMIT 1`,
    );
    expect(n!.status).toBe('retrying');
    await h.db.query(`UPDATE jobs SET run_at = now() WHERE status = 'queued'`);
    await h.drain();
    expect(h.tg.to(111)).toHaveLength(1);
  });

  it('a person who blocked the bot: the update falls back to e-mail if they left one, and the status page says so', async () => {
    await h.text(112, 'Theo dõi');
    await h.drain();
    const code = (await h.db.one<{ code: string }>(
      `SELECT code FROM mailbox_reports WHERE status NOT IN ('received', 'rejected', 'spam') ORDER BY id LIMIT 1`,
    ))!.code;
    await h.text(112, code);
    await h.drain();
    expect(h.last(112)!.text).toContain(`Đã theo dõi mã ${code}`);
    const user = await h.db.one<{ id: number }>(
      `SELECT user_id AS id FROM tipline_cases WHERE code = $1 ORDER BY id DESC LIMIT 1`,
      [code],
    );
    await h.db.query(`UPDATE tipline_users SET email = 'dan@example.vn' WHERE id = $1`, [user!.id]);
    h.tg.blocked.add('112');
    await h.db.query(`UPDATE mailbox_reports SET status = 'in_progress' WHERE code = $1 AND status <> 'in_progress'`, [
      code,
    ]);
    await h.db.query(`UPDATE tipline_cases SET last_seen = 'x' WHERE code = $1`, [code]);
    const { watchCases } = await import('../../src/modules/tipline/service/watch.js');
    await watchCases(h.deps);
    await h.drain();
    const mail = await h.db.one<{ recipient: string; vars: { text: string } }>(
      `SELECT recipient, vars FROM notifications WHERE channel = 'email' AND template = 'tipline.fallback' ORDER BY id DESC LIMIT 1`,
    );
    expect(mail!.recipient).toBe('dan@example.vn');
    expect(mail!.vars.text).toContain(code);
    const token = (await h.db.one<{ token: string }>(
      `SELECT token FROM tipline_cases WHERE code = $1 ORDER BY id DESC LIMIT 1`,
      [code],
    ))!.token;
    const page = await h.client().get(`/tipline/s/${token}`);
    expect(page.text).toContain(
      'không gửi được trong ứng dụng (tài khoản đã chặn hoặc bỏ theo dõi); đã gửi qua e-mail',
    );
    h.tg.blocked.delete('112');
  });
});
