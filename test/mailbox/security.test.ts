/** Issue 12: findings 7 and 9 and the Open311 leak, each reproduced as the attack and shown refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser, realUnit } from '../helpers/factories.js';
import { enqueue } from '../../src/platform/jobs/queue.js';
import { acceptPhotos, ORPHAN_JOB } from '../../src/modules/mailbox/service.js';
import { cityWithCategories, fileReport, jpeg } from './helpers.js';

describe(`mailbox security (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'sec');
    const vyDa = await realUnit(t.db, '19777');
    await makeUser(t.db, { email: 'vyda-h@sec.test', name: 'Cán bộ Vỹ Dạ', role: 'handler', unit: vyDa });
  });
  afterAll(() => t.close());
  const rid = async (code: string) =>
    (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
  const agency = async (code: string) =>
    (await t.db.one<{ id: number }>(`SELECT id FROM agencies WHERE code = $1`, [code]))!.id;

  it('finding 7: a reviewer cannot publish an answer nobody drafted, nor can anyone approve their own draft', async () => {
    const c = t.client({ ip: '198.51.100.1' });
    const r = await fileReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Rác ở bến đò',
      description: 'Rác thải dồn ứ ở bến đò Vỹ Dạ nhiều ngày.',
    });
    const id = await rid(r.code);
    const h = t.client();
    await h.signIn('handler@sec.test');
    expect((await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    // the attack: the reviewer writes and approves an answer alone
    const rv = t.client();
    await rv.signIn('reviewer@sec.test');
    const alone = await rv.post(`/staff/mailbox/${id}/approve`, {
      answer: 'Đã xử lý xong (câu trả lời do một người viết và duyệt).',
    });
    expect(alone.status).toBe(409);
    expect(alone.text).toContain('Chưa có dự thảo trả lời của cán bộ xử lý');
    expect((await t.client().get(`/mailbox/r/${r.code}`)).text).not.toContain('do một người viết và duyệt');
    // an admin (who holds both roles) drafts and tries to approve its own draft
    const a = t.client();
    await a.signIn('admin@sec.test');
    expect((await a.post(`/staff/mailbox/${id}/draft`, { answer: 'Dự thảo của quản trị viên.' })).status).toBe(303);
    const own = await a.post(`/staff/mailbox/${id}/approve`, {});
    expect(own.status).toBe(409);
    expect(own.text).toContain('Bạn không thể duyệt dự thảo do chính mình soạn');
    // the rule's normal path still works: handler drafts, reviewer approves
    expect((await h.post(`/staff/mailbox/${id}/draft`, { answer: 'Đã thu gom toàn bộ rác ở bến đò.' })).status).toBe(
      303,
    );
    expect((await rv.post(`/staff/mailbox/${id}/approve`, {})).status).toBe(303);
    expect((await t.client().get(`/mailbox/r/${r.code}`)).text).toContain('Đã thu gom toàn bộ rác ở bến đò.');
  });

  it('finding 7: route refuses an agency of another ward, accepts one above the report', async () => {
    const c = t.client({ ip: '198.51.100.2' });
    const r = await fileReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Cống tắc ở Vỹ Dạ',
      description: 'Cống thoát nước bị tắc, nước tràn lên đường.',
      phone: '0912333444',
    });
    const id = await rid(r.code);
    const v = t.client();
    await v.signIn('vyda-h@sec.test');
    const page = await v.get(`/staff/mailbox/${id}`);
    expect(page.text).not.toContain('UBND phường Phú Xuân'); // not offered
    const out = await v.post(`/staff/mailbox/${id}/route`, { agency: String(await agency('HUE-PX-UBND')) });
    expect(out.status).toBe(422);
    expect(out.text).toContain('Cơ quan này không thuộc địa bàn của phản ánh');
    const row = await t.db.one<{ agency_code: string | null }>(
      `SELECT a.code AS agency_code FROM mailbox_reports r LEFT JOIN agencies a ON a.id = r.agency_id WHERE r.id = $1`,
      [id],
    );
    expect(row!.agency_code).not.toBe('HUE-PX-UBND');
    expect(
      (
        await v.post(`/staff/mailbox/${id}/route`, {
          agency: String(await agency('HUE-SXD')),
          reason: 'Thuộc Sở Xây dựng.',
        })
      ).status,
    ).toBe(303);
  });

  it('Open311 requests/{id} shows nothing but the status of a report that is not public', async () => {
    const c = t.client({ ip: '198.51.100.3' });
    const r = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.vyDa),
      title: 'Biển báo bị che khuất',
      description: 'Cây che mất biển báo giao thông ở ngã ba.',
    });
    const res = await t.client().json(`/open311/v2/requests/${r.code}.json`);
    expect(res.status).toBe(200);
    const [item] = res.body as Record<string, unknown>[];
    expect(item.service_request_id).toBe(r.code);
    expect(item.status).toBe('open');
    for (const k of [
      'service_name',
      'service_code',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'description',
      'address',
      'lat',
      'long',
    ])
      expect(item[k]).toBeNull();
    const xml = await t.client().get(`/open311/v2/requests/${r.code}.xml`);
    expect(xml.text).not.toContain('giao-thong');
    expect(xml.text).not.toContain('Giao thông');
    // the list by ids says the same
    const list = await t.client().json(`/open311/v2/requests.json?service_request_id=${r.code}`);
    expect((list.body as Record<string, unknown>[])[0].service_code).toBeNull();
  });

  const count = async (sql: string) => (await t.db.one<{ n: number }>(sql))!.n;
  const stored = () => count(`SELECT count(*)::int AS n FROM files`);
  const photoJobs = () => count(`SELECT count(*)::int AS n FROM jobs WHERE type = 'mailbox.photo'`);

  it('finding 9: a refused form stores no photo and queues no job', async () => {
    const c = t.client({ ip: '198.51.100.4' });
    const page = await c.get('/mailbox/new');
    const once = page.text.match(/name="once" value="([^"]+)"/)![1];
    const [files, jobs] = [await stored(), await photoJobs()];
    const res = await c.post(
      '/mailbox/new',
      { once, category: String(u.env), unit: String(u.vyDa), title: 'x', description: 'ngắn', photos: await jpeg() },
      { multipart: true },
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Tiêu đề cần ít nhất 5 ký tự.');
    expect(res.text).toContain('Ảnh chưa được lưu');
    expect(await stored()).toBe(files);
    expect(await photoJobs()).toBe(jobs);
  });

  it('finding 9: past the flood limit a form with photos stores nothing', async () => {
    const ip = '198.51.100.5';
    for (let i = 0; i < 10; i++)
      await fileReport(t.client({ ip }), {
        category: String(u.env),
        unit: String(u.vyDa),
        title: `Phản ánh thứ ${i}`,
        description: 'Gửi nhiều lần từ một địa chỉ.',
      });
    const c = t.client({ ip });
    const page = await c.get('/mailbox/new');
    const once = page.text.match(/name="once" value="([^"]+)"/)![1];
    const [files, jobs] = [await stored(), await photoJobs()];
    const res = await c.post(
      '/mailbox/new',
      {
        once,
        category: String(u.env),
        unit: String(u.vyDa),
        title: 'Phản ánh thứ 11',
        description: 'Gửi nhiều lần từ một địa chỉ.',
        photos: await jpeg(),
      },
      { multipart: true },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await stored()).toBe(files);
    expect(await photoJobs()).toBe(jobs);
  });

  it('finding 9: a photo sent to a report that takes no more replies is refused before it is stored', async () => {
    const c = t.client({ ip: '198.51.100.6' });
    const r = await fileReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Quảng cáo bán hàng',
      description: 'Quảng cáo bán hàng giá rẻ, liên hệ ngay.',
    });
    const h = t.client();
    await h.signIn('handler@sec.test');
    expect((await h.post(`/staff/mailbox/${await rid(r.code)}/triage`, { action: 'spam' })).status).toBe(303);
    await c.get(r.link);
    const files = await stored();
    const res = await c.post(`${r.link}/reply`, { body: 'Thêm ảnh', photos: await jpeg() }, { multipart: true });
    expect(res.status).toBe(409);
    expect(await stored()).toBe(files);
  });

  it('finding 9: uploads no report holds are deleted after a day, with their bytes', async () => {
    const limits = { maxBytes: 5_000_000, maxFiles: 5, maxPixels: 40_000_000 };
    const [old] = await acceptPhotos(t.deps, [await jpeg()], limits);
    const [fresh] = await acceptPhotos(t.deps, [await jpeg()], limits);
    const c = t.client({ ip: '198.51.100.7' });
    const r = await fileReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Ảnh đã đính kèm',
      description: 'Phản ánh có ảnh đính kèm từ lâu.',
      photos: await jpeg(),
    });
    const [{ file_id: attached }] = await t.db.query<{ file_id: string }>(
      `SELECT p.file_id FROM mailbox_photos p JOIN mailbox_reports r ON r.id = p.report_id WHERE r.code = $1`,
      [r.code],
    );
    await t.drainJobs();
    await t.db.query(
      `UPDATE mailbox_uploads SET created_at = now() - interval '25 hours' WHERE file_id = ANY($1::uuid[])`,
      [[old, attached]],
    );
    const keyOf = async (id: string) =>
      (await t.db.one<{ storage_key: string }>(`SELECT storage_key FROM files WHERE id = $1`, [id]))?.storage_key;
    const oldKey = (await keyOf(old))!;
    expect(t.blobs.blobs.has(oldKey)).toBe(true);
    await enqueue(t.db, ORPHAN_JOB, {});
    await t.drainJobs();
    expect(await keyOf(old)).toBeUndefined();
    expect(t.blobs.blobs.has(oldKey)).toBe(false);
    expect(await keyOf(fresh)).toBeTruthy();
    expect(await keyOf(attached)).toBeTruthy();
    expect((await c.get(r.link)).text).toContain(`/photos/${attached}`);
  });
});
