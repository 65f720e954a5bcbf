import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../helpers/db.js';
import { testApp, type TestApp } from '../helpers/app.js';

describe(`platform smoke (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('serves the Vietnamese home page and the English one when asked', async () => {
    const c = t.client();
    const vi = await c.get('/');
    expect(vi.status).toBe(200);
    expect(vi.text).toContain('<html lang="vi">');
    expect(vi.text).toContain('Gửi phản ánh, kiến nghị');
    const switched = await c.get('/lang/en?next=/');
    expect(switched.status).toBe(303);
    const en = await c.get('/');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Report a problem or ask a question');
  });

  it('signs a demo editor in and shows the staff greeting', async () => {
    const c = t.client();
    await c.signIn('editor@demo.local');
    const staff = await c.get('/staff');
    expect(staff.status).toBe(200);
    expect(staff.text).toContain('Trần Thị Biên');
  });
});
