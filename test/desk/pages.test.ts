import { Hono } from 'hono';
import { raw } from 'hono/html';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../../src/http/context.js';
import { HOME_TTL_MS, homeRoutes } from '../../src/http/routes/home.js';
import { publicContentChanged } from '../../src/platform/public-content.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { makeCityStaff, makeFactcheck, makeItem } from '../helpers/factories.js';
import { versionForm } from './ward-staff.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ demo: false });
  const { editor, reviewer } = await makeCityStaff(t.db, 'desk');
  // one published piece of each kind, and a fact-check still in review
  const by = { author: editor.id, reviewer: reviewer.id, status: 'published' } as const;
  await makeItem(t.deps, by);
  await makeItem(t.deps, {
    ...by,
    form: {
      kind: 'video',
      title: 'Video: nhận biết cuộc gọi giả danh',
      body: '',
      video_url: 'https://video.example.org/goi-gia-danh',
      transcript: 'Dấu hiệu thứ nhất: yêu cầu chuyển tiền.',
    },
  });
  await makeFactcheck(t.deps, by);
  await makeFactcheck(t.deps, { ...by, status: 'in_review', form: { title: 'Tin đồn chưa kiểm xong' } });
});
afterAll(async () => t?.close());
afterEach(() => vi.restoreAllMocks());

/** A published fact-check written straight into the table: the desk's service is not told, so no cache is invalidated. */
async function sneakIn(title: string): Promise<number> {
  const r = await t.db.one<{ id: number }>(
    `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, updated_public_at, sources)
     VALUES ('factcheck', $1, 'chen-thang', 'Tóm tắt ' || $1, 'Giải thích dài', 'Lời đồn ' || $1, 'sai', 'published', now() + interval '1 minute', now(), '[{"title":"Nguồn"}]') RETURNING id`,
    [title],
  );
  return r!.id;
}

async function publishThroughDesk(title: string): Promise<number> {
  const ed = t.client();
  await ed.signIn('editor@desk.test');
  await ed.get('/staff/desk/items/new?kind=factcheck');
  const created = await ed.post('/staff/desk/items', {
    kind: 'factcheck',
    title,
    claim: `Lời đồn: ${title}`,
    verdict: 'dung',
    summary: `Đúng: ${title}`,
    body: 'Giải thích.',
    sources: 'Thông báo | UBND thành phố | 2026-11-01 | https://example.org/tb',
  });
  const id = Number(created.location!.match(/items\/(\d+)/)![1]);
  await ed.post(`/staff/desk/items/${id}/submit`, {});
  const rv = t.client();
  await rv.signIn('reviewer@desk.test');
  await rv.get(`/staff/desk/items/${id}`);
  expect((await rv.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id))).status).toBe(303);
  expect((await rv.post(`/staff/desk/items/${id}/publish`, {})).status).toBe(303);
  return id;
}

