/**
 * Issue 15: the places a desk piece is about are chosen with the multi-unit picker, not a list of the country's first
 * 500 units. Without JavaScript, Search (or Enter in its box) posts the editor back with everything typed, the ticked
 * units kept and the matches offered; a file chosen before the search is asked for again; the chosen units are saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, makeUnit, realCity } from '../helpers/factories.js';
import { pickerChoices, tickedUnits } from '../helpers/picker.js';

let t: TestApp;
let ed: TestClient;
let vyDa: number;
let anCuu: number;

beforeAll(async () => {
  t = await testApp({ demo: false });
  const city = await realCity(t.db);
  // more units than a picker shows at once, as after an import
  for (let i = 1; i <= 30; i++) await makeUnit(t.db, { name: `Phường Thử ${i}`, parent: city['46'] });
  const staff = await makeCityStaff(t.db, 'deskpick');
  vyDa = city['19777'].id;
  anCuu = city['19815'].id;
  ed = t.client();
  expect((await ed.signIn(staff.editor.email)).status).toBeLessThan(400);
});
afterAll(async () => t?.close());

/** The unit boxes of the editor: id, ticked, label. */
const boxes = (html: string) => pickerChoices(html, 'units', 'checkbox');
const ticked = (html: string) => tickedUnits(html, 'units');

const article = {
  kind: 'article',
  title: 'Lịch cắt điện tuần tới ở Vỹ Dạ và An Cựu',
  summary: 'Điện lực thông báo lịch bảo trì.',
  body: 'Chi tiết lịch cắt điện theo từng tuyến phố.',
};

/** The owner-unit radios of the editor: id, chosen, label. */
const radios = (html: string) => pickerChoices(html, 'owner_unit_id', 'radio');

describe(`desk editor: places with the multi-unit picker (${testDbKind()})`, () => {
  it('the unit a piece is filed under is a picker inside the editor’s scope, the top of it chosen first', async () => {
    const page = await ed.get('/staff/desk/items/new?kind=article');
    expect(page.text).not.toMatch(/<select[^>]*name="owner_unit_id"/);
    expect(page.text).toMatch(/id="f-owner_unit_id"[^>]*data-unit-picker=/);
    expect(radios(page.text).find((r) => r.checked)?.label).toBe('Thành phố Huế');
    // Enter in its search box searches (nothing saved), and the ward found can be chosen and saved
    const enter = await ed.post('/staff/desk/items', {
      ...article,
      title: 'Bài của phường Vỹ Dạ',
      owner_unit_id_q: 'vy da',
      owner_unit_id_q0: '',
      _enter: 'owner_unit_id',
    });
    expect(enter.status).toBe(200);
    expect(enter.text).toContain('value="Bài của phường Vỹ Dạ"');
    expect(radios(enter.text).find((r) => r.id === vyDa)?.label).toMatch(/^Phường Vỹ Dạ, /);
    const saved = await ed.post('/staff/desk/items', {
      ...article,
      title: 'Bài của phường Vỹ Dạ',
      owner_unit_id: String(vyDa),
    });
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    const id = Number(saved.location!.match(/items\/(\d+)/)![1]);
    expect(await t.db.one(`SELECT unit_id FROM desk_items WHERE id = $1`, [id])).toEqual({ unit_id: vyDa });
  });

  it('searches without JavaScript, keeps what was typed, saves the chosen places, and lets one be unticked', async () => {
    const page = await ed.get('/staff/desk/items/new?kind=article');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="f-units"[^>]*data-unit-picker=/);
    // a picker, not every unit of the installation as a checkbox
    expect(boxes(page.text).length).toBeLessThanOrEqual(12);
    const before = Number((await t.db.one<{ n: string }>(`SELECT count(*) AS n FROM desk_items`))!.n);

    // Search posts the form back: nothing saved, the text kept, the matches offered with their province
    const found = await ed.post('/staff/desk/items', { ...article, units_q: 'vy da', action: 'find-unit' });
    expect(found.status).toBe(200);
    expect(found.text).toContain(`value="${article.title}"`);
    expect(found.text).toContain(`>${article.body}</textarea>`);
    expect(found.text).toContain('value="vy da"');
    expect(boxes(found.text).find((b) => b.id === vyDa)?.label).toMatch(/^Phường Vỹ Dạ, /);

    // Enter in the search box searches too, keeping the ward already ticked
    const enter = await ed.post('/staff/desk/items', {
      ...article,
      units: String(vyDa),
      units_q: 'an cuu',
      units_q0: 'vy da',
      _enter: 'units',
    });
    expect(enter.status).toBe(200);
    expect(ticked(enter.text)).toEqual([vyDa]);
    expect(boxes(enter.text).find((b) => b.id === anCuu)?.checked).toBe(false);

    // a file chosen before a search is not kept: the editor says so beside the field
    const withFile = await ed.post('/staff/desk/items', {
      ...article,
      units_q: 'vy da',
      action: 'find-unit',
      image_new: new File([new Uint8Array([1, 2, 3])], 'anh.jpg', { type: 'image/jpeg' }),
    });
    expect(withFile.status).toBe(200);
    expect(withFile.text).toContain('vui lòng chọn lại trước khi lưu');
    expect(Number((await t.db.one<{ n: string }>(`SELECT count(*) AS n FROM desk_items`))!.n)).toBe(before);

    // a refused form keeps both places ticked
    const refused = await ed.post('/staff/desk/items', { ...article, title: '', units: [String(vyDa), String(anCuu)] });
    expect(refused.status).toBe(422);
    expect(ticked(refused.text)).toEqual([vyDa, anCuu].sort((a, b) => a - b));

    const saved = await ed.post('/staff/desk/items', { ...article, units: [String(vyDa), String(anCuu)] });
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    const id = Number(saved.location!.match(/items\/(\d+)/)![1]);
    const again = await ed.get(`/staff/desk/items/${id}`);
    expect(ticked(again.text)).toEqual([vyDa, anCuu].sort((a, b) => a - b));

    // editing: untick one and save
    const edited = await ed.post(`/staff/desk/items/${id}`, { ...article, units: String(anCuu) });
    expect(edited.status, edited.text.slice(0, 300)).toBe(303);
    const rows = await t.db.query<{ unit_id: number }>(`SELECT unit_id FROM desk_item_units WHERE item_id = $1`, [id]);
    expect(rows.map((r) => r.unit_id)).toEqual([anCuu]);
  });
});
