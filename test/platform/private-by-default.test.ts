import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/platform/auth/service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { findUnitByName, makeUser } from '../helpers/factories.js';

describe(`What is answered to a signed-in person is private and never stored (${testDbKind()})`, () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await testApp();
    const unit = await findUnitByName(t.db, 'Thành phố Huế');
    const userId = await makeUser(t.db, { email: 'cache.admin@example.org', role: 'admin', unit });
    token = await createToken(t.db, userId, 'cache check', 'test');
  });
  afterAll(() => t?.close());

  it('staff pages of every module, the account page and the API say private, no-store without each route repeating it', async () => {
    const c = t.client();
    await c.signIn('cache.admin@example.org');
    for (const path of [
      '/staff',
      '/staff/users',
      '/staff/tokens',
      '/staff/account',
      '/staff/crisis',
      '/staff/exchange',
      '/staff/reports',
      // pages and downloads whose routes once set the header themselves
      '/staff/mailbox',
      '/staff/mailbox/dashboard',
      '/staff/mailbox/map',
      '/staff/mailbox/notifications',
      '/staff/mailbox/setup/agencies',
      '/staff/mailbox/templates',
      '/staff/reports/export.csv',
    ]) {
      const page = await c.get(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('cache-control'), path).toBe('private, no-store');
    }
    const me = await t.client().get('/api/v1/me', { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('private, no-store');
  });

  it('a public page for an anonymous visitor keeps the route’s own cache rule, and a signed-in visitor of it gets private', async () => {
    const anon = await t.client().get('/');
    expect(anon.headers.get('cache-control') ?? '').not.toContain('no-store');
    const c = t.client();
    await c.signIn('cache.admin@example.org');
    const home = await c.get('/mailbox');
    expect(home.status).toBe(200);
    expect(home.headers.get('cache-control')).toMatch(/private/);
  });
});
