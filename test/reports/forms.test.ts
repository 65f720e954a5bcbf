/**
 * The reports staff forms (a long report run, the monthly e-mail) go through the shared form handler: bad input is
 * refused with 422, the translated message beside its field and what was typed kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestClient, testApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser, realUnit } from '../helpers/factories.js';
import { errorBeside, fieldValue } from '../helpers/refused-form.js';

describe(`reports forms refused with what was typed (${testDbKind()})`, () => {
  let t: TestApp;
  let admin: TestClient;

  beforeAll(async () => {
    t = await testApp({ demo: false });
    // an admin of Huế, and a ward of it: the mail page's form offers only units the admin does not get already
    await makeUser(t.db, { email: 'admin@reports-forms.test', role: 'admin', unit: await realUnit(t.db, '46') });
    await realUnit(t.db, '19753');
    admin = t.client();
    await admin.signIn('admin@reports-forms.test');
    await admin.get('/staff/reports/mail');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a run with an unknown unit and a date that is not one: each beside its field, the typed unit and dates kept', async () => {
    const res = await admin.post('/staff/reports/runs', { unit: 'xa-khong-co', from: '2026-13-45', to: '2026-02-01' });
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, 'unit')).toBe('Không tìm thấy đơn vị này.');
    expect(errorBeside(res.text, 'from')).toBeTruthy();
    expect(fieldValue(res.text, 'from')).toBe('2026-13-45');
    expect(fieldValue(res.text, 'to')).toBe('2026-02-01');
    expect(res.text).toMatch(/<select id="f-unit"[^>]*>\s*<option value="xa-khong-co" selected/);
    const long = await admin.post('/staff/reports/runs', {
      unit: 'x'.repeat(201),
      from: '2026-01-01',
      to: '2026-01-31',
    });
    expect(long.status).toBe(422);
    expect(errorBeside(long.text, 'unit')).toBe('Tối đa 200 ký tự.');
    expect(fieldValue(long.text, 'from')).toBe('2026-01-01');
    expect(await t.db.query(`SELECT 1 FROM report_runs`)).toEqual([]);
  });

  it('the monthly e-mail without a unit: beside the unit', async () => {
    const res = await admin.post('/staff/reports/mail', { unit: '', wants: '1' });
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, 'unit')).toBe('Hãy chọn một đơn vị.');
    const unknown = await admin.post('/staff/reports/mail?lang=en', { unit: 'nowhere', wants: '1' });
    expect(unknown.status).toBe(422);
    expect(errorBeside(unknown.text, 'unit')).toBe('This unit does not exist.');
  });
});
