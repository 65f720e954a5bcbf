import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { can, defineActions, type Principal, type Role } from '../../src/platform/auth/permissions.js';
import { deskActions } from '../../src/modules/desk/permissions.js';
import { publishedItems, recentPublished, submitClaim } from '../../src/modules/desk/public.js';
import { testApp, type TestApp } from '../helpers/app.js';
import {
  type Account,
  makeCityStaff,
  makeFactcheck,
  makeItem,
  realCity,
  type STAFF_ROLES,
} from '../helpers/factories.js';
import { versionForm } from './ward-staff.js';

const who = (role: Role): Principal => ({
  userId: 1,
  email: `${role}@x`,
  name: role,
  locale: 'vi',
  via: 'session',
  grants: [{ role, unitId: 1, unitPath: '1' }],
});

// the action table as boot() defines it for the desk
defineActions(deskActions);

describe('desk permissions, every role against every action', () => {
  const matrix: Record<string, Role[]> = {
    'desk.view': ['admin', 'editor', 'reviewer'],
    'desk.edit': ['admin', 'editor'],
    'desk.approve': ['admin', 'reviewer'],
    'desk.publish': ['admin', 'editor', 'reviewer'],
    'desk.unpublish': ['admin', 'reviewer'],
    'desk.claims': ['admin', 'editor', 'reviewer'],
    'desk.policies': ['admin'],
  };
  for (const [action, allowed] of Object.entries(matrix)) {
    it(action, () => {
      for (const role of ['admin', 'editor', 'reviewer', 'handler', 'member'] as Role[])
        expect(can(who(role), action), `${role} ${action}`).toBe(allowed.includes(role));
      expect(can(null, action)).toBe(false);
    });
  }
});

