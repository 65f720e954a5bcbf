import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/platform/auth/repo.js';
import { createToken, createUser } from '../../src/platform/auth/service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, realAgency, realUnit } from '../helpers/factories.js';

let ip = 10;
const nextIp = () => `192.0.2.${ip++}`;

describe(`staff administration: accounts, roles, audit log (${testDbKind()})`, () => {
  let t: TestApp;
  let province: { id: number; path: string };
  let wards: { id: number; path: string; full_name: string }[];
  beforeAll(async () => {
    t = await testApp({ demo: false });
    // the city with two wards and an agency of each level; admin, editor, reviewer, handler on the city, the member on the first ward
    await makeCityStaff(t.db, 'admin');
    await realUnit(t.db, '19789');
    await realAgency(t.db, 'HUE-SXD');
    await realAgency(t.db, 'HUE-TH-UBND');
    province = (await t.db.one<{ id: number; path: string }>(
      `SELECT id, path::text AS path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`,
    ))!;
    wards = await t.db.query(`SELECT id, path::text AS path, full_name FROM units WHERE parent_id = $1 ORDER BY id`, [
      province.id,
    ]);
  });
  afterAll(() => t?.close());

  const as = async (email: string, password?: string) => {
    const c = t.client({ ip: nextIp() });
    await c.signIn(email, password);
    return c;
  };

  it('shows the admin pages in the admin’s menu only, and refuses them to other roles with a translated page', async () => {
    const admin = await as('admin@admin.test');
    const staff = await admin.get('/staff');
    expect(staff.text).toContain('href="/staff/users"');
    expect(staff.text).toContain('href="/staff/audit"');
    expect(staff.text).toContain('href="/staff/tokens"');
    for (const email of ['member@admin.test', 'editor@admin.test']) {
      const c = await as(email);
      const page = await c.get('/staff');
      expect(page.text).not.toContain('href="/staff/users"');
      expect(page.text).not.toContain('href="/staff/audit"');
      expect(page.text).toContain('href="/staff/tokens"');
      const users = await c.get('/staff/users');
      expect(users.status).toBe(403);
      expect(users.text).toContain('Bạn không có quyền thực hiện thao tác này.');
      expect((await c.get('/staff/audit')).status).toBe(403);
      expect((await c.post('/staff/users', { email: 'x@example.org', name: 'X' })).status).toBe(403);
    }
    expect((await t.client().get('/staff/users')).location).toBe('/signin?next=%2Fstaff%2Fusers');
  });

  it('lists accounts with their roles and finds one by name without diacritics', async () => {
    const admin = await as('admin@admin.test');
    const list = await admin.get('/staff/users');
    expect(list.status).toBe(200);
    for (const email of ['admin@admin.test', 'editor@admin.test', 'member@admin.test'])
      expect(list.text).toContain(email);
    expect(list.text).toContain('Biên tập viên');
    const found = await admin.get('/staff/users?q=tran%20thi%20bien');
    expect(found.text).toContain('editor@admin.test');
    expect(found.text).not.toContain('member@admin.test');
  });

  it('creating an account: translated errors beside the fields, what was typed kept', async () => {
    const admin = await as('admin@admin.test');
    await admin.get('/staff/users/new');
    const bad = await admin.post('/staff/users', {
      email: 'not-an-email',
      name: '',
      password: 'short',
      locale: 'vi',
      role: 'editor',
      unitId: '',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="f-email-err"[^>]*>Địa chỉ thư điện tử không hợp lệ\./);
    expect(bad.text).toMatch(/id="f-name-err"[^>]*>Trường này là bắt buộc\./);
    expect(bad.text).toContain('value="not-an-email"');
    expect(bad.text).not.toContain('value="short"');
    const second = await admin.post('/staff/users', {
      email: 'editor@admin.test',
      name: 'Trùng',
      password: 'short',
      locale: 'vi',
      role: 'editor',
      unitId: '',
    });
    expect(second.status).toBe(422);
    expect(second.text).toMatch(/id="f-email-err"[^>]*>Địa chỉ này đã có tài khoản\./);
    expect(second.text).toMatch(/id="f-password-err"[^>]*>Mật khẩu cần ít nhất 8 ký tự\./);
    expect(second.text).toMatch(/id="f-unitId-err"[^>]*>Chọn đơn vị để cấp vai trò\./);
    expect(second.text).toContain('value="Trùng"');
    expect(second.text).toMatch(/<option value="editor" selected="">/);
  });

  it('creates an account with a role on a ward; the new user signs in and gets that role; grant and revoke are audited', async () => {
    const admin = await as('admin@admin.test');
    await admin.get('/staff/users/new');
    const ward = wards[1];
    const created = await admin.post('/staff/users', {
      email: 'Moi@Example.org',
      name: 'Lê Văn Mới',
      password: 'new-user-pass',
      locale: 'en',
      role: 'handler',
      unitId: String(ward.id),
    });
    expect(created.status).toBe(303);
    const page = await admin.get(created.location!);
    expect(page.text).toContain('Đã tạo tài khoản.');
    expect(page.text).toContain('Lê Văn Mới');
    expect(page.text).toContain(`Cán bộ xử lý — ${ward.full_name}`);
    const userId = Number(created.location!.match(/\/staff\/users\/(\d+)/)![1]);

    const newbie = await as('moi@example.org', 'new-user-pass');
    const me = await newbie.json('/api/v1/me');
    expect(me.body.roles).toEqual([
      expect.objectContaining({ role: 'handler', unit: expect.objectContaining({ id: ward.id }) }),
    ]);

    // grant: errors first, then a real one
    const missing = await admin.post(`/staff/users/${userId}/grant`, { role: '', unitId: '' });
    expect(missing.status).toBe(422);
    expect(missing.text).toMatch(/id="f-role-err"[^>]*>Chọn vai trò để cấp trên đơn vị này\./);
    const granted = await admin.post(`/staff/users/${userId}/grant`, { role: 'editor', unitId: String(province.id) });
    expect(granted.status).toBe(303);
    expect((await admin.get(granted.location!)).text).toContain('Đã cấp vai trò.');
    expect((await newbie.json('/api/v1/me')).body.roles.map((r: { role: string }) => r.role).sort()).toEqual([
      'editor',
      'handler',
    ]);

    const revoked = await admin.post(`/staff/users/${userId}/revoke`, { role: 'handler', unitId: String(ward.id) });
    expect(revoked.status).toBe(303);
    const after = await admin.get(revoked.location!);
    expect(after.text).toContain('Đã thu hồi vai trò.');
    expect(after.text).not.toContain(`Cán bộ xử lý — ${ward.full_name}`);
    expect((await newbie.json('/api/v1/me')).body.roles.map((r: { role: string }) => r.role)).toEqual(['editor']);

    const audit = await t.db.query<{
      action: string;
      actor_label: string;
      unit_id: number | null;
      data: { role?: string };
    }>(
      `SELECT action, actor_label, unit_id, data FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 AND action LIKE 'user.%' ORDER BY id`,
      [String(userId)],
    );
    expect(audit.map((a) => [a.action, a.data.role ?? null, a.unit_id])).toEqual([
      ['user.create', null, null],
      ['user.grant', 'handler', ward.id],
      ['user.grant', 'editor', province.id],
      ['user.revoke', 'handler', ward.id],
    ]);
    expect(new Set(audit.map((a) => a.actor_label))).toEqual(new Set(['admin@admin.test']));
  });

  it('disabling an account ends its sessions and its tokens at once; enabling lifts a lock-out too', async () => {
    const id = await createUser(
      t.db,
      { email: 'leaving@example.org', name: 'Sắp Nghỉ', password: 'leaving-pass' },
      'test',
    );
    await grantRole(t.db, id, 'editor', province.id);
    const leaver = await as('leaving@example.org', 'leaving-pass');
    const created = await leaver.post('/staff/tokens', { name: 'script', scope: 'read' });
    const token = created.text.match(/id="new-token">(cn_[\w-]+)</)![1];
    const admin = await as('admin@admin.test');
    await admin.get(`/staff/users/${id}`);
    const invite = await admin.post(`/staff/users/${id}/invite`, {});
    expect(invite.status).toBe(422);
    expect(invite.text).toContain('Tài khoản này đã có mật khẩu hoặc đang bị khoá; không cần thư mời.');
    expect(invite.text).toContain('leaving@example.org');
    const off = await admin.post(`/staff/users/${id}/disable`, {});
    expect(off.status).toBe(303);
    const page = await admin.get(off.location!);
    expect(page.text).toContain('Đã khóa tài khoản; mọi phiên đăng nhập của tài khoản đã kết thúc.');
    expect(page.text).toContain('Mở khóa tài khoản');
    expect((await leaver.get('/staff')).status).toBe(303);
    expect((await t.app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const again = t.client({ ip: nextIp() });
    await again.get('/signin');
    expect((await again.post('/signin', { email: 'leaving@example.org', password: 'leaving-pass' })).status).toBe(401);

    await t.db.query(`UPDATE users SET failed_logins = 9, locked_until = now() + interval '1 hour' WHERE id = $1`, [
      id,
    ]);
    const on = await admin.post(`/staff/users/${id}/enable`, {});
    expect((await admin.get(on.location!)).text).toContain('Đã mở khóa tài khoản.');
    expect((await again.post('/signin', { email: 'leaving@example.org', password: 'leaving-pass' })).status).toBe(303);
    const actions = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 AND action IN ('user.disable', 'user.enable') ORDER BY id`,
      [String(id)],
    );
    expect(actions.map((a) => a.action)).toEqual(['user.disable', 'user.enable']);

    const me = await admin.json('/api/v1/me');
    await admin.get(`/staff/users/${me.body.id}`);
    const self = await admin.post(`/staff/users/${me.body.id}/disable`, {});
    expect(self.status).toBe(422);
    expect(self.text).toContain('Bạn không thể tự khóa tài khoản của mình.');
  });

  it('ties a handler to an agency inside the granted unit, and refuses one outside it', async () => {
    const agencies = await t.db.query<{ id: number; name: string; unit_id: number }>(
      `SELECT id, name, unit_id FROM agencies ORDER BY id`,
    );
    const onProvince = agencies.find((a) => a.unit_id === province.id)!;
    const id = await createUser(
      t.db,
      { email: 'handler2@example.org', name: 'Xử Lý Hai', password: 'handler2-pass' },
      'test',
    );
    const admin = await as('admin@admin.test');
    const page = await admin.get(`/staff/users/${id}`);
    expect(page.text).toContain(`<option value="${onProvince.id}">`);
    const outside = await admin.post(`/staff/users/${id}/grant`, {
      role: 'handler',
      unitId: String(wards[0].id),
      agencyId: String(onProvince.id),
    });
    expect(outside.status).toBe(422);
    expect(outside.text).toMatch(/id="f-agencyId-err"[^>]*>Cơ quan này không thuộc đơn vị đã chọn\./);
    expect(outside.text).toMatch(new RegExp(`<option value="${onProvince.id}" selected="">`));
    const inside = await admin.post(`/staff/users/${id}/grant`, {
      role: 'handler',
      unitId: String(province.id),
      agencyId: String(onProvince.id),
    });
    expect(inside.status).toBe(303);
    expect((await admin.get(inside.location!)).text).toContain(`Cán bộ xử lý — `);
    expect((await admin.get(`/staff/users/${id}`)).text).toContain(`(${onProvince.name})`);
    const h = await as('handler2@example.org', 'handler2-pass');
    const me = await h.json('/api/v1/me');
    expect(me.body.roles).toEqual([
      expect.objectContaining({
        role: 'handler',
        agencyId: onProvince.id,
        agency: { id: onProvince.id, name: onProvince.name },
      }),
    ]);
  });

  it('an admin cannot revoke its own admin role', async () => {
    const admin = await as('admin@admin.test');
    const me = await admin.json('/api/v1/me');
    await admin.get(`/staff/users/${me.body.id}`);
    const r = await admin.post(`/staff/users/${me.body.id}/revoke`, { role: 'admin', unitId: String(province.id) });
    expect(r.status).toBe(422);
    expect(r.text).toContain('Bạn không thể tự thu hồi vai trò quản trị của mình.');
  });

  it('a ward admin manages only its ward: other wards’ staff are hidden and the province cannot be chosen', async () => {
    const id = await createUser(
      t.db,
      { email: 'ward-admin@example.org', name: 'Quản Trị Phường', password: 'ward-admin-pass' },
      'test',
    );
    await grantRole(t.db, id, 'admin', wards[0].id);
    const c = await as('ward-admin@example.org', 'ward-admin-pass');
    const list = await c.get('/staff/users');
    expect(list.status).toBe(200);
    expect(list.text).toContain('ward-admin@example.org');
    expect(list.text).toContain('member@admin.test'); // the member is on the first ward
    expect(list.text).not.toContain('editor@admin.test'); // granted on the province
    const form = await c.get('/staff/users/new');
    expect(form.text).toContain(`value="${wards[0].id}"`);
    expect(form.text).not.toContain(`value="${province.id}"`);
    const up = await c.post('/staff/users', {
      email: 'sneaky@example.org',
      name: 'Lên Tỉnh',
      password: '',
      locale: 'vi',
      role: 'admin',
      unitId: String(province.id),
    });
    expect(up.status).toBe(422);
    expect(up.text).toMatch(/id="f-unitId-err"[^>]*>Lựa chọn không hợp lệ\./);
    const editorId = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'editor@admin.test'`))!.id;
    expect((await c.get(`/staff/users/${editorId}`)).status).toBe(404);
    // an account with a role in the ward and another on the province cannot be switched off from the ward
    const both = await createUser(
      t.db,
      { email: 'both@example.org', name: 'Hai Nơi', password: 'both-pass-1' },
      'test',
    );
    await grantRole(t.db, both, 'member', wards[0].id);
    await grantRole(t.db, both, 'editor', province.id);
    await c.get(`/staff/users/${both}`);
    const off = await c.post(`/staff/users/${both}/disable`, {});
    expect(off.status).toBe(422);
    expect(off.text).toContain('Bạn không có quyền thực hiện thao tác này.');
    expect(
      (await t.db.one<{ disabled_at: Date | null }>(`SELECT disabled_at FROM users WHERE id = $1`, [both]))!
        .disabled_at,
    ).toBeNull();
  });

  it('shows the audit log, filtered by action, actor, record and date, newest first, with paging', async () => {
    const admin = await as('admin@admin.test');
    const all = await admin.get('/staff/audit');
    expect(all.status).toBe(200);
    expect(all.text).toContain('Nhật ký thao tác');
    expect(all.text).toContain('auth.sign-in');
    const ids = [...all.text.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids.length).toBeGreaterThan(0);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    const users = await admin.get('/staff/audit?action=user.');
    const actions = [...users.text.matchAll(/<td><code>([\w.-]+)<\/code><\/td>/g)].map((m) => m[1]);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.startsWith('user.'))).toBe(true);
    expect(users.text).toContain('value="user."');

    const byActor = await admin.get('/staff/audit?actor=moi%40example.org&action=auth.sign-in');
    const rows = [...byActor.text.matchAll(/data-audit-id="/g)].length;
    expect(rows).toBeGreaterThanOrEqual(1);
    expect(byActor.text).not.toContain('<td>admin@admin.test</td>');

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    expect((await admin.get(`/staff/audit?from=${today}&to=${today}&action=user.create`)).text).toContain(
      'data-audit-id',
    );
    expect((await admin.get(`/staff/audit?to=2000-01-01`)).text).toContain('Không có mục nhật ký nào phù hợp.');

    const bad = await admin.get('/staff/audit?from=31-12-2025&actor=ai%20do');
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="f-from-err"[^>]*>Ngày không hợp lệ\./);
    expect(bad.text).toContain('value="ai do"');

    // paging: more than one page of entries
    const first = Math.max(...ids);
    const older = await admin.get(`/staff/audit?before=${first}`);
    const olderIds = [...older.text.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(olderIds.every((i) => i < first)).toBe(true);
    const adminId = (await admin.json('/api/v1/me')).body.id;
    for (let i = 0; i < 60; i++) await createToken(t.db, adminId, `t${i}`, 'admin@admin.test');
    const full = await admin.get('/staff/audit?action=token.create');
    expect([...full.text.matchAll(/data-audit-id="/g)].length).toBe(50);
    const next = full.text.match(/href="(\/staff\/audit\?[^"]*before=\d+)"[^>]*rel="next"/)![1].replace(/&amp;/g, '&');
    const page2 = await admin.get(next);
    const total = (await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'token.create'`,
    ))!.n;
    expect(total).toBeGreaterThanOrEqual(60);
    expect([...page2.text.matchAll(/data-audit-id="/g)].length).toBe(total - 50);
  });
});
