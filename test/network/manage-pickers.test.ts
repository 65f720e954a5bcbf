/** The directory's forms choose their unit with the unit picker (issue 15), with and without JavaScript. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, makeUser, realCity } from '../helpers/factories.js';

/** The HTML of the form posting to `action`. */
const formOf = (html: string, action: string) => {
  const start = html.indexOf(`action="${action}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</form>', start));
};
const choices = (html: string) =>
  [...html.matchAll(/<input type="radio" name="unit" value="(\d+)"[^>]*\/?> ([^<]+)</g)].map((m) => m[2].trim());

describe(`network manage forms: unit pickers (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    const units = await realCity(t.db);
    await makeCityStaff(t.db, 'pickers');
    await makeUser(t.db, {
      email: 'lead.picker@pickers.test',
      name: 'Tổ Trưởng',
      role: 'editor',
      unit: units['19789'],
    });
  });
  afterAll(() => t?.close());

  it('each unit field is a picker, not a long list', async () => {
    const c = t.client();
    await c.signIn('editor@pickers.test');
    const page = await c.get('/network/manage');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<select[^>]*name="unit"/);
    for (const action of ['/network/manage/invites', '/network/manage/import', '/network/manage/groups'])
      expect(formOf(page.text, action)).toContain('data-unit-picker=');
  });

  it('without JavaScript, Search brings the page back with the matches in that form only, keeping what was typed', async () => {
    const c = t.client();
    await c.signIn('editor@pickers.test');
    const q = new URLSearchParams({ _form: 'group', _pick: 'unit', unit_q: 'vy da', name: 'Tổ dân phố 9' });
    const page = await c.get(`/network/manage?${q}`);
    expect(page.status).toBe(200);
    const group = formOf(page.text, '/network/manage/groups');
    expect(choices(group).some((l) => l.startsWith('Phường Vỹ Dạ'))).toBe(true);
    expect(group).toContain('value="Tổ dân phố 9"');
    expect(formOf(page.text, '/network/manage/invites')).not.toContain('value="vy da"');
    // the import form carries a file: its Search posts the form back instead of importing
    const found = await c.post(
      '/network/manage/import',
      { unit_q: 'vy da', csv: 'a@example.org,An', action: 'find-unit', _form: 'import' },
      { multipart: true },
    );
    expect(found.status).toBe(200);
    const imp = formOf(found.text, '/network/manage/import');
    expect(choices(imp).some((l) => l.startsWith('Phường Vỹ Dạ'))).toBe(true);
    expect(imp).toContain('a@example.org,An');
    expect(await t.db.one(`SELECT 1 FROM jobs WHERE type = 'network.import'`)).toBeUndefined();
    // Enter in a picker's search box (its hidden first button) searches too, and creates nothing
    const entered = await c.post('/network/manage/groups', {
      _enter: 'unit',
      unit_q: 'vy da',
      unit_q0: '',
      name: 'Tổ dân phố 9',
      _form: 'group',
    });
    expect(entered.status).toBe(200);
    expect(choices(formOf(entered.text, '/network/manage/groups')).some((l) => l.startsWith('Phường Vỹ Dạ'))).toBe(
      true,
    );
    expect(await t.db.one(`SELECT 1 FROM network_groups WHERE name = 'Tổ dân phố 9'`)).toBeUndefined();
  });

  it('a ward leader is offered only their own units', async () => {
    const c = t.client();
    await c.signIn('lead.picker@pickers.test');
    const q = new URLSearchParams({ _form: 'invite', _pick: 'unit', unit_q: 'vy da' });
    const invite = formOf((await c.get(`/network/manage?${q}`)).text, '/network/manage/invites');
    expect(choices(invite)).toEqual([]);
    const own = new URLSearchParams({ _form: 'invite', _pick: 'unit', unit_q: 'thuan hoa' });
    const mine = formOf((await c.get(`/network/manage?${own}`)).text, '/network/manage/invites');
    expect(choices(mine).some((l) => l.startsWith('Phường Thuận Hoá'))).toBe(true);
  });
});
