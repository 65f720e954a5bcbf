/**
 * The exchange admin page's forms go through the shared form handler: bad input is refused with 422, the translated
 * message beside its field and everything typed kept (nothing is fetched or stored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestClient, testApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, realCity } from '../helpers/factories.js';
import { errorBeside, fieldValue } from '../helpers/refused-form.js';

describe(`exchange admin forms refused with what was typed (${testDbKind()})`, () => {
  let t: TestApp;
  let admin: TestClient;

  beforeAll(async () => {
    t = await testApp({ demo: false });
    await realCity(t.db);
    const staff = await makeCityStaff(t.db, 'xforms');
    admin = t.client();
    await admin.signIn(staff.admin.email);
    await admin.get('/staff/exchange');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('checking a partner: an address that is not one, beside it, and kept', async () => {
    const res = await admin.post('/staff/exchange/partners/check', { url: 'kiemchung <quang> tri' });
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, 'url')).toBe('Hãy nhập một địa chỉ http:// hoặc https:// hợp lệ.');
    expect(fieldValue(res.text, 'url')).toBe('kiemchung <quang> tri');
  });

  it('pinning a partner: a fingerprint that is not one, beside it, with the address and the fingerprint kept', async () => {
    const res = await admin.post('/staff/exchange/partners', { url: 'https://kiemchung.example.org', pin: 'ab:cd' });
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, 'pin')).toBe('Dấu vân tay gồm 64 chữ số thập lục phân.');
    expect(fieldValue(res.text, 'pin')).toBe('ab:cd');
    expect(fieldValue(res.text, 'url')).toBe('https://kiemchung.example.org');
    expect(await t.db.query(`SELECT 1 FROM exchange_sources`)).toEqual([]);
  });

  it('an unsigned source without its kind: beside the choice, with the name and address kept', async () => {
    const res = await admin.post('/staff/exchange/unsigned', {
      name: 'Trung tâm "Kiểm chứng" & Co',
      feedUrl: 'https://kiemchung.example.org/feed.json',
      pages: 'https://kiemchung.example.org/bai/1',
    });
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, 'kind')).toBe('Hãy chọn loại nguồn.');
    expect(fieldValue(res.text, 'name')).toBe('Trung tâm "Kiểm chứng" & Co');
    expect(fieldValue(res.text, 'feedUrl')).toBe('https://kiemchung.example.org/feed.json');
    expect(fieldValue(res.text, 'pages')).toBe('https://kiemchung.example.org/bai/1');
  });
});
