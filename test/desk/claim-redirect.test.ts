import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { type Account, makeCityStaff, makeFactcheck, realCity, type STAFF_ROLES } from '../helpers/factories.js';
import { BRIDGE_FACTCHECK } from './fixtures.js';

let t: TestApp;
let staff: Record<(typeof STAFF_ROLES)[number], Account>;
beforeAll(async () => {
  t = await testApp({ demo: false, env: { CLAIM_REPLY_DAYS: '4' } });
  await realCity(t.db);
  staff = await makeCityStaff(t.db, 'redirect');
  const out = { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' } as const;
  // the fact-checks that answer the questions asked below
  await makeFactcheck(t.deps, {
    ...out,
    form: {
      title: 'Không có chuyện cắt nước toàn thành phố 5 ngày để súc rửa đường ống',
      claim:
        'Thành phố Huế sẽ cắt nước sinh hoạt toàn bộ trong 5 ngày liên tiếp từ thứ Hai tới để súc rửa đường ống, người dân cần trữ nước ngay.',
    },
  });
  await makeFactcheck(t.deps, {
    ...out,
    form: BRIDGE_FACTCHECK,
  });
});
afterAll(async () => {
  await t?.close();
});

const claimsWithText = async (text: string) =>
  (await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM desk_claims WHERE text = $1`, [text]))!.n;

describe('asking “is this true?” answers with a redirect to the claim’s status page', () => {
  it('POST → 303 → status page; reloading the page files nothing more', async () => {
    const c = t.client();
    await c.get('/claims/new');
    const text = 'Nghe nói sắp mất nước cả thành phố Huế trong 5 ngày để súc rửa ống, có thật không?';
    const r = await c.post('/claims/new', { text, seen_where: 'Nhóm Zalo khu phố' }, { multipart: true });
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^\/claims\/KC-[A-Z0-9]{7}\?sent=1$/);
    expect(await claimsWithText(text)).toBe(1);
    const page = await c.get(r.location!);
    expect(page.status).toBe(200);
    const code = r.location!.match(/KC-[A-Z0-9]{7}/)![0];
    expect(page.text).toContain('Đã nhận câu hỏi của bạn');
    expect(page.text).toMatch(new RegExp(`<strong class="code-nowrap">${code}</strong>`));
    // what happens next, and by when
    expect(page.text).toContain('Điều gì xảy ra tiếp theo');
    expect(page.text).toContain('Bài kiểm chứng bên dưới đã trả lời nội dung bạn hỏi');
    // the answer shown at submission, with its verdict
    const answer = page.text.split('class="answer"')[1]?.split('</section>')[0] ?? '';
    expect(answer).toContain('Đã được kiểm chứng');
    expect(answer).toContain('Không có chuyện cắt nước toàn thành phố 5 ngày');
    expect(answer).toContain('data-verdict="sai"');
    // reloading the status page (what a browser does after the redirect) files no second claim
    expect((await c.get(r.location!)).status).toBe(200);
    expect(await claimsWithText(text)).toBe(1);
  });

  it('a claim nothing answers: “not checked yet”, the expected date, related fact-checks without a verdict', async () => {
    const c = t.client();
    await c.get('/claims/new');
    const text = 'Con voi trắng biết nói xuất hiện ở đỉnh núi Bạch Mã sáng nay';
    const r = await c.post('/claims/new', { text }, { multipart: true });
    expect(r.status).toBe(303);
    const page = await c.get(r.location!);
    expect(page.text).toContain('Chưa được kiểm chứng — chúng tôi đã nhận câu hỏi của bạn');
    expect(page.text).not.toContain('Đã được kiểm chứng');
    const row = (await t.db.one<{ created_at: Date }>(`SELECT created_at FROM desk_claims WHERE text = $1`, [text]))!;
    const by = new Date(new Date(row.created_at).getTime() + 4 * 86_400_000);
    const date = new Intl.DateTimeFormat('vi-VN', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(by);
    expect(page.text).toContain(`Thời gian dự kiến: trả lời trước ngày ${date} (trong vòng 4 ngày).`);
    // related pieces carry no verdict: they are not the verdict on this claim
    expect(page.text).not.toContain('class="badge');
    const related = page.text.split('class="related"')[1] ?? '';
    if (related) expect(related).toContain('không phải là kết luận về câu hỏi của bạn');
  });

  it('shows the matches as they were at submission, and later the desk’s answer', async () => {
    const c = t.client();
    await c.get('/claims/new?lang=en');
    const text = 'Cầu Trường Tiền bị nứt dầm sắp sập, cấm xe máy từ tuần sau';
    const r = await c.post('/claims/new?lang=en', { text }, { multipart: true });
    expect(r.location).toMatch(/\?sent=1&lang=en$/);
    const code = r.location!.match(/KC-[A-Z0-9]{7}/)![0];
    const first = await t.client().get(`/claims/${code}?lang=en`);
    expect(first.text).toContain('What happens next');
    expect(first.text).toContain('Already checked');
    expect(first.text).toContain('Cầu Trường Tiền không bị nứt');
    expect(first.text).not.toContain('We received your question'); // the panel is for the moment of asking
    const shown = await t.db.query<{ item_id: number; answers: boolean }>(
      `SELECT s.item_id, s.answers FROM desk_claim_shown s JOIN desk_claims c ON c.id = s.claim_id WHERE c.code = $1 ORDER BY position`,
      [code],
    );
    expect(shown[0]?.answers).toBe(true);
    // the desk answers the cluster with another published fact-check
    const other = (await t.db.one<{ id: number; title: string }>(
      `SELECT id, title FROM desk_items WHERE kind = 'factcheck' AND status = 'published' AND id <> $1 ORDER BY id LIMIT 1`,
      [shown[0].item_id],
    ))!;
    const rv = t.client();
    await rv.signIn(staff.reviewer.email);
    const cl = (await t.db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE code = $1`, [code]))!
      .cluster_id;
    await rv.get(`/staff/desk/clusters/${cl}`);
    expect(
      (await rv.post(`/staff/desk/clusters/${cl}`, { status: 'answered', factcheck_id: String(other.id), reason: '' }))
        .status,
    ).toBe(303);
    const later = await t.client().get(`/claims/${code}?lang=en`);
    expect(later.text).toContain('The fact-checking desk’s answer');
    expect(later.text.split('desk-answer')[1]).toContain(other.title.replaceAll('"', '&quot;'));
    expect(later.text).toContain('Your question has an answer, below.');
    expect(later.text).not.toContain('Expected time');
  });

  it('an unknown code is a 404; bad input stays on the form with 422', async () => {
    expect((await t.client().get('/claims/KC-ZZZZZZZ')).status).toBe(404);
    const c = t.client();
    await c.get('/claims/new');
    const bad = await c.post('/claims/new', { text: 'ngắn' }, { multipart: true });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('>ngắn</textarea>');
  });

  it('the API records what it showed too, and the status page shows it', async () => {
    const res = await t.app.request('/api/v1/claims', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-ip': '203.0.113.77' },
      body: JSON.stringify({
        text: 'Có phải tin nhắn bảo bấm vào link để nhận 3 triệu tiền hỗ trợ lương hưu là thật?',
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { code: string; matches: { title: string }[] };
    const page = await t.client().get(`/claims/${body.code}`);
    if (body.matches[0]) expect(page.text).toContain(body.matches[0].title);
  });
});
