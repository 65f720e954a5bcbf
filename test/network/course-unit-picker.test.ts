/**
 * Issue 15: a new course's unit and a training assignment's target unit are chosen with the unit picker (inside the
 * trainer's scope, named with their province), not long selects of every unit. Without JavaScript: Search (a GET)
 * keeps what was typed and offers the matches, with or without diacritics; Enter in the search box searches; the chosen
 * unit is saved; a refused form keeps it chosen. The services still read `unit` and `target`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, makeGroup, realCity } from '../helpers/factories.js';
import { makeCourse } from '../helpers/factories-training.js';

const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);
const CE = '/network/manage/training/courses';
/** The radios of one picker: id, chosen, label. */
const radios = (html: string, name: string) =>
  [
    ...html.matchAll(
      new RegExp(`<input type="radio" name="${name}" value="(\\d+)"( checked(?:="")?)?[^>]*>\\s*([^<]+)<`, 'g'),
    ),
  ].map((m) => ({ id: Number(m[1]), checked: Boolean(m[2]), label: m[3].trim() }));

describe(`network training: units with the unit picker (${testDbKind()})`, () => {
  let t: TestApp;
  let vyDa: number;
  let deep: number;
  let group: number;
  let editorEmail: string;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    const city = await realCity(t.db);
    vyDa = city['19777'].id;
    const staff = await makeCityStaff(t.db, 'picker');
    editorEmail = staff.editor.email;
    deep = (await makeCourse(t.db, { by: staff.editor.id, unit: city['46'] })).id;
    group = await makeGroup(t.db, staff.editor.id, { unit: city['19753'], name: 'Tổ chia sẻ khu vực Phú Xuân' });
  });
  afterAll(() => t?.close());

  const editor = async () => {
    const c = t.client();
    await c.signIn(editorEmail);
    return c;
  };

  it('new course: search without diacritics, choose the ward, a refused form keeps it, create', async () => {
    const c = await editor();
    const page = await c.get(`${CE}/new`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="f-unit"[^>]*data-unit-picker=/);
    expect(page.text).not.toMatch(/<select[^>]*name="unit"/);
    const title = 'Khoá học phường Vỹ Dạ';
    const found = await c.get(`${CE}/new?${new URLSearchParams({ _pick: 'unit', unit_q: 'vy da', title })}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain(`value="${title}"`);
    expect(found.text).toContain('value="vy da"');
    expect(radios(found.text, 'unit').find((r) => r.id === vyDa)?.label).toMatch(/^Phường Vỹ Dạ, /);
    const base = { title, summary: 'Nhận biết tin giả ở phường.', pass_mark: '80' };
    const enter = await c.post(CE, { ...base, unit_q: 'vy da', unit_q0: '', _enter: 'unit' });
    expect(enter.status).toBe(200);
    expect(radios(enter.text, 'unit').map((r) => r.id)).toContain(vyDa);
    expect(await t.db.one(`SELECT 1 FROM network_courses WHERE title = $1`, [title])).toBeUndefined();
    const refused = await c.post(CE, { ...base, summary: '', unit: String(vyDa), unit_q: 'vy da', unit_q0: 'vy da' });
    expect(refused.status).toBe(422);
    expect(radios(refused.text, 'unit').find((r) => r.checked)?.id).toBe(vyDa);
    expect(refused.text).toContain(`value="${title}"`);
    const ok = await c.post(CE, { ...base, unit: String(vyDa), unit_q: 'vy da', unit_q0: 'vy da' });
    expect(ok.status, ok.text.slice(0, 300)).toBe(303);
    const row = await t.db.one<{ unit_id: number }>(`SELECT unit_id FROM network_courses WHERE title = $1`, [title]);
    expect(row?.unit_id).toBe(vyDa);
  });

  it('assignment: search, choose the ward, a refused form keeps it, assign; a group can still be chosen', async () => {
    const c = await editor();
    const page = await c.get('/network/manage/training');
    expect(page.text).toMatch(/id="f-target_unit"[^>]*data-unit-picker=/);
    const found = await c.get(
      `/network/manage/training?${new URLSearchParams({ _pick: 'target_unit', target_unit_q: 'vy da', due: iso(9) })}`,
    );
    expect(found.status).toBe(200);
    expect(found.text).toContain(`value="${iso(9)}"`);
    expect(radios(found.text, 'target_unit').find((r) => r.id === vyDa)?.label).toMatch(/^Phường Vỹ Dạ, /);
    const enter = await c.post('/network/manage/training/assign', {
      course: String(deep),
      target_unit_q: 'vy da',
      target_unit_q0: '',
      _enter: 'target_unit',
      due: iso(9),
    });
    expect(enter.status).toBe(200);
    expect(radios(enter.text, 'target_unit').map((r) => r.id)).toContain(vyDa);
    const count = async () =>
      (await t.db.query(`SELECT 1 FROM network_assignments WHERE course_id = $1 AND unit_id = $2`, [deep, vyDa]))
        .length;
    const before = await count();
    expect(before).toBe(0);
    const refused = await c.post('/network/manage/training/assign', {
      course: String(deep),
      target_unit: String(vyDa),
      target_unit_q: 'vy da',
      due: iso(-3),
    });
    expect(refused.status).toBe(422);
    expect(radios(refused.text, 'target_unit').find((r) => r.checked)?.id).toBe(vyDa);
    expect(refused.text).toContain('value="vy da"');
    // no unit and no group: said beside the picker
    const none = await c.post('/network/manage/training/assign', { course: String(deep), due: iso(9) });
    expect(none.status).toBe(422);
    expect(none.text).toMatch(/id="f-target_unit-err"/);
    const ok = await c.post('/network/manage/training/assign', {
      course: String(deep),
      target_unit: String(vyDa),
      target_unit_q: 'vy da',
      target_unit_q0: 'vy da',
      due: iso(9),
    });
    expect(ok.status, ok.text.slice(0, 300)).toBe(303);
    expect(await count()).toBe(1);
    const byGroup = await c.post('/network/manage/training/assign', {
      course: String(deep),
      target: `g:${group}`,
      due: iso(9),
    });
    expect(byGroup.status).toBe(303);
    expect(
      await t.db.one(`SELECT 1 FROM network_assignments WHERE course_id = $1 AND group_id = $2`, [deep, group]),
    ).toBeDefined();
  });
});
