import { gzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { makeCityStaff, makeFactcheck, makeItem, realCity } from '../helpers/factories.js';
import { makeTopic, WATER_CUT_FACTCHECK } from '../helpers/factories-desk.js';
import { versionForm } from './ward-staff.js';

let t: TestApp;
const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)> ]]> & “x”';
let hostileId = 0;
let editorEmail = '';

beforeAll(async () => {
  t = await testApp({ demo: false });
  const city = await realCity(t.db);
  const staff = await makeCityStaff(t.db, 'formats');
  editorEmail = staff.editor.email;
  const health = await makeTopic(t.db, { slug: 'y-te', name: 'Y tế', nameEn: 'Health' });
  const scams = await makeTopic(t.db, { slug: 'lua-dao', name: 'Lừa đảo trực tuyến', nameEn: 'Online scams' });
  // the desk's shelf: fact-checks on the city, on Thuận Hoá (19789) and Vỹ Dạ (19777), an article on Phú Xuân (19753)
  const by = { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' as const };
  const on = (topic: number | null, unit: string | null) => ({
    ...(topic ? { topics: String(topic) } : {}),
    ...(unit ? { units: String(city[unit].id) } : {}),
  });
  await makeFactcheck(t.deps, { ...by, form: { ...WATER_CUT_FACTCHECK, ...on(health, '19789') } });
  await makeFactcheck(t.deps, {
    ...by,
    form: {
      title: 'Học phí năm học mới không tăng gấp đôi như tin đồn',
      claim: 'Học phí các trường công lập ở Huế năm nay tăng gấp đôi, mỗi học sinh phải đóng thêm 2 triệu đồng.',
      verdict: 'gay-hieu-lam',
      summary: 'Gây hiểu lầm. Học sinh công lập được miễn học phí; khoản 2 triệu đồng là các khoản thu tự nguyện.',
    },
  });
  await makeFactcheck(t.deps, {
    ...by,
    form: {
      title: 'Đúng: Vỹ Dạ ghi nhận ổ dịch sốt xuất huyết, đã phun thuốc',
      claim: 'Phường Vỹ Dạ có ổ dịch sốt xuất huyết với hơn 10 ca mắc.',
      verdict: 'dung',
      summary: 'Đúng. Phường ghi nhận 12 ca sốt xuất huyết trong một khu dân cư; ngành y tế đã phun hóa chất.',
      ...on(health, '19777'),
    },
  });
  await makeFactcheck(t.deps, {
    ...by,
    form: {
      title: 'Đúng: người từ 60 tuổi được đi xe buýt miễn phí',
      claim: 'Người cao tuổi từ 60 tuổi trở lên được đi xe buýt nội thành miễn phí.',
      verdict: 'dung',
      summary: 'Đúng. Người từ 60 tuổi xuất trình căn cước được miễn vé trên các tuyến xe buýt trợ giá.',
    },
  });
  await makeItem(t.deps, { ...by, form: on(null, '19753') });
  // a published fact-check carrying hostile text everywhere, via the editors' own forms
  const ed = t.client();
  await ed.signIn(staff.editor.email);
  await ed.get('/staff/desk/items/new?kind=factcheck');
  const r = await ed.post('/staff/desk/items', {
    kind: 'factcheck',
    title: `Tin giả mạo ${HOSTILE}`,
    claim: `Lời đồn ${HOSTILE}`,
    verdict: 'gay-hieu-lam',
    summary: `Tóm tắt ${HOSTILE}`,
    body: `Giải thích <script>alert(3)</script> [bấm](javascript:alert(4))`,
    appearances: `Bài đăng ${HOSTILE} | https://example.org/p?a=1&b=2`,
    claim_date: '2026-10-30',
    sources: `Nguồn ${HOSTILE.replace(/\|/g, '')} | Nơi | 2026-10-31 | https://example.org/s`,
    topics: String(scams),
    units: String(city['19777'].id),
  });
  hostileId = Number(r.location!.match(/(\d+)/)![1]);
  await ed.post(`/staff/desk/items/${hostileId}/submit`, {});
  const rv = t.client();
  await rv.signIn(staff.reviewer.email);
  await rv.get(`/staff/desk/items/${hostileId}`);
  await rv.post(`/staff/desk/items/${hostileId}/approve`, await versionForm(t.db, hostileId));
  await rv.post(`/staff/desk/items/${hostileId}/publish`, {});
});
afterAll(async () => t?.close());

function jsonLd(html: string): any[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]));
}

