import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { makeCityStaff, makeFactcheck } from '../helpers/factories.js';
import { versionForm } from './ward-staff.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ demo: false });
  const staff = await makeCityStaff(t.db, 'desk');
  // a fact-check already out, for the policy links
  await makeFactcheck(t.deps, { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' });
});
afterAll(async () => t?.close());

const factcheck = (over: Record<string, string | string[]> = {}) => ({
  kind: 'factcheck',
  title: 'Không có chuyện phát tiền mặt tại nhà văn hóa',
  claim: 'Nhà văn hóa phường phát 500 nghìn tiền mặt cho mỗi hộ vào sáng mai',
  verdict: 'sai',
  summary: 'Sai. Phường không có chương trình phát tiền mặt nào.',
  body: 'Chúng tôi đã hỏi UBND phường.\n\n**Không có** chương trình nào như vậy.',
  appearances: 'Tin nhắn chuyển tiếp trong nhóm chat tổ dân phố | https://example.org/post/1',
  claim_date: '2026-11-01',
  method: 'Liên hệ UBND phường, đối chiếu kế hoạch an sinh.',
  sources:
    'Kế hoạch an sinh quý IV | UBND phường Phú Xuân | 2026-10-01 | https://example.org/ke-hoach\nTrả lời của phường | UBND phường Phú Xuân | 2026-11-02 | Công văn 15/UBND',
  ...over,
});

async function idFrom(location: string | null) {
  const m = location?.match(/\/staff\/desk\/items\/(\d+)/);
  expect(m, `redirect ${location}`).toBeTruthy();
  return Number(m![1]);
}