describe('public list pages', () => {
  it('show each piece with its kind, date, verdict, title, summary and link', async () => {
    const fc = await t.db.one<{ id: number; slug: string; title: string; summary: string }>(
      `SELECT id, slug, title, summary FROM desk_items WHERE kind = 'factcheck' AND status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1`,
    );
    for (const path of ['/desk', '/factchecks', '/']) {
      const page = await t.client().get(path);
      expect(page.status, path).toBe(200);
      expect(page.text).toContain(`href="/factchecks/${fc!.id}-${fc!.slug}"`);
      expect(page.text).toContain(fc!.summary.replace(/"/g, '&quot;').slice(0, 40));
      expect(page.text).toMatch(/<span class="badge (true|false|warn)" data-verdict="[a-z-]+">/);
    }
    // the desk's front page: the newest of each kind, fact-checks in their own section
    const desk = await t.client().get('/desk');
    for (const kind of ['article', 'video']) {
      const newest = await t.db.one<{ id: number; slug: string }>(
        `SELECT id, slug FROM desk_items WHERE kind = $1 AND status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1`,
        [kind],
      );
      const at = desk.text.indexOf(`href="/${kind}s/${newest!.id}-${newest!.slug}"`);
      expect(at, kind).toBeGreaterThan(desk.text.indexOf('Bài viết và video'));
    }
    expect(desk.text.indexOf(`href="/factchecks/${fc!.id}-${fc!.slug}"`)).toBeLessThan(
      desk.text.indexOf('Bài viết và video'),
    );
    const en = await t.client().get('/factchecks?lang=en');
    expect(en.text).toMatch(/data-verdict="[a-z-]+">(True|False|Misleading|Missing context|Unproven)</);
    // the full piece keeps everything: explanation, sources, ClaimReview
    const one = await t.client().get(`/factchecks/${fc!.id}`);
    expect(one.text).toContain('application/ld+json');
    expect(one.text).toContain('class="sources"');
  });

  it('the staff list shows author, status and verdict', async () => {
    const rv = t.client();
    await rv.signIn('reviewer@desk.test');
    const page = await rv.get('/staff/desk?status=published');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-status="published"');
    expect(page.text).toMatch(/data-verdict="[a-z-]+"/);
  });
});

describe('anonymous home page micro-cache', () => {
  it('serves visitors a page a few seconds old, renders afresh when the desk publishes, and never caches a signed-in page', async () => {
    const anon = t.client({ ip: '203.0.113.71' });
    const first = await anon.get('/');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=30');
    expect(first.headers.get('etag')).toBeTruthy();
    expect(first.headers.getSetCookie()).toEqual([]);
    const en = await anon.get('/?lang=en');
    expect(en.text).toContain('<html lang="en">');

    const sneaked = await sneakIn('Tin chen thang vao bang');
    // within the few seconds, the anonymous page is the stored one (in each locale)
    expect((await t.client({ ip: '203.0.113.72' }).get('/')).text).not.toContain('Tin chen thang vao bang');
    expect((await t.client({ ip: '203.0.113.72' }).get('/?lang=en')).text).not.toContain('Tin chen thang vao bang');
    expect((await t.client({ ip: '203.0.113.72' }).get('/')).text).toBe(first.text);
    // a signed-in visitor always gets a fresh page
    const ed = t.client();
    await ed.signIn('editor@desk.test');
    const mine = await ed.get('/');
    expect(mine.headers.get('cache-control')).toBe('private, no-cache');
    expect(mine.text).toContain('Tin chen thang vao bang');
    // a query other than the language is not stored
    expect((await anon.get('/?utm_source=zalo')).text).toContain('Tin chen thang vao bang');

    // when the few seconds are over, the page is rendered again
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + HOME_TTL_MS + 1);
    expect((await anon.get('/')).text).toContain('Tin chen thang vao bang');
    vi.restoreAllMocks();
    await t.db.query(`UPDATE desk_items SET status = 'unpublished' WHERE id = $1`, [sneaked]);

    // publishing through the desk shows the piece at once
    const before = await anon.get('/');
    const id = await publishThroughDesk('Xe buýt nội thành chạy thêm tuyến đêm');
    expect(before.text).not.toContain('Xe buýt nội thành chạy thêm tuyến đêm');
    const after = await anon.get('/');
    expect(after.text).toContain('Xe buýt nội thành chạy thêm tuyến đêm');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect((await anon.get('/?lang=en')).text).toContain('Xe buýt nội thành chạy thêm tuyến đêm');

    // and withdrawing it takes it off at once
    const rv = t.client();
    await rv.signIn('reviewer@desk.test');
    await rv.get(`/staff/desk/items/${id}`);
    expect((await rv.post(`/staff/desk/items/${id}/unpublish`, { reason: 'Sai tuyến' })).status).toBe(303);
    expect((await anon.get('/')).text).not.toContain('Xe buýt nội thành chạy thêm tuyến đêm');
  });

  it('answers a repeat visit with 304 Not Modified', async () => {
    const anon = t.client({ ip: '203.0.113.73' });
    const page = await anon.get('/');
    const again = await anon.get('/', { 'if-none-match': page.headers.get('etag')! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('a stored page carries each visitor’s own CSRF token when a home section has a form', async () => {
    // the home page alone, with one module whose block holds a form
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set('deps', t.deps);
      c.set('locale', 'vi');
      c.set('principal', null);
      c.set('csrf', c.req.header('x-token') ?? '');
      await next();
    });
    let renders = 0;
    homeRoutes(app, [
      {
        name: 'subscribe',
        homeSection: async (c) => {
          renders++;
          return raw(
            `<form method="post" action="/subscribe"><input type="hidden" name="_csrf" value="${c.get('csrf')}"></form>`,
          );
        },
      },
    ]);
    const visit = async (token: string) => (await app.request('/', { headers: { 'x-token': token } })).text();
    const a = 'a'.repeat(24);
    const b = 'b'.repeat(24);
    expect(await visit(a)).toContain(`name="_csrf" value="${a}"`);
    const second = await visit(b);
    expect(second).toContain(`name="_csrf" value="${b}"`);
    expect(second).not.toContain(a);
    expect(renders).toBe(1);
    publicContentChanged(t.deps);
    expect(await visit(a)).toContain(`value="${a}"`);
    expect(renders).toBe(2);
  });
});