describe('ClaimReview and NewsArticle JSON-LD', () => {
  it('carries every ClaimReview field on a fact-check', async () => {
    const fc = await t.db.one<{ id: number }>(`SELECT id FROM desk_items WHERE title LIKE 'Không có chuyện cắt nước%'`);
    const page = await t.client().get(`/factchecks/${fc!.id}`);
    const [ld] = jsonLd(page.text);
    expect(ld['@context']).toBe('https://schema.org');
    expect(ld['@type']).toBe('ClaimReview');
    expect(ld.claimReviewed).toContain('cắt nước sinh hoạt toàn bộ trong 5 ngày');
    expect(ld.url).toBe(
      `http://test.local/factchecks/${fc!.id}-khong-co-chuyen-cat-nuoc-toan-thanh-pho-5-ngay-de-suc-rua-duong-ong`,
    );
    expect(Date.parse(ld.datePublished)).toBeGreaterThan(0);
    expect(ld.author).toMatchObject({ '@type': 'Organization', name: expect.any(String) });
    expect(ld.reviewRating).toEqual({
      '@type': 'Rating',
      ratingValue: 1,
      bestRating: 5,
      worstRating: 1,
      alternateName: 'Sai',
    });
    expect(ld.itemReviewed['@type']).toBe('Claim');
    expect(ld.itemReviewed.datePublished).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(ld.itemReviewed.appearance[0]).toMatchObject({
      '@type': 'CreativeWork',
      description: expect.stringContaining('nhóm chat'),
    });
    expect(page.text).toContain('<meta property="og:title" content="Không có chuyện cắt nước');
    expect(page.text).toContain('<link rel="canonical"');
  });

  it('describes articles as NewsArticle', async () => {
    const a = await t.db.one<{ id: number }>(
      `SELECT id FROM desk_items WHERE kind = 'article' AND status = 'published' LIMIT 1`,
    );
    const page = await t.client().get(`/articles/${a!.id}`);
    const [ld] = jsonLd(page.text);
    expect(ld['@type']).toBe('NewsArticle');
    expect(ld.headline).toBeTruthy();
    expect(ld.publisher['@type']).toBe('Organization');
    expect(Date.parse(ld.datePublished)).toBeGreaterThan(0);
  });

  it('keeps hostile text inert in the page and in JSON-LD', async () => {
    const page = await t.client().get(`/factchecks/${hostileId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).not.toMatch(/href="javascript/i);
    expect(page.text).toContain('&lt;script&gt;alert(3)');
    // exactly the layout's script tag plus the JSON-LD block
    expect(page.text.match(/<script/g)!.length).toBe(2);
    const [ld] = jsonLd(page.text);
    expect(ld.claimReviewed).toBe(`Lời đồn ${HOSTILE}`);
    expect(ld.reviewRating.alternateName).toBe('Gây hiểu lầm');
    expect(ld.itemReviewed.appearance[0].url).toBe('https://example.org/p?a=1&b=2');
  });
});

describe('feeds and sitemap', () => {
  const parser = new Parser();
  for (const scope of ['/feed', '/topics/lua-dao/feed', '/units/19777/feed']) {
    it(`${scope}: RSS 2.0 and Atom parse with a feed parser; hostile text stays text`, async () => {
      const c = t.client();
      const rssRes = await c.get(`${scope}.rss`);
      expect(rssRes.status).toBe(200);
      expect(rssRes.headers.get('content-type')).toContain('application/rss+xml');
      expect(XMLValidator.validate(rssRes.text)).toBe(true);
      const rss = await parser.parseString(rssRes.text);
      expect(rss.title).toContain('Cầu Nối');
      expect(rss.items.length).toBeGreaterThan(0);
      const h = rss.items.find((i) => i.link?.includes(`/factchecks/${hostileId}-`));
      expect(h, 'hostile item in feed').toBeTruthy();
      expect(h!.title).toBe(`[Gây hiểu lầm] Tin giả mạo ${HOSTILE}`);
      expect(rssRes.text).not.toContain('<script>');
      for (const i of rss.items) {
        expect(i.link).toMatch(/^http:\/\/test\.local\/(factchecks|articles|videos)\/\d+-/);
        expect(Date.parse(i.pubDate!)).toBeGreaterThan(0);
      }
      const atomRes = await c.get(`${scope}.atom`);
      expect(atomRes.headers.get('content-type')).toContain('application/atom+xml');
      expect(XMLValidator.validate(atomRes.text)).toBe(true);
      const atom = await parser.parseString(atomRes.text);
      expect(atom.items.length).toBe(rss.items.length);
      expect(atom.items.every((i) => i.id && i.title && i.link)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false }).parse(atomRes.text);
      expect(doc.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
      expect(Date.parse(doc.feed.updated)).toBeGreaterThan(0);
      expect(doc.feed.author.name).toBeTruthy();
    });
  }

  it('JSON Feed 1.1 carries the fields its spec requires', async () => {
    for (const scope of ['/feed', '/topics/y-te/feed', '/units/19753/feed']) {
      const r = await t.client().get(`${scope}.json`);
      expect(r.headers.get('content-type')).toContain('application/feed+json');
      const f = JSON.parse(r.text);
      expect(f.version).toBe('https://jsonfeed.org/version/1.1');
      expect(typeof f.title).toBe('string');
      expect(f.home_page_url).toMatch(/^http:\/\/test\.local\//);
      expect(f.feed_url).toBe(`http://test.local${scope}.json`);
      expect(Array.isArray(f.items)).toBe(true);
      expect(f.items.length).toBeGreaterThan(0);
      for (const i of f.items) {
        expect(typeof i.id).toBe('string');
        expect(typeof i.content_text === 'string' || typeof i.content_html === 'string').toBe(true);
        expect(new Date(i.date_published).toISOString()).toBe(i.date_published);
        expect(i.url).toMatch(/^http:\/\/test\.local\//);
      }
    }
    const unitFeed = JSON.parse((await t.client().get('/units/19777/feed.json')).text);
    expect(unitFeed.items.some((i: any) => i.title.includes('sốt xuất huyết'))).toBe(true);
    expect(unitFeed.items.some((i: any) => i.title.includes('cắt nước'))).toBe(false);
  });

  it('unknown topics and units are 404, and the sitemap lists every published piece', async () => {
    expect((await t.client().get('/topics/khong-co/feed.rss')).status).toBe(404);
    expect((await t.client().get('/units/99999')).status).toBe(404);
    const s = await t.client().get('/sitemap.xml');
    expect(XMLValidator.validate(s.text)).toBe(true);
    const doc = new XMLParser().parse(s.text);
    const locs: string[] = doc.urlset.url.map((u: any) => u.loc);
    const n = await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM desk_items WHERE status = 'published'`);
    expect(locs.filter((l) => /\/(factchecks|articles|videos)\/\d+-/.test(l))).toHaveLength(n!.n);
    expect(locs).toContain('http://test.local/policies/method');
  });
});

describe('public pages', () => {
  const pages = [
    '/desk',
    '/topics/y-te',
    '/units/19789',
    '/search?q=c%E1%BA%AFt+n%C6%B0%E1%BB%9Bc',
    '/policies/method',
    '/factchecks',
    '/feed.rss',
  ];
  it('send ETag and Cache-Control, and answer conditional requests with 304', async () => {
    for (const p of pages) {
      const c = t.client();
      const r = await c.get(p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('cache-control'), p).toBe('public, max-age=60');
      const tag = r.headers.get('etag');
      expect(tag, p).toBeTruthy();
      const again = await c.get(p, { 'if-none-match': tag! });
      expect(again.status, p).toBe(304);
      expect(again.text).toBe('');
    }
    const fc = await t.db.one<{ id: number }>(
      `SELECT id FROM desk_items WHERE kind = 'factcheck' AND status = 'published' LIMIT 1`,
    );
    const c = t.client();
    const r = await c.get(`/factchecks/${fc!.id}`);
    expect((await c.get(`/factchecks/${fc!.id}`, { 'if-none-match': r.headers.get('etag')! })).status).toBe(304);
    const staff = t.client();
    await staff.signIn(editorEmail);
    expect((await staff.get('/desk')).headers.get('cache-control')).toBe('private, no-cache');
  });

  it('stay under 30 KB compressed', async () => {
    const fc = await t.db.query<{ id: number; kind: string }>(
      `SELECT id, kind FROM desk_items WHERE status = 'published' ORDER BY length(body) DESC LIMIT 3`,
    );
    const paths = [
      ...pages.filter((p) => !p.endsWith('.rss')),
      '/claims/new',
      ...fc.map((i) => `/${i.kind === 'factcheck' ? 'factchecks' : i.kind + 's'}/${i.id}`),
    ];
    for (const p of paths) {
      const r = await t.client().get(p);
      const size = gzipSync(Buffer.from(r.text)).length;
      expect(size, `${p}: ${size} bytes gzipped`).toBeLessThan(30 * 1024);
    }
  });

  it('search finds fact-checks with or without diacritics, in English too', async () => {
    const a = await t.client().get('/search?q=' + encodeURIComponent('hoc phi tang gap doi'));
    expect(a.text).toContain('Học phí năm học mới không tăng gấp đôi');
    const b = await t.client().get('/search?q=' + encodeURIComponent('xe buýt miễn phí người già'));
    expect(b.text).toContain('người từ 60 tuổi được đi xe buýt miễn phí');
    const empty = await t.client().get('/search?q=' + encodeURIComponent('zzzz qqqq'));
    expect(empty.text).toContain('0 kết quả');
    expect(empty.text).toContain('href="/claims/new"');
  });

  it('the home page lists the latest fact-checks and the unit page what concerns the commune', async () => {
    const home = await t.client().get('/');
    expect(home.text).toContain('Kiểm chứng mới nhất');
    expect(home.text).toContain('href="/desk"');
    const unit = await t.client().get('/units/19789');
    expect(unit.text).toContain('Không có chuyện cắt nước');
    expect(unit.text).not.toContain('Cầu Trường Tiền');
    const en = await t.client().get('/desk?lang=en');
    expect(en.text).toContain('Latest fact-checks');
    expect(en.text).toContain('>False<');
  });
});
