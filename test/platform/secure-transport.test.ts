import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser, realUnit } from '../helpers/factories.js';

/** The Secure cookie flag and HSTS come from BASE_URL, and from X-Forwarded-Proto only behind a trusted proxy. */
describe(`Secure cookies and HSTS (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    await makeUser(t.db, { email: 'admin@transport.test', role: 'admin', unit: await realUnit(t.db, '46') });
  });
  afterAll(() => t.close());

  const setting = (baseUrl: string, trustProxy: boolean) =>
    Object.assign(t.deps.config, { BASE_URL: baseUrl, baseUrl, TRUST_PROXY: trustProxy });
  const visit = async (headers: Record<string, string> = {}) => {
    const r = await t.client().request('/signin', { headers });
    expect(r.status).toBe(200);
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('csrf='));
    expect(cookie).toBeTruthy();
    return { secure: /;\s*Secure/i.test(cookie!), hsts: r.headers.get('strict-transport-security') };
  };

  it('a client cannot switch them on with X-Forwarded-Proto when the proxy is not trusted', async () => {
    setting('http://test.local', false);
    expect(await visit({ 'x-forwarded-proto': 'https' })).toEqual({ secure: false, hsts: null });
    expect(await visit()).toEqual({ secure: false, hsts: null });
  });

  it('a trusted proxy saying https switches them on', async () => {
    setting('http://test.local', true);
    expect(await visit({ 'x-forwarded-proto': 'https' })).toEqual({
      secure: true,
      hsts: 'max-age=31536000; includeSubDomains',
    });
    expect(await visit({ 'x-forwarded-proto': 'http' })).toEqual({ secure: false, hsts: null });
  });

  it('an https BASE_URL switches them on for every request, the session cookie too', async () => {
    setting('https://gopy.hue.gov.vn', false);
    expect(await visit()).toEqual({ secure: true, hsts: 'max-age=31536000; includeSubDomains' });
    const c = t.client();
    await c.get('/signin');
    const r = await c.post('/signin', { email: 'admin@transport.test', password: 'demo1234', next: '/staff' });
    expect(r.status).toBe(303);
    const sid = r.headers.getSetCookie().find((x) => x.startsWith('sid='));
    expect(sid).toMatch(/;\s*Secure/i);
    setting('http://test.local', false);
  });
});
