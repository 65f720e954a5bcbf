import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/platform/auth/service.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCampaign, makeClaim, makeGroup, makeIncident, makeItem, makeReport } from '../helpers/factories.js';
import { makeList } from '../helpers/factories-crisis.js';
import { makeTemplate } from '../helpers/factories-mailbox.js';
import { makeJoinRequest } from '../helpers/factories-network.js';
import { makeCourse } from '../helpers/factories-training.js';
import { cityWithCategories } from '../mailbox/helpers.js';

/**
 * Hostile input (issue 12, Low): a NUL byte, a broken %-escape, a control character, a broken multipart body,
 * a body over the limit, very long values. Each gets a translated 4xx, never a 500; then a sweep sends them to
 * every registered route and parameter.
 */
let t: TestApp;
let admin: TestClient;
let token: string;
beforeAll(async () => {
  t = await testApp({ demo: false, env: { RATE_LIMIT_DISABLED: '1', BODY_LIMIT_BYTES: String(256 * 1024) } });
  // Huế's staff (the admin first: user 1) and one row of each kind, so the sweep's ".../1" reaches each page's own code
  const u = await cityWithCategories(t, 'hostile');
  const { admin: boss, editor, reviewer } = u.staff;
  const city = boss.unit;
  const ward = u.staff.member.unit;
  await makeReport(t.deps, { unit: ward, category: u.env });
  await makeTemplate(t.deps, reviewer.id, {
    name: 'Cảm ơn',
    body: 'Cảm ơn bạn đã phản ánh.',
    category: u.env,
  });
  await makeItem(t.deps, { author: editor.id, reviewer: reviewer.id, status: 'published' });
  await makeIncident(t.deps, { by: editor.id, unit: city, statement: { reviewer: reviewer.id } });
  await makeList(t.deps, {
    by: editor.id,
    unit: city,
    name: 'Báo chí',
    kind: 'press',
    contacts: [{ name: 'Phóng viên', email: 'pv@example.org' }],
  });
  await makeGroup(t.db, boss.id, { unit: ward, name: 'Nhóm Phú Xuân' });
  await makeJoinRequest(t.deps, boss.id, { unit: ward, name: 'Người Mới', email: 'nguoimoi@example.org' });
  await makeCampaign(t.deps, { by: boss.id, units: [city] });
  await makeCourse(t.db, { by: boss.id, unit: city });
  await makeClaim(t.deps, { text: 'Nghe nói thành phố cắt nước toàn bộ 5 ngày?', unit: ward });
  admin = t.client({ ip: '198.51.100.200' });
  await admin.signIn('admin@hostile.test');
  token = await createToken(t.db, boss.id, 'sweep', 'test', null, {
    scopes: ['read', 'reports.view', 'desk.claims', 'mailbox.triage'],
  });
});
afterAll(async () => {
  await t?.close();
});

const json = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json', ...headers },
});

