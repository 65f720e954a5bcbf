import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as svc from '../../src/modules/mailbox/service.js';
import { figures } from '../../src/modules/mailbox/repo.js';
import { mailboxModule } from '../../src/modules/mailbox/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { startSmtp } from '../helpers/smtp.js';
import { cityWithCategories, fileReport, ids, postReport } from './helpers.js';

describe(`mailbox: idempotency, privacy, export and erasure, jobs, figures (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    u = await cityWithCategories(t, 'priv');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  const count = async () => (await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM mailbox_reports`))!.n;
  const accept = async (code: string) => {
    const h = t.client();
    await h.signIn('handler@priv.test');
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
    expect((await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    return { h, id };
  };

  it('a double-tapped form creates one report and both taps land on the same page', async () => {
    const c = t.client({ ip: '192.0.2.1' });
    const page = await c.get('/mailbox/new');
    const once = page.text.match(/name="once" value="([^"]+)"/)![1];
    const before = await count();
    const form = {
      once,
      category: String(u.traffic),
      unit: String(u.phuXuan),
      title: 'Đèn đường hỏng',
      description: 'Cả dãy đèn đường Lê Lợi không sáng một tuần nay.',
    };
    const [a, b] = await Promise.all([
      c.post('/mailbox/new', form, { multipart: true }),
      c.post('/mailbox/new', form, { multipart: true }),
    ]);
    expect(a.status).toBe(303);
    expect(b.status).toBe(303);
    expect(a.location).toBe(b.location);
    const c3 = await c.post('/mailbox/new', form, { multipart: true });
    expect(c3.location).toBe(a.location);
    expect(await count()).toBe(before + 1);
  });

  it('the JSON API honours Idempotency-Key and answers errors in the platform format', async () => {
    const c = t.client({ ip: '192.0.2.2' });
    const body = JSON.stringify({
      category: 'giao-thong',
      unit: '19777',
      title: 'Ổ gà trên đường Hùng Vương',
      description: 'Ổ gà sâu 20 cm trước số nhà 45.',
      lat: 16.46,
      lon: 107.59,
    });
    const init = {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'app-123' },
    };
    const r1 = await c.json('/api/v1/mailbox/reports', init);
    expect(r1.status).toBe(201);
    expect(r1.body.code).toMatch(/^PA-/);
    expect(r1.body.status_url).toMatch(/^http:\/\/test\.local\/mailbox\/s\//);
    const r2 = await c.json('/api/v1/mailbox/reports', init);
    expect(r2.status).toBe(200);
    expect(r2.body.code).toBe(r1.body.code);
    const bad = await c.json('/api/v1/mailbox/reports', {
      method: 'POST',
      body: JSON.stringify({ category: 'giao-thong', unit: 'nowhere', title: 'x', description: '' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['description', 'title', 'unit']);
    expect(bad.body.error.fields.unit).toBe('Vui lòng chọn phường, xã.');
    // not public until accepted
    expect((await c.json(`/api/v1/mailbox/reports/${r1.body.code}`)).status).toBe(404);
    const spec = await c.json('/api/v1/openapi.json');
    expect(spec.body.paths['/api/v1/mailbox/reports'].post).toBeTruthy();
  });

  it('never shows contact details in public pages, lists, feeds or the API; shows the name only when allowed', async () => {
    const c = t.client({ ip: '192.0.2.3' });
    const secret = { name: 'Trương Thị Kín', phone: '0987654321', email: 'kin@example.org' };
    const r1 = await fileReport(c, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Khói bụi từ lò đốt rác',
      description: 'Lò đốt rác ở kiệt 7 Bà Triệu xả khói đen mỗi tối.',
      ...secret,
    });
    const r2 = await fileReport(c, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Nước thải tràn ra đường',
      description: 'Cống nước thải ở đường Đống Đa tràn ra mặt đường.',
      name: 'Lê Văn Công Khai',
      show_name: 'on',
      phone: '0911222333',
    });
    const { h, id } = await accept(r1.code);
    await h.post(`/staff/mailbox/${id}/draft`, { answer: 'Đã kiểm tra và đình chỉ lò đốt rác.' });
    const rv = t.client();
    await rv.signIn('reviewer@priv.test');
    expect((await rv.post(`/staff/mailbox/${id}/approve`, {})).status).toBe(303);
    await accept(r2.code);

    const anon = t.client();
    const pages = [
      await anon.get(`/mailbox/r/${r1.code}`),
      await anon.get('/mailbox'),
      await anon.get('/mailbox?q=lo dot rac'),
      await anon.get('/mailbox/feed/unit/19789.atom'),
      await anon.get('/mailbox/feed/category/moi-truong.atom'),
      await anon.get(`/api/v1/mailbox/reports/${r1.code}`),
      await anon.get('/api/v1/mailbox/reports'),
      await anon.get('/open311/v2/requests.json?status=closed'),
      await anon.get('/'),
    ];
    for (const p of pages) {
      expect(p.status).toBe(200);
      for (const s of Object.values(secret)) expect(p.text).not.toContain(s);
      expect(p.text).not.toContain('0911222333');
    }
    expect(pages[8].text).toContain('Phản ánh mới được trả lời');
    // diacritics-insensitive search finds the answered report
    expect(pages[2].text).toContain('Khói bụi từ lò đốt rác');
    // the feed is real Atom with the answer
    const feed = await new Parser().parseString(pages[4].text);
    const item = feed.items.find((i) => i.title?.includes(r1.code));
    expect(item?.content ?? item?.contentSnippet).toContain('Đã kiểm tra và đình chỉ lò đốt rác.');
    // the resident allowed the name: shown on the public page, phone never
    const p2 = await anon.get(`/mailbox/r/${r2.code}`);
    expect(p2.text).toContain('Lê Văn Công Khai');
    expect(p2.text).not.toContain('0911222333');
    // a handler of another place does not see the contact details
    const vyDaPath = (await t.db.one<{ path: string }>(`SELECT path::text AS path FROM units WHERE code = '19777'`))!
      .path;
    const view = await svc.staffReport(
      t.db,
      {
        userId: u.staff.handler.id,
        email: 'h',
        name: 'h',
        locale: 'vi',
        via: 'session',
        grants: [
          { role: 'handler', unitId: 0, unitPath: vyDaPath },
          { role: 'reviewer', unitId: 0, unitPath: vyDaPath.split('.')[0] },
        ],
      },
      id,
    );
    expect(view.showContact).toBe(false);
    expect(view.report.contact_phone).toBeNull();
  });

  it('never attaches or shows files that other modules stored', async () => {
    const { saveFile } = await import('../../src/platform/files/files.js');
    const foreign = await saveFile(t.db, t.blobs, {
      bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
      mime: 'image/jpeg',
      width: 1,
      height: 1,
      name: 'noi-bo.jpg',
    });
    expect((await t.client().get(`/mailbox/photos/${foreign.id}`)).status).toBe(404);
    const c = t.client({ ip: '192.0.2.6' });
    const res = await postReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Thử gắn tệp lạ',
      description: 'Thử gắn một tệp không phải của hộp thư.',
      photo_ids: foreign.id,
    });
    expect(res.status).toBe(303);
    const status = await c.get(res.location!);
    expect(status.text).not.toContain(foreign.id);
  });

  it('exports everything held about the resident and erases personal data, keeping the report', async () => {
    const c = t.client({ ip: '192.0.2.4' });
    const { link, code } = await fileReport(c, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Chó thả rông trong công viên',
      description: 'Nhiều chó thả rông không rọ mõm trong công viên.',
      name: 'Đỗ Thị Riêng',
      phone: '0900111222',
      email: 'rieng@example.org',
    });
    const ex = await c.json(`${link}/export.json`);
    expect(ex.status).toBe(200);
    expect(ex.body.code).toBe(code);
    expect(ex.body.contact).toEqual({
      name: 'Đỗ Thị Riêng',
      phone: '0900111222',
      email: 'rieng@example.org',
      show_name: false,
    });
    expect(ex.body.timeline[0].kind).toBe('received');
    expect((await c.post(`${link}/erase`, {})).status).toBe(303);
    const after = await c.json(`${link}/export.json`);
    expect(after.body.contact).toEqual({ name: null, phone: null, email: null, show_name: false });
    expect(after.body.description).toBe('Nhiều chó thả rông không rọ mõm trong công viên.');
    expect((await c.get(link)).text).toContain('Dữ liệu cá nhân của phản ánh này đã được xóa.');
    // a wrong token shows nothing
    expect((await c.get('/mailbox/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('reminds before the deadline, escalates overdue reports, and purges contact data after retention', async () => {
    const c = t.client({ ip: '192.0.2.5' });
    const a = await fileReport(c, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Cống thoát nước bị tắc',
      description: 'Cống trước chợ bị tắc, mưa là ngập.',
    });
    const b = await fileReport(c, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Bãi rác tự phát ven sông',
      description: 'Bãi rác tự phát ven sông Như Ý ngày càng lớn.',
      name: 'Hồ Văn Cũ',
      email: 'cu@example.org',
    });
    await t.db.query(`UPDATE mailbox_reports SET deadline_at = now() + interval '2 hours' WHERE code = $1`, [a.code]);
    await t.db.query(`UPDATE mailbox_reports SET deadline_at = now() - interval '1 hour' WHERE code = $1`, [b.code]);
    await t.drainJobs();
    const before = smtp.mails.length;
    expect(await svc.runReminders(t.deps)).toBeGreaterThanOrEqual(1);
    expect(await svc.runEscalations(t.deps)).toBeGreaterThanOrEqual(1);
    await t.drainJobs();
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    expect(
      mails.some((m) => m.to.includes('handler@priv.test') && m.subject.replace(/\s+/g, '').includes(a.code)),
    ).toBe(true);
    expect(mails.some((m) => m.subject.replace(/\s+/g, '').includes(`Quáhạn:phảnánh${b.code}`))).toBe(true);
    const h = t.client();
    await h.signIn('handler@priv.test');
    const inbox = await h.get('/staff/mailbox');
    // overdue first
    expect(inbox.text.indexOf('class="overdue"')).toBeLessThan(inbox.text.indexOf(a.code));
    const kinds = await t.db.query<{ kind: string }>(
      `SELECT e.kind FROM mailbox_events e JOIN mailbox_reports r ON r.id = e.report_id WHERE r.code = $1`,
      [b.code],
    );
    expect(kinds.map((k) => k.kind)).toContain('escalated');

    // retention: closed long ago -> contact data purged, report kept
    await t.db.query(
      `UPDATE mailbox_reports SET status = 'closed', closed_at = now() - interval '400 days' WHERE code = $1`,
      [b.code],
    );
    const r = await svc.runRetention(t.deps);
    expect(r.purged).toBeGreaterThanOrEqual(1);
    const row = await t.db.one<{ contact_name: string | null; contact_email: string | null; title: string }>(
      `SELECT contact_name, contact_email, title FROM mailbox_reports WHERE code = $1`,
      [b.code],
    );
    expect(row).toEqual({ contact_name: null, contact_email: null, title: 'Bãi rác tự phát ven sông' });
  });

  it('slows a flood from one address with a clear message and keeps what was typed', async () => {
    const c = t.client({ ip: '192.0.2.99' });
    let last: Awaited<ReturnType<typeof postReport>> | undefined;
    for (let i = 0; i < 11; i++) {
      last = await postReport(c, {
        category: String(u.traffic),
        unit: String(u.vyDa),
        title: `Biển báo bị đổ số ${i}`,
        description: 'Biển báo giao thông bị đổ sau bão.',
      });
    }
    expect(last!.status).toBe(429);
    expect(last!.text).toContain('Bạn đã gửi quá nhiều phản ánh');
    expect(last!.text).toContain('Biển báo bị đổ số 10');
  });
});

