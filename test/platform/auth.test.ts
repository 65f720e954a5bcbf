import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/platform/auth/repo.js';
import { createUser } from '../../src/platform/auth/service.js';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp, TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff } from '../helpers/factories.js';
import { startSmtp } from '../helpers/smtp.js';

let ipCounter = 10;
const nextIp = () => `198.51.100.${ipCounter++}`;

// One app for the whole file, with one account per staff role: all on the city, the member on a ward.
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await testApp({
    demo: false,
    env: { SMTP_URL: smtp.url, LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15', SESSION_IDLE_MINUTES: '30' },
  });
  await makeCityStaff(t.db, 'auth');
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe(`accounts and sessions (${testDbKind()})`, () => {
  const client = () => t.client({ ip: nextIp() });
  const sidOf = (setCookies: string[]) => setCookies.find((c) => c.startsWith('sid='))?.match(/^sid=([^;]+)/)?.[1];
  const withSid = (sid: string) => ({ cookie: `sid=${sid}` });

  it('signs in with an HttpOnly, SameSite=Lax session cookie and greets the user', async () => {
    const c = client();
    await c.get('/signin');
    const res = await c.post('/signin', { email: 'EDITOR@auth.test ', password: 'demo1234' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/staff');
    const cookie = res.headers.getSetCookie().find((x) => x.startsWith('sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const staff = await c.get('/staff');
    expect(staff.status).toBe(200);
    expect(staff.text).toContain('Xin chào, Trần Thị Biên');
    // the session id is stored hashed: the cookie value is nowhere in the table
    const sid = sidOf(res.headers.getSetCookie())!;
    expect(await t.db.one(`SELECT 1 FROM sessions WHERE id_hash = $1`, [sid])).toBeUndefined();
  });

  it('refuses a wrong password with a translated message and keeps the email typed', async () => {
    const c = client();
    await c.get('/signin');
    const res = await c.post('/signin', { email: 'editor@auth.test', password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Thư điện tử hoặc mật khẩu không đúng.');
    expect(res.text).toContain('value="editor@auth.test"');
    expect(res.headers.getSetCookie().some((x) => x.startsWith('sid='))).toBe(false);
    const empty = await c.post('/signin', { email: 'not-an-email', password: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Địa chỉ thư điện tử không hợp lệ.');
    expect(empty.text).toContain('Trường này là bắt buộc.');
    expect(empty.text).toContain('value="not-an-email"');
  });

  it('rotates the session id on every sign-in: the old cookie stops working', async () => {
    const c = client();
    await c.get('/signin');
    const first = await c.post('/signin', { email: 'reviewer@auth.test', password: 'demo1234' });
    const sid1 = sidOf(first.headers.getSetCookie())!;
    await c.get('/signin');
    const second = await c.post('/signin', { email: 'reviewer@auth.test', password: 'demo1234' });
    const sid2 = sidOf(second.headers.getSetCookie())!;
    expect(sid2).toBeTruthy();
    expect(sid2).not.toBe(sid1);
    expect((await c.get('/staff')).status).toBe(200);
    const stale = await t.app.request('/staff', { headers: withSid(sid1) });
    expect(stale.status).toBe(303);
    expect(stale.headers.get('location')).toContain('/signin');
  });

  it('expires a session after the idle time', async () => {
    const c = client();
    const res = await c.signIn('handler@auth.test');
    const sid = sidOf(res.headers.getSetCookie())!;
    expect((await c.get('/staff')).status).toBe(200);
    await t.db.query(
      `UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM users WHERE email = 'handler@auth.test')`,
    );
    const after = await c.get('/staff');
    expect(after.status).toBe(303);
    expect(after.location).toBe('/signin?next=%2Fstaff');
    expect((await t.app.request('/staff', { headers: withSid(sid) })).status).toBe(303);
    // the idle session is gone from the table
    expect(
      await t.db.one(`SELECT 1 FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'handler@auth.test')`),
    ).toBeUndefined();
  });

  it('ends a session at its absolute expiry even while in use', async () => {
    const c = client();
    await c.signIn('editor@auth.test');
    expect((await c.get('/staff')).status).toBe(200);
    await t.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second', last_seen_at = now() WHERE user_id = (SELECT id FROM users WHERE email = 'editor@auth.test')`,
    );
    expect((await c.get('/staff')).status).toBe(303);
  });

  it('signs out: the cookie is cleared and the old session id is dead', async () => {
    const c = client();
    const res = await c.signIn('member@auth.test');
    const sid = sidOf(res.headers.getSetCookie())!;
    const out = await c.post('/signout', {});
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().find((x) => x.startsWith('sid='))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    const page = await c.get('/signin?out=1');
    expect(page.text).toContain('Bạn đã đăng xuất.');
    expect((await t.app.request('/staff', { headers: withSid(sid) })).status).toBe(303);
    const audit = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.sign-out'`,
    );
    expect(audit!.n).toBeGreaterThanOrEqual(1);
  });

  it('signs out everywhere: the other device’s session dies too', async () => {
    const phone = client();
    const laptop = client();
    await phone.signIn('admin@auth.test');
    await laptop.signIn('admin@auth.test');
    expect((await phone.get('/staff')).status).toBe(200);
    const staff = await laptop.get('/staff');
    expect(staff.text).toContain('Đăng xuất khỏi mọi thiết bị');
    const out = await laptop.post('/signout-everywhere', {});
    expect(out.status).toBe(303);
    expect((await phone.get('/staff')).status).toBe(303);
    expect((await laptop.get('/staff')).status).toBe(303);
    const row = await t.db.one<{ data: { sessions: number } }>(
      `SELECT data FROM audit_log WHERE action = 'auth.sign-out-everywhere' ORDER BY id DESC LIMIT 1`,
    );
    expect(row!.data.sessions).toBeGreaterThanOrEqual(2);
  });

  it('answers the same for an existing and a made-up address, and slows both down alike after repeated failures', async () => {
    await createUser(t.db, { email: 'lock@example.org', name: 'Khóa Thử', password: 'right-password' }, 'test');
    const answers = async (email: string) => {
      const c = client();
      await c.get('/signin');
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await c.post('/signin', { email, password: 'nope-nope' });
        seen.push(
          `${r.status} ${r.headers.get('retry-after') ?? '-'} ${r.text.match(/class="notice[^"]*"[^>]*>([^<]*)/)?.[1] ?? ''}`,
        );
      }
      return seen;
    };
    const real = await answers('lock@example.org');
    const madeUp = await answers('nobody-at-all@example.org');
    expect(real).toEqual(madeUp);
    expect(real.slice(0, 3).every((a) => a.startsWith('401 - Thư điện tử hoặc mật khẩu không đúng.'))).toBe(true);
    expect(real[3]).toMatch(/^429 1[45] Đăng nhập sai quá nhiều lần\. Vui lòng chờ 1[45] giây rồi thử lại\.$/);
    // in English too
    const en = client();
    await en.get('/lang/en?next=/signin');
    await en.get('/signin');
    const r = await en.post('/signin', { email: 'lock@example.org', password: 'right-password' });
    expect(r.status).toBe(429);
    expect(r.text).toMatch(/Too many failed sign-ins\. Please wait 1[45] seconds and try again\./);
    expect(r.headers.getSetCookie().some((x) => x.startsWith('sid='))).toBe(false);
    // the wait runs out; a further failure doubles it, never past LOGIN_LOCK_MINUTES
    await t.db.query(
      `UPDATE login_throttle SET last_failure_at = last_failure_at - interval '20 seconds' WHERE key = 'email:lock@example.org'`,
    );
    const c = client();
    await c.get('/signin');
    expect((await c.post('/signin', { email: 'lock@example.org', password: 'nope-nope' })).status).toBe(401);
    expect(
      (await c.post('/signin', { email: 'lock@example.org', password: 'right-password' })).headers.get('retry-after'),
    ).toMatch(/^(29|30)$/);
    await t.db.query(`UPDATE login_throttle SET failures = 40 WHERE key = 'email:lock@example.org'`);
    expect(
      Number(
        (await c.post('/signin', { email: 'lock@example.org', password: 'right-password' })).headers.get('retry-after'),
      ),
    ).toBeLessThanOrEqual(15 * 60);
    // no account row ever shows a lock
    const u = await t.db.one<{ locked_until: Date | null }>(
      `SELECT locked_until FROM users WHERE email = 'lock@example.org'`,
    );
    expect(u!.locked_until).toBeNull();
    await t.db.query(
      `UPDATE login_throttle SET last_failure_at = now() - interval '1 hour' WHERE key = 'email:lock@example.org'`,
    );
    expect((await c.post('/signin', { email: 'lock@example.org', password: 'right-password' })).status).toBe(303);
  });

  it('a stranger failing on purpose cannot keep an admin out of the browser it signed in from', async () => {
    await createUser(t.db, { email: 'boss@example.org', name: 'Quản Trị', password: 'boss-password' }, 'test');
    const own = client();
    await own.get('/signin');
    expect((await own.post('/signin', { email: 'boss@example.org', password: 'boss-password' })).status).toBe(303);
    await own.post('/signout', {});
    // many strangers, many addresses, each failing on the admin's address
    for (let i = 0; i < 6; i++) {
      const attacker = client();
      await attacker.get('/signin');
      for (let k = 0; k < 3; k++)
        await attacker.post('/signin', { email: 'boss@example.org', password: `guess-${i}-${k}` });
    }
    const attacker = client();
    await attacker.get('/signin');
    const tried = await attacker.post('/signin', { email: 'boss@example.org', password: 'boss-password' });
    expect(tried.status).toBe(429); // even the right password waits, so guessing gains nothing
    // the admin's own browser signs in at once
    await own.get('/signin');
    const back = await own.post('/signin', { email: 'boss@example.org', password: 'boss-password' });
    expect(back.status).toBe(303);
    expect(JSON.parse((await own.get('/api/v1/me')).text).email).toBe('boss@example.org');
    // a browser's mark does not vouch for another account
    await createUser(t.db, { email: 'clerk@example.org', name: 'Văn Thư', password: 'clerk-password' }, 'test');
    const stranger = client();
    await stranger.get('/signin');
    for (let k = 0; k < 3; k++) await stranger.post('/signin', { email: 'clerk@example.org', password: `guess-${k}` });
    await own.post('/signout', {});
    await own.get('/signin');
    expect((await own.post('/signin', { email: 'clerk@example.org', password: 'clerk-password' })).status).toBe(429);
  });

  it('slows down one client address trying many addresses', async () => {
    const c = client();
    await c.get('/signin');
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++)
      statuses.push((await c.post('/signin', { email: `spray${i}@example.org`, password: 'password1' })).status);
    expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
    expect(statuses[12]).toBe(429);
    // another client is not slowed by it
    const other = client();
    await other.get('/signin');
    expect((await other.post('/signin', { email: 'spray0@example.org', password: 'password1' })).status).toBe(401);
  });

  it('resets a password by email end to end, once, through a real SMTP peer', async () => {
    await createUser(t.db, { email: 'reset@example.org', name: 'Đặt Lại', password: 'old-password' }, 'test');
    const c = client();
    await c.get('/forgot');
    const sent = await c.post('/forgot', { email: 'reset@example.org' });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('Nếu địa chỉ này có tài khoản, chúng tôi đã gửi hướng dẫn đặt lại mật khẩu.');
    // an unknown address gets the same answer and no mail
    const unknown = await c.post('/forgot', { email: 'nobody@example.org' });
    expect(unknown.text).toContain('Nếu địa chỉ này có tài khoản');
    const before = smtp.mails.length;
    await t.drainJobs();
    const mails = await smtp.waitFor(before + 1);
    const mail = mails.filter((m) => m.to.includes('reset@example.org')).at(-1)!;
    expect(mail).toBeTruthy();
    expect(mail.subject.replace(/\s+/g, ' ')).toBe('Đặt lại mật khẩu Cầu Nối');
    expect(mails.some((m) => m.to.includes('nobody@example.org'))).toBe(false);
    const url = mail.text.match(/http:\/\/test\.local(\/reset\/[\w-]+)/)![1];

    const form = await c.get(url);
    expect(form.status).toBe(200);
    // the link's secret never leaks through a Referer header or a cache
    expect(form.headers.get('referrer-policy')).toBe('no-referrer');
    expect(form.headers.get('cache-control')).toBe('no-store');
    expect(form.text).toContain('Mật khẩu mới');
    const short = await c.post(url, { password: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('Mật khẩu cần ít nhất 8 ký tự.');
    const done = await c.post(url, { password: 'brand-new-password' });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/signin?reset=1');
    expect((await c.get('/signin?reset=1')).text).toContain('Đã đặt lại mật khẩu. Vui lòng đăng nhập.');

    // single use
    await c.get(url);
    const again = await c.post(url, { password: 'another-password' });
    expect(again.status).toBe(410);
    expect(again.text).toContain('Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn.');

    // the new password works, the old one does not
    const d = client();
    await d.get('/signin');
    expect((await d.post('/signin', { email: 'reset@example.org', password: 'old-password' })).status).toBe(401);
    expect((await d.post('/signin', { email: 'reset@example.org', password: 'brand-new-password' })).status).toBe(303);
  });

  it('a successful reset kills every other outstanding reset link of the account', async () => {
    await createUser(t.db, { email: 'twice@example.org', name: 'Hai Lần', password: 'first-password' }, 'test');
    const c = client();
    await c.get('/forgot');
    const before = smtp.mails.length;
    await c.post('/forgot', { email: 'twice@example.org' });
    await c.post('/forgot', { email: 'twice@example.org' });
    await t.drainJobs();
    const mails = (await smtp.waitFor(before + 2)).filter((m) => m.to.includes('twice@example.org'));
    expect(mails).toHaveLength(2);
    const [u1, u2] = mails.map((m) => m.text.match(/http:\/\/test\.local(\/reset\/[\w-]+)/)![1]);
    expect(u1).not.toBe(u2);
    await c.get(u2);
    expect((await c.post(u2, { password: 'second-password' })).status).toBe(303);
    await c.get(u1);
    expect((await c.post(u1, { password: 'third-password' })).status).toBe(410);
  });

  it('sends the user on only to a path of this site after sign-in', async () => {
    for (const [next, expected] of [
      ['/staff/tokens', '/staff/tokens'],
      ['//evil.example', '/staff'],
      ['/\\evil.example', '/staff'],
      ['https://evil.example/', '/staff'],
      ['/\t/evil.example', '/staff'],
    ]) {
      const c = client();
      await c.get('/signin');
      const r = await c.post('/signin', { email: 'editor@auth.test', password: 'demo1234', next });
      expect(r.location, next).toBe(expected);
    }
    const lang = await t.client().get('/lang/en?next=' + encodeURIComponent('/\\evil.example'));
    expect(lang.location).toBe('/');
    const back = await t.client().get('/lang/en?next=' + encodeURIComponent('/signin?lang=vi'));
    expect(back.location).toBe('/signin');
  });

  it('sends at most three reset mails an hour to one address, while the page answers the same', async () => {
    await createUser(t.db, { email: 'bombed@example.org', name: 'Nhiều Thư', password: 'bombed-pass' }, 'test');
    const before = smtp.mails.length;
    for (let i = 0; i < 5; i++) {
      const c = client();
      await c.get('/forgot');
      const r = await c.post('/forgot', { email: 'Bombed@example.org' });
      expect(r.text).toContain('Nếu địa chỉ này có tài khoản');
    }
    await t.drainJobs();
    await smtp.waitFor(before + 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.mails.filter((m) => m.to.includes('bombed@example.org'))).toHaveLength(3);
  });

  it('changes one’s own password: wrong current refused beside the field, other devices signed out, this one kept', async () => {
    await createUser(t.db, { email: 'change@example.org', name: 'Đổi Mật Khẩu', password: 'change-old-1' }, 'test');
    const uid = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'change@example.org'`))!.id;
    const unit = (await t.db.one<{ id: number }>(`SELECT id FROM units ORDER BY id LIMIT 1`))!.id;
    await grantRole(t.db, uid, 'member', unit);
    const here = client();
    const there = client();
    await here.signIn('change@example.org', 'change-old-1');
    await there.signIn('change@example.org', 'change-old-1');
    const page = await here.get('/staff/account');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Các phiên đăng nhập đang mở');
    expect(page.text).toContain('Thiết bị này');
    expect([...page.text.matchAll(/<tr><td>/g)].length).toBe(2);
    const wrong = await here.post('/staff/account/password', { current: 'nope-nope', password: 'change-new-2' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/id="f-current-err"[^>]*>Mật khẩu hiện tại không đúng\./);
    const short = await here.post('/staff/account/password', { current: 'change-old-1', password: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toMatch(/id="f-password-err"[^>]*>Mật khẩu cần ít nhất 8 ký tự\./);
    const ok = await here.post('/staff/account/password', { current: 'change-old-1', password: 'change-new-2' });
    expect(ok.status).toBe(303);
    expect((await here.get('/staff/account?done=password')).text).toContain(
      'Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất.',
    );
    expect((await there.get('/staff')).status).toBe(303);
    const fresh = client();
    await fresh.get('/signin');
    expect((await fresh.post('/signin', { email: 'change@example.org', password: 'change-old-1' })).status).toBe(401);
    expect((await fresh.post('/signin', { email: 'change@example.org', password: 'change-new-2' })).status).toBe(303);
    expect(
      await t.db.one(`SELECT 1 FROM audit_log WHERE action = 'auth.password-change' AND entity_id = $1`, [String(uid)]),
    ).toBeTruthy();
  });

  it('refuses an expired reset link', async () => {
    const c = client();
    await c.get('/forgot');
    const before = smtp.mails.length;
    await c.post('/forgot', { email: 'reset@example.org' });
    await t.drainJobs();
    const mail = (await smtp.waitFor(before + 1)).at(-1)!;
    const url = mail.text.match(/http:\/\/test\.local(\/reset\/[\w-]+)/)![1];
    await t.db.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    await c.get(url);
    const r = await c.post(url, { password: 'expired-password' });
    expect(r.status).toBe(410);
    expect(r.text).toContain('Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn.');
  });
});

describe(`API tokens (${testDbKind()})`, () => {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('creates a token in the staff area, shows it once, lists it, and it authenticates /api/v1/me until revoked', async () => {
    const c = t.client({ ip: nextIp() });
    await c.signIn('handler@auth.test');
    const page = await c.get('/staff/tokens');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bạn chưa có mã truy cập nào.');

    const empty = await c.post('/staff/tokens', { name: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toMatch(/id="f-name-err"[^>]*>Trường này là bắt buộc\./);

    const created = await c.post('/staff/tokens', { name: 'Báo cáo tự động', scope: 'read' });
    expect(created.status).toBe(200);
    const token = created.text.match(/<code class="token" id="new-token">(cn_[\w-]+)<\/code>/)![1];
    expect(created.text).toContain('chỉ hiển thị một lần');

    const listed = await c.get('/staff/tokens');
    expect(listed.text).toContain('Báo cáo tự động');
    expect(listed.text).toContain(`${token.slice(0, 7)}…`);
    expect(listed.text).not.toContain(token);
    // stored hashed
    expect(await t.db.one(`SELECT 1 FROM api_tokens WHERE token_hash = $1`, [token])).toBeUndefined();

    const anon = new TestClient(t.app);
    const me = await anon.json('/api/v1/me', { headers: bearer(token) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'handler@auth.test', name: 'Phạm Thu Xử', via: 'token' });
    expect(me.body.roles).toHaveLength(1);
    expect(me.body.roles[0]).toMatchObject({
      role: 'handler',
      unit: { name: expect.any(String), path: expect.any(String) },
    });
    expect(me.body.roles[0]).toHaveProperty('agencyId'); // the handler is the city's reception, tied to no agency

    const id = listed.text.match(/action="\/staff\/tokens\/(\d+)\/revoke"/)![1];
    const revoked = await c.post(`/staff/tokens/${id}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await c.get('/staff/tokens')).text).toContain('Đã thu hồi');

    const denied = await anon.json('/api/v1/me', { headers: bearer(token) });
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({
      error: { code: 'invalid_token', message: 'Cần đăng nhập hoặc mã truy cập hợp lệ.', fields: {} },
    });
    const deniedEn = await anon.json('/api/v1/me?lang=en', { headers: bearer(token) });
    expect(deniedEn.body.error.message).toBe('Sign-in or a valid access token is required.');

    const actions = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'api_token' ORDER BY id`,
    );
    expect(actions.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
  });

  it('answers /api/v1/me without credentials with a 401 JSON error, and with a session cookie too', async () => {
    const anon = new TestClient(t.app);
    const r = await anon.json('/api/v1/me');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    const c = t.client({ ip: nextIp() });
    await c.signIn('admin@auth.test');
    const me = await c.json('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'admin@auth.test', via: 'session', roles: [{ role: 'admin' }] });
  });

  it('a token has scopes and an expiry, opens only /api/ and /open311/, and writes only through the actions it names', async () => {
    const c = t.client({ ip: nextIp() });
    await c.signIn('editor@auth.test');
    await c.get('/staff/tokens');
    const none = await c.post('/staff/tokens', { name: 'không quyền' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Hãy chọn ít nhất một quyền.');
    expect(none.text).toContain('value="không quyền"');
    const foreign = await c.post('/staff/tokens', { name: 'quá quyền', scope: ['read', 'users.manage'] });
    expect(foreign.status).toBe(422); // an editor cannot hand a token an admin's action
    const made = async (scope: string[], days = '30') =>
      (await c.post('/staff/tokens', { name: `mã ${scope.join('+')}`, scope, days })).text.match(
        /id="new-token">(cn_[\w-]+)</,
      )![1];
    const reader = await made(['read']);
    const writer = await made(['reports.view']);
    const listed = await c.get('/staff/tokens');
    expect(listed.text).toMatch(/<td>reports\.view<\/td>/);
    const anon = new TestClient(t.app);
    const me = await anon.json('/api/v1/me', { headers: bearer(reader) });
    expect(me.body).toMatchObject({ via: 'token', scopes: ['read'] });
    expect(new Date(me.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86400_000);
    expect(new Date(me.body.expiresAt).getTime() - Date.now()).toBeLessThan(31 * 86400_000);
    // never a staff page, nor any other HTML page
    for (const path of ['/staff', '/staff/mailbox', '/staff/users', '/staff/tokens']) {
      const r = await anon.request(path, { headers: bearer(reader) });
      expect(r.status, path).toBe(403);
      expect(r.text).toContain('Mã truy cập API chỉ dùng được cho /api/ và /open311/');
    }
    expect((await anon.request('/staff/tokens', { method: 'POST', headers: bearer(writer) })).status).toBe(403);
    // Open311 reads with a read token
    expect((await anon.request('/open311/v2/services.json', { headers: bearer(reader) })).status).toBe(200);
    // a read-only token cannot write; a write token cannot read; a write token writes only its action
    const run = {
      method: 'POST',
      headers: { ...bearer(reader), 'content-type': 'application/json' },
      body: JSON.stringify({ from: '2026-01-01', to: '2026-01-31' }),
    };
    const ro = await anon.json('/api/v1/reports/runs', run);
    expect(ro.status).toBe(403);
    expect(ro.body.error).toMatchObject({
      code: 'token_scope',
      message: 'Mã truy cập này không có quyền cho thao tác này.',
    });
    expect((await anon.json('/api/v1/me', { headers: bearer(writer) })).status).toBe(403);
    const w = await anon.json('/api/v1/reports/runs', {
      ...run,
      headers: { ...bearer(writer), 'content-type': 'application/json' },
    });
    expect(w.status).toBe(202);
    const other = await made(['desk.edit']);
    const wrongAction = await anon.json('/api/v1/reports/runs', {
      ...run,
      headers: { ...bearer(other), 'content-type': 'application/json' },
    });
    expect(wrongAction.status).toBe(403);
    // expired: refused like a revoked one
    await t.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'mã read'`);
    expect((await anon.json('/api/v1/me', { headers: bearer(reader) })).status).toBe(401);
    const audit = await t.db.one<{ data: { scopes: string[]; expiresAt: string } }>(
      `SELECT data FROM audit_log WHERE action = 'token.create' AND data->>'name' = 'mã reports.view'`,
    );
    expect(audit!.data.scopes).toEqual(['reports.view']);
  });

  it('create-token on the command line takes --scope and --expires, and the old flags still work', async () => {
    const lines: string[] = [];
    const run = async (...argv: string[]) => {
      lines.length = 0;
      const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
      return { code, out: lines.join('\n') };
    };
    const plain = await run('create-token', '--email', 'reviewer@auth.test', '--name', 'cũ');
    expect(plain.code ?? 0).toBe(0);
    const me = await new TestClient(t.app).json('/api/v1/me', { headers: bearer(plain.out.trim()) });
    expect(me.body).toMatchObject({ email: 'reviewer@auth.test', scopes: ['read'] });
    const scoped = await run(
      'create-token',
      '--email',
      'reviewer@auth.test',
      '--name',
      'ghi',
      '--scope',
      'read,reports.view',
      '--expires',
      '2099-12-31',
    );
    const me2 = await new TestClient(t.app).json('/api/v1/me', { headers: bearer(scoped.out.trim()) });
    expect(me2.body.scopes).toEqual(['read', 'reports.view']);
    expect(me2.body.expiresAt).toBe('2099-12-31T16:59:59.000Z');
    const never = await run('create-token', '--email', 'reviewer@auth.test', '--name', 'mãi', '--expires', 'never');
    expect(
      (await new TestClient(t.app).json('/api/v1/me', { headers: bearer(never.out.trim()) })).body.expiresAt,
    ).toBeNull();
    const bad = await run('create-token', '--email', 'reviewer@auth.test', '--name', 'x', '--scope', 'everything');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('unknown scope everything');
    expect(
      (await run('create-token', '--email', 'reviewer@auth.test', '--name', 'x', '--expires', '2001-01-01')).code,
    ).toBe(2);
  });

  it('cannot revoke somebody else’s token', async () => {
    const owner = t.client({ ip: nextIp() });
    await owner.signIn('editor@auth.test');
    const created = await owner.post('/staff/tokens', { name: 'Của biên tập', scope: 'read' });
    const token = created.text.match(/id="new-token">(cn_[\w-]+)</)![1];
    const id = (await owner.get('/staff/tokens')).text.match(/action="\/staff\/tokens\/(\d+)\/revoke"/)![1];
    const other = t.client({ ip: nextIp() });
    await other.signIn('member@auth.test');
    await other.get('/staff/tokens');
    await other.post(`/staff/tokens/${id}/revoke`, {});
    const me = await new TestClient(t.app).json('/api/v1/me', { headers: bearer(token) });
    expect(me.status).toBe(200);
  });
});
