import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

/** The cards of the page, in order: code, label shown, rating shown. */
function cards(html: string) {
  // the rating is for machines: listed apart from the residents' cards, in the page's developers section
  const ratings = new Map(
    [...html.matchAll(/<li data-verdict="([a-z0-9-]+)" data-rating="(\d)">/g)].map((m) => [m[1], Number(m[2])]),
  );
  return [
    ...html.matchAll(
      /<section class="card" id="verdict-([a-z0-9-]+)"><h2><span class="badge (\w+)" data-verdict="\1">([^<]+)<\/span>/g,
    ),
  ].map((m) => ({ code: m[1], tone: m[2], label: m[3], rating: ratings.get(m[1]) }));
}

describe('the public verdict scale', () => {
  it('explains every verdict with its meaning and ClaimReview rating, in Vietnamese and English', async () => {
    const vi = await t.client().get('/desk/verdicts');
    expect(vi.status).toBe(200);
    expect(vi.text).toContain('<h1>Thang kết luận kiểm chứng</h1>');
    expect(cards(vi.text)).toEqual([
      { code: 'dung', tone: 'true', label: 'Đúng', rating: 5 },
      { code: 'thieu-boi-canh', tone: 'warn', label: 'Thiếu bối cảnh', rating: 4 },
      { code: 'chua-du-can-cu', tone: 'warn', label: 'Chưa đủ căn cứ', rating: 3 },
      { code: 'gay-hieu-lam', tone: 'warn', label: 'Gây hiểu lầm', rating: 2 },
      { code: 'sai', tone: 'false', label: 'Sai', rating: 1 },
    ]);
    expect(vi.text).toContain('Điểm ClaimReview: 1/5');
    expect(vi.text.split('verdict-scale-list')[1].split('<details class="tech">')[0]).not.toContain('ClaimReview');
    expect(vi.text).toContain('bằng chứng và nguồn chính thức cho thấy điều ngược lại');
    expect(vi.text).toContain('href="/policies/method"');

    const en = await t.client().get('/desk/verdicts?lang=en');
    expect(en.status).toBe(200);
    expect(en.text).toContain('<h1>Our verdict scale</h1>');
    expect(cards(en.text).map((c) => [c.label, c.rating])).toEqual([
      ['True', 5],
      ['Missing context', 4],
      ['Unproven', 3],
      ['Misleading', 2],
      ['False', 1],
    ]);
    expect(en.text).toContain('ClaimReview rating: 1 of 5');
    expect(en.text).toContain('<small lang="vi">(Sai)</small>');
    expect(en.text).toContain('the evidence and official sources show otherwise');
  });

  it('is cacheable like every public page: Cache-Control, ETag and 304, no cookie', async () => {
    const c = t.client({ ip: '203.0.113.81' });
    const page = await c.get('/desk/verdicts');
    expect(page.headers.get('cache-control')).toBe('public, max-age=60');
    expect(page.headers.getSetCookie()).toEqual([]);
    const etag = page.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await c.get('/desk/verdicts', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('is linked from each fact-check’s verdict, the desk’s front page, the method page and the sitemap', async () => {
    const fc = await t.db.one<{ id: number; verdict: string }>(
      `SELECT id, verdict FROM desk_items WHERE kind = 'factcheck' AND status = 'published' AND verdict = 'sai' LIMIT 1`,
    );
    const piece = await t.client().get(`/factchecks/${fc!.id}`);
    expect(piece.text).toMatch(
      /<p class="verdict">[\s\S]*?data-verdict="sai"[\s\S]*?<a class="verdict-scale" href="\/desk\/verdicts#verdict-sai">Các mức kết luận nghĩa là gì\?<\/a><\/p>/,
    );
    const target = await t.client().get('/desk/verdicts');
    expect(target.text).toContain('id="verdict-sai"');
    expect((await t.client().get(`/factchecks/${fc!.id}?lang=en`)).text).toContain('What do our verdicts mean?');
    expect((await t.client().get('/desk')).text).toContain('<a href="/desk/verdicts">Thang kết luận kiểm chứng</a>');
    expect((await t.client().get('/policies/method')).text).toContain(
      '<a href="/desk/verdicts">Thang kết luận kiểm chứng</a>',
    );
    expect((await t.client().get('/sitemap.xml')).text).toContain('<loc>http://test.local/desk/verdicts</loc>');
  });

  it('shows a verdict added from the CLI, and keeps its meaning when only the label changes', async () => {
    const cli = async (...argv: string[]) => {
      const lines: string[] = [];
      const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
      return { code, out: lines.join('\n') };
    };
    const ok = await cli(
      'desk-verdict',
      '--code',
      'dung-mot-phan',
      '--label',
      'Đúng một phần',
      '--label-en',
      'Half true',
      '--rating',
      '3',
      '--position',
      '3',
      '--meaning',
      'Một phần thông tin đúng, phần còn lại sai hoặc chưa kiểm chứng được.',
      '--meaning-en',
      'Part of the claim is true; the rest is false or cannot be checked.',
    );
    expect(ok.code).toBe(0);
    await cli(
      'desk-verdict',
      '--code',
      'dung-mot-phan',
      '--label',
      'Đúng một nửa',
      '--label-en',
      'Half true',
      '--rating',
      '3',
      '--position',
      '3',
    );
    const vi = await t.client().get('/desk/verdicts');
    const card = cards(vi.text).find((c) => c.code === 'dung-mot-phan');
    expect(card).toEqual({ code: 'dung-mot-phan', tone: 'warn', label: 'Đúng một nửa', rating: 3 });
    expect(vi.text).toContain('Một phần thông tin đúng, phần còn lại sai hoặc chưa kiểm chứng được.');
    expect((await t.client().get('/desk/verdicts?lang=en')).text).toContain(
      'Part of the claim is true; the rest is false or cannot be checked.',
    );
  });
});
