/**
 * Issue 15 (desk practice) and issue 12 (unit scope of claims): clusters belong to the units their claims come from;
 * staff assign a cluster to a checker with a priority, reply to the residents in free text, and start a fact-check
 * from a cluster with the claim and its appearances filled in. Every action audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { type Account, makeCityStaff, makeClaim, realCity, type STAFF_ROLES } from '../helpers/factories.js';
import { wardStaff, type WardStaff } from './ward-staff.js';

let t: TestApp;
let w: WardStaff;
let staff: Record<(typeof STAFF_ROLES)[number], Account>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
  await realCity(t.db);
  staff = await makeCityStaff(t.db, 'handling');
  w = await wardStaff(t.db);
  // a city-wide cluster (a claim without a ward)
  await makeClaim(t.deps, { text: 'Có tin cả thành phố sẽ cắt điện ba ngày liền vào tuần tới, có đúng không?' });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

async function as(email: string): Promise<TestClient> {
  const c = t.client();
  await c.signIn(email);
  return c;
}

/** A resident of ward B asks; returns the cluster and the tracking code. */
async function askFromWardB(text: string, email = '') {
  const r = t.client();
  await r.get('/claims/new');
  const sent = await r.post('/claims/new', {
    text,
    unit_id: String(w.wardB.id),
    email,
    link: 'https://video.example.org/v/123',
    seen_where: 'Video ngắn chia sẻ trong nhóm chat khu phố',
  });
  expect(sent.status).toBe(303);
  const code = sent.location!.match(/KC-[A-Z0-9]{7}/)![0];
  const row = (await t.db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE code = $1`, [code]))!;
  return { code, cluster: row.cluster_id };
}

describe('claims belong to the units they come from', () => {
  it('staff of another ward neither see nor act on a cluster; the ward’s and the city’s staff do', async () => {
    const { cluster } = await askFromWardB(
      'Nghe nói chợ phường sẽ đóng cửa ba tháng để xây lại từ tuần sau, có đúng không?',
    );
    const a = await as(w.emails.editorA);
    expect((await a.get('/staff/desk/claims')).text).not.toContain(`/staff/desk/clusters/${cluster}"`);
    expect((await a.get(`/staff/desk/clusters/${cluster}`)).status).toBe(403);
    expect((await a.post(`/staff/desk/clusters/${cluster}`, { status: 'not_checkable', reason: 'x' })).status).toBe(
      403,
    );
    expect((await a.post(`/staff/desk/clusters/${cluster}/assign`, { assignee_id: '', priority: 'high' })).status).toBe(
      403,
    );
    expect((await a.post(`/staff/desk/clusters/${cluster}/reply`, { reply: 'Chúng tôi đang kiểm tra.' })).status).toBe(
      403,
    );
    expect((await a.get(`/staff/desk/items/new?kind=factcheck&cluster=${cluster}`)).status).toBe(403);
    const b = await as(w.emails.editorB);
    expect((await b.get('/staff/desk/claims')).text).toContain(`/staff/desk/clusters/${cluster}"`);
    expect((await b.get(`/staff/desk/clusters/${cluster}`)).status).toBe(200);
    const city = await as(staff.reviewer.email);
    expect((await city.get(`/staff/desk/clusters/${cluster}`)).status).toBe(200);
    // a ward editor cannot merge a city-wide cluster into its own
    const cityCluster = (await t.db.one<{ id: number }>(
      `SELECT c.id FROM desk_clusters c JOIN desk_claims d ON d.cluster_id = c.id WHERE d.unit_id IS NULL AND c.size > 0 ORDER BY c.id LIMIT 1`,
    ))!.id;
    const merge = await b.post(`/staff/desk/clusters/${cluster}/merge`, { from: String(cityCluster) });
    expect(merge.status).toBe(422);
    expect(
      (await t.db.one<{ size: number }>(`SELECT size FROM desk_clusters WHERE id = $1`, [cityCluster]))!.size,
    ).toBeGreaterThan(0);
  });
});

