/**
 * The platform's own forms (sign-in, password reset, one's password, access tokens, accounts and roles) refused:
 * 422, the translated message beside the field, what was typed kept, and a password never sent back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff } from '../helpers/factories.js';

let ip = 10;
const nextIp = () => `192.0.2.${ip++}`;

/** The error paragraph of field `name`, as Field and Select write it. */
const errorOf = (html: string, name: string) => html.match(new RegExp(`id="f-${name}-err"[^>]*>([^<]*)<`))?.[1] ?? null;

describe(`platform forms refused (${testDbKind()})`, () => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof makeCityStaff>>;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    staff = await makeCityStaff(t.db, 'forms');
  });
  afterAll(() => t?.close());

  const as = async (email: string) => {
    const c = t.client({ ip: nextIp() });
    await c.signIn(email);
    return c;
  };

  it('sign-in: a bad address beside its field, the address and where to go next kept, the password not', async () => {
    const c = t.client({ ip: nextIp() });
    await c.get('/signin?next=/staff/tokens');
    const bad = await c.post('/signin', { email: 'khong-phai-thu', password: 'mat-khau-da-go', next: '/staff/tokens' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'email')).toBe('Địa chỉ thư điện tử không hợp lệ.');
    expect(bad.text).toContain('value="khong-phai-thu"');
    expect(bad.text).toContain('name="next" value="/staff/tokens"');
    expect(bad.text).not.toContain('mat-khau-da-go');
    const empty = await c.post('/signin?lang=en', { email: 'editor@forms.test', password: '' });
    expect(empty.status).toBe(422);
    expect(errorOf(empty.text, 'password')).toBe('This field is required.');
    expect(empty.text).toContain('value="editor@forms.test"');
  });

  it('forgotten password: a bad address beside its field and kept', async () => {
    const c = t.client({ ip: nextIp() });
    const bad = await c.post('/forgot', { email: 'ai đó@' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'email')).toBe('Địa chỉ thư điện tử không hợp lệ.');
    expect(bad.text).toContain('value="ai đó@"');
  });

  it('reset: a short new password said beside the field and never shown again', async () => {
    const c = t.client({ ip: nextIp() });
    const bad = await c.post('/reset/khong-co-ma-nay', { password: 'ngan-1' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'password')).toBe('Mật khẩu cần ít nhất 8 ký tự.');
    expect(bad.text).not.toContain('ngan-1');
  });

  it('one’s password: the empty or wrong current password beside its field, no password echoed', async () => {
    const c = await as(staff.editor.email);
    await c.get('/staff/account');
    const empty = await c.post('/staff/account/password', { current: '', password: 'mat-khau-moi-1' });
    expect(empty.status).toBe(422);
    expect(errorOf(empty.text, 'current')).toBe('Trường này là bắt buộc.');
    expect(empty.text).not.toContain('mat-khau-moi-1');
    const wrong = await c.post('/staff/account/password', { current: 'sai-mat-khau-9', password: 'mat-khau-moi-1' });
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong.text, 'current')).toBe('Mật khẩu hiện tại không đúng.');
    expect(wrong.text).not.toContain('sai-mat-khau-9');
    expect(wrong.text).not.toContain('mat-khau-moi-1');
    const short = await c.post('/staff/account/password', { current: 'demo1234', password: 'ngan' });
    expect(short.status).toBe(422);
    expect(errorOf(short.text, 'password')).toBe('Mật khẩu cần ít nhất 8 ký tự.');
  });

  it('access tokens: a missing name and a scope the account may not give, the ticked scopes and lifetime kept', async () => {
    const c = await as(staff.editor.email);
    await c.get('/staff/tokens');
    const bad = await c.post('/staff/tokens', { name: '  ', scope: ['read', 'users.manage'], days: '365' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'name')).toBe('Trường này là bắt buộc.');
    expect(bad.text).toMatch(/id="f-scope"[^]*Lựa chọn không hợp lệ\./);
    expect(bad.text).toMatch(/name="scope" value="read" checked=""/);
    expect(bad.text).toMatch(/<option value="365" selected="">/);
    const named = await c.post('/staff/tokens', { name: 'Mã báo cáo', days: '30' });
    expect(named.status).toBe(422);
    expect(named.text).toContain('Hãy chọn ít nhất một quyền.');
    expect(named.text).toContain('value="Mã báo cáo"');
    expect(named.text).toMatch(/<option value="30" selected="">/);
    expect(await t.db.one(`SELECT 1 FROM api_tokens WHERE name = 'Mã báo cáo'`)).toBeUndefined();
  });

  it('granting a role: a missing or unknown unit beside the picker, the role chosen kept; a refused revoke says why', async () => {
    const admin = await as(staff.admin.email);
    const id = staff.member.id;
    await admin.get(`/staff/users/${id}`);
    const missing = await admin.post(`/staff/users/${id}/grant`, { role: 'editor', unitId: '' });
    expect(missing.status).toBe(422);
    expect(errorOf(missing.text, 'unitId')).toBe('Chọn đơn vị để cấp vai trò.');
    expect(missing.text).toMatch(/<option value="editor" selected="">/);
    const unknown = await admin.post(`/staff/users/${id}/grant`, { role: 'reviewer', unitId: '999999' });
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown.text, 'unitId')).toBe('Lựa chọn không hợp lệ.');
    expect(unknown.text).toMatch(/<option value="reviewer" selected="">/);
    const revoke = await admin.post(`/staff/users/${id}/revoke`, { role: 'no-such-role', unitId: '1' });
    expect(revoke.status).toBe(422);
    expect(revoke.text).toContain('Không tìm thấy trang bạn yêu cầu.');
  });

  it('a new account: the English messages beside the fields, what was typed kept but the password', async () => {
    const admin = await as(staff.admin.email);
    await admin.get('/staff/users/new');
    const bad = await admin.post('/staff/users?lang=en', {
      email: 'moi@forms.test',
      name: ' ',
      password: 'mat-khau-tam',
      locale: 'en',
      role: 'handler',
      unitId: '',
    });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'name')).toBe('This field is required.');
    expect(bad.text).toContain('value="moi@forms.test"');
    expect(bad.text).toMatch(/<option value="handler" selected="">/);
    expect(bad.text).not.toContain('mat-khau-tam');
  });
});