// this test is about the demo's own reports: its figures and dashboard must come out non-trivial
describe(`mailbox: figures of the demo data (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof ids>>;
  beforeAll(async () => {
    t = await testApp();
    u = await ids(t);
  });
  afterAll(() => t.close());

  it('gives the reports module non-trivial figures from the demo data, and a dashboard', async () => {
    const path = (await t.db.one<{ path: string }>(`SELECT path::text AS path FROM units WHERE code = '46'`))!.path;
    const { mailbox: f } = await mailboxModule.figures!(t.db, {
      unitPath: path,
      from: new Date(Date.now() - 366 * 86400_000),
      to: new Date(Date.now() + 86400_000),
    });
    expect(f!.received).toBeGreaterThan(50);
    expect(f!.answered).toBeGreaterThan(20);
    expect(f!.onTimeRate).toBeGreaterThan(0.4);
    expect(f!.onTimeRate).toBeLessThan(1);
    expect(f!.medianHoursToAnswer).toBeGreaterThan(0);
    expect(f!.ratingCount).toBeGreaterThan(5);
    expect(f!.byCategory.length).toBeGreaterThanOrEqual(5);
    expect(f!.byAgency.length).toBeGreaterThanOrEqual(3);
    const ward = await figures(t.db, {
      unitPath: `${path}.${u.thuanHoa}`,
      from: new Date(Date.now() - 366 * 86400_000),
      to: new Date(),
    });
    expect(ward.received).toBeLessThan(f!.received);
    const h = t.client();
    await h.signIn('handler@demo.local');
    const dash = await h.get('/staff/mailbox/dashboard');
    expect(dash.status).toBe(200);
    expect(dash.text).toContain(`data-k="received">${f!.received}<`);
    const staff = await h.get('/staff');
    expect(staff.text).toContain('Phản ánh của bạn');
  });
});
