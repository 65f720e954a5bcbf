import { gzipSync } from 'node:zlib';
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

  it('keeps the public home page light: under 30 KB compressed with its stylesheet and script, cacheable', async () => {
    const c = t.client();
    const home = await c.get('/');
    const css = await c.get('/static/app.css');
    const js = await c.get('/static/app.js');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    const bytes = [home, css, js].reduce((n, p) => n + gzipSync(Buffer.from(p.text)).length, 0);
    expect(bytes).toBeLessThan(30 * 1024);
    expect(home.headers.get('cache-control')).toContain('public');
    expect(home.text).not.toContain('@demo.local');
  });

  it('signs a demo editor in and shows the staff greeting', async () => {
    const c = t.client();
    await c.signIn('editor@demo.local');
    const staff = await c.get('/staff');
    expect(staff.status).toBe(200);
    expect(staff.text).toContain('Trần Thị Biên');
  });
});
