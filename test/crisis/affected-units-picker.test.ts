/**
 * Issue 15: an incident's affected units are chosen with the multi-unit picker, not a list of every unit. Without
 * JavaScript: Search (a GET) keeps what was typed and the units already ticked and offers the matches (with or without
 * diacritics, inside the person's scope) as more boxes; Enter in its search box searches even though the unit picker
 * above owns the form's first hidden button; two chosen units are saved; a refused form keeps them ticked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { type City, cityApp } from './helpers.js';
import { wardStaff } from './ward-staff.js';
import { pickerChoices, tickedUnits } from '../helpers/picker.js';

let t: TestApp & { city: City };
let w: Awaited<ReturnType<typeof wardStaff>>;
let editor: TestClient;
let wardEditor: TestClient;
let vyDa: number;

beforeAll(async () => {
  t = await cityApp();
  w = await wardStaff(t.db, t.city.communeIds);
  vyDa = (await t.db.one<{ id: number }>(`SELECT id FROM units WHERE full_name = 'Phường Vỹ Dạ'`))!.id;
  editor = t.client();
  expect((await editor.signIn('editor@crisis.test')).status).toBeLessThan(400);
  wardEditor = t.client();
  expect((await wardEditor.signIn(w.b.editor)).status).toBeLessThan(400);
});
afterAll(async () => {
  await t?.close();
});

/** The affected-unit boxes of a page: id, ticked, label. */
const boxes = (html: string) => pickerChoices(html, 'unitIds', 'checkbox');
const ticked = (html: string) => tickedUnits(html, 'unitIds');
const offered = (html: string) => boxes(html).filter((b) => !b.checked);
const count = async () => Number((await t.db.one<{ n: string }>(`SELECT count(*) AS n FROM crisis_incidents`))!.n);

const incident = (extra: Record<string, string | string[]> = {}) => ({
  title: 'Ngập hai phường',
  titleEn: '',
  type: 'natural',
  severity: 'moderate',
  summary: 'Nước lên nhanh',
  summaryEn: '',
  unitId: String(w.wardA.id),
  unitIds: [String(w.wardA.id), String(vyDa)],
  spokespersonName: 'Bà B',
  spokespersonTitle: '',
  spokespersonPhone: '',
  spokespersonEmail: '',
  hotlines: '',
  areaPolygon: '',
  areaCircle: '',
  ...extra,
});

describe(`crisis incident: affected units with the multi-unit picker (${testDbKind()})`, () => {
  it('is a picker, not a list of every unit', async () => {
    const page = await editor.get('/staff/crisis/incidents/new');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="f-unitIds"[^>]*data-unit-picker=/);
    expect(page.text).toContain('name="unitIds_q"');
    expect(page.text).toMatch(/<button[^>]*name="_pick"[^>]*value="unitIds"/);
    expect(ticked(page.text)).toEqual([]);
  });

  it('without JavaScript: search without diacritics, tick two, a refused form keeps them, save, edit shows them', async () => {
    const q = new URLSearchParams({ _pick: 'unitIds', unitIds_q: 'vy da', title: 'Ngập hai phường' });
    q.append('unitIds', String(w.wardA.id));
    const found = await editor.get(`/staff/crisis/incidents/new?${q}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain('value="vy da"');
    expect(found.text).toContain('value="Ngập hai phường"');
    expect(ticked(found.text)).toEqual([w.wardA.id]);
    const match = offered(found.text).find((b) => b.id === vyDa);
    expect(match?.label).toMatch(/^Phường Vỹ Dạ, /); // named with its province
    // Enter in the affected units' search box: the first hidden button is the unit picker's, the search still runs
    const before = await count();
    const enter = await editor.post(
      '/staff/crisis/incidents',
      incident({ unitIds: String(w.wardA.id), _enter: 'unitId', unitIds_q: 'vy da', unitIds_q0: '' }),
    );
    expect(enter.status).toBe(200);
    expect(offered(enter.text).map((b) => b.id)).toContain(vyDa);
    expect(ticked(enter.text)).toEqual([w.wardA.id]);
    expect(await count()).toBe(before);
    // a refused form keeps both units ticked and the search typed
    const refused = await editor.post('/staff/crisis/incidents', incident({ title: '', unitIds_q: 'vy da' }));
    expect(refused.status).toBe(422);
    expect(ticked(refused.text).sort()).toEqual([w.wardA.id, vyDa].sort());
    expect(refused.text).toContain('value="vy da"');
    expect(await count()).toBe(before);
    // nothing ticked: the message beside the picker
    const none = await editor.post('/staff/crisis/incidents', incident({ unitIds: [] }));
    expect(none.status).toBe(422);
    expect(none.text).toMatch(/id="f-unitIds-err"/);
    // sent: the incident has both
    const sent = await editor.post('/staff/crisis/incidents', incident({ unitIds_q: 'vy da', unitIds_q0: 'vy da' }));
    expect(sent.status, sent.text.slice(0, 300)).toBe(303);
    const id = Number(sent.location!.match(/incidents\/(\d+)/)![1]);
    const saved = await t.db.query<{ unit_id: number }>(
      `SELECT unit_id FROM crisis_incident_units WHERE incident_id = $1 ORDER BY unit_id`,
      [id],
    );
    expect(saved.map((r) => r.unit_id)).toEqual([w.wardA.id, vyDa].sort((a, b) => a - b));
    const edit = await editor.get(`/staff/crisis/incidents/${id}/edit`);
    expect(ticked(edit.text).sort()).toEqual([w.wardA.id, vyDa].sort());
    // unticking one on the edit form removes it
    const fewer = await editor.post(`/staff/crisis/incidents/${id}/edit`, incident({ unitIds: [String(vyDa)] }));
    expect(fewer.status).toBe(303);
    const after = await t.db.query<{ unit_id: number }>(
      `SELECT unit_id FROM crisis_incident_units WHERE incident_id = $1`,
      [id],
    );
    expect(after.map((r) => r.unit_id)).toEqual([vyDa]);
  });

  it('offers only units inside the person’s scope, with JavaScript too', async () => {
    const q = new URLSearchParams({ _pick: 'unitIds', unitIds_q: 'phu xuan' });
    const page = await wardEditor.get(`/staff/crisis/incidents/new?${q}`);
    expect(page.status).toBe(200);
    expect(boxes(page.text).map((b) => b.id)).not.toContain(w.wardA.id);
    const src = page.text.match(/id="f-unitIds"[^>]*data-unit-picker="([^"]*)"/)![1].replace(/&amp;/g, '&');
    const res = await wardEditor.json(`/units/pick?q=${encodeURIComponent('phu xuan')}&${src}`);
    expect(res.body.units.map((u: { id: number }) => u.id)).not.toContain(w.wardA.id);
  });
});
