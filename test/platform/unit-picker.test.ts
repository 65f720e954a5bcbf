import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { findUnitByName, makeCityStaff, makeUser, realCity } from '../helpers/factories.js';
import { startSmtp } from '../helpers/smtp.js';

const REFERENCE = path.join(import.meta.dirname, 'fixtures', 'units-vn-2025-07-01.json');

async function cli(t: TestApp, ...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

const radios = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<input type="radio" name="${name}" value="(\\d+)"[^>]*/?> ([^<]+)<`, 'g'))].map((m) =>
    m[2].trim(),
  );

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
  // Huế with its wards and staff, then the whole country on top of it (3,321 communes)
  await realCity(t.db);
  await makeCityStaff(t.db, 'picker');
  const r = await cli(t, 'import-units', REFERENCE);
  expect(r.code).toBe(0);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe(`unit pickers after the national import (${testDbKind()})`, () => {
  it('search as you type stays inside the root unit and names each ward with its province, with or without diacritics', async () => {
    const c = t.client();
    const plain = await c.json<{ units: { label: string }[] }>('/units/pick?q=an+cuu&leaves=1');
    expect(plain.status).toBe(200);
    expect(plain.body.units.map((u) => u.label)).toEqual(['Phường An Cựu, Thành phố Huế']);
    const marked = await c.json<{ units: { label: string }[] }>(
      `/units/pick?q=${encodeURIComponent('Phú Xuân')}&leaves=1`,
    );
    expect(marked.body.units.map((u) => u.label)).toContain('Phường Phú Xuân, Thành phố Huế');
    // the country has other communes with these names; none is offered outside Huế
    const country = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM units WHERE vn_fold(full_name) LIKE '%phu xuan%'`,
    );
    expect(country!.n).toBeGreaterThan(1);
    expect(marked.body.units.every((u) => u.label.endsWith(', Thành phố Huế'))).toBe(true);
    const english = await c.json<{ units: { label: string }[] }>('/units/pick?q=an+cuu&leaves=1', {
      headers: { cookie: 'lang=en' },
    });
    expect(english.status).toBe(200);
  });

  it('the root unit is a setting: root-unit CODE moves every picker to that province', async () => {
    const before = await cli(t, 'root-unit');
    expect(before.out).toBe('root unit: 46 Thành phố Huế');
    expect((await cli(t, 'root-unit', '99999')).code).toBe(1);
    expect((await cli(t, 'root-unit', '01')).out).toBe('root unit: 01 Thành phố Hà Nội');
    const c = t.client();
    const found = await c.json<{ units: { label: string }[] }>('/units/pick?q=hoan+kiem&leaves=1');
    expect(found.body.units.map((u) => u.label)).toEqual(['Phường Hoàn Kiếm, Thành phố Hà Nội']);
    expect((await c.json<{ units: unknown[] }>('/units/pick?q=an+cuu&leaves=1')).body.units).toEqual([]);
    const audit = await t.db.one<{ data: { old: string; new: string } }>(
      `SELECT data FROM audit_log WHERE action = 'units.root' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit!.data).toEqual({ old: '46', new: '01' });
    expect((await cli(t, 'root-unit', '46')).code).toBe(0);
  });

  it('without JavaScript: a GET search re-renders the new-user form with what was typed and a short list to choose from', async () => {
    const c = t.client();
    await c.signIn('admin@picker.test');
    const page = await c.get(
      `/staff/users/new?email=moi%40example.org&name=${encodeURIComponent('Cán Bộ Mới')}&unitId_q=vy+da&_pick=unitId`,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="moi@example.org"');
    expect(page.text).toContain('value="Cán Bộ Mới"');
    expect(page.text).toContain('value="vy da"');
    expect(radios(page.text, 'unitId')).toEqual(['Phường Vỹ Dạ, Thành phố Huế']);
    expect(page.text).toContain('Tìm thấy 1 đơn vị; chọn một.');
    // nothing typed: no list of the first 500 units of the country
    const empty = await c.get('/staff/users/new');
    expect(radios(empty.text, 'unitId')).toEqual([]);
    expect(empty.text).not.toContain('Tỉnh Tuyên Quang');
  });

  it('a ward admin searches only inside the ward', async () => {
    const ward = (await t.db.one<{ id: number; path: string; code: string; name: string }>(
      `SELECT id, path::text AS path, code, full_name AS name FROM units WHERE code = '19789'`,
    ))!;
    await makeUser(t.db, { email: 'admin@th.picker.test', role: 'admin', unit: ward });
    const c = t.client();
    await c.signIn('admin@th.picker.test');
    const page = await c.get('/staff/users/new?unitId_q=phuong&_pick=unitId');
    expect(radios(page.text, 'unitId')).toEqual([`${ward.name}, Thành phố Huế`]);
  });

  it('a refused form keeps the chosen unit, named with its province', async () => {
    const c = t.client();
    await c.signIn('admin@picker.test');
    const unit = await findUnitByName(t.db, 'Phường An Cựu');
    const res = await c.post('/staff/users', {
      email: 'not-an-email',
      name: 'X',
      role: 'editor',
      unitId: String(unit.id),
    });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(
      /<input type="radio" name="unitId" value="\d+" checked=""[^>]*\/?> Phường An Cựu, Thành phố Huế/,
    );
  });
});

describe(`invitations and the user list (${testDbKind()})`, () => {
  it('a new user without a password gets a single-use invitation link that expires; both audited', async () => {
    const c = t.client();
    await c.signIn('admin@picker.test');
    const unit = await findUnitByName(t.db, 'Phường Vỹ Dạ');
    const res = await c.post('/staff/users', {
      email: 'moi.vao@example.org',
      name: 'Người Mới Vào',
      role: 'handler',
      unitId: String(unit.id),
      locale: 'vi',
    });
    expect(res.status).toBe(303);
    const page = await c.get(res.location!);
    expect(page.text).toContain('Đã gửi thư mời đặt mật khẩu');
    expect(page.text).toContain('Chưa đặt mật khẩu: thư mời đã gửi.');
    const before = smtp.mails.length;
    await t.drainJobs();
    const mails = await smtp.waitFor(before + 1);
    const mail = mails.filter((m) => m.to.includes('moi.vao@example.org')).at(-1)!;
    expect(mail.subject.replace(/\s+/g, ' ')).toBe('Mời bạn tham gia Cầu Nối — đặt mật khẩu');
    expect(mail.text).toContain('trong 7 ngày');
    const url = mail.text.match(/http:\/\/test\.local(\/reset\/[\w-]+)/)![1];
    const anon = t.client({ ip: '198.51.100.77' });
    expect((await anon.get(url)).status).toBe(200);
    const set = await anon.post(url, { password: 'mat-khau-rat-moi', confirm: 'mat-khau-rat-moi' });
    expect(set.status).toBe(303);
    // single use
    const again = await t
      .client({ ip: '198.51.100.78' })
      .post(url, { password: 'mat-khau-khac-nua', confirm: 'mat-khau-khac-nua' });
    expect(again.status).not.toBe(303);
    const who = t.client({ ip: '198.51.100.79' });
    await who.get('/signin');
    expect((await who.post('/signin', { email: 'moi.vao@example.org', password: 'mat-khau-rat-moi' })).status).toBe(
      303,
    );
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'user' AND entity_id = (SELECT id::text FROM users WHERE email = 'moi.vao@example.org') ORDER BY id`,
    );
    expect(audit.map((a) => a.action).slice(0, 4)).toEqual([
      'user.create',
      'user.grant',
      'user.invite',
      'auth.password-reset',
    ]);
  });

  it('an invitation link stops working after its days; the admin sends it again', async () => {
    const c = t.client();
    await c.signIn('admin@picker.test');
    const res = await c.post('/staff/users', { email: 'tre.han@example.org', name: 'Trễ Hạn', locale: 'en' });
    const id = Number(res.location!.match(/\/staff\/users\/(\d+)/)![1]);
    await t.drainJobs();
    const first = (await smtp.waitFor(1)).filter((m) => m.to.includes('tre.han@example.org')).at(-1)!;
    expect(first.subject.replace(/\s+/g, ' ')).toBe('You are invited to Cầu Nối — set your password');
    const url = first.text.match(/http:\/\/test\.local(\/reset\/[\w-]+)/)![1];
    await t.db.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [id]);
    expect(
      (await t.client({ ip: '198.51.100.80' }).post(url, { password: 'mat-khau-qua-han', confirm: 'mat-khau-qua-han' }))
        .status,
    ).not.toBe(303);
    await c.get(`/staff/users/${id}`);
    const sent = await c.post(`/staff/users/${id}/invite`, {});
    expect(sent.status).toBe(303);
    const n = smtp.mails.length;
    await t.drainJobs();
    const second = (await smtp.waitFor(n + 1)).filter((m) => m.to.includes('tre.han@example.org')).at(-1)!;
    expect(second.text).not.toBe(first.text);
    const invites = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.invite' AND entity_id = $1`,
      [String(id)],
    );
    expect(invites!.n).toBe(2);
  });

  it('the user list filters by role and unit and pages', async () => {
    const ward = await findUnitByName(t.db, 'Phường Phú Xuân');
    for (let i = 0; i < 55; i++)
      await makeUser(t.db, {
        email: `px${String(i).padStart(2, '0')}@list.test`,
        name: `Phú Xuân ${String(i).padStart(2, '0')}`,
        role: 'reviewer',
        unit: ward,
      });
    const c = t.client();
    await c.signIn('admin@picker.test');
    const first = await c.get(`/staff/users?role=reviewer&unit=${ward.id}`);
    expect(first.status).toBe(200);
    const rows = (html: string) => [...html.matchAll(/data-user="([^"]+)"/g)].map((m) => m[1]);
    expect(rows(first.text)).toHaveLength(50);
    expect(rows(first.text).every((e) => e.endsWith('@list.test'))).toBe(true);
    expect(first.text).toContain('Trang 1');
    const next = first.text.match(/<a href="([^"]+)" rel="next">/)![1].replace(/&amp;/g, '&');
    const second = await c.get(next);
    expect(rows(second.text)).toHaveLength(5);
    expect(second.text).toContain('rel="prev"');
    // the unit filter shows the chosen unit, named with its province
    expect(first.text).toMatch(/checked=""[^>]*\/?> Phường Phú Xuân, Thành phố Huế/);
    const handlers = await c.get(`/staff/users?role=handler&unit=${ward.id}`);
    expect(rows(handlers.text).some((e) => e.endsWith('@list.test'))).toBe(false);
    expect(rows((await c.get('/staff/users?role=editor')).text)).toContain('editor@picker.test');
  });
});
