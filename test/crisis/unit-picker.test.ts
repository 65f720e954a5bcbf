/**
 * Issue 15 leftover: the crisis staff forms choosing ONE unit (an incident's unit, a statement's unit outside an
 * incident, a distribution list's unit) use the unit picker, not a <select> of every unit; the affected units stay
 * a list of checkboxes. Without JavaScript: Search (a GET) lists the matches and keeps what was typed; Enter in the
 * search box searches; choosing then sending works; a unit outside the person's scope is refused as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { type City, cityApp } from './helpers.js';
import { wardStaff } from './ward-staff.js';

let t: TestApp & { city: City };
let w: Awaited<ReturnType<typeof wardStaff>>;
let ea: TestClient;
let eb: TestClient;

beforeAll(async () => {
  t = await cityApp();
  w = await wardStaff(t.db, t.city.communeIds);
  ea = t.client();
  expect((await ea.signIn(w.a.editor)).status).toBeLessThan(400);
  eb = t.client();
  expect((await eb.signIn(w.b.editor)).status).toBeLessThan(400);
});
afterAll(async () => {
  await t?.close();
});

const radios = (html: string) =>
  [...html.matchAll(/<input type="radio" name="unitId" value="([^"]+)"/g)].map((m) => Number(m[1]));
const count = async (table: string) => Number((await t.db.one<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))!.n);

/** The page has the picker for unitId and no <select> of units. */
function expectPicker(html: string) {
  expect(html).not.toMatch(/<select[^>]*name="unitId"/);
  expect(html).toContain('name="unitId_q"');
  expect(html).toMatch(/<button[^>]*name="_pick"[^>]*value="unitId"/);
  expect(html).toMatch(/data-value-kind="id"/);
}

const incident = (unitId: number, extra: Record<string, string> = {}) => ({
  title: 'Sạt lở đồi phường A',
  titleEn: '',
  type: 'natural',
  severity: 'moderate',
  summary: 'Sạt lở',
  summaryEn: '',
  unitId: String(unitId),
  unitIds: String(unitId),
  spokespersonName: 'Ông A',
  spokespersonTitle: '',
  spokespersonPhone: '',
  spokespersonEmail: '',
  hotlines: '',
  areaPolygon: '',
  areaCircle: '',
  ...extra,
});

