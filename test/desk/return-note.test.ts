import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { makeCityStaff } from '../helpers/factories.js';
import { versionForm } from './ward-staff.js';

let t: TestApp;
let ed: TestClient;
let rv: TestClient;
beforeAll(async () => {
  t = await testApp({ demo: false });
  await makeCityStaff(t.db, 'desk');
  ed = t.client();
  await ed.signIn('editor@desk.test');
  rv = t.client();
  await rv.signIn('reviewer@desk.test');
});
afterAll(async () => t?.close());

async function newArticleInReview(title: string): Promise<number> {
  await ed.get('/staff/desk/items/new?kind=article');
  const created = await ed.post('/staff/desk/items', {
    kind: 'article',
    title,
    summary: 'Lịch cắt điện tuần tới ở các phường.',
    body: 'Chi tiết theo từng khu vực.',
    sources: '',
  });
  expect(created.status).toBe(303);
  const id = Number(created.location!.match(/items\/(\d+)/)![1]);
  expect((await ed.post(`/staff/desk/items/${id}/submit`, {})).status).toBe(303);
  return id;
}

const status = async (id: number) =>
  (await t.db.one<{ status: string }>(`SELECT status FROM desk_items WHERE id = $1`, [id]))!.status;

describe('sending a piece back with a note', () => {
  it('needs a note: a translated error beside the field, nothing changes, and what was typed is kept', async () => {
    const id = await newArticleInReview('Lịch cắt điện tuần tới');
    const form = await rv.get(`/staff/desk/items/${id}`);
    expect(form.text).toContain(`action="/staff/desk/items/${id}/return"`);
    expect(form.text).toContain('Ghi chú cho người viết');

    const empty = await rv.post(`/staff/desk/items/${id}/return`, { note: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('id="f-note-err"');
    expect(empty.text).toContain('Vui lòng ghi chú cho người viết biết cần sửa gì.');
    // the piece's own form still shows the piece
    expect(empty.text).toContain('value="Lịch cắt điện tuần tới"');
    expect(await status(id)).toBe('in_review');

    const en = await rv.post(`/staff/desk/items/${id}/return?lang=en`, { note: '' });
    expect(en.status).toBe(422);
    expect(en.text).toContain('Please write a note telling the author what to change.');

    const long = `Cần sửa <nhiều> chỗ: ${'x'.repeat(2001)}`;
    const tooLong = await rv.post(`/staff/desk/items/${id}/return`, { note: long });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Ghi chú dài tối đa 2.000 ký tự.');
    expect(tooLong.text).toContain(`Cần sửa &lt;nhiều&gt; chỗ: ${'x'.repeat(2001)}</textarea>`);
    expect(await status(id)).toBe('in_review');
    expect(await t.db.one(`SELECT 1 FROM desk_item_notes WHERE item_id = $1`, [id])).toBeUndefined();
  });

  it('stores the note, audits it, and shows the author the latest note first and earlier ones in the history', async () => {
    const id = await newArticleInReview('Lịch tiếp dân tháng 12');
    const r = await rv.post(`/staff/desk/items/${id}/return`, {
      note: 'Thiếu giờ tiếp dân buổi chiều.\nGhi rõ địa điểm.',
    });
    expect(r.status).toBe(303);
    expect(await status(id)).toBe('draft');

    const page = await ed.get(`/staff/desk/items/${id}`);
    expect(page.text).toContain('Bài được trả lại để sửa');
    expect(page.text).toContain('<p>Thiếu giờ tiếp dân buổi chiều.</p><p>Ghi rõ địa điểm.</p>');
    expect(page.text).toMatch(/Lê Minh Duyệt trả lại ngày [^<]+ \(từ trạng thái “Chờ duyệt”, phiên bản 1\):/);
    // the editor may not send pieces back
    expect(page.text).not.toContain(`action="/staff/desk/items/${id}/return"`);
    expect((await ed.post(`/staff/desk/items/${id}/return`, { note: 'x' })).status).toBe(403);

    // second round: fixed, approved, then sent back again from approved
    await ed.post(`/staff/desk/items/${id}`, {
      kind: 'article',
      title: 'Lịch tiếp dân tháng 12',
      summary: 'Sáng và chiều thứ Năm.',
      body: 'Tại trụ sở UBND, 8 giờ và 14 giờ.',
      sources: '',
    });
    expect((await ed.post(`/staff/desk/items/${id}/submit`, {})).status).toBe(303);
    await rv.get(`/staff/desk/items/${id}`);
    expect((await rv.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id))).status).toBe(303);
    expect((await rv.post(`/staff/desk/items/${id}/return`, { note: 'Lịch đổi: thêm thứ Ba.' })).status).toBe(303);

    const again = await ed.get(`/staff/desk/items/${id}`);
    const box = again.text.slice(
      again.text.indexOf('return-note'),
      again.text.indexOf('</section>', again.text.indexOf('return-note')),
    );
    expect(box).toContain('Lịch đổi: thêm thứ Ba.');
    expect(box).toContain('(từ trạng thái “Đã duyệt”, phiên bản 2)');
    expect(box).not.toContain('Thiếu giờ tiếp dân');
    const history = again.text.slice(again.text.indexOf('Các lần trả lại trước'));
    expect(history).toContain('Thiếu giờ tiếp dân buổi chiều.');

    const en = await ed.get(`/staff/desk/items/${id}?lang=en`);
    expect(en.text).toContain('Sent back for changes');
    expect(en.text).toContain('Earlier returns');

    const audit = await t.db.query<{ actor_label: string; data: { note: string; from: string } }>(
      `SELECT actor_label, data FROM audit_log WHERE entity_type = 'desk.item' AND entity_id = $1 AND action = 'desk.item.return' ORDER BY id`,
      [String(id)],
    );
    expect(audit.map((a) => [a.actor_label, a.data.from, a.data.note])).toEqual([
      ['reviewer@desk.test', 'in_review', 'Thiếu giờ tiếp dân buổi chiều.\nGhi rõ địa điểm.'],
      ['reviewer@desk.test', 'approved', 'Lịch đổi: thêm thứ Ba.'],
    ]);
  });
});
