/**
 * Issue 15: the public "is this true?" form chooses the resident's ward with the unit picker (wards and communes of the
 * installation's root unit, named with their province), not a list of the country's first 500 units. Without
 * JavaScript: Search posts the form back with the typed text kept and the matches to choose from; Enter in the search
 * box searches; the chosen ward is saved with the claim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { pickerChoices } from '../helpers/picker.js';

/** The ward radios of a page: id, chosen, label. */
const radios = (html: string) => pickerChoices(html, 'unit_id', 'radio');

describe(`“is this true?”: the ward with the unit picker (${testDbKind()})`, () => {
  let t: TestApp;
  let vyDa: number;
  let elsewhere: number;
  beforeAll(async () => {
    t = await testApp();
    vyDa = (await t.db.one<{ id: number }>(`SELECT id FROM units WHERE full_name = 'Phường Vỹ Dạ'`))!.id;
    // a ward of the same name in another province (after a national import): never offered
    const prov = await t.db.one<{ id: number }>(
      `INSERT INTO units (code, name, full_name, type, path, depth) VALUES ('PK2P', 'Khác', 'Tỉnh Khác', 'province', '990001', 0) RETURNING id`,
    );
    elsewhere = (await t.db.one<{ id: number }>(
      `INSERT INTO units (code, name, full_name, type, parent_id, path, depth) VALUES ('PK2W', 'Vỹ Dạ', 'Phường Vỹ Dạ', 'ward', $1, '990001.990002', 1) RETURNING id`,
      [prov!.id],
    ))!.id;
  });
  afterAll(() => t?.close());

  const claim = 'Nghe nói phường Vỹ Dạ sẽ bị cắt điện cả tuần để sửa trạm biến áp, có đúng không?';

  it('without JavaScript: search without diacritics, choose the ward, send; the claim keeps it', async () => {
    const c = t.client();
    const page = await c.get('/claims/new');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="f-unit_id"[^>]*data-unit-picker=/);
    expect(page.text).not.toMatch(/<select[^>]*name="unit_id"/);
    expect(page.text).toMatch(/<button[^>]*name="action"[^>]*value="find-unit"/);
    // Search: the typed text comes back, the matches are offered, nothing is filed
    const found = await c.post(
      '/claims/new',
      { text: claim, seen_where: 'Nhóm Zalo', unit_id_q: 'vy da', action: 'find-unit' },
      { multipart: true },
    );
    expect(found.status).toBe(200);
    expect(found.text).toContain(`>${claim}</textarea>`);
    expect(found.text).toContain('value="Nhóm Zalo"');
    expect(found.text).toContain('value="vy da"');
    const offered = radios(found.text);
    expect(offered.find((r) => r.id === vyDa)?.label).toMatch(/^Phường Vỹ Dạ, /);
    expect(offered.map((r) => r.id)).not.toContain(elsewhere);
    expect(await t.db.one(`SELECT 1 FROM desk_claims WHERE text = $1`, [claim])).toBeUndefined();
    // Enter in the search box searches too
    const enter = await c.post(
      '/claims/new',
      { text: claim, unit_id_q: 'vy da', unit_id_q0: '', _enter: 'unit_id' },
      { multipart: true },
    );
    expect(enter.status).toBe(200);
    expect(radios(enter.text).map((r) => r.id)).toContain(vyDa);
    expect(await t.db.one(`SELECT 1 FROM desk_claims WHERE text = $1`, [claim])).toBeUndefined();
    // refused (text too short): the chosen ward stays chosen, the search stays typed
    const refused = await c.post(
      '/claims/new',
      { text: 'ngắn', unit_id: String(vyDa), unit_id_q: 'vy da', unit_id_q0: 'vy da' },
      { multipart: true },
    );
    expect(refused.status).toBe(422);
    expect(radios(refused.text).find((r) => r.checked)?.id).toBe(vyDa);
    expect(refused.text).toContain('value="vy da"');
    const sent = await c.post(
      '/claims/new',
      { text: claim, unit_id: String(vyDa), unit_id_q: 'vy da', unit_id_q0: 'vy da' },
      { multipart: true },
    );
    expect(sent.status, sent.text.slice(0, 300)).toBe(303);
    const row = await t.db.one<{ unit_id: number }>(`SELECT unit_id FROM desk_claims WHERE text = $1`, [claim]);
    expect(row?.unit_id).toBe(vyDa);
  });

  it('a hand-made request naming a ward outside the installation files the claim without a ward', async () => {
    const text = 'Có tin phường Vỹ Dạ ở tỉnh khác sẽ bị cắt nước cả tuần, có đúng không vậy?';
    const sent = await t.client().post('/claims/new', { text, unit_id: String(elsewhere) }, { multipart: true });
    expect(sent.status, sent.text.slice(0, 300)).toBe(303);
    const row = await t.db.one<{ unit_id: number | null }>(`SELECT unit_id FROM desk_claims WHERE text = $1`, [text]);
    expect(row).toEqual({ unit_id: null });
  });

  it('a screenshot chosen before a search is asked for again, and the search as you type stays inside the root', async () => {
    const c = t.client();
    const found = await c.post('/claims/new', {
      text: claim,
      unit_id_q: 'vy da',
      action: 'find-unit',
      screenshot: new File([new Uint8Array([1, 2, 3])], 'anh.png', { type: 'image/png' }),
    });
    expect(found.status).toBe(200);
    expect(found.text).toContain('Vui lòng chọn lại ảnh chụp màn hình');
    expect(found.text).toContain(`>${claim}</textarea>`);
    const src = found.text.match(/id="f-unit_id"[^>]*data-unit-picker="([^"]*)"/)![1].replace(/&amp;/g, '&');
    const res = await c.json(`/units/pick?q=${encodeURIComponent('vy da')}&${src}`);
    const ids = res.body.units.map((u: { id: number }) => u.id);
    expect(ids).toContain(vyDa);
    expect(ids).not.toContain(elsewhere);
  });
});