describe('what the desk offers other modules, and staff tools', () => {
  let t: TestApp;
  let staff: Record<(typeof STAFF_ROLES)[number], Account>;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    await realCity(t.db);
    staff = await makeCityStaff(t.db, 'roles');
    const out = { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' } as const;
    await makeFactcheck(t.deps, out);
    await makeFactcheck(t.deps, {
      ...out,
      form: {
        title: 'Cầu Trường Tiền không bị nứt và không cấm xe',
        claim: 'Cầu Trường Tiền bị nứt dầm, sắp sập, từ mai cấm toàn bộ xe máy qua cầu.',
        summary: 'Sai. Cầu được kiểm định định kỳ, không có vết nứt dầm và không cấm xe.',
      },
    });
    await makeFactcheck(t.deps, {
      ...out,
      form: {
        title: 'Đúng: người từ 60 tuổi được đi xe buýt miễn phí',
        claim: 'Người cao tuổi từ 60 tuổi trở lên được đi xe buýt nội thành miễn phí.',
        verdict: 'dung',
        summary: 'Đúng. Người từ 60 tuổi xuất trình căn cước được miễn vé xe buýt.',
      },
    });
    await makeItem(t.deps, { author: staff.editor.id });
  });
  afterAll(async () => t?.close());

  it('publishedItems and recentPublished return only published pieces with public paths', async () => {
    const rows = await t.db.query<{ id: number; status: string }>(`SELECT id, status FROM desk_items ORDER BY id`);
    const draft = rows.find((r) => r.status !== 'published')!;
    const pub = rows.filter((r) => r.status === 'published').slice(0, 2);
    const items = await publishedItems(t.db, [...pub.map((r) => r.id), draft.id, 999999, -1]);
    expect(items.map((i) => i.id).sort()).toEqual(pub.map((r) => r.id).sort());
    expect(items[0].url).toMatch(/^\/(factchecks|articles|videos)\/\d+-[a-z0-9-]+$/);
    const checks = await recentPublished(t.db, { kind: 'factcheck', limit: 3 });
    expect(checks).toHaveLength(3);
    expect(checks.every((c) => c.kind === 'factcheck' && c.verdictLabel)).toBe(true);
    expect(checks[0].publishedAt.getTime()).toBeGreaterThanOrEqual(checks[1].publishedAt.getTime());
    const found = await recentPublished(t.db, { q: 'xe buyt' });
    expect(found[0].title).toContain('xe buýt');
    const m = await submitClaim(t.deps, {
      text: 'Có phải cầu Trường Tiền bị nứt sắp sập không?',
      source: 'member',
      unitId: null,
    });
    expect(m.matches[0].title).toContain('Cầu Trường Tiền');
  });

  it('keeps a screenshot for staff only, re-encoded', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const c = t.client();
    await c.get('/claims/new');
    const r = await c.post('/claims/new', {
      text: 'Ảnh chụp màn hình thông báo cắt điện cả tuần ở Vỹ Dạ',
      screenshot: new File([new Uint8Array(png)], 'anh.png', { type: 'image/png' }),
    });
    expect(r.status).toBe(303);
    const code = r.location!.match(/KC-[A-Z0-9]{7}/)![0];
    const row = await t.db.one<{ screenshot_id: string; cluster_id: number }>(
      `SELECT screenshot_id::text, cluster_id FROM desk_claims WHERE code = $1`,
      [code],
    );
    expect(row!.screenshot_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.client().get(`/staff/desk/files/${row!.screenshot_id}`)).status).not.toBe(200);
    const rv = t.client();
    await rv.signIn(staff.reviewer.email);
    const page = await rv.get(`/staff/desk/clusters/${row!.cluster_id}`);
    expect(page.text).toContain(`/staff/desk/files/${row!.screenshot_id}`);
    const img = await rv.request(`/staff/desk/files/${row!.screenshot_id}`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toMatch(/^image\//);
  });

  it('takes a video poster as an upload, served from the site itself once published', async () => {
    const png = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#036' } })
      .png()
      .toBuffer();
    const ed = t.client();
    await ed.signIn(staff.editor.email);
    await ed.get('/staff/desk/items/new?kind=video');
    const base = {
      kind: 'video',
      title: 'Video: phòng cháy trong mùa khô',
      summary: 'Năm việc cần làm để phòng cháy.',
      video_url: 'https://video.example.org/phong-chay',
      transcript: 'Việc thứ nhất: ngắt điện khi ra khỏi nhà.',
      body: '',
      sources: '',
    };
    const bad = await ed.post('/staff/desk/items', {
      ...base,
      poster: new File([new TextEncoder().encode('%PDF-1.4 not an image')], 'poster.png', { type: 'image/png' }),
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="f-poster-err"');
    expect(bad.text).toContain('value="Video: phòng cháy trong mùa khô"');
    const ok = await ed.post('/staff/desk/items', {
      ...base,
      poster: new File([new Uint8Array(png)], 'poster.png', { type: 'image/png' }),
    });
    expect(ok.status).toBe(303);
    const id = Number(ok.location!.match(/(\d+)/)![1]);
    const item = await t.db.one<{ poster_url: string }>(`SELECT poster_url FROM desk_items WHERE id = $1`, [id]);
    expect(item!.poster_url).toMatch(/^\/desk\/media\/[0-9a-f-]{36}$/);
    expect((await t.client().get(item!.poster_url)).status).toBe(404);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    const rv = t.client();
    await rv.signIn(staff.reviewer.email);
    await rv.get(`/staff/desk/items/${id}`);
    await rv.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id));
    await rv.post(`/staff/desk/items/${id}/publish`, {});
    const page = await t.client().get(`/videos/${id}`);
    expect(page.text).toContain(`src="${item!.poster_url}"`);
    expect(page.text).toContain('<meta property="og:image"');
    const img = await t.client().request(item!.poster_url);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toMatch(/^image\//);
  });

  it('merges one cluster into another, so its size grows', async () => {
    const a = await submitClaim(t.deps, {
      text: 'Phường Thuận An phát gạo cứu trợ miễn phí cho mọi hộ vào thứ Bảy',
      source: 'public',
    });
    const b = await submitClaim(t.deps, {
      text: 'Thứ Bảy này ai đến UBND Thuận An cũng được nhận gạo cứu trợ',
      source: 'public',
    });
    const [ca, cb] = await Promise.all(
      [a, b].map(
        async (x) =>
          (await t.db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE code = $1`, [x.code]))!
            .cluster_id,
      ),
    );
    expect(ca).not.toBe(cb);
    const ed = t.client();
    await ed.signIn(staff.editor.email);
    await ed.get(`/staff/desk/clusters/${ca}`);
    const bad = await ed.post(`/staff/desk/clusters/${ca}/merge`, { from: 'abc' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Không có nhóm câu hỏi với số này.');
    expect(bad.text).toContain('value="abc"');
    expect((await ed.post(`/staff/desk/clusters/${ca}/merge`, { from: String(cb) })).status).toBe(303);
    const page = await ed.get(`/staff/desk/clusters/${ca}`);
    expect(page.text).toContain('<span class="cluster-size">2</span>');
    expect(page.text).toContain('ai đến UBND Thuận An');
    const audit = await t.db.one<{ data: { from: number } }>(
      `SELECT data FROM audit_log WHERE action = 'desk.cluster.merge' AND entity_id = $1`,
      [String(ca)],
    );
    expect(audit!.data.from).toBe(cb);
  });
});

describe('list pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    // 35 more published fact-checks, so the list has a second page
    await t.db.query(
      `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
       SELECT 'factcheck', 'Kiểm chứng thử số ' || g, 'kiem-chung-thu-' || g, 'Tóm tắt ' || g, 'Nội dung', 'Tin thử ' || g, 'sai', 'published', now() - g * interval '1 hour', '[{"title":"Nguồn"}]'
       FROM generate_series(1, 35) g`,
    );
  });
  afterAll(async () => t?.close());

  it('page through fact-checks, newest first', async () => {
    const p1 = await t.client().get('/factchecks');
    expect(p1.text).toContain('Kiểm chứng thử số 1<');
    expect(p1.text).toContain('href="/factchecks?page=1"');
    expect(p1.text).not.toContain('rel="prev"');
    const p2 = await t.client().get('/factchecks?page=1');
    expect(p2.text).not.toContain('Kiểm chứng thử số 1<');
    expect(p2.text).toContain('href="/factchecks?page=0"');
    expect((p1.text.match(/class="card"/g) ?? []).length).toBe(30);
  });
});