describe('handling a cluster', () => {
  it('assigns a checker who may handle it, with a priority; refuses others beside the field; audited', async () => {
    const { cluster } = await askFromWardB(
      'Có tin phường sẽ thu phí gửi xe máy 50 nghìn mỗi ngày tại các khu dân cư, thật không?',
    );
    const rv = await as(staff.reviewer.email);
    const page = await rv.get(`/staff/desk/clusters/${cluster}`);
    expect(page.text).toContain('ward-editor-b');
    expect(page.text).not.toContain('ward-editor-a');
    const aId = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = $1`, [w.emails.editorA]))!.id;
    const bId = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = $1`, [w.emails.editorB]))!.id;
    const wrong = await rv.post(`/staff/desk/clusters/${cluster}/assign`, {
      assignee_id: String(aId),
      priority: 'urgent',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Người này không phụ trách được nhóm câu hỏi này');
    const badPriority = await rv.post(`/staff/desk/clusters/${cluster}/assign`, {
      assignee_id: String(bId),
      priority: 'very',
    });
    expect(badPriority.status).toBe(422);
    expect(badPriority.text).toContain('Vui lòng chọn mức ưu tiên');
    expect(
      (await rv.post(`/staff/desk/clusters/${cluster}/assign`, { assignee_id: String(bId), priority: 'urgent' }))
        .status,
    ).toBe(303);
    const b = await as(w.emails.editorB);
    const mine = await b.get('/staff/desk/claims?mine=1');
    expect(mine.text).toContain(`/staff/desk/clusters/${cluster}"`);
    expect(mine.text).toContain('data-priority="urgent"');
    expect(mine.text).toContain('Khẩn');
    const audit = await t.db.query<{ action: string; actor_label: string; data: { to: { priority: string } } }>(
      `SELECT action, actor_label, data FROM audit_log WHERE entity_type = 'desk.cluster' AND entity_id = $1 ORDER BY id`,
      [String(cluster)],
    );
    expect(audit.map((x) => x.action)).toEqual(['desk.cluster.assign']);
    expect(audit[0].actor_label).toBe(staff.reviewer.email);
    expect(audit[0].data.to.priority).toBe('urgent');
  });

  it('replies to the residents: shown on the status page and in the API, e-mailed to those who left an address', async () => {
    const { code, cluster } = await askFromWardB(
      'Nhà máy nước của phường bị nhiễm bẩn, không được dùng nước máy để nấu ăn, đúng không?',
      'nguoi.hoi@example.org',
    );
    const b = await as(w.emails.editorB);
    const empty = await b.post(`/staff/desk/clusters/${cluster}/reply`, { reply: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Vui lòng viết nội dung trả lời.');
    const text =
      'Chúng tôi đã nhận câu hỏi và đang đối chiếu kết quả xét nghiệm nước mới nhất.\nSẽ trả lời trong 2 ngày.';
    expect((await b.post(`/staff/desk/clusters/${cluster}/reply`, { reply: text })).status).toBe(303);
    const status = await t.client().get(`/claims/${code}`);
    expect(status.text).toContain('Trả lời của bộ phận kiểm chứng');
    expect(status.text).toContain('đang đối chiếu kết quả xét nghiệm nước mới nhất.');
    expect(status.text).not.toContain('ward-editor-b');
    const api = await t.client().json<{ replies: { text: string }[] }>(`/api/v1/claims/${code}`);
    expect(api.body.replies[0].text).toBe(text);
    await t.drainJobs();
    const [mail] = await smtp.waitFor(1);
    expect(mail.to).toContain('nguoi.hoi@example.org');
    expect(mail.subject).toContain(code);
    expect(mail.text).toContain('Sẽ trả lời trong 2 ngày.');
    const audit = await t.db.one<{ action: string; data: { emailed: number } }>(
      `SELECT action, data FROM audit_log WHERE entity_type = 'desk.cluster' AND entity_id = $1 AND action = 'desk.cluster.reply'`,
      [String(cluster)],
    );
    expect(audit!.data.emailed).toBe(1);
  });

  it('starts a fact-check from a cluster with the claim and where it appeared filled in, and links them', async () => {
    const { cluster } = await askFromWardB(
      'Tin nhắn nói trường tiểu học phường cho học sinh nghỉ cả tuần sau vì dịch cúm, có thật không?',
    );
    const b = await as(w.emails.editorB);
    const clusterPage = await b.get(`/staff/desk/clusters/${cluster}`);
    expect(clusterPage.text).toContain(`href="/staff/desk/items/new?kind=factcheck&amp;cluster=${cluster}"`);
    const form = await b.get(`/staff/desk/items/new?kind=factcheck&cluster=${cluster}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Tin nhắn nói trường tiểu học phường cho học sinh nghỉ cả tuần sau vì dịch cúm');
    expect(form.text).toContain('Video ngắn chia sẻ trong nhóm chat khu phố | https://video.example.org/v/123');
    expect(form.text).toContain(`name="cluster_id" value="${cluster}"`);
    const created = await b.post('/staff/desk/items', {
      kind: 'factcheck',
      cluster_id: String(cluster),
      owner_unit_id: String(w.wardB.id),
      title: 'Trường tiểu học không cho học sinh nghỉ cả tuần',
      claim: 'Trường tiểu học phường cho học sinh nghỉ cả tuần sau vì dịch cúm',
      verdict: 'sai',
      summary: 'Sai. Trường vẫn học bình thường.',
      body: 'Chúng tôi đã hỏi nhà trường.',
      appearances: 'Video ngắn chia sẻ trong nhóm chat khu phố | https://video.example.org/v/123',
      sources: 'Thông báo của trường | Trường tiểu học | 2026-12-01 | https://example.org/tb',
    });
    expect(created.status).toBe(303);
    const id = Number(created.location!.match(/items\/(\d+)/)![1]);
    const row = await t.db.one<{ status: string; factcheck_id: number }>(
      `SELECT status, factcheck_id FROM desk_clusters WHERE id = $1`,
      [cluster],
    );
    expect(row).toEqual({ status: 'checking', factcheck_id: id });
    expect((await b.get(`/staff/desk/clusters/${cluster}`)).text).toContain('Đang kiểm chứng');
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'desk.cluster' AND entity_id = $1 ORDER BY id`,
      [String(cluster)],
    );
    expect(audit.map((x) => x.action)).toEqual(['desk.cluster.status']);
  });
});
