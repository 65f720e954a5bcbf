/** A report the chat collected but the mailbox refuses at the end: the resident reads why and may try again. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeCategory, makeCityStaff, realCity } from '../helpers/factories.js';
import { telegramApp, type TelegramHarness } from './harness.js';

let h: TelegramHarness;
let category: number;
beforeAll(async () => {
  h = await telegramApp({}, { demo: false });
  await realCity(h.db);
  const staff = await makeCityStaff(h.db, 'refused');
  category = await makeCategory(h.deps, staff.admin.id, { code: 'den-duong', name: 'Đèn đường' });
});
afterAll(async () => h?.close());

it('a category closed while the resident was typing: the mailbox’s own message in the chat, nothing filed', async () => {
  await h.tap(301, '#report');
  await h.drain();
  await h.tap(301, `#cat:${category}`);
  await h.text(301, 'phu xuan');
  await h.text(301, 'Đèn đường trước chợ không sáng đã hơn một tuần nay.');
  await h.tap(301, '#done');
  await h.tap(301, '#skip');
  await h.drain();
  await h.db.query(`UPDATE mailbox_categories SET active = false WHERE id = $1`, [category]);
  await h.text(301, 'dan301@example.vn');
  await h.drain();
  const last = h.last(301)!;
  expect(last.text).toBe('Chưa gửi được phản ánh. Vui lòng chọn lĩnh vực. Hãy thử lại.');
  expect(last.buttons.map((b) => b.callback_data)).toContain('#skip');
  expect((await h.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM mailbox_reports`))!.n).toBe(0);
});