describe('editorial workflow', () => {
  it('refuses bad input with translated errors beside the fields and keeps what was typed', async () => {
    const ed = t.client();
    await ed.signIn('editor@desk.test');
    await ed.get('/staff/desk/items/new?kind=factcheck');
    const r = await ed.post(
      '/staff/desk/items',
      factcheck({
        sources: '',
        verdict: '',
        title: 'Tiêu đề <giữ nguyên>',
        appearances: 'Một bài đăng | javascript:alert(1)',
      }),
    );
    expect(r.status).toBe(422);
    expect(r.text).toContain('Bài kiểm chứng cần ít nhất một nguồn');
    expect(r.text).toContain('Vui lòng chọn kết luận.');
    expect(r.text).toContain('Liên kết phải là http/https');
    expect(r.text).toContain('id="f-sources-err"');
    expect(r.text).toContain('value="Tiêu đề &lt;giữ nguyên&gt;"');
    const bad = await ed.post('/staff/desk/items', factcheck({ sources: 'Nguồn | Nơi | 2026-01-01 | ftp://x.org/a' }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Dòng nguồn 1 không hợp lệ');
    const en = await ed.post('/staff/desk/items?lang=en', factcheck({ summary: '' }));
    expect(en.status).toBe(422);
    expect(en.text).toContain('This field is required.');
  });

  it('draft → review → approved → published with two people; every step audited; corrections shown; withdrawal leaves a notice', async () => {
    const ed = t.client();
    await ed.signIn('editor@desk.test');
    await ed.get('/staff/desk/items/new?kind=factcheck');
    const created = await ed.post('/staff/desk/items', factcheck());
    expect(created.status).toBe(303);
    const id = await idFrom(created.location);

    // not public yet
    expect((await t.client().get(`/factchecks/${id}`)).status).toBe(404);
    // the editor may not approve
    await ed.get(`/staff/desk/items/${id}`);
    expect((await ed.post(`/staff/desk/items/${id}/submit`, {})).status).toBe(303);
    const forbidden = await ed.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id));
    expect(forbidden.status).toBe(403);

    const rv = t.client();
    await rv.signIn('reviewer@desk.test');
    const page = await rv.get(`/staff/desk/items/${id}`);
    expect(page.text).toContain('Chờ duyệt');
    expect((await rv.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id))).status).toBe(303);
    expect((await rv.get(`/staff/desk/items/${id}`)).text).toContain('Đã duyệt');
    expect((await rv.post(`/staff/desk/items/${id}/publish`, {})).status).toBe(303);

    const pub = await t.client().get(`/factchecks/${id}-khong-co-chuyen`);
    expect(pub.status).toBe(200);
    expect(pub.text).toContain('Nhà văn hóa phường phát 500 nghìn tiền mặt');
    expect(pub.text).toContain('data-verdict="sai"');
    expect(pub.text).toContain('Kế hoạch an sinh quý IV');
    expect(pub.text).toContain('Công văn 15/UBND');
    expect(pub.text).toContain('Liên hệ UBND phường');
    expect(pub.text).toContain('href="/policies/method"');
    expect(pub.text).toContain('<strong>Không có</strong>');

    // a change to a published piece needs a correction note
    const noNote = await ed.post(
      `/staff/desk/items/${id}`,
      factcheck({ summary: 'Sai. Phường không có chương trình phát tiền mặt nào trong năm 2026.' }),
    );
    expect(noNote.status).toBe(422);
    expect(noNote.text).toContain('cần ghi rõ nội dung đính chính');
    expect(noNote.text).toContain('trong năm 2026');
    const corrected = await ed.post(
      `/staff/desk/items/${id}`,
      factcheck({
        summary: 'Sai. Phường không có chương trình phát tiền mặt nào trong năm 2026.',
        correction_what: 'Bổ sung mốc thời gian',
        correction_why: 'Bạn đọc góp ý',
      }),
    );
    expect(corrected.status).toBe(303);
    // the change is a new version that goes through review; the published one stays live until it is approved
    expect((await t.client().get(`/factchecks/${id}`)).text).not.toContain('trong năm 2026');
    expect((await ed.post(`/staff/desk/items/${id}/submit`, {})).status).toBe(303);
    expect((await rv.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id))).status).toBe(303);
    const after = await t.client().get(`/factchecks/${id}`);
    expect(after.text).toContain('Đính chính');
    expect(after.text).toContain('Bổ sung mốc thời gian — Lý do: Bạn đọc góp ý');
    expect(after.text).toContain('trong năm 2026');
    const versions = await t.db.query<{ version: number }>(
      `SELECT version FROM desk_item_versions WHERE item_id = $1 ORDER BY version`,
      [id],
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await rv.get(`/staff/desk/items/${id}`)).text).toContain('Phiên bản 2');

    // withdrawal needs a reason and leaves a public notice
    const noReason = await rv.post(`/staff/desk/items/${id}/unpublish`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Vui lòng nêu lý do.');
    expect(
      (await rv.post(`/staff/desk/items/${id}/unpublish`, { reason: 'Trùng với bài đã đăng trước đó' })).status,
    ).toBe(303);
    const gone = await t.client().get(`/factchecks/${id}`);
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('Nội dung này đã được gỡ');
    expect(gone.text).toContain('Trùng với bài đã đăng trước đó');
    expect(gone.text).not.toContain('Nhà văn hóa phường phát 500 nghìn');

    const audit = await t.db.query<{ action: string; actor_label: string }>(
      `SELECT action, actor_label FROM audit_log WHERE entity_type = 'desk.item' AND entity_id = $1 ORDER BY id`,
      [String(id)],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'desk.item.create',
      'desk.item.submit',
      'desk.item.approve',
      'desk.item.publish',
      'desk.item.revise',
      'desk.item.submit',
      'desk.item.correct',
      'desk.item.unpublish',
    ]);
    expect(audit.map((a) => a.actor_label)).toEqual([
      'editor@desk.test',
      'editor@desk.test',
      'reviewer@desk.test',
      'reviewer@desk.test',
      'editor@desk.test',
      'editor@desk.test',
      'reviewer@desk.test',
      'reviewer@desk.test',
    ]);
  });

  it('enforces the two-person rule even for an admin who wrote the piece', async () => {
    const ad = t.client();
    await ad.signIn('admin@desk.test');
    await ad.get('/staff/desk/items/new?kind=article');
    const created = await ad.post('/staff/desk/items', {
      kind: 'article',
      title: 'Lịch tiếp công dân tháng 12',
      summary: 'Lịch tiếp công dân của lãnh đạo thành phố.',
      body: 'Thứ Năm hằng tuần.',
      sources: '',
    });
    const id = await idFrom(created.location);
    await ad.post(`/staff/desk/items/${id}/submit`, {});
    const r = await ad.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id));
    expect(r.status).toBe(422);
    expect(r.text).toContain('Người duyệt phải khác người viết bài');
    const row = await t.db.one<{ status: string }>(`SELECT status FROM desk_items WHERE id = $1`, [id]);
    expect(row!.status).toBe('in_review');
  });

  it('publishes a scheduled piece when its time comes, through the job queue', async () => {
    const ed = t.client();
    await ed.signIn('editor@desk.test');
    await ed.get('/staff/desk/items/new?kind=video');
    const noTranscript = await ed.post('/staff/desk/items', {
      kind: 'video',
      title: 'Video hướng dẫn',
      summary: 'Tóm tắt',
      video_url: 'javascript:alert(1)',
      transcript: '',
      body: '',
      sources: '',
    });
    expect(noTranscript.status).toBe(422);
    expect(noTranscript.text).toContain('Liên kết phải bắt đầu bằng http:// hoặc https://.');
    expect(noTranscript.text).toContain('Video cần lời thoại đầy đủ.');
    const created = await ed.post('/staff/desk/items', {
      kind: 'video',
      title: 'Video: nhận biết cuộc gọi giả danh công an',
      summary: 'Ba dấu hiệu của cuộc gọi lừa đảo.',
      video_url: 'https://video.example.org/goi-gia-danh',
      transcript: 'Xin chào.\n\nDấu hiệu thứ nhất: yêu cầu chuyển tiền.',
      body: '',
      sources: '',
    });
    const id = await idFrom(created.location);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    const rv = t.client();
    await rv.signIn('reviewer@desk.test');
    await rv.get(`/staff/desk/items/${id}`);
    await rv.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id));
    const past = await rv.post(`/staff/desk/items/${id}/schedule`, { publish_at: '2020-01-01T08:00' });
    expect(past.status).toBe(422);
    expect(past.text).toContain('Thời điểm hẹn đăng phải ở tương lai.');
    const at = new Date(Date.now() + 3600_000);
    const local = new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
    expect((await rv.post(`/staff/desk/items/${id}/schedule`, { publish_at: local })).status).toBe(303);
    expect((await rv.get(`/staff/desk/items/${id}`)).text).toContain('Sẽ đăng lúc');
    await t.drainJobs();
    expect((await t.client().get(`/videos/${id}`)).status).toBe(404);
    // an hour passes
    await t.db.query(`UPDATE desk_items SET publish_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await t.db.query(`UPDATE jobs SET run_at = now() WHERE type = 'desk.publish-scheduled' AND status = 'queued'`);
    await t.drainJobs();
    const v = await t.client().get(`/videos/${id}`);
    expect(v.status).toBe(200);
    expect(v.text).toContain('Dấu hiệu thứ nhất: yêu cầu chuyển tiền.');
    expect(v.text).toContain('href="https://video.example.org/goi-gia-danh"');
    const a = await t.db.one<{ actor_label: string }>(
      `SELECT actor_label FROM audit_log WHERE entity_type = 'desk.item' AND entity_id = $1 AND action = 'desk.item.publish'`,
      [String(id)],
    );
    expect(a!.actor_label).toBe('system');
  });

  it('lets only admins edit policies, which every fact-check links to', async () => {
    const ed = t.client();
    await ed.signIn('editor@desk.test');
    expect((await ed.get('/staff/desk/policies/method')).status).toBe(403);
    const ad = t.client();
    await ad.signIn('admin@desk.test');
    const form = await ad.get('/staff/desk/policies/about');
    expect(form.text).toContain('ngân sách');
    const empty = await ad.post('/staff/desk/policies/about', {
      title: '',
      title_en: 'Who we are',
      body: 'x',
      body_en: 'y',
    });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Trường này là bắt buộc.');
    const ok = await ad.post('/staff/desk/policies/about', {
      title: 'Chúng tôi là ai',
      title_en: 'Who we are',
      body: 'Kinh phí: **ngân sách nhà nước**, không quảng cáo.',
      body_en: 'Funding: the state budget only.',
    });
    expect(ok.status).toBe(303);
    const pub = await t.client().get('/policies/about');
    expect(pub.text).toContain('<strong>ngân sách nhà nước</strong>');
    const en = await t.client().get('/policies/about?lang=en');
    expect(en.text).toContain('Funding: the state budget only.');
    const fc = await t.db.one<{ id: number }>(
      `SELECT id FROM desk_items WHERE kind = 'factcheck' AND status = 'published' LIMIT 1`,
    );
    const page = await t.client().get(`/factchecks/${fc!.id}`);
    for (const slug of ['method', 'corrections', 'about', 'ask'])
      expect(page.text).toContain(`href="/policies/${slug}"`);
  });

  it('shows staff the claims waiting and items in review on the overview', async () => {
    const rv = t.client();
    await rv.signIn('reviewer@desk.test');
    const s = await rv.get('/staff');
    expect(s.text).toContain('Thông tin kiểm chứng');
    expect(s.text).toMatch(/<span class="v">\d+<\/span> Câu hỏi chờ xử lý/);
    expect(s.text).toMatch(/<span class="v">[1-9]\d*<\/span> Bài chờ duyệt/);
    const handler = t.client();
    await handler.signIn('handler@desk.test');
    expect((await handler.get('/staff/desk')).status).toBe(403);
  });
});
