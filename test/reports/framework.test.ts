/**
 * The reports framework end to end over fake modules (the figures contract only): pages, sorting,
 * charts, exports, bad input, scope, long reports as jobs, the API and the monthly e-mail.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { createReportsModule } from '../../src/modules/reports/index.js';
import { JOB_MONTHLY, liveSettings } from '../../src/modules/reports/service.js';
import { grantRole } from '../../src/platform/auth/repo.js';
import { createToken, createUser } from '../../src/platform/auth/service.js';
import { enqueue, Worker } from '../../src/platform/jobs/queue.js';
import { JobRegistry } from '../../src/platform/jobs/registry.js';
import { notifyJobs } from '../../src/platform/notify/notify.js';
import { testDbKind } from '../helpers/db.js';
import { testApp, TestClient, type TestApp } from '../helpers/app.js';
import { makeCityStaff, realCity } from '../helpers/factories.js';
import { startSmtp } from '../helpers/smtp.js';
import { fakeModules, type FakeClaim, type FakeReport } from './fakes.js';

describe(`reports framework over fake modules (${testDbKind()})`, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: ReturnType<typeof createApp>;
  let worker: Worker;
  const units: Record<string, { id: number; path: string }> = {};
  const reports: FakeReport[] = [];
  const claims: FakeClaim[] = [];
  const fakes = fakeModules({ reports, claims });
  const client = () => new TestClient(app);

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    // units and logins only: the fake modules bring the figures
    Object.assign(units, await realCity(t.db));
    await makeCityStaff(t.db, 'rpt');
    const px = units['19753'].path; // Phường Phú Xuân
    const th = units['19789'].path; // Phường Thuận Hoá
    const vd = units['19777'].path; // Phường Vỹ Dạ
    reports.push(
      // March 2026 in Vietnam time: Phú Xuân 3 (one at 23:30 on 31 March), Thuận Hoá 2, Vỹ Dạ 1
      { path: px, at: '2026-03-01T00:05:00+07:00', answeredAfterHours: 10, onTime: true, category: 'roads' },
      { path: px, at: '2026-03-15T09:00:00+07:00', answeredAfterHours: 30, onTime: true, category: 'roads' },
      { path: px, at: '2026-03-31T23:30:00+07:00', category: 'environment' },
      { path: th, at: '2026-03-10T08:00:00+07:00', answeredAfterHours: 100, onTime: false, category: 'roads' },
      { path: th, at: '2026-03-11T08:00:00+07:00', answeredAfterHours: 20, onTime: true, category: 'environment' },
      { path: vd, at: '2026-03-20T08:00:00+07:00', answeredAfterHours: 200, onTime: false, category: 'roads' },
      // outside March: 23:59 on 28 Feb and 00:10 on 1 April, Vietnam time
      { path: px, at: '2026-02-28T23:59:00+07:00', answeredAfterHours: 5, onTime: true, category: 'roads' },
      { path: px, at: '2026-04-01T00:10:00+07:00', category: 'roads' },
    );
    claims.push(
      { path: px, at: '2026-03-05T10:00:00+07:00', answered: true },
      { path: th, at: '2026-03-06T10:00:00+07:00' },
    );
    const rm = createReportsModule(() => fakes);
    app = createApp(t.deps, [...fakes, rm]);
    // the reports jobs over the fake modules' figures, and the deliveries they send
    worker = new Worker(t.db, new JobRegistry().add(notifyJobs(t.deps)).add(rm.jobs!(t.deps)));
    // an editor of Phú Xuân only
    const ed = await createUser(
      t.db,
      { email: 'px-editor@rpt.test', name: 'Biên tập Phú Xuân', password: 'demo1234' },
      'test',
    );
    await grantRole(t.db, ed, 'editor', units['19753'].id);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** the test SMTP peer's header decoder may leave a space between encoded words */
  const flat = (s: string) => s.replace(/\s+/g, '');
  const rowOf = (html: string, label: string) => {
    const i = html.indexOf(`>${label}</th>`);
    expect(i, `row ${label}`).toBeGreaterThan(-1);
    return [...html.slice(i, html.indexOf('</tr>', i)).matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  };

  it('shows the province month with the previous month, the units below and charts with data tables', async () => {
    const c = client();
    await c.signIn('admin@rpt.test');
    const page = await c.get(`/staff/reports?unit=${units['46'].id}&period=2026-03`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Báo cáo: Thành phố Huế');
    expect(page.text).toContain('Tháng 3/2026');
    expect(page.text).toContain('So với: Tháng 2/2026');
    // 6 received in March (23:30 on the 31st included), 1 in February (23:59 on the 28th)
    expect(rowOf(page.text, 'Phản ánh nhận được')).toEqual(['6', '1', '▲ +5 (+500%)']);
    expect(rowOf(page.text, 'Phản ánh đã trả lời')).toEqual(['5', '1', '▲ +4 (+400%)']);
    expect(rowOf(page.text, 'Tỷ lệ đúng hạn')[0]).toBe('60%');
    expect(rowOf(page.text.slice(page.text.indexOf('id="s-mailbox"')), 'Thời gian trả lời (trung vị, giờ)')[0]).toBe(
      '30',
    );
    expect(rowOf(page.text, 'Câu hỏi về tin đồn nhận được')).toEqual(['2', '0', '▲ +2']);
    // the crisis module has no figures: said so, not zeros
    expect(page.text).toMatch(/id="s-crisis">[\s\S]*?Chưa có số liệu từ phân hệ này/);
    // the units below, with Thuận Hoá's on-time rate of 50%
    expect(page.text).toContain('Các đơn vị trực thuộc');
    expect(rowOf(page.text, 'Phường Thuận Hoá').slice(0, 3)).toEqual(['2', '2', '50%']);
    expect(page.text).toContain('<th scope="row">Xã Phú Vinh</th>');
    // accessible SVG charts, each with its data table
    expect(page.text).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-children-t chart-children-d"/);
    expect(page.text).toContain('<title id="chart-children-t">Tỷ lệ trả lời phản ánh đúng hạn theo đơn vị</title>');
    expect(page.text).toMatch(
      /<desc id="chart-children-d">[^<]*cao nhất 100% \(Phường Phú Xuân\), thấp nhất 0% \(Phường Vỹ Dạ\)/,
    );
    expect(page.text.match(/Bảng số liệu của biểu đồ/g)!.length).toBeGreaterThanOrEqual(2);
    expect(page.text).not.toMatch(/style="/);
  });

  it('reuses the figures of periods that are over instead of asking the modules again', async () => {
    const c = client();
    await c.signIn('admin@rpt.test');
    const calls = (fakes as unknown as { calls: unknown[] }).calls;
    await c.get(`/staff/reports?unit=${units['46'].id}&from=2026-01-01&to=2026-03-31`);
    const before = calls.length;
    expect(before).toBeGreaterThan(0);
    const again = await c.get(`/staff/reports?unit=${units['46'].id}&from=2026-01-01&to=2026-03-31&sort=unit&dir=asc`);
    expect(again.status).toBe(200);
    expect(calls.length).toBe(before); // quarter, previous quarter, 6 wards, 3 months: all cached
    // the current month is never cached
    await c.get(`/staff/reports?unit=${units['46'].id}`);
    const n = calls.length;
    await c.get(`/staff/reports?unit=${units['46'].id}`);
    expect(calls.length).toBeGreaterThan(n);
  });

  it('shows the unit’s own figures at once and offers the rest as a job when counting is slow', async () => {
    const c = client();
    await c.signIn('admin@rpt.test');
    liveSettings.budgetMs = -1; // every count is "too slow"
    try {
      const page = await c.get(`/staff/reports?unit=46&from=2025-07-01&to=2025-12-31`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Số liệu của đơn vị đã có bên dưới.');
      expect(page.text).toContain('id="s-mailbox"');
      expect(page.text).not.toContain('id="s-children"');
      const posted = await c.post('/staff/reports/runs', { unit: '46', from: '2025-07-01', to: '2025-12-31' });
      expect(posted.status).toBe(303);
      await worker.drain();
      const done = await c.get(posted.location!);
      expect(done.text).toContain('Báo cáo đã xong.');
      expect(done.text).toContain('<th scope="row">Phường Phú Xuân</th>');
      // now everything is cached: the live page is whole again, however slow the modules
      const again = await c.get(`/staff/reports?unit=46&from=2025-07-01&to=2025-12-31`);
      expect(again.text).not.toContain('Số liệu của đơn vị đã có bên dưới.');
      expect(again.text).toContain('id="s-children"');
    } finally {
      liveSettings.budgetMs = 4000;
    }
  });

  it('sorts the units below by any column without JavaScript', async () => {
    const c = client();
    await c.signIn('admin@rpt.test');
    const order = (html: string) =>
      [
        ...html
          .slice(html.indexOf('data-table="children"'))
          .split('</table>')[0]
          .matchAll(/<th scope="row">([^<]+)<\/th>/g),
      ].map((m) => m[1]);
    const desc = await c.get(
      `/staff/reports?unit=${units['46'].id}&from=2026-03-01&to=2026-03-31&sort=mailbox.received&dir=desc`,
    );
    expect(order(desc.text).slice(0, 3)).toEqual(['Phường Phú Xuân', 'Phường Thuận Hoá', 'Phường Vỹ Dạ']);
    expect(desc.text).toContain('aria-sort="descending"');
    const asc = await c.get(
      `/staff/reports?unit=${units['46'].id}&from=2026-03-01&to=2026-03-31&sort=mailbox.onTimeRate&dir=asc`,
    );
    // the unit that lags first; units without answers last
    expect(order(asc.text).slice(0, 3)).toEqual(['Phường Vỹ Dạ', 'Phường Thuận Hoá', 'Phường Phú Xuân']);
    expect(asc.text).toContain(
      'href="/staff/reports?unit=46&amp;from=2026-03-01&amp;to=2026-03-31&amp;sort=mailbox.received&amp;dir=desc#s-children"',
    );
    const en = await c.get(`/staff/reports?unit=${units['46'].id}&period=2026-03&lang=en`);
    expect(en.text).toContain('<h1>Report: Hue City</h1>');
    expect(en.text).toContain('March 2026');
    expect(rowOf(en.text, 'Reports received')).toEqual(['6', '1', '▲ +5 (+500%)']);
    expect(rowOf(en.text, 'On-time rate')[0]).toBe('60%');
    expect(en.text).toContain('Units below');
  });

  it('refuses bad ranges and units outside the scope with messages beside the fields, in both languages', async () => {
    const c = client();
    await c.signIn('px-editor@rpt.test');
    const inverted = await c.get(`/staff/reports?unit=${units['19753'].id}&from=2026-03-10&to=2026-03-01`);
    expect(inverted.status).toBe(422);
    expect(inverted.text).toMatch(/id="f-to-err"[^>]*>Ngày kết thúc phải bằng hoặc sau ngày bắt đầu\./);
    expect(inverted.text).toContain('value="2026-03-10"'); // what was typed is kept
    const bad = await c.get(`/staff/reports?unit=${units['19753'].id}&from=2026-02-30&to=2026-03-01`);
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="f-from-err"[^>]*>Ngày không hợp lệ\./);
    const outside = await c.get(`/staff/reports?unit=${units['46'].id}&period=2026-03`);
    expect(outside.status).toBe(403);
    expect(outside.text).toMatch(/id="f-unit-err"[^>]*>Bạn không có quyền xem báo cáo của đơn vị này/);
    const en = await c.get(`/staff/reports?unit=${units['46'].id}&period=2026-03&lang=en`);
    expect(en.text).toContain('You may not see reports for this unit.');
    // the editor's own ward works, and only lists its own unit
    const own = await c.get(`/staff/reports?period=2026-03`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('Báo cáo: Phường Phú Xuân');
    expect(rowOf(own.text, 'Phản ánh nhận được')[0]).toBe('3');
    // the unit picker offers the editor's own ward only, chosen, named with its city
    expect(own.text).not.toMatch(/name="unit" value="46"/);
    expect(own.text).toMatch(
      /<input type="radio" name="unit" value="19753" checked=""[^>]*\/?> Phường Phú Xuân, Thành phố Huế/,
    );
    const tooLong = await c.get(`/staff/reports?from=2010-01-01&to=2025-12-31`);
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Khoảng thời gian tối đa là 10 năm.');
  });

  it('prepares a three-year review as a job, shows its status and e-mails the user when it is ready', async () => {
    const c = client();
    await c.signIn('admin@rpt.test');
    const page = await c.get(`/staff/reports?unit=${units['46'].id}&from=2024-01-01&to=2026-10-31`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Báo cáo dài hơn 366 ngày được lập ở chế độ nền.');
    const posted = await c.post('/staff/reports/runs', {
      unit: String(units['46'].id),
      from: '2024-01-01',
      to: '2026-10-31',
    });
    expect(posted.status).toBe(303);
    const runUrl = posted.location!;
    const waiting = await c.get(runUrl);
    expect(waiting.text).toContain('đang chờ lập');
    expect(waiting.text).toContain('<meta http-equiv="refresh" content="5"');
    const audit = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'reports.run.request' AND entity_id = $1`,
      [runUrl.split('/').pop()],
    );
    expect(audit!.n).toBe(1);
    await worker.drain();
    const done = await c.get(runUrl);
    expect(done.text).toContain('Báo cáo đã xong.');
    expect(done.text).not.toContain('http-equiv="refresh"');
    expect(rowOf(done.text, 'Phản ánh nhận được')[0]).toBe('8');
    const mails = await smtp.waitFor(2);
    const mail = mails.find(
      (m) => m.to.includes('admin@rpt.test') && m.text.includes('đã lập xong') && m.text.includes(runUrl),
    )!;
    expect(flat(mail.subject)).toBe(flat('Báo cáo đã lập xong: Thành phố Huế, 01/01/2024 – 31/10/2026'));
    expect(mail.text).toContain(`http://test.local${runUrl}`);
    const csv = await c.get(`/staff/reports/export.csv?run=${runUrl.split('/').pop()}&table=summary`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('Phản ánh nhận được,8,');
  });

  it('exports every table as CSV and all of them as XLSX', async () => {
    const c = client();
    await c.signIn('admin@rpt.test');
    const q = `unit=${units['46'].id}&from=2026-03-01&to=2026-03-31`;
    const csv = await c.get(`/staff/reports/export.csv?${q}&table=children`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain(
      'attachment; filename="bao-cao-46-2026-03-01-2026-03-31-children.csv"',
    );
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('Đơn vị,Phản ánh nhận được,Phản ánh đã trả lời,Tỷ lệ đúng hạn (%)');
    expect(lines).toContain(lines.find((l) => l.startsWith('Phường Thuận Hoá,2,2,50,60,')));
    expect(lines.at(-1)).toMatch(/^Toàn đơn vị,6,5,60,30,/);
    for (const table of ['summary', 'category', 'agency', 'trend']) {
      const r = await c.get(`/staff/reports/export.csv?${q}&table=${table}`);
      expect(r.status).toBe(200);
    }
    const cat = await c.get(`/staff/reports/export.csv?${q}&table=category`);
    expect(cat.text).toContain('Lĩnh vực,Nhận,Đã trả lời\r\nGiao thông,4,4'); // same column order from the cache (jsonb re-orders keys)
    const x = await c.request(`/staff/reports/export.xlsx?${q}`);
    expect(x.status).toBe(200);
    const res = await app.request(`/staff/reports/export.xlsx?${q}`, {
      headers: { cookie: (c as unknown as { cookieHeader(): string }).cookieHeader() },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Các đơn vị trực thuộc',
      'Phản ánh theo lĩnh vực',
      'Phản ánh theo cơ quan xử lý',
      'Diễn biến trong kỳ',
    ]);
    const sheet = wb.getWorksheet('Các đơn vị trực thuộc')!;
    const row = sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(1).value === 'Phường Thuận Hoá')!;
    expect([row.getCell(2).value, row.getCell(4).value]).toEqual([2, 0.5]);
    expect(row.getCell(4).numFmt).toBe('0.0%');
    const audited = await t.db.query<{ data: { format: string } }>(
      `SELECT data FROM audit_log WHERE action = 'reports.export' ORDER BY id`,
    );
    expect(audited.map((a) => a.data.format)).toEqual(expect.arrayContaining(['csv', 'xlsx']));
  });

  it('serves the same figures as JSON to a bearer token, with clear errors', async () => {
    const admin = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'admin@rpt.test'`))!.id;
    // reading figures needs 'read'; asking for a long report to be prepared is a write the token must name
    const token = await createToken(t.db, admin, 'reports test', 'test', null, { scopes: ['read', 'reports.view'] });
    const c = client();
    const auth = { authorization: `Bearer ${token}` };
    const ok = await c.json(`/api/v1/reports?unit=${units['46'].id}&from=2026-03-01&to=2026-03-31`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(ok.body.unit.code).toBe('46');
    expect(ok.body.period).toEqual({ from: '2026-03-01', to: '2026-03-31', kind: 'month' });
    expect(ok.body.figures.mailbox.received).toBe(6);
    expect(ok.body.previous.mailbox.received).toBe(1);
    expect(ok.body.figures.desk.claimsAnswered).toBe(1);
    expect(
      ok.body.children.find((x: { unit: { code: string } }) => x.unit.code === '19789').figures.mailbox.onTimeRate,
    ).toBe(0.5);
    const byCode = await c.json(`/api/v1/reports?unit=19753&period=2026-03`, { headers: auth });
    expect(byCode.body.figures.mailbox.received).toBe(3);
    const none = await c.json(`/api/v1/reports?unit=46&period=2026-03`);
    expect(none.status).toBe(401);
    const bad = await c.json(`/api/v1/reports?unit=46&from=2026-03-10&to=2026-03-01&lang=en`, { headers: auth });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toEqual({
      code: 'invalid_period',
      message: 'The end date must be on or after the start date.',
      fields: { to: 'The end date must be on or after the start date.' },
    });
    const long = await c.json(`/api/v1/reports?unit=46&from=2024-01-01&to=2026-10-31`, { headers: auth });
    expect(long.status).toBe(422);
    expect(long.body.error.code).toBe('period_too_long');
    const ed = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'px-editor@rpt.test'`))!.id;
    const edToken = await createToken(t.db, ed, 'px', 'test');
    const scope = await c.json(`/api/v1/reports?unit=46&period=2026-03`, {
      headers: { authorization: `Bearer ${edToken}` },
    });
    expect(scope.status).toBe(403);
    expect(scope.body.error.code).toBe('unit_out_of_scope');
    const readOnly = await createToken(t.db, admin, 'read only', 'test');
    const refused = await c.json(`/api/v1/reports/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' },
      body: JSON.stringify({ unit: '46', from: '2023-01-01', to: '2025-12-31' }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('token_scope');
    const run = await c.json(`/api/v1/reports/runs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ unit: '46', from: '2023-01-01', to: '2025-12-31' }),
    });
    expect(run.status).toBe(202);
    await worker.drain();
    const status = await c.json(run.body.url, { headers: auth });
    expect(status.body.status).toBe('done');
    expect(status.body.report.previousPeriod).toEqual({ from: '2020-01-01', to: '2022-12-31', kind: 'months' });
    const spec = await c.json('/api/v1/openapi.json');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/reports', '/api/v1/reports/runs', '/api/v1/reports/runs/{id}']),
    );
    expect(spec.body.components.schemas.Report).toBeTruthy();
  });

  it('e-mails last month’s report to the leaders of each unit through the job queue', async () => {
    const before = smtp.mails.length;
    await enqueue(t.db, JOB_MONTHLY, { scheduledFor: '2026-04-01T00:00:00.000Z' });
    await worker.drain();
    const mails = await smtp.waitFor(before + 1);
    const mail = mails.slice(before).find((m) => m.to.includes('admin@rpt.test'))!;
    expect(flat(mail.subject)).toBe(flat('Báo cáo Tháng 3/2026: Thành phố Huế'));
    expect(mail.text).toContain('- Phản ánh nhận được: 6 (kỳ trước: 1)');
    expect(mail.text).toContain('- Tỷ lệ đúng hạn: 60%');
    expect(mail.text).toContain('http://test.local/staff/reports?unit=46&period=2026-03');
    // sent once per unit and month, even if the schedule fires twice
    await enqueue(t.db, JOB_MONTHLY, { scheduledFor: '2026-04-01T00:00:00.000Z' });
    await worker.drain();
    await new Promise((r) => setTimeout(r, 300));
    expect(
      smtp.mails.slice(before).filter((m) => flat(m.subject) === flat('Báo cáo Tháng 3/2026: Thành phố Huế')),
    ).toHaveLength(1);
  });

  it('lets a leader stop the monthly e-mail and other staff ask for it within their scope, audited', async () => {
    const admin = client();
    await admin.signIn('admin@rpt.test');
    expect((await admin.get('/staff/reports')).text).toContain('href="/staff/reports/mail"');
    let page = await admin.get('/staff/reports/mail');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /data-unit="46" data-receives="yes">\s*<th scope="row">Thành phố Huế<\/th>\s*<td>Bạn quản trị đơn vị này<\/td>\s*<td>Đang nhận<\/td>/,
    );
    const stop = await admin.post('/staff/reports/mail', { unit: '46', wants: '0' });
    expect(stop.status).toBe(303);
    page = await admin.get(stop.location!);
    expect(page.text).toContain('Đã thôi nhận báo cáo tháng của Thành phố Huế.');
    expect(page.text).toMatch(/data-unit="46" data-receives="no">[\s\S]*?<td>Đã thôi nhận<\/td>/);

    const ed = client();
    await ed.signIn('px-editor@rpt.test');
    expect((await ed.get('/staff/reports/mail')).text).toContain('Bạn chưa nhận báo cáo tháng của đơn vị nào.');
    const refused = await ed.post('/staff/reports/mail', { unit: '46', wants: '1' });
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(
      /<p class="error" id="f-unit-err" role="alert">Bạn không có quyền xem báo cáo của đơn vị này/,
    );
    // a long report asked for outside one's scope: the same refusal beside the unit, the dates kept
    await ed.get('/staff/reports');
    const run = await ed.post('/staff/reports/runs', { unit: '46', from: '2025-01-01', to: '2025-12-31' });
    expect(run.status).toBe(403);
    expect(run.text).toMatch(
      /<p class="error" id="f-unit-err" role="alert">Bạn không có quyền xem báo cáo của đơn vị này/,
    );
    expect(run.text).toContain('value="2025-01-01"');
    const none = await ed.post('/staff/reports/mail', { unit: '', wants: '1' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Hãy chọn một đơn vị.');
    const en = await ed.post('/staff/reports/mail?lang=en', { unit: 'nowhere', wants: '1' });
    expect(en.text).toContain('This unit does not exist.');
    const asked = await ed.post('/staff/reports/mail', { unit: '19753', wants: '1' });
    expect(asked.status).toBe(303);
    expect((await ed.get(asked.location!)).text).toMatch(
      /data-unit="19753" data-receives="yes">[\s\S]*?<td>Bạn đã đăng ký<\/td>/,
    );
    const audit = await t.db.query<{ action: string; actor_label: string }>(
      `SELECT action, actor_label FROM audit_log WHERE action LIKE 'reports.mail.%' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'reports.mail.unsubscribe', actor_label: 'admin@rpt.test' },
      { action: 'reports.mail.subscribe', actor_label: 'px-editor@rpt.test' },
    ]);

    // April's report goes to the editor for Phú Xuân, and no longer to the admin for Huế
    const monthOf = async (scheduledFor: string) => {
      const before = smtp.mails.length;
      await enqueue(t.db, JOB_MONTHLY, { scheduledFor });
      await worker.drain();
      await new Promise((r) => setTimeout(r, 300));
      return smtp.mails.slice(before);
    };
    const april = await monthOf('2026-05-01T00:00:00.000Z');
    expect(april.map((m) => [m.to, flat(m.subject)])).toEqual([
      [['px-editor@rpt.test'], flat('Báo cáo Tháng 4/2026: Phường Phú Xuân')],
    ]);
    expect(april[0].text).toContain('http://test.local/staff/reports/mail');
    // an opt-in lasts only as long as the role that allowed it
    await t.db.query(
      `DELETE FROM role_grants WHERE user_id = (SELECT id FROM users WHERE email = 'px-editor@rpt.test')`,
    );
    expect(await monthOf('2026-06-01T00:00:00.000Z')).toEqual([]);
  });

  it('still shows the other modules when one module’s figures fail, and says which', async () => {
    const broken = fakeModules({ reports, claims, failNetwork: true });
    const app2 = createApp(t.deps, [...broken, createReportsModule(() => broken)]);
    const c = new TestClient(app2);
    await c.signIn('admin@rpt.test');
    const page = await c.get(`/staff/reports?unit=${units['46'].id}&from=2026-03-02&to=2026-03-31`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/class="notice warning"[^>]*>Chưa có số liệu từ phân hệ này\. \(network\)/);
    expect(page.text).toMatch(/id="s-network">[\s\S]*?Chưa có số liệu từ phân hệ này/);
    expect(rowOf(page.text, 'Phản ánh nhận được')[0]).toBe('5');
    // a failed set is not cached: once the module works again its figures appear
    const c2 = client();
    await c2.signIn('admin@rpt.test');
    const again = await c2.get(`/staff/reports?unit=${units['46'].id}&from=2026-03-02&to=2026-03-31`);
    expect(rowOf(again.text, 'Lượt mở liên kết')[0]).toBe('250');
  });

  it('shows a small summary on the staff overview and a menu entry', async () => {
    const c = client();
    await c.signIn('admin@rpt.test');
    const page = await c.get('/staff');
    expect(page.text).toContain('href="/staff/reports"');
    expect(page.text).toContain('Báo cáo tháng này');
    // opened often: this month's figures are reused for ten minutes there
    const calls = (fakes as unknown as { calls: unknown[] }).calls;
    const n = calls.length;
    await c.get('/staff');
    expect(calls.length).toBe(n);
    const member = client();
    await member.signIn('member@rpt.test');
    const m = await member.get('/staff');
    expect(m.text).not.toContain('Báo cáo tháng này');
    expect((await member.get('/staff/reports')).status).toBe(403);
  });
});
