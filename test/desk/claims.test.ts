import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitClaim } from '../../src/modules/desk/public.js';
import { deskModule } from '../../src/modules/desk/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import {
  type Account,
  makeCityStaff,
  makeClaim,
  makeFactcheck,
  makeItem,
  realCity,
  type STAFF_ROLES,
} from '../helpers/factories.js';
import { PENSION_FACTCHECK, WATER_CUT_FACTCHECK } from '../helpers/factories-desk.js';
import { startSmtp } from '../helpers/smtp.js';
import { versionForm } from './ward-staff.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let people: Record<(typeof STAFF_ROLES)[number], Account>;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
  await realCity(t.db);
  people = await makeCityStaff(t.db, 'claims');
  // what the desk has published before: two fact-checks questions match, an article and a video
  const by = { author: people.editor.id, reviewer: people.reviewer.id, status: 'published' as const };
  await makeFactcheck(t.deps, { ...by, form: WATER_CUT_FACTCHECK });
  await makeFactcheck(t.deps, { ...by, form: PENSION_FACTCHECK });
  await makeItem(t.deps, by);
  await makeItem(t.deps, {
    ...by,
    form: {
      kind: 'video',
      title: 'Cách nhận biết tin nhắn lừa đảo',
      summary: 'Ba dấu hiệu của một tin nhắn lừa đảo.',
      body: '',
      video_url: 'https://example.org/video/lua-dao.mp4',
      transcript: 'Không bấm vào đường link lạ. Không đọc mã OTP cho ai. Gọi ngay cho ngân hàng khi nghi ngờ.',
    },
  });
  // questions residents asked before: claims are clustered by their words weighed against every question asked, so
  // near-identical claims group the way they do on a desk with a history
  for (const text of [
    'Có phải Huế sắp cắt nước toàn thành phố 5 ngày không?',
    'Nhận 3 triệu tiền hỗ trợ lương hưu qua đường link có thật không?',
    'Nghe nói ở chợ Bến Ngự có người bán thịt heo bệnh giá rẻ, có đúng không?',
    'Có tin đường Lê Lợi sẽ cấm xe máy vào cuối tuần từ tháng 12, đúng không?',
    'Người ta nói uống nước lá ổi chữa khỏi sốt xuất huyết, có đúng không?',
    'Huế sắp cắt nước toàn thành phố 5 ngày không ạ?',
    'Tin nhắn nhận 3 triệu tiền hỗ trợ lương hưu qua đường link có thật không?',
    'Nghe nói chợ Bến Ngự có người bán thịt heo bệnh giá rẻ, có đúng không?',
    'Học phí các trường công lập năm nay tăng gấp đôi phải không?',
    'Có người nói cầu Trường Tiền bị nứt sắp sập, có thật không?',
    'Nghe đồn sân bay Phú Bài đóng cửa cả tuần vì bão',
    'Trường mầm non ở Vỹ Dạ cho trẻ nghỉ học vì dịch tay chân miệng?',
    'Điện lực sẽ cắt điện toàn phường An Cựu từ 6 giờ sáng mai',
    'Ai gọi điện tự xưng công an bảo chuyển tiền để xác minh có phải lừa đảo không?',
    'Nghe nói giá xăng tuần sau tăng thêm 5 nghìn đồng một lít',
  ])
    await makeClaim(t.deps, { text, source: 'public' });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';

