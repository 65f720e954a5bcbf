/** The demo data gives a non-trivial report for the last twelve months, from every module. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/platform/auth/service.js';
import { localDate } from '../../src/platform/i18n/index.js';
import { addDays, addMonths } from '../../src/modules/reports/period.js';
import { testDbKind } from '../helpers/db.js';
import { testApp, type TestApp } from '../helpers/app.js';

describe(`reports over the demo data (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('shows figures from every module for the last twelve months, the page and the JSON alike', async () => {
    const today = localDate(new Date());
    const from = addMonths(today.slice(0, 8) + '01', -11);
    const to = addDays(addMonths(today.slice(0, 8) + '01', 1), -1);
    const admin = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'admin@demo.local'`))!.id;
    const token = await createToken(t.db, admin, 'demo', 'test');
    const r = await t.client().json(`/api/v1/reports?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    const f = r.body.figures;
    expect(f.mailbox.received).toBeGreaterThan(0);
    expect(f.mailbox.answered).toBeGreaterThan(0);
    expect(f.desk.claimsReceived + f.desk.factchecks).toBeGreaterThan(0);
    expect(f.network.clicks).toBeGreaterThan(0);
    expect(f.crisis.statements).toBeGreaterThan(0);
    expect(r.body.trend.filter((b: { figures: { mailbox: { received: number } } }) => b.figures.mailbox.received > 0).length).toBeGreaterThanOrEqual(6);
    expect(r.body.unavailable).toEqual([]);
    expect(r.body.unit.code).toBe('46');
    expect(r.body.trend).toHaveLength(12);
    const c = t.client();
    await c.signIn('admin@demo.local');
    const page = await c.get(`/staff/reports?from=${from}&to=${to}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Báo cáo: Thành phố Huế');
    expect(page.text).toContain(`<td class="num">${f.mailbox.received}</td>`);
  });
});
