/**
 * Issue 14: the tipline's staff forms go through submit(). A refused form answers 422 with the translated message
 * beside its field and what was typed (a channel's secrets are never written back into the page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, type STAFF_ROLES, type Account } from '../helpers/factories.js';
import { telegramApp, type TelegramHarness } from './harness.js';

let h: TelegramHarness;
let people: Record<(typeof STAFF_ROLES)[number], Account>;
beforeAll(async () => {
  h = await telegramApp({}, { demo: false });
  people = await makeCityStaff(h.db, 'refused');
});
afterAll(async () => h?.close());

/** The message shown beside a field (`f-NAME-err`). */
const beside = (html: string, field: string) =>
  html.match(new RegExp(`id="f-${field}-err"[^>]*>([\\s\\S]*?)</`))?.[1]?.trim();

describe(`tipline staff forms refused with what was typed (${testDbKind()})`, () => {
  it('a reply that is too long: 422, the message beside the text, the whole text kept (vi and en)', async () => {
    await h.text(231, 'Cho tôi hỏi lịch tiêm chủng tháng này ở trạm y tế phường');
    await h.tap(231, '#no');
    await h.drain();
    const id = (await h.db.one<{ id: number }>(`SELECT id FROM tipline_users WHERE address = '231'`))!.id;
    const staff = h.client();
    await staff.signIn(people.handler.email);
    const text = `Lịch tiêm chủng: ${'thứ Hai và thứ Năm hằng tuần, '.repeat(70)}kết thúc.`;
    expect(text.length).toBeGreaterThan(2000);
    const vi = await staff.post(`/staff/tipline/${id}/reply`, { text });
    expect(vi.status).toBe(422);
    expect(beside(vi.text, 'text')).toBe('Hãy nhập nội dung trả lời (tối đa 2.000 ký tự).');
    expect(vi.text).toContain(text);
    const en = await staff.post(`/staff/tipline/${id}/reply?lang=en`, { text });
    expect(en.status).toBe(422);
    expect(beside(en.text, 'text')).toBe('Write the reply (at most 2,000 characters).');
    expect(en.text).toContain(text);
    const sent = await h.db.query(
      `SELECT 1 FROM tipline_messages WHERE user_id = $1 AND direction = 'out' AND body LIKE 'Lịch tiêm%'`,
      [id],
    );
    expect(sent).toHaveLength(0);
  });

  it("a channel's settings with a bad API address: 422 in that channel's form, the address, app id and switch kept, never the token", async () => {
    const admin = h.client();
    await admin.signIn(people.admin.email);
    const typed = {
      enabled: '',
      token: 'zalo-secret-token-typed',
      appId: '4455667788',
      apiBase: 'ftp://openapi.zalo.me',
    };
    const vi = await admin.post('/staff/tipline/settings/zalo', typed);
    expect(vi.status).toBe(422);
    const zalo = vi.text.slice(vi.text.indexOf('action="/staff/tipline/settings/zalo"'));
    expect(beside(zalo, 'apiBase')).toBe('Giá trị không hợp lệ.');
    expect(zalo).toMatch(/name="apiBase"[^>]*value="ftp:\/\/openapi\.zalo\.me"/);
    expect(zalo).toMatch(/name="appId"[^>]*value="4455667788"/);
    expect(zalo).toMatch(/<input type="checkbox" name="enabled" value="1"\s*\/?>/); // left off, as sent
    expect(vi.text).not.toContain('zalo-secret-token-typed');
    // the other channels' forms are not blamed
    expect(vi.text.slice(0, vi.text.indexOf('action="/staff/tipline/settings/zalo"'))).not.toContain('f-apiBase-err');
    const en = await admin.post('/staff/tipline/settings/zalo?lang=en', typed);
    expect(en.status).toBe(422);
    expect(en.text).toContain('Invalid value.');
    expect(en.text).toMatch(/name="apiBase"[^>]*value="ftp:\/\/openapi\.zalo\.me"/);
    expect((await admin.post('/staff/tipline/settings/fax', typed)).status).toBe(404);
  });
});
