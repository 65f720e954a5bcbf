/**
 * Issue 12 finding 4: desk content belongs to a unit, a published piece changes only through review, approval names
 * the version read, and a change after submission sends the piece back to draft.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { type Account, makeCityStaff, makeFactcheck, realCity, type STAFF_ROLES } from '../helpers/factories.js';
import { wardStaff, type WardStaff } from './ward-staff.js';

let t: TestApp;
let w: WardStaff;
let staff: Record<(typeof STAFF_ROLES)[number], Account>;
beforeAll(async () => {
  t = await testApp({ demo: false });
  await realCity(t.db);
  staff = await makeCityStaff(t.db, 'scope');
  w = await wardStaff(t.db);
  // city-wide fact-checks already out, verdict “Sai”
  for (const title of ['Không có chuyện cắt nước toàn thành phố', 'Không có chuyện cấm xe máy qua cầu'])
    await makeFactcheck(t.deps, {
      author: staff.editor.id,
      reviewer: staff.reviewer.id,
      status: 'published',
      form: { title },
    });
});
afterAll(async () => t?.close());

async function as(email: string): Promise<TestClient> {
  const c = t.client();
  await c.signIn(email);
  return c;
}

interface Row {
  id: number;
  title: string;
  claim: string;
  summary: string;
  body: string;
  method: string;
  verdict: string;
  sources: {
    title: string;
    publisher: string | null;
    date: string | null;
    url: string | null;
    reference: string | null;
  }[];
}
async function formOf(id: number, over: Record<string, string> = {}) {
  const r = (await t.db.one<Row>(
    `SELECT id, title, claim, summary, body, method, verdict, sources FROM desk_items WHERE id = $1`,
    [id],
  ))!;
  const sources = r.sources
    .map((s) => [s.title, s.publisher ?? '', s.date ?? '', s.url ?? s.reference ?? ''].join(' | '))
    .join('\n');
  return {
    kind: 'factcheck',
    title: r.title,
    claim: r.claim,
    summary: r.summary,
    body: r.body,
    method: r.method,
    verdict: r.verdict,
    sources,
    ...over,
  };
}

const cityWide = async () =>
  (await t.db.one<{ id: number }>(
    `SELECT id FROM desk_items WHERE kind = 'factcheck' AND status = 'published' AND verdict = 'sai' ORDER BY id LIMIT 1`,
  ))!.id;
const verdictShown = async (id: number) =>
  (await t.client().get(`/factchecks/${id}`)).text.match(/data-verdict="([a-z-]+)"/)?.[1];
const versionOf = async (page: string) => page.match(/name="version" value="(\d+)"/)?.[1];

describe('unit scope of desk content', () => {
  it('a ward editor cannot change a city-wide fact-check’s verdict from “Sai” to “Đúng”', async () => {
    const id = await cityWide();
    expect(await verdictShown(id)).toBe('sai');
    const ed = await as(w.emails.editorA);
    expect((await ed.get(`/staff/desk/items/${id}`)).status).toBe(403);
    const r = await ed.post(
      `/staff/desk/items/${id}`,
      await formOf(id, { verdict: 'dung', correction_what: 'Đổi kết luận', correction_why: 'Thử' }),
    );
    expect(r.status).toBe(403);
    for (const op of ['submit', 'approve', 'publish', 'unpublish'])
      expect((await ed.post(`/staff/desk/items/${id}/${op}`, { reason: 'x', version: '1' })).status, op).toBe(403);
    expect(await verdictShown(id)).toBe('sai');
    // the staff list does not show it either
    expect((await ed.get('/staff/desk')).text).not.toContain(`/staff/desk/items/${id}"`);
  });

  it('a ward editor writes for its own ward only; the other ward can neither see nor approve it', async () => {
    const ed = await as(w.emails.editorA);
    await ed.get('/staff/desk/items/new?kind=article');
    const outside = await ed.post('/staff/desk/items', {
      kind: 'article',
      title: 'Lịch tiêm chủng',
      summary: 'Tóm tắt',
      body: 'Nội dung',
      owner_unit_id: String(w.root.id),
    });
    expect(outside.status).toBe(422);
    expect(outside.text).toContain('Lịch tiêm chủng');
    const tagOutside = await ed.post('/staff/desk/items', {
      kind: 'article',
      title: 'Lịch tiêm chủng',
      summary: 'Tóm tắt',
      body: 'Nội dung',
      owner_unit_id: String(w.wardA.id),
      units: String(w.wardB.id),
    });
    expect(tagOutside.status).toBe(422);
    const ok = await ed.post('/staff/desk/items', {
      kind: 'article',
      title: 'Lịch tiêm chủng',
      summary: 'Tóm tắt',
      body: 'Nội dung',
      owner_unit_id: String(w.wardA.id),
      units: String(w.wardA.id),
    });
    expect(ok.status).toBe(303);
    const id = Number(ok.location!.match(/items\/(\d+)/)![1]);
    expect((await ed.post(`/staff/desk/items/${id}/submit`, {})).status).toBe(303);
    const rvB = await as(w.emails.reviewerB);
    expect((await rvB.get(`/staff/desk/items/${id}`)).status).toBe(403);
    expect((await rvB.post(`/staff/desk/items/${id}/approve`, { version: '1' })).status).toBe(403);
    const rvA = await as(w.emails.reviewerA);
    const page = await rvA.get(`/staff/desk/items/${id}`);
    expect(page.status).toBe(200);
    expect((await rvA.post(`/staff/desk/items/${id}/approve`, { version: (await versionOf(page.text))! })).status).toBe(
      303,
    );
    expect((await rvA.post(`/staff/desk/items/${id}/publish`, {})).status).toBe(303);
    expect((await t.client().get(`/articles/${id}`)).status).toBe(200);
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'desk.item' AND entity_id = $1 ORDER BY id`,
      [String(id)],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'desk.item.create',
      'desk.item.submit',
      'desk.item.approve',
      'desk.item.publish',
    ]);
  });
});

describe('the same fault elsewhere on the desk', () => {
  it('the policy pages are the installation’s: a ward admin can neither open nor change them', async () => {
    const ad = await as(w.emails.adminA);
    expect((await ad.get('/staff/desk/policies')).status).toBe(403);
    expect((await ad.get('/staff/desk/policies/method')).status).toBe(403);
    const r = await ad.post('/staff/desk/policies/method', {
      title: 'Phương pháp mới',
      title_en: 'New',
      body: 'Nội dung thay thế',
      body_en: 'Replaced',
    });
    expect(r.status).toBe(403);
    expect((await t.client().get('/policies/method')).text).not.toContain('Nội dung thay thế');
    const city = await as(staff.admin.email);
    expect((await city.get('/staff/desk/policies/method')).status).toBe(200);
  });

  it('the staff overview counts only the reader’s own units', async () => {
    const ed = await as(staff.editor.email);
    await ed.get('/staff/desk/items/new?kind=article');
    const created = await ed.post('/staff/desk/items', {
      kind: 'article',
      title: 'Thông báo toàn thành phố',
      summary: 'Tóm tắt',
      body: 'Nội dung',
    });
    const id = Number(created.location!.match(/items\/(\d+)/)![1]);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    const kpi = (html: string) =>
      Number(html.match(/href="\/staff\/desk\?status=in_review"><span class="v">(\d+)<\/span>/)?.[1]);
    expect(kpi((await (await as(staff.reviewer.email)).get('/staff')).text)).toBeGreaterThan(0);
    expect(kpi((await (await as(w.emails.reviewerB)).get('/staff')).text)).toBe(0);
    // a reviewer of the ward cannot even upload into the city's piece
    const rvB = await as(w.emails.reviewerB);
    expect(
      (await rvB.post(`/staff/desk/items/${id}`, { kind: 'article', title: 'x', summary: 'x', body: 'x' })).status,
    ).toBe(403);
  });
});

describe('a published piece changes only through review', () => {
  it('an edit is a new version kept out of the public page until a reviewer approves that exact version', async () => {
    const id = await cityWide();
    const since = (await t.db.one<{ n: number }>(`SELECT COALESCE(max(id), 0)::int AS n FROM audit_log`))!.n;
    const ed = await as(staff.editor.email);
    const noNote = await ed.post(`/staff/desk/items/${id}`, await formOf(id, { verdict: 'dung' }));
    expect(noNote.status).toBe(422);
    const saved = await ed.post(
      `/staff/desk/items/${id}`,
      await formOf(id, {
        verdict: 'dung',
        correction_what: 'Kết luận đổi thành Đúng',
        correction_why: 'Có văn bản mới',
      }),
    );
    expect(saved.status).toBe(303);
    // still live as it was: no correction, old verdict
    let pub = await t.client().get(`/factchecks/${id}`);
    expect(pub.text).toContain('data-verdict="sai"');
    expect(pub.text).not.toContain('Kết luận đổi thành Đúng');
    const edPage = await ed.get(`/staff/desk/items/${id}`);
    expect(edPage.text).toContain('Đã đăng');
    expect(edPage.text).toMatch(/Thay đổi chờ duyệt/);
    expect(edPage.text).toContain('value="dung" selected');
    expect((await ed.post(`/staff/desk/items/${id}/submit`, {})).status).toBe(303);
    const rv = await as(staff.reviewer.email);
    // the reviewer finds it among the pieces in review, marked as a change to a published piece
    const inReview = await rv.get('/staff/desk?status=in_review');
    expect(inReview.text).toContain(`/staff/desk/items/${id}"`);
    expect(inReview.text).toContain('Thay đổi: Chờ duyệt');
    const page = await rv.get(`/staff/desk/items/${id}`);
    const v = Number(await versionOf(page.text));
    expect(v).toBeGreaterThan(1);
    // the editor changes it again after submission: back to draft, and the reviewer's version is stale
    expect(
      (
        await ed.post(
          `/staff/desk/items/${id}`,
          await formOf(id, {
            verdict: 'dung',
            summary: 'Đúng. Đã có văn bản mới.',
            correction_what: 'Kết luận đổi thành Đúng',
            correction_why: 'Có văn bản mới',
          }),
        )
      ).status,
    ).toBe(303);
    const stale = await rv.post(`/staff/desk/items/${id}/approve`, { version: String(v) });
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('Phiên bản bạn duyệt không còn là phiên bản hiện tại');
    expect(await verdictShown(id)).toBe('sai');
    expect((await ed.get(`/staff/desk/items/${id}`)).text).toMatch(/Thay đổi chờ duyệt[^<]*<\/h2>\s*<p>[^<]*Bản nháp/);
    expect((await ed.post(`/staff/desk/items/${id}/submit`, {})).status).toBe(303);
    const page2 = await rv.get(`/staff/desk/items/${id}`);
    const v2 = await versionOf(page2.text);
    expect(Number(v2)).toBe(v + 1);
    // the editor who made the change may not approve it
    const self = await ed.post(`/staff/desk/items/${id}/approve`, { version: v2! });
    expect(self.status).toBe(403);
    expect((await rv.post(`/staff/desk/items/${id}/approve`, { version: v2! })).status).toBe(303);
    pub = await t.client().get(`/factchecks/${id}`);
    expect(pub.text).toContain('data-verdict="dung"');
    expect(pub.text).toContain('Kết luận đổi thành Đúng — Lý do: Có văn bản mới');
    expect(pub.text).toContain('Đã có văn bản mới');
    const audit = await t.db.query<{ action: string; actor_label: string }>(
      `SELECT action, actor_label FROM audit_log WHERE entity_type = 'desk.item' AND entity_id = $1 AND id > $2 ORDER BY id`,
      [String(id), since],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'desk.item.revise',
      'desk.item.submit',
      'desk.item.revise',
      'desk.item.submit',
      'desk.item.correct',
    ]);
    expect(audit.at(-1)!.actor_label).toBe(staff.reviewer.email);
  });

  it('a change to a piece in review sends it back to draft; approval of another version is refused', async () => {
    const ed = await as(staff.editor.email);
    await ed.get('/staff/desk/items/new?kind=article');
    const created = await ed.post('/staff/desk/items', {
      kind: 'article',
      title: 'Giờ làm việc dịp lễ',
      summary: 'Tóm tắt',
      body: 'Nội dung',
    });
    const id = Number(created.location!.match(/items\/(\d+)/)![1]);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    const rv = await as(staff.reviewer.email);
    const v = (await versionOf((await rv.get(`/staff/desk/items/${id}`)).text))!;
    expect(
      (
        await ed.post(`/staff/desk/items/${id}`, {
          kind: 'article',
          title: 'Giờ làm việc dịp lễ',
          summary: 'Tóm tắt mới',
          body: 'Nội dung',
        })
      ).status,
    ).toBe(303);
    expect((await rv.get(`/staff/desk/items/${id}`)).text).toContain('data-status="draft"');
    const r = await rv.post(`/staff/desk/items/${id}/approve`, { version: v });
    expect(r.status).toBe(422);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    const wrong = await rv.post(`/staff/desk/items/${id}/approve`, { version: v });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Phiên bản bạn duyệt không còn là phiên bản hiện tại');
    const missing = await rv.post(`/staff/desk/items/${id}/approve`, {});
    expect(missing.status).toBe(422);
    expect((await rv.post(`/staff/desk/items/${id}/approve`, { version: String(Number(v) + 1) })).status).toBe(303);
    const a = await t.db.one<{ approved_version: number; status: string }>(
      `SELECT approved_version, status FROM desk_items WHERE id = $1`,
      [id],
    );
    expect(a).toEqual({ approved_version: Number(v) + 1, status: 'approved' });
  });
});
