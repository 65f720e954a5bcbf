/** Issue 15 leftover: the routing-rules form chooses its unit with the unit picker, not a long list of every unit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCategory, makeCityStaff, realCity } from '../helpers/factories.js';

describe(`routing rules: the unit picker (${testDbKind()})`, () => {
  let t: TestApp;
  let agency: string;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    await realCity(t.db);
    const staff = await makeCityStaff(t.db, 'routes');
    await makeCategory(t.deps, staff.admin.id, { code: 'moi-truong', name: 'Môi trường' });
    agency = (await t.db.one<{ code: string }>(
      `SELECT a.code FROM agencies a JOIN units u ON u.id = a.unit_id WHERE u.code = '19789' AND a.retired_at IS NULL ORDER BY a.id LIMIT 1`,
    ))!.code;
  });
  afterAll(() => t.close());

  const radios = (html: string) =>
    [...html.matchAll(/<input type="radio" name="unit" value="([^"]+)"/g)].map((m) => m[1]);

  it('without JavaScript: search, the page comes back with the matches and what was chosen, then choose and save', async () => {
    const a = t.client();
    await a.signIn('admin@routes.test');
    const page = await a.get('/staff/mailbox/setup/routes');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<select[^>]*name="unit"/);
    expect(page.text).toContain('name="unit_q"');
    expect(page.text).toMatch(/<button[^>]*name="_pick"[^>]*value="unit"/);
    // the Search button: a GET to the same page, with the other choices kept
    const found = await a.get(
      `/staff/mailbox/setup/routes?_pick=unit&unit_q=${encodeURIComponent('thuan hoa')}&category=moi-truong&agency=${agency}`,
    );
    expect(found.status).toBe(200);
    expect(radios(found.text)).toContain('19789'); // chosen by code, as the rule names it
    expect(found.text).toContain('value="thuan hoa"');
    expect(found.text).toMatch(/<option value="moi-truong" selected/);
    expect(found.text).toMatch(new RegExp(`<option value="${agency}" selected`));
    const saved = await a.post('/staff/mailbox/setup/routes', { unit: '19789', category: 'moi-truong', agency });
    expect(saved.status).toBe(303);
    const rules = await t.db.query<{ code: string }>(
      `SELECT u.code FROM mailbox_routing_rules r JOIN units u ON u.id = r.unit_id JOIN mailbox_categories c ON c.id = r.category_id
       WHERE c.code = 'moi-truong' AND u.code = '19789'`,
    );
    expect(rules).toHaveLength(1);
    // Enter in the search box (the picker's hidden first button): the matches again, nothing saved
    const enter = await a.post('/staff/mailbox/setup/routes', {
      _enter: 'unit',
      unit_q: 'vy da',
      unit_q0: 'thuan hoa',
      category: 'moi-truong',
      agency,
    });
    expect(enter.status).toBe(200);
    expect(radios(enter.text)).toContain('19777');
    // nothing chosen: 422, the message beside the picker, the search kept
    const none = await a.post('/staff/mailbox/setup/routes', { unit_q: 'thuan hoa', category: '', agency });
    expect(none.status).toBe(422);
    expect(none.text).toMatch(/id="f-unit-err"/);
    expect(none.text).toContain('value="thuan hoa"');
  });

  it('with JavaScript: the picker searches as you type, only among the admin’s units', async () => {
    const a = t.client();
    await a.signIn('admin@routes.test');
    const page = await a.get('/staff/mailbox/setup/routes');
    const src = page.text.match(/data-unit-picker="([^"]*)"/)![1].replace(/&amp;/g, '&');
    expect(page.text).toMatch(/data-value-kind="code"/);
    const res = await a.json(`/units/pick?q=${encodeURIComponent('thuan hoa')}&${src}`);
    expect(res.status).toBe(200);
    expect(res.body.units.map((u: { code: string }) => u.code)).toContain('19789');
  });
});
