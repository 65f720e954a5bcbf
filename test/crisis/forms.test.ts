/**
 * The crisis forms that read their bodies by hand before (verification of pasted text, the signing keys' leak form,
 * the CSV import, returning a statement) go through the shared form handler: bad input is refused with 422, the
 * translated message beside its field and everything typed kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { errorBeside, fieldValue } from '../helpers/refused-form.js';
import { makeIncident } from '../helpers/factories.js';
import { type City, cityApp } from './helpers.js';

describe(`crisis forms refused with what was typed (${testDbKind()})`, () => {
  let t: TestApp & { city: City };
  let admin: TestClient;
  let editor: TestClient;
  let reviewer: TestClient;

  beforeAll(async () => {
    t = await cityApp();
    admin = t.client();
    await admin.signIn('admin@crisis.test');
    editor = t.client();
    await editor.signIn('editor@crisis.test');
    reviewer = t.client();
    await reviewer.signIn('reviewer@crisis.test');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('verification of pasted text: too short, beside the text, which is kept', async () => {
    const resident = t.client();
    await resident.get('/verify');
    const res = await resident.post('/verify', { text: 'Ngập <sâu> & "rét"' });
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, 'text')).toMatch(/^Nội dung quá ngắn để so sánh \(tối thiểu \d+ ký tự\)\.$/);
    expect(fieldValue(res.text, 'text')).toBe('Ngập <sâu> & "rét"');
    const blank = await resident.post('/verify', { text: '   ' });
    expect(blank.status).toBe(422);
    expect(errorBeside(blank.text, 'text')).toBe('Nhập mã xác minh hoặc dán nội dung văn bản.');
  });

  it('the rotate and leak forms: a time that is not one, beside it, with everything typed kept', async () => {
    await admin.get('/staff/crisis/keys');
    const rotate = await admin.post('/staff/crisis/keys/rotate', {
      reason: 'Nghi lộ',
      compromised: '1',
      compromisedSince: '2026-13-01 08:00',
    });
    expect(rotate.status).toBe(422);
    expect(errorBeside(rotate.text, 'compromisedSince')).toBe('Thời điểm không hợp lệ; ví dụ 2026-11-23 08:00.');
    expect(errorBeside(rotate.text, 'confirm')).toBe('Đánh dấu ô xác nhận để thay khóa.');
    expect(fieldValue(rotate.text, 'reason')).toBe('Nghi lộ');
    expect(fieldValue(rotate.text, 'compromisedSince')).toBe('2026-13-01 08:00');

    // the leak form is shown once a key is retired
    const rotated = await admin.post('/staff/crisis/keys/rotate', { reason: 'Thay định kỳ', confirm: '1' });
    expect(rotated.status).toBe(303);
    const leak = await admin.post('/staff/crisis/keys/leak', {
      leakSince: 'hôm qua 8 giờ',
      leakReason: 'Cán bộ cũ làm lộ khóa',
    });
    expect(leak.status).toBe(422);
    expect(errorBeside(leak.text, 'leakSince')).toBe('Thời điểm không hợp lệ; ví dụ 2026-11-23 08:00.');
    expect(errorBeside(leak.text, 'leakConfirm')).toBe('Đánh dấu ô xác nhận để ghi nhận khóa bị lộ.');
    expect(fieldValue(leak.text, 'leakSince')).toBe('hôm qua 8 giờ');
    expect(fieldValue(leak.text, 'leakReason')).toBe('Cán bộ cũ làm lộ khóa');
  });

  it('the CSV import: a file over 2 MB, beside the CSV field, with the pasted text kept', async () => {
    const made = await editor.post('/staff/crisis/lists', {
      name: 'Báo chí',
      kind: 'press',
      unitId: String(t.city.provinceId),
    });
    const listId = Number(/lists\/(\d+)/.exec(made.location!)![1]);
    await editor.get(`/staff/crisis/lists/${listId}`);
    const res = await editor.post(`/staff/crisis/lists/${listId}/import`, {
      file: new File(['a'.repeat(2_000_001)], 'lon.csv', { type: 'text/csv' }),
      csv: 'Phóng viên B;Báo Y;pv.b@bao.example.org;vi',
    });
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, 'csv')).toBe('Mỗi lần nhập tối đa 5.000 dòng.');
    expect(fieldValue(res.text, 'csv')).toBe('Phóng viên B;Báo Y;pv.b@bao.example.org;vi');
    expect(await t.db.query(`SELECT 1 FROM crisis_contacts WHERE address = 'pv.b@bao.example.org'`)).toEqual([]);
  });

  it('returning a statement: a note over 1,000 characters, beside the note, which is kept', async () => {
    const incident = await makeIncident(t.deps, { by: t.city.staff.editor.id, unit: t.city.province });
    const drafted = await editor.post('/staff/crisis/statements', {
      incidentId: String(incident.id),
      kind: 'notice',
      refersTo: '',
      title: 'Thông báo cho học sinh nghỉ học ngày mai',
      body: 'Các trường học nghỉ một ngày.',
    });
    const id = Number(/statements\/(\d+)/.exec(drafted.location!)![1]);
    expect((await editor.post(`/staff/crisis/statements/${id}/submit`, {})).status).toBeLessThan(400);
    await reviewer.get(`/staff/crisis/statements/${id}`);
    const note = `Sửa lại giờ. ${'x'.repeat(1000)}`;
    const res = await reviewer.post(`/staff/crisis/statements/${id}/return`, { note });
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, 'note')).toBe('Tối đa 1000 ký tự.');
    expect(fieldValue(res.text, 'note')).toBe(note);
    expect(
      (await t.db.one<{ status: string }>(`SELECT status FROM crisis_statements WHERE id = $1`, [id]))!.status,
    ).toBe('submitted');
  });
});