describe(`crisis forms: the unit picker (${testDbKind()})`, () => {
  it('incident form: search keeps what was typed, Enter searches, choosing then sending opens it', async () => {
    const page = await ea.get('/staff/crisis/incidents/new');
    expect(page.status).toBe(200);
    expectPicker(page.text);
    expect(page.text).toMatch(/<input type="checkbox" name="unitIds"/); // the affected units stay checkboxes
    expect(radios(page.text)).toEqual([w.wardA.id]); // the one unit in scope, chosen
    const found = await ea.get(
      `/staff/crisis/incidents/new?_pick=unitId&unitId_q=${encodeURIComponent('phu xuan')}&title=${encodeURIComponent('Lũ quét')}&unitIds=${w.wardA.id}&severity=severe`,
    );
    expect(found.status).toBe(200);
    expect(radios(found.text)).toContain(w.wardA.id);
    expect(found.text).toContain('value="phu xuan"');
    expect(found.text).toContain('value="Lũ quét"');
    expect(found.text).toMatch(/<option value="severe" selected/);
    expect(found.text).toMatch(new RegExp(`<input type="checkbox" name="unitIds" value="${w.wardA.id}" checked`));
    // another ward is outside this editor's scope: not offered
    const other = await ea.get(`/staff/crisis/incidents/new?_pick=unitId&unitId_q=${encodeURIComponent('thuan hoa')}`);
    expect(radios(other.text)).not.toContain(w.wardB.id);
    // Enter in the search box: the matches again, nothing opened
    const before = await count('crisis_incidents');
    const enter = await ea.post(
      '/staff/crisis/incidents',
      incident(w.wardA.id, { _enter: 'unitId', unitId_q: 'phu', unitId_q0: '' }),
    );
    expect(enter.status).toBe(200);
    expect(radios(enter.text)).toContain(w.wardA.id);
    expect(enter.text).toContain('value="phu"');
    expect(await count('crisis_incidents')).toBe(before);
    // Enter in another field (the search text unchanged): the form is sent
    const sent = await ea.post(
      '/staff/crisis/incidents',
      incident(w.wardA.id, { _enter: 'unitId', unitId_q: 'phu', unitId_q0: 'phu' }),
    );
    expect(sent.status, sent.text.slice(0, 300)).toBe(303);
    const id = Number(sent.location!.match(/incidents\/(\d+)/)![1]);
    const edit = await ea.get(`/staff/crisis/incidents/${id}/edit`);
    expect(edit.status).toBe(200);
    expectPicker(edit.text);
    expect(edit.text).toMatch(new RegExp(`<input type="radio" name="unitId" value="${w.wardA.id}" checked`));
    const editSearch = await ea.get(
      `/staff/crisis/incidents/${id}/edit?_pick=unitId&unitId_q=phu&title=${encodeURIComponent('Đổi tên')}`,
    );
    expect(editSearch.status).toBe(200);
    expect(editSearch.text).toContain('value="Đổi tên"');
    expect(
      (await ea.post(`/staff/crisis/incidents/${id}/edit`, incident(w.wardA.id, { title: 'Đổi tên' }))).status,
    ).toBe(303);
    // nothing chosen: the message beside the picker, the search kept
    const none = await ea.post('/staff/crisis/incidents', incident(w.wardA.id, { unitId: '', unitId_q: 'phu' }));
    expect(none.status).toBe(422);
    expect(none.text).toMatch(/id="f-unitId-err"/);
    expect(none.text).toContain('value="phu"');
  });

  it('a unit outside the person’s scope is refused by the service as before', async () => {
    const before = await count('crisis_incidents');
    const res = await eb.post('/staff/crisis/incidents', incident(w.wardA.id));
    expect(res.status).toBe(403);
    expect(await count('crisis_incidents')).toBe(before);
    expect(
      (await eb.post('/staff/crisis/lists', { name: 'Chiếm', kind: 'press', unitId: String(w.wardA.id) })).status,
    ).toBe(403);
  });

  it('statement form outside an incident: search, then choose and draft', async () => {
    const page = await ea.get('/staff/crisis/statements/new');
    expect(page.status).toBe(200);
    expectPicker(page.text);
    const found = await ea.get(
      `/staff/crisis/statements/new?_pick=unitId&unitId_q=${encodeURIComponent('Phú Xuân')}&kind=notice&title=${encodeURIComponent('Cúp điện')}`,
    );
    expect(found.status).toBe(200);
    expect(radios(found.text)).toContain(w.wardA.id);
    expect(found.text).toContain('value="Cúp điện"');
    const res = await ea.post('/staff/crisis/statements', {
      incidentId: '',
      unitId: String(w.wardA.id),
      kind: 'notice',
      refersTo: '',
      title: 'Cúp điện',
      titleEn: '',
      body: 'Cúp điện chiều nay.',
      bodyEn: '',
      listIds: '',
    });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const id = Number(res.location!.match(/statements\/(\d+)/)![1]);
    const edit = await ea.get(`/staff/crisis/statements/${id}/edit`);
    expectPicker(edit.text);
    expect(edit.text).toMatch(new RegExp(`<input type="radio" name="unitId" value="${w.wardA.id}" checked`));
  });

  it('distribution list form: search, then choose and create; with JavaScript only the person’s units', async () => {
    const page = await ea.get('/staff/crisis/lists');
    expect(page.status).toBe(200);
    expectPicker(page.text);
    const found = await ea.get(`/staff/crisis/lists?_pick=unitId&unitId_q=phu&name=${encodeURIComponent('Báo chí')}`);
    expect(radios(found.text)).toContain(w.wardA.id);
    expect(found.text).toContain('value="Báo chí"');
    const enter = await ea.post('/staff/crisis/lists', {
      name: 'Báo chí',
      kind: 'press',
      unitId: '',
      unitId_q: 'phu xuan',
      unitId_q0: 'phu',
      _enter: 'unitId',
    });
    expect(enter.status).toBe(200);
    expect(radios(enter.text)).toContain(w.wardA.id);
    const created = await ea.post('/staff/crisis/lists', {
      name: 'Báo chí',
      kind: 'press',
      unitId: String(w.wardA.id),
    });
    expect(created.status).toBe(303);
    const src = page.text.match(/data-unit-picker="([^"]*)"/)![1].replace(/&amp;/g, '&');
    const res = await ea.json(`/units/pick?q=${encodeURIComponent('thuan hoa')}&${src}`);
    expect(res.status).toBe(200);
    expect(res.body.units.map((u: { id: number }) => u.id)).not.toContain(w.wardB.id);
    const mine = await ea.json(`/units/pick?q=phu&${src}`);
    expect(mine.body.units.map((u: { id: number }) => u.id)).toEqual([w.wardA.id]);
  });
});
