import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser, realUnit } from '../helpers/factories.js';
import { makeReportIn } from '../helpers/factories-mailbox.js';
import { startSmtp } from '../helpers/smtp.js';
import { cityWithCategories, fileReport, postReport } from './helpers.js';

describe(`mailbox: triage, routing, scope, English, bad input (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp({ failFor: (to) => to.endsWith('@down.example') });
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    u = await cityWithCategories(t, 'staff');
    // a handler of Vỹ Dạ only
    const vyDa = await realUnit(t.db, '19777');
    await makeUser(t.db, { email: 'vyda@staff.test', name: 'Cán bộ Vỹ Dạ', role: 'handler', unit: vyDa });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  const rid = async (code: string) =>
    (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;

  it('rejects with a reason the resident sees, marks spam, and hides both from the public', async () => {
    const c = t.client({ ip: '203.0.113.20' });
    const a = await fileReport(c, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Tranh chấp thừa kế đất',
      description: 'Anh em trong nhà tranh chấp thừa kế mảnh đất của cha mẹ.',
    });
    const b = await fileReport(c, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Mua hàng giá rẻ',
      description: 'Quảng cáo bán hàng giá rẻ, liên hệ ngay.',
    });
    const h = t.client();
    await h.signIn('handler@staff.test');
    const empty = await h.post(`/staff/mailbox/${await rid(a.code)}/triage`, { action: 'reject', reason: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Vui lòng nêu lý do.');
    expect(
      (
        await h.post(`/staff/mailbox/${await rid(a.code)}/triage`, {
          action: 'reject',
          reason: 'Thuộc thẩm quyền của Tòa án.',
        })
      ).status,
    ).toBe(303);
    expect((await h.post(`/staff/mailbox/${await rid(b.code)}/triage`, { action: 'spam' })).status).toBe(303);
    expect((await c.get(a.link)).text).toContain('Lý do: Thuộc thẩm quyền của Tòa án.');
    // the code still answers (it is the resident's own), with the status and nothing written
    const pa = await t.client().get(`/mailbox/r/${a.code}`);
    expect(pa.text).toContain('Không xử lý');
    expect(pa.text).not.toContain('Tranh chấp thừa kế');
    expect(pa.text).not.toContain('Thuộc thẩm quyền của Tòa án');
    const pb = await t.client().get(`/mailbox/r/${b.code}`);
    expect(pb.text).toContain('Không xử lý'); // spam is not named as such
    expect(pb.text).not.toContain('Quảng cáo bán hàng');
    expect((await t.client().json(`/open311/v2/requests/${b.code}.json`)).status).toBe(404);
    // a rejected report cannot be accepted afterwards
    const again = await h.post(`/staff/mailbox/${await rid(a.code)}/triage`, { action: 'accept' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Không thể thực hiện thao tác này');
  });

  it('edits category and place, routes and reassigns with a reason, suggests and merges duplicates', async () => {
    const c = t.client({ ip: '203.0.113.21' });
    const first = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.vyDa),
      title: 'Ổ gà lớn trước trường Vỹ Dạ',
      description: 'Ổ gà sâu trước cổng trường tiểu học Vỹ Dạ, rất nguy hiểm.',
      lat: '16.4700',
      lon: '107.6000',
    });
    const dup = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.vyDa),
      title: 'Ổ gà trước trường Vỹ Dạ',
      description: 'Trước cổng trường Vỹ Dạ có ổ gà sâu.',
      lat: '16.4701',
      lon: '107.6001',
    });
    const h = t.client();
    await h.signIn('handler@staff.test');
    const page = await h.get(`/staff/mailbox/${await rid(dup.code)}`);
    expect(page.text).toContain('Có thể trùng với');
    expect(page.text).toContain(first.code);
    expect((await h.post(`/staff/mailbox/${await rid(dup.code)}/merge`, { into: first.code })).status).toBe(303);
    expect((await c.get(dup.link)).text).toContain(`Gộp vào phản ánh ${first.code}`);

    const id = await rid(first.code);
    expect(
      (await h.post(`/staff/mailbox/${id}/edit`, { category: String(u.env), unit: String(u.thuanHoa) })).status,
    ).toBe(303);
    const agencies = await t.db.query<{ id: number; code: string }>(`SELECT id, code FROM agencies`);
    const sxd = agencies.find((a) => a.code === 'HUE-SXD')!.id;
    const ca = agencies.find((a) => a.code === 'HUE-CA')!.id;
    expect((await h.post(`/staff/mailbox/${id}/route`, { agency: String(sxd) })).status).toBe(303);
    const noReason = await h.post(`/staff/mailbox/${id}/route`, { agency: String(ca) });
    expect(noReason.status).toBe(422);
    expect(
      (await h.post(`/staff/mailbox/${id}/route`, { agency: String(ca), reason: 'Liên quan an toàn giao thông.' }))
        .status,
    ).toBe(303);
    const pub = await t.client().get(`/mailbox/r/${first.code}`);
    expect(pub.text).toContain('Chuyển lại cho Công an thành phố');
    expect(pub.text).toContain('Phường Thuận Hoá');
    expect(pub.text).not.toContain('Liên quan an toàn giao thông.'); // the reason is internal
    const staff = await h.get(`/staff/mailbox/${id}`);
    expect(staff.text).toContain('Liên quan an toàn giao thông.');
  });

  it('keeps a handler to the units granted: other wards are forbidden, own ward is fine', async () => {
    const c = t.client({ ip: '203.0.113.22' });
    const other = await fileReport(c, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Mùi hôi từ cống',
      description: 'Cống trên đường Hùng Vương bốc mùi hôi.',
      name: 'Người Dân A',
      phone: '0912000111',
    });
    const mine = await fileReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Mùi hôi từ chợ',
      description: 'Chợ Vỹ Dạ bốc mùi hôi mỗi sáng.',
      name: 'Người Dân B',
      phone: '0912000222',
    });
    const v = t.client();
    await v.signIn('vyda@staff.test');
    const inbox = await v.get('/staff/mailbox?status=all');
    expect(inbox.text).toContain(mine.code);
    expect(inbox.text).not.toContain(other.code);
    expect((await v.get(`/staff/mailbox/${await rid(other.code)}`)).status).toBe(403);
    expect((await v.post(`/staff/mailbox/${await rid(other.code)}/triage`, { action: 'accept' })).status).toBe(403);
    const own = await v.get(`/staff/mailbox/${await rid(mine.code)}`);
    expect(own.text).toContain('0912000222');
    expect((await v.post(`/staff/mailbox/${await rid(mine.code)}/triage`, { action: 'accept' })).status).toBe(303);
    // an editor has no inbox at all
    const e = t.client();
    await e.signIn('editor@staff.test');
    expect((await e.get('/staff/mailbox')).status).toBe(403);
  });

  it('keeps an accepted report when e-mail delivery fails, and retries it', async () => {
    const c = t.client({ ip: '203.0.113.23' });
    const r = await fileReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Cây đổ chắn đường',
      description: 'Cây đổ chắn ngang kiệt 3 sau mưa lớn.',
      email: 'dan@down.example',
    });
    await t.drainJobs();
    const n = await t.db.one<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM notifications WHERE recipient = 'dan@down.example'`,
    );
    expect(n!.status).toBe('retrying');
    expect((await c.get(r.link)).status).toBe(200);
    expect(await rid(r.code)).toBeGreaterThan(0);
  });

  it('refuses a photo with too many pixels, and a flood from one phone number', async () => {
    const c = t.client({ ip: '203.0.113.24' });
    const huge = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const res = await postReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Ảnh rất lớn',
      description: 'Thử gửi một ảnh có quá nhiều điểm ảnh.',
      photos: new File([new Uint8Array(huge)], 'lon.png', { type: 'image/png' }),
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('có kích thước điểm ảnh quá lớn');
    let last: Awaited<ReturnType<typeof postReport>> | undefined;
    for (let i = 0; i < 6; i++) {
      const cl = t.client({ ip: `203.0.113.${100 + i}` });
      last = await postReport(cl, {
        category: String(u.env),
        unit: String(u.vyDa),
        title: `Phản ánh số ${i}`,
        description: 'Cùng một số điện thoại gửi nhiều lần.',
        phone: '0999888777',
      });
    }
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toBeTruthy();
  });

  it('serves complete English pages and small public pages with ETag', async () => {
    await makeReportIn(t.deps, {
      unit: await realUnit(t.db, '19777'),
      category: u.traffic,
      state: 'answered',
      handler: u.staff.handler.id,
      reviewer: u.staff.reviewer.id,
    });
    const c = t.client();
    const form = await c.get('/mailbox/new?lang=en');
    expect(form.text).toContain('Report a problem or ask a question');
    expect(form.text).toContain('How your personal data is used');
    expect(form.text).not.toMatch(/\b(form|err|status|list)\.[a-zA-Z]+\b(?![.\w]*\.(js|css))/);
    const list = await c.get('/mailbox?lang=en');
    expect(list.text).toContain('Citizen mailbox');
    expect(list.headers.get('etag')).toBeTruthy();
    expect(list.headers.get('cache-control')).toContain('public');
    expect(gzipSync(list.text).byteLength).toBeLessThan(30 * 1024);
    const code = list.text.match(/\/mailbox\/r\/(PA-\d{4}-\d{6})/)![1];
    const one = await c.get(`/mailbox/r/${code}?lang=en`);
    expect(one.text).toContain('Timeline');
    expect(gzipSync(one.text).byteLength).toBeLessThan(30 * 1024);
    const cached = await c.get(`/mailbox/r/${code}?lang=en`, { 'if-none-match': one.headers.get('etag')! });
    expect(cached.status).toBe(304);
  });
});

// this test is about the demo itself: its reports must cover every state over a year
describe(`mailbox demo data (${testDbKind()})`, () => {
  it('holds reports in every state over the last 12 months', async () => {
    const t = await testApp();
    try {
      const states = (await t.db.query<{ status: string }>(`SELECT DISTINCT status FROM mailbox_reports`))
        .map((r) => r.status)
        .sort();
      expect(states).toEqual(
        [
          'accepted',
          'answered',
          'assigned',
          'closed',
          'in_progress',
          'merged',
          'received',
          'rejected',
          'reopened',
          'spam',
        ].sort(),
      );
      const span = await t.db.one<{ days: number; drafts: number; overdue: number }>(
        `SELECT extract(day FROM max(received_at) - min(received_at))::int AS days, count(*) FILTER (WHERE answer_draft IS NOT NULL)::int AS drafts,
           count(*) FILTER (WHERE status IN ('assigned','in_progress','reopened') AND deadline_at < now())::int AS overdue FROM mailbox_reports`,
      );
      expect(span!.days).toBeGreaterThan(300);
      expect(span!.drafts).toBeGreaterThan(0);
      expect(span!.overdue).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
