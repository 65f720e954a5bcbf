/** Issue 15: the staff inbox filters by category, ward, agency, assignee and status, pages, assigns, and acts in bulk. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { saveNotifySettings } from '../../src/modules/mailbox/service/staff-notify.js';
import { actorOf, makeReport, makeUser, realAgency, realUnit } from '../helpers/factories.js';
import { makeReportIn } from '../helpers/factories-mailbox.js';
import { startSmtp } from '../helpers/smtp.js';
import { cityWithCategories } from './helpers.js';

const codes = (html: string) => [...html.matchAll(/<tr[^>]*data-report="(PA-\d{4}-\d{6})"/g)].map((m) => m[1]);
const total = (html: string) => Number(html.match(/data-total="(\d+)"/)![1]);

describe(`mailbox: staff inbox filters and bulk actions (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let h: TestClient;
  let px: number;
  let pxAgency: number;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    u = await cityWithCategories(t, 'inbox');
    const [phuXuan, vyDa, thuanHoa] = await Promise.all(['19753', '19777', '19789'].map((c) => realUnit(t.db, c)));
    pxAgency = await realAgency(t.db, 'HUE-PX-UBND');
    // enough new reports for a second page of the inbox, then (the newest, on the first page) open cases to assign and
    // route (Phú Xuân's on traffic, Vỹ Dạ's on the environment) and two answered by the Sở Nông nghiệp và Môi trường
    const staff = { handler: u.staff.handler.id, reviewer: u.staff.reviewer.id };
    // the city's handler turns e-mail off: fifty notices of new reports would only slow the test down
    await saveNotifySettings(t.db, await actorOf(t.db, staff.handler), { mode: 'off', push: '' });
    for (let i = 0; i < 46; i++)
      await makeReport(t.deps, { unit: [phuXuan, vyDa, thuanHoa][i % 3], category: i % 2 ? u.env : u.traffic });
    for (let i = 0; i < 3; i++)
      await makeReportIn(t.deps, { unit: phuXuan, category: u.traffic, state: 'triaged', ...staff });
    for (let i = 0; i < 2; i++) await makeReportIn(t.deps, { unit: vyDa, category: u.env, state: 'triaged', ...staff });
    for (const unit of [vyDa, thuanHoa])
      await makeReportIn(t.deps, { unit, category: u.env, state: 'answered', ...staff });
    await t.drainJobs(); // the city's staff are told of them now: the ward handlers below join afterwards
    px = await makeUser(t.db, { email: 'phuxuan@inbox.test', name: 'Cán bộ Phú Xuân', role: 'handler', unit: phuXuan });
    await makeUser(t.db, { email: 'vyda@inbox.test', name: 'Cán bộ Vỹ Dạ', role: 'handler', unit: vyDa });
    h = t.client();
    await h.signIn('handler@inbox.test');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  const count = async (where: string, params: unknown[] = []) =>
    (await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM mailbox_reports r WHERE ${where}`, params))!.n;
  const openReports = (unit: number, n: number) =>
    t.db.query<{ id: number; code: string }>(
      `SELECT id, code FROM mailbox_reports WHERE unit_id = $1 AND status IN ('accepted','assigned','in_progress','reopened') ORDER BY id LIMIT $2`,
      [unit, n],
    );

  it('filters by category, ward, agency and status with a GET form, and pages', async () => {
    const page = await h.get('/staff/mailbox?status=all');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="get" action="/staff/mailbox" class="mb-filters">');
    expect(total(page.text)).toBe(await count('TRUE'));
    expect(codes(page.text)).toHaveLength(50);
    // page 2 keeps the filters and shows the next reports
    expect(page.text).toContain('href="/staff/mailbox?status=all&amp;page=2"');
    const two = await h.get('/staff/mailbox?status=all&page=2');
    expect(codes(two.text).some((c) => codes(page.text).includes(c))).toBe(false);

    const f = await h.get(`/staff/mailbox?status=all&category=${u.env}&unit=${u.vyDa}`);
    expect(total(f.text)).toBe(await count('category_id = $1 AND unit_id = $2', [u.env, u.vyDa]));
    expect(total(f.text)).toBeGreaterThan(0);
    for (const row of f.text.split('<tr').slice(2)) expect(row).toContain('Môi trường · Phường Vỹ Dạ');
    // the ward filter is the unit picker (named with the province), the chosen ward ticked
    expect(f.text).toMatch(
      new RegExp(`<input type="radio" name="unit" value="${u.vyDa}" checked=""[^>]*/?> Phường Vỹ Dạ, Thành phố Huế<`),
    );

    const stnmt = (await t.db.one<{ id: number }>(`SELECT id FROM agencies WHERE code = 'HUE-STNMT'`))!.id;
    const a = await h.get(`/staff/mailbox?status=answered&agency=${stnmt}`);
    expect(total(a.text)).toBe(await count(`agency_id = $1 AND status = 'answered'`, [stnmt]));

    // nonsense in a filter: said beside the field, what was typed kept, never a 500
    const bad = await h.get('/staff/mailbox?status=all&category=abc&q=c%C3%A2y+%C4%91%E1%BB%95');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Giá trị lọc không hợp lệ.');
    expect(bad.text).toContain('value="cây đổ"');
    expect((await h.get('/staff/mailbox?status=nope')).status).toBe(422);
    expect((await h.get('/staff/mailbox?page=0')).status).toBe(422);
  });

  it('assigns in bulk to a handler in scope, with a result per report, audited, and the person e-mailed', async () => {
    const [a, b] = await openReports(u.phuXuan, 2);
    const [c] = await openReports(u.vyDa, 1);
    await h.get('/staff/mailbox');
    const res = await h.post('/staff/mailbox/bulk', {
      ids: [String(a.id), String(b.id), String(c.id)],
      bulk_action: 'assign',
      bulk_assignee: String(px),
      f_status: 'all',
      f_unit: '',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Kết quả: 2 thành công, 1 không thực hiện được');
    expect(res.text).toMatch(new RegExp(`data-result="ok" data-code="${a.code}"`));
    expect(res.text).toMatch(
      new RegExp(
        `data-result="failed" data-code="${c.code}"><a[^>]*>${c.code}</a>: Không thực hiện được: Vui lòng chọn một cán bộ xử lý phụ trách phản ánh này.`,
      ),
    );
    const audit = await t.db.query<{ entity_id: string; data: { new: number } }>(
      `SELECT entity_id, data FROM audit_log WHERE action = 'mailbox.assign' ORDER BY id`,
    );
    expect(audit.map((x) => x.entity_id).sort()).toEqual([a.code, b.code].sort());
    expect(audit[0].data.new).toBe(px);
    // the assignee filter finds them; the case page says who has it
    const mine = await h.get(`/staff/mailbox?status=all&assignee=${px}`);
    expect(codes(mine.text).sort()).toEqual([a.code, b.code].sort());
    expect((await h.get(`/staff/mailbox/${a.id}`)).text).toContain('Đang giao cho: Cán bộ Phú Xuân');
    await t.drainJobs();
    const mails = await smtp.waitFor(2);
    expect(
      mails
        .filter((m) => m.to.includes('phuxuan@inbox.test'))
        .map((m) => m.subject)
        .sort(),
    ).toEqual([`Bạn được giao phản ánh ${a.code}`, `Bạn được giao phản ánh ${b.code}`].sort());
    // the person signs in and filters on "me"
    const p = t.client();
    await p.signIn('phuxuan@inbox.test');
    expect(codes((await p.get('/staff/mailbox?status=all&assignee=me')).text).sort()).toEqual([a.code, b.code].sort());
  });

  it('routes and marks read in bulk; bad bulk forms are refused with what was chosen kept', async () => {
    const [a] = await openReports(u.phuXuan, 1);
    const [v] = await openReports(u.vyDa, 1);
    // accepting the report was audited too (the factory accepted it through the same service)
    const triageAudits = async () =>
      (await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'mailbox.triage' AND entity_id = $1`, [a.code])).length;
    const audited = await triageAudits();
    await h.get('/staff/mailbox');
    const routed = await h.post('/staff/mailbox/bulk', {
      ids: [String(a.id), String(v.id)],
      bulk_action: 'route',
      bulk_agency: String(pxAgency),
      bulk_reason: 'Thuộc thẩm quyền phường',
      f_status: 'all',
    });
    expect(routed.status).toBe(200);
    expect(routed.text).toMatch(new RegExp(`data-result="ok" data-code="${a.code}"`));
    expect(routed.text).toMatch(new RegExp(`data-result="failed" data-code="${v.code}"`));
    expect(
      (await t.db.one<{ agency_id: number }>(`SELECT agency_id FROM mailbox_reports WHERE id = $1`, [a.id]))!.agency_id,
    ).toBe(pxAgency);
    expect(await count(`TRUE`)).toBeGreaterThan(0);
    expect(await triageAudits()).toBe(audited + 1);

    // unread until opened or marked
    const before = await h.get(`/staff/mailbox?status=all&unit=${u.vyDa}`);
    expect(before.text).toMatch(new RegExp(`data-report="${v.code}"`));
    const row = (html: string, code: string) => html.split('<tr').find((r) => r.includes(`data-report="${code}"`))!;
    expect(row(before.text, v.code)).toContain('Chưa đọc');
    const read = await h.post('/staff/mailbox/bulk', {
      ids: [String(v.id)],
      bulk_action: 'read',
      f_status: 'all',
      f_unit: String(u.vyDa),
    });
    expect(read.text).toContain('Kết quả: 1 thành công, 0 không thực hiện được');
    expect(row(read.text, v.code)).not.toContain('Chưa đọc');
    expect(
      (await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'mailbox.mark-read' AND entity_id = $1`, [v.code]))
        .length,
    ).toBe(1);

    const none = await h.post('/staff/mailbox/bulk', {
      bulk_action: 'route',
      bulk_agency: String(pxAgency),
      bulk_reason: 'Lý do đã gõ',
      f_status: 'all',
    });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Vui lòng chọn ít nhất một phản ánh (tối đa 100).');
    expect(none.text).toContain('value="Lý do đã gõ"');
    const noPerson = await h.post('/staff/mailbox/bulk', {
      ids: [String(a.id)],
      bulk_action: 'assign',
      f_status: 'all',
    });
    expect(noPerson.status).toBe(422);
    expect(noPerson.text).toContain('Vui lòng chọn cán bộ để giao.');
    expect(noPerson.text).toMatch(new RegExp(`value="${a.id}" id="sel-${a.id}" checked=""`));
    expect((await h.post('/staff/mailbox/bulk', { ids: ['1 OR 1=1'], bulk_action: 'read' })).status).toBe(422);
  });

  it('a ward handler sees only the ward, and cannot act in bulk on others', async () => {
    const v = t.client();
    await v.signIn('vyda@inbox.test');
    const page = await v.get('/staff/mailbox?status=all');
    expect(total(page.text)).toBe(await count('unit_id = $1', [u.vyDa]));
    const [a] = await openReports(u.phuXuan, 1);
    // a report the inbox never listed: the whole form is refused, nothing is done
    const res = await v.post('/staff/mailbox/bulk', { ids: [String(a.id)], bulk_action: 'read', f_status: 'all' });
    expect(res.status).toBe(404);
    expect(
      (await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'mailbox.mark-read' AND entity_id = $1`, [a.code]))
        .length,
    ).toBe(0);
    // a reviewer sees the report but may not route it: said on its row
    const rv = t.client();
    await rv.signIn('reviewer@inbox.test');
    await rv.get('/staff/mailbox');
    const refused = await rv.post('/staff/mailbox/bulk', {
      ids: [String(a.id)],
      bulk_action: 'route',
      bulk_agency: String(pxAgency),
      f_status: 'all',
    });
    expect(refused.status).toBe(200);
    expect(refused.text).toContain('Kết quả: 0 thành công, 1 không thực hiện được');
  });
});