describe(`hostile input (${testDbKind()})`, () => {
  it('a NUL byte in any text is a translated 400, on pages, forms and the API', async () => {
    const anon = t.client();
    for (const path of [
      '/mailbox?q=a%00b',
      '/search?q=%00',
      '/network/certificates?code=%00',
      '/verify?text=%00',
      '/api/v1/claims/KC-%00',
      '/open311/v2/requests.json?service_code=%00',
    ]) {
      const r = await anon.get(path);
      expect(r.status, path).toBe(400);
    }
    const staff = await admin.get('/staff/users?q=%00');
    expect(staff.status).toBe(400);
    expect(staff.text).toContain('Yêu cầu chứa ký tự không hợp lệ');
    const en = await admin.get('/staff/users?q=%00&lang=en');
    expect(en.text).toContain('The request contains characters that are not allowed');
    const api = await anon.json(
      '/api/v1/mailbox/reports',
      json(JSON.stringify({ title: 'a\u0000b', description: 'x' })),
    );
    expect(api.status).toBe(400);
    expect(api.body.error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('NUL') });
    expect((await anon.json('/api/v1/claims', json(JSON.stringify({ text: 'tin\u0000đồn' })))).status).toBe(400);
    expect(
      (
        await anon.request('/open311/v2/requests.json', {
          method: 'POST',
          body: 'service_code=1&description=a%00b',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(400);
    await anon.get('/verify');
    expect((await anon.post('/verify', { text: 'văn bản\u0000' })).status).toBe(400);
  });

  it('a broken %-escape in a path or query is a 400, Open311 too', async () => {
    const anon = t.client();
    for (const path of [
      '/open311/v2/requests/%E0%A4%A.json',
      '/open311/v2/requests/%zz.json',
      '/claims/%E0%A4%A',
      '/mailbox?q=%E0%A4%A',
      '/staff/mailbox/%ff',
    ]) {
      expect((await anon.get(path)).status, path).toBe(400);
    }
  });

  it('a control character in next (language switch, sign-in) is refused or ignored, never a 500', async () => {
    const anon = t.client();
    expect((await anon.get('/lang/en?next=/staff%01x')).status).toBe(400);
    const lang = await anon.get('/lang/en?next=/mailbox%0Aset-cookie:x');
    expect(lang.status).toBe(303);
    expect(lang.location).toBe('/');
    const vi = await anon.get('/lang/vi?next=/mailbox?q=Huế');
    expect(vi.status).toBe(303);
    expect(vi.location).toBe('/mailbox?q=Hu%E1%BA%BF');
    await anon.get('/signin');
    const signin = await anon.post('/signin', {
      email: 'editor@hostile.test',
      password: 'demo1234',
      next: '/staff\u0001x',
    });
    expect(signin.status).toBe(303);
    expect(signin.location).toBe('/staff');
    const c = t.client({ ip: '198.51.100.201' });
    await c.get('/signin');
    const unicode = await c.post('/signin', {
      email: 'editor@hostile.test',
      password: 'demo1234',
      next: '/desk?q=tin giả',
    });
    expect(unicode.status).toBe(303);
    expect(unicode.location).toBe('/staff'); // a blank is not a path of this site
    const d = t.client({ ip: '198.51.100.202' });
    await d.get('/signin');
    const viet = await d.post('/signin', { email: 'editor@hostile.test', password: 'demo1234', next: '/desk?q=Huế' });
    expect(viet.location).toBe('/desk?q=Hu%E1%BA%BF');
  });

  it('a broken multipart body is a translated 400', async () => {
    await admin.get('/staff');
    const broken =
      '--XYZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n' +
      admin.csrf +
      '\r\n--XYZ\r\nContent-Disposition: form-da';
    for (const path of ['/mailbox/new', '/staff/desk/items', '/open311/v2/requests.json']) {
      const r = await admin.request(path, {
        method: 'POST',
        body: broken,
        headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      });
      expect(r.status, path).toBe(400);
    }
    const r = await admin.request('/mailbox/new', {
      method: 'POST',
      body: broken,
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
    });
    expect(r.text).toContain('Không đọc được dữ liệu gửi lên');
  });

  it('a JSON body over the limit is a 413, with or without a length header', async () => {
    const anon = t.client();
    const big = JSON.stringify({ text: 'x'.repeat(300 * 1024) });
    const withLength = await anon.json('/api/v1/claims', json(big));
    expect(withLength.status).toBe(413);
    expect(withLength.body.error.code).toBe('too_large');
    const stream = new ReadableStream({
      start(ctl) {
        ctl.enqueue(new TextEncoder().encode(big));
        ctl.close();
      },
    });
    const chunked = await t.app.request('/api/v1/mailbox/reports', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const reports = await t.app.request('/api/v1/reports/runs', {
      method: 'POST',
      body: new ReadableStream({
        start(ctl) {
          ctl.enqueue(new TextEncoder().encode(big));
          ctl.close();
        },
      }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      duplex: 'half',
    } as RequestInit);
    expect(reports.status).toBe(413);
  });

  it('sweep: every registered route and parameter with NUL, bad escapes, broken multipart, control characters and very long values answers below 500', async () => {
    const routes = new Map<string, string>();
    for (const r of t.app.routes)
      if (r.method === 'GET' || r.method === 'POST') routes.set(`${r.method} ${r.path}`, r.path);
    const long = 'Hà Nội '.repeat(700);
    const pathValues = ['%00', '%E0%A4%A', encodeURIComponent(long).slice(0, 6000), '99999999999999999999'];
    const fields = [
      'q',
      'next',
      'name',
      'title',
      'body',
      'text',
      'description',
      'email',
      'unit',
      'unitId',
      'id',
      'page',
      'from',
      'to',
      'code',
      'category',
      'status',
      'password',
      'role',
      'url',
      'lang',
      'service_code',
      'lat',
      'long',
    ];
    const fieldValues = ['\u0001\u0002\u001f%E0%A4%A \ud800 {"a": <b>', long];
    const anon = t.client({ ip: '198.51.100.210' });
    const problems: string[] = [];
    let sent = 0;
    const check = async (who: TestClient, label: string, path: string, init: RequestInit = {}) => {
      const r = await who.request(path, init);
      sent++;
      if (r.status >= 500) problems.push(`${r.status} ${label} ${path.slice(0, 120)}`);
    };
    const concrete = (p: string, v: string) =>
      p
        .replace(/:(\w+)(\{[^}]*\})?/g, (_m, _n, re?: string) =>
          re && /^\{[a-z|]+\}$/.test(re) ? re.slice(1, -1).split('|')[0] : v,
        )
        .replace(/\*$/, `requests/${v}.json`);
    const slow: string[] = [];
    for (const [key, pattern] of routes) {
      const [method] = key.split(' ');
      const started = Date.now();
      if (/^\/(signout|static)/.test(pattern) || pattern === '/signout-everywhere') continue;
      const staff = pattern.startsWith('/staff') || pattern.startsWith('/network/manage');
      const who = staff ? admin : anon;
      const hasParams = pattern.includes(':') || pattern.includes('*');
      const paths = hasParams ? pathValues.map((v) => concrete(pattern, v)) : [pattern];
      if (method === 'GET') {
        for (const p of paths) await check(who, 'GET', p);
        const base = hasParams ? concrete(pattern, '1') : pattern;
        for (const v of fieldValues)
          await check(
            who,
            'GET',
            `${base}?${new URLSearchParams(fields.map((f) => [f, v.slice(0, 2000)])).toString()}`,
          );
        if (pattern.startsWith('/api/') || pattern.startsWith('/open311/'))
          await check(anon, 'GET+token', `${base}?q=%00`, { headers: { authorization: `Bearer ${token}` } });
      } else {
        if (!who.csrf) await who.get('/');
        const base = hasParams ? concrete(pattern, '1') : pattern;
        for (const p of paths.slice(0, 2))
          await check(who, 'POST', p, {
            method: 'POST',
            body: new URLSearchParams({ _csrf: who.csrf }),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          });
        for (const v of fieldValues) {
          const form = new URLSearchParams({ _csrf: who.csrf });
          for (const f of fields) form.set(f, v);
          await check(who, 'POST form', base, {
            method: 'POST',
            body: form.toString().replace('%25E0', '%E0'),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          });
        }
        const body = Object.fromEntries(fields.map((f) => [f, long]));
        await check(who, 'POST json', base, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', 'x-csrf-token': who.csrf },
        });
        await check(who, 'POST json-nul', base, {
          method: 'POST',
          body: '{"text":"a\\u0000"}',
          headers: { 'content-type': 'application/json', 'x-csrf-token': who.csrf },
        });
        if (pattern.startsWith('/api/') || pattern.startsWith('/open311/'))
          await check(who, 'POST bad json', base, {
            method: 'POST',
            body: '{"text":',
            headers: { 'content-type': 'application/json', 'x-csrf-token': who.csrf },
          });
        await check(who, 'POST multipart', base, {
          method: 'POST',
          body: `--B\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${who.csrf}\r\n--B\r\nContent-Disp`,
          headers: { 'content-type': 'multipart/form-data; boundary=B', 'x-csrf-token': who.csrf },
        });
        const fd = new FormData();
        fd.set('_csrf', who.csrf);
        for (const f of fields) fd.set(f, '\u0007' + long.slice(0, 500));
        fd.append('photos', new File([new Uint8Array([0, 1, 2, 0])], 'a\u0001.jpg', { type: 'image/jpeg' }));
        await check(who, 'POST multipart-odd', base, { method: 'POST', body: fd });
        if (pattern.startsWith('/api/') || pattern.startsWith('/open311/')) {
          await check(anon, 'POST+token', base, {
            method: 'POST',
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          });
        }
      }
      if (Date.now() - started > 1000) slow.push(`${Date.now() - started} ms ${key}`);
    }
    if (slow.length) console.log(slow.join('\n'));
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  }, 120_000);
});