describe('“is this true?” claims', () => {
  it('answers at once with the published fact-check that matches, and gives a tracking code', async () => {
    const c = t.client();
    await c.get('/claims/new');
    const sent = await c.post(
      '/claims/new',
      {
        text: 'Nghe nói sắp mất nước cả thành phố Huế trong 5 ngày để súc rửa ống, có thật không?',
        seen_where: 'Nhóm Zalo khu phố',
        link: '',
        email: '',
      },
      { multipart: true },
    );
    expect(sent.status).toBe(303);
    const r = await c.get(sent.location!);
    expect(r.status).toBe(200);
    const code = r.text.match(/KC-[A-Z0-9]{7}/)?.[0];
    expect(code).toBeTruthy();
    expect(r.text).toContain('Đã được kiểm chứng');
    expect(r.text).toContain('Không có chuyện cắt nước toàn thành phố 5 ngày');
    expect(r.text).not.toContain('Chưa được kiểm chứng');
    const status = await t.client().get(`/claims/${code}`);
    expect(status.status).toBe(200);
    expect(status.text).toContain('Trạng thái:');
    // the API answers with the same code
    const api = await t.client().json(`/api/v1/claims/${code}`);
    expect(api.body.code).toBe(code);
    // staff see the same rule on the cluster: the fact-check that may answer it, apart from related ones
    const cl = await t.db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE code = $1`, [code]);
    const rv = t.client();
    await rv.signIn(people.reviewer.email);
    const staff = await rv.get(`/staff/desk/clusters/${cl!.cluster_id}`);
    expect(staff.text).toMatch(
      /<li class="answers"><a href="\/factchecks\/\d+-[^"]*">Không có chuyện cắt nước toàn thành phố 5 ngày/,
    );
  });

  it('says so when nothing matches', async () => {
    const c = t.client();
    await c.get('/claims/new');
    const sent = await c.post(
      '/claims/new',
      { text: 'Con voi trắng biết nói xuất hiện ở đỉnh núi Bạch Mã sáng nay' },
      { multipart: true },
    );
    expect(sent.status).toBe(303);
    const r = await c.get(sent.location!);
    expect(r.status).toBe(200);
    expect(r.text).toContain('Chưa được kiểm chứng — chúng tôi đã nhận câu hỏi của bạn');
    expect(r.text).not.toContain('Đã được kiểm chứng');
    // related pieces, if any, carry no verdict badge: they are not the verdict on this claim
    expect(r.text).not.toContain('class="badge');
  });

  it('rejects bad input with errors beside the fields, keeping what was typed', async () => {
    const c = t.client();
    await c.get('/claims/new');
    const r = await c.post(
      '/claims/new',
      { text: 'ngắn', link: 'javascript:alert(1)', email: 'khong-phai-email', seen_where: 'Trang "tin nóng"' },
      { multipart: true },
    );
    expect(r.status).toBe(422);
    expect(r.text).toContain('Vui lòng mô tả tin ít nhất 10 ký tự.');
    expect(r.text).toContain('id="f-link-err"');
    expect(r.text).toContain('Liên kết phải bắt đầu bằng http:// hoặc https://.');
    expect(r.text).toContain('Địa chỉ thư điện tử không hợp lệ.');
    expect(r.text).toContain('>ngắn</textarea>');
    expect(r.text).toContain('value="Trang &quot;tin nóng&quot;"');
    const long = await c.post('/claims/new', { text: 'x'.repeat(4001) }, { multipart: true });
    expect(long.status).toBe(422);
    expect(long.text).toContain('Tối đa 4000 ký tự.');
    const en = await c.post('/claims/new?lang=en', { text: 'short' }, { multipart: true });
    expect(en.text).toContain('Please describe the story in at least 10 characters.');
    const shot = await c.post('/claims/new', {
      text: 'Một tin đồn đủ dài để gửi đi',
      screenshot: new File([new TextEncoder().encode('not an image')], 'anh.png', { type: 'image/png' }),
    });
    expect(shot.status).toBe(422);
    expect(shot.text).toContain('không phải ảnh');
    expect(shot.text).toContain('Một tin đồn đủ dài để gửi đi');
  });

  it('groups near-identical claims in one cluster whose size shows demand, and keeps hostile text inert', async () => {
    const base = 'Đường Hùng Vương sẽ cấm ô tô từ ngày 1 tháng 12 để làm đường sắt trên cao';
    const codes: string[] = [];
    for (const text of [
      base,
      base + '?',
      'duong hung vuong se cam o to tu ngay 1 thang 12 de lam duong sat tren cao',
      `${base} ${HOSTILE}`,
    ]) {
      codes.push((await submitClaim(t.deps, { text, source: 'public' })).code);
    }
    const other = await submitClaim(t.deps, {
      text: 'Trường tiểu học Vỹ Dạ cho học sinh nghỉ học thứ Sáu này',
      source: 'public',
    });
    const rows = await t.db.query<{ cluster_id: number; code: string }>(
      `SELECT cluster_id, code FROM desk_claims WHERE code = ANY($1)`,
      [[...codes, other.code]],
    );
    const clusterOf = new Map(rows.map((r) => [r.code, r.cluster_id]));
    expect(new Set(codes.map((c) => clusterOf.get(c))).size).toBe(1);
    expect(clusterOf.get(other.code)).not.toBe(clusterOf.get(codes[0]));
    const rv = t.client();
    await rv.signIn(people.reviewer.email);
    const list = await rv.get('/staff/desk/claims');
    expect(list.text).toContain('Đường Hùng Vương sẽ cấm ô tô');
    const cid = clusterOf.get(codes[0])!;
    const page = await rv.get(`/staff/desk/clusters/${cid}`);
    expect(page.text).toContain('<span class="cluster-size">4</span>');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;script&gt;');
    expect(page.text).not.toContain('<li class="answers">');
  });

  it('notifies everyone who asked and left a contact when the answering fact-check is published', async () => {
    const c1 = t.client();
    await c1.get('/claims/new');
    await c1.post(
      '/claims/new',
      { text: 'Bệnh viện Trung ương Huế ngừng khám bảo hiểm y tế từ tuần sau', email: 'ba.lan@example.org' },
      { multipart: true },
    );
    const c2 = t.client({ ip: '203.0.113.50' });
    await c2.get('/claims/new?lang=en');
    await c2.post(
      '/claims/new?lang=en',
      { text: 'Bệnh viện Trung ương Huế ngừng khám bảo hiểm y tế từ tuần sau!', email: 'visitor@example.org' },
      { multipart: true },
    );
    const member = await submitClaim(t.deps, {
      text: 'Bệnh viện Trung ương Huế ngừng khám bảo hiểm y tế từ tuần sau.',
      source: 'member',
      memberUserId: null,
      unitId: null,
    });
    expect(member.code).toMatch(/^KC-/);
    const cl = await t.db.one<{ cluster_id: number }>(
      `SELECT cluster_id FROM desk_claims WHERE contact_email = 'ba.lan@example.org'`,
    );
    const size = await t.db.one<{ size: number }>(`SELECT size FROM desk_clusters WHERE id = $1`, [cl!.cluster_id]);
    expect(size!.size).toBe(3);

    // the editor writes the answer; the cluster is linked to it and waits
    const ed = t.client();
    await ed.signIn(people.editor.email);
    await ed.get('/staff/desk/items/new?kind=factcheck');
    const created = await ed.post('/staff/desk/items', {
      kind: 'factcheck',
      title: 'Bệnh viện vẫn khám bảo hiểm y tế bình thường',
      claim: 'Bệnh viện Trung ương Huế ngừng khám bảo hiểm y tế',
      verdict: 'sai',
      summary: 'Sai. Bệnh viện vẫn khám, chữa bệnh bảo hiểm y tế bình thường.',
      body: 'Bệnh viện đã xác nhận.',
      sources: 'Xác nhận của bệnh viện | Bệnh viện Trung ương Huế | 2026-11-20 | Công văn 900/BV',
    });
    const id = Number(created.location!.match(/(\d+)/)![1]);
    const rv = t.client();
    await rv.signIn(people.reviewer.email);
    await rv.get(`/staff/desk/clusters/${cl!.cluster_id}`);
    const noFc = await rv.post(`/staff/desk/clusters/${cl!.cluster_id}`, {
      status: 'answered',
      factcheck_id: '',
      reason: '',
    });
    expect(noFc.status).toBe(422);
    expect(noFc.text).toContain('Vui lòng chọn một bài kiểm chứng.');
    expect(
      (
        await rv.post(`/staff/desk/clusters/${cl!.cluster_id}`, {
          status: 'answered',
          factcheck_id: String(id),
          reason: '',
        })
      ).status,
    ).toBe(303);
    expect((await rv.get(`/staff/desk/clusters/${cl!.cluster_id}`)).text).toContain('Đang kiểm chứng');
    await t.drainJobs();
    expect(smtp.mails.filter((m) => m.to.includes('ba.lan@example.org'))).toHaveLength(0);

    await ed.get(`/staff/desk/items/${id}`);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    await rv.get(`/staff/desk/items/${id}`);
    await rv.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id));
    await rv.post(`/staff/desk/items/${id}/publish`, {});
    await t.drainJobs();
    const mails = await smtp.waitFor(2);
    const vi = mails.find((m) => m.to.includes('ba.lan@example.org'))!;
    const en = mails.find((m) => m.to.includes('visitor@example.org'))!;
    expect(vi.subject).toMatch(/^Đã có kết luận kiểm chứng cho câu hỏi KC-/);
    expect(vi.text).toContain('Bệnh viện vẫn khám bảo hiểm y tế bình thường');
    expect(vi.text).toContain('Kết luận: Sai');
    expect(vi.text).toContain(`http://test.local/factchecks/${id}-`);
    expect(en.subject).toMatch(/^Your question KC-\w+ has been answered/);
    expect(en.text).toContain('Verdict: False');
    const st = await t.db.one<{ status: string }>(`SELECT status FROM desk_clusters WHERE id = $1`, [cl!.cluster_id]);
    expect(st!.status).toBe('answered');
    // a later asker sees the answer at once, on the tracking page too
    const late = await submitClaim(t.deps, {
      text: 'Bệnh viện Trung ương Huế ngừng khám bảo hiểm y tế từ tuần sau',
      source: 'public',
    });
    expect(late.matches[0]?.title).toBe('Bệnh viện vẫn khám bảo hiểm y tế bình thường');
    const track = await t.client().get(`/claims/${late.code}`);
    expect(track.text).toContain('Đã trả lời');
    expect(track.text).toContain('Bệnh viện vẫn khám bảo hiểm y tế bình thường');
    // nobody's e-mail is shown in public
    expect(track.text).not.toContain('@example.org');
  });

  it('marks a cluster not checkable only with a reason, shown to the asker', async () => {
    const r = await submitClaim(t.deps, { text: 'Tuần sau giá vàng sẽ tăng gấp ba lần, nên mua ngay', source: 'api' });
    const cl = await t.db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE code = $1`, [r.code]);
    const rv = t.client();
    await rv.signIn(people.editor.email);
    await rv.get(`/staff/desk/clusters/${cl!.cluster_id}`);
    const bad = await rv.post(`/staff/desk/clusters/${cl!.cluster_id}`, { status: 'not_checkable', reason: '' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Vui lòng nêu lý do.');
    await rv.post(`/staff/desk/clusters/${cl!.cluster_id}`, {
      status: 'not_checkable',
      reason: 'Dự đoán về tương lai, không có dữ kiện để kiểm chứng',
    });
    const page = await t.client().get(`/claims/${r.code}`);
    expect(page.text).toContain('Không thể kiểm chứng');
    expect(page.text).toContain('Dự đoán về tương lai');
    const audit = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'desk.cluster.status' AND entity_id = $1`,
      [String(cl!.cluster_id)],
    );
    expect(audit!.n).toBe(1);
  });

  it('takes claims by API, with field errors as JSON', async () => {
    const c = t.client();
    const bad = await c.json('/api/v1/claims', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'ngắn', link: 'file:///etc/passwd' }),
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.text).toContain('10');
    const ok = await c.json('/api/v1/claims', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: 'Tin nhắn nhận tiền hỗ trợ lương hưu qua đường link có thật không',
        unit_code: '19753',
      }),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.code).toMatch(/^KC-/);
    expect(ok.body.matches[0].title).toContain('lương hưu');
  });

  it('reports its figures for a unit subtree and period', async () => {
    const unit = await t.db.one<{ path: string; id: number }>(
      `SELECT path::text AS path, id FROM units WHERE code = '19789'`,
    );
    await submitClaim(t.deps, {
      text: 'Thành viên mạng lưới hỏi về tin đồn cắt điện cả phường Thuận Hoá',
      source: 'member',
      unitId: unit!.id,
    });
    const now = new Date();
    const root = await t.db.one<{ path: string }>(`SELECT path::text AS path FROM units WHERE code = '46'`);
    const all = await deskModule.figures!(t.db, {
      unitPath: root!.path,
      from: new Date(now.getTime() - 366 * 86400_000),
      to: new Date(now.getTime() + 60_000),
    });
    // the two fact-checks, the article and the video published at the start, and the hospital fact-check above
    expect(all.desk!.factchecks).toBe(3);
    expect(all.desk!.articles).toBe(1);
    expect(all.desk!.videos).toBe(1);
    expect(all.desk!.claimsReceived).toBeGreaterThan(all.desk!.clusters);
    expect(all.desk!.claimsAnswered).toBeGreaterThan(0);
    expect(all.desk!.medianHoursToAnswer).not.toBeNull();
    const ward = await deskModule.figures!(t.db, {
      unitPath: unit!.path,
      from: new Date(now.getTime() - 86400_000),
      to: new Date(now.getTime() + 60_000),
    });
    expect(ward.desk!.claimsFromMembers).toBe(1);
    expect(ward.desk!.claimsReceived).toBe(1);
    const empty = await deskModule.figures!(t.db, {
      unitPath: unit!.path,
      from: new Date('2000-01-01'),
      to: new Date('2000-02-01'),
    });
    expect(empty.desk).toEqual({
      articles: 0,
      videos: 0,
      factchecks: 0,
      claimsReceived: 0,
      clusters: 0,
      claimsAnswered: 0,
      medianHoursToAnswer: null,
      claimsFromMembers: 0,
    });
  });
});
