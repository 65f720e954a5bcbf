import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, phone, screenshot, startServer } from './helpers.js';

/** axe-core from npm, evaluated in the page (the site's CSP forbids an inline script tag; evaluate is not a tag). */
const AXE = readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const res = await page.evaluate(async () =>
    (
      window as unknown as {
        axe: { run(d: Document, o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe.run(document, { resultTypes: ['violations'] }),
  );
  return res.violations.map(
    (v) =>
      `${v.id}: ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
}

const width = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const claimCount = async (s: Awaited<ReturnType<typeof startServer>>) =>
  (await s.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM desk_claims`))!.n;

describe('a resident on a 360 px phone', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let photo: string;
  const visited = new Set<string>([
    '/',
    '/mailbox',
    '/mailbox/new',
    '/desk',
    '/factchecks',
    '/claims/new',
    '/verify',
    '/incidents',
    '/trang-khong-co',
  ]);
  beforeAll(async () => {
    server = await startServer({ env: { MAP_TILE_URL: '/static/tile-{z}-{x}-{y}.png' } });
    browser = await launchBrowser();
    mkdirSync('test-output', { recursive: true });
    photo = path.resolve('test-output/resident-photo.jpg');
    await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 60, g: 120, b: 160 } } })
      .jpeg()
      .toFile(photo);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const js of [true, false]) {
    const tag = js ? 'js' : 'nojs';
    it(`files a report with a photo, looks it up by its code, asks about a claim and reloads, verifies a mistyped code (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const ctx = await phone(browser, { javaScriptEnabled: js });
      const page = await ctx.newPage();
      // the home page: a header under 100 px, the crisis banner above the buttons
      await page.goto(server.url + '/');
      expect(await page.$eval('.site-header', (e) => e.getBoundingClientRect().height)).toBeLessThan(100);
      const bannerTop = await page.$eval('.crisis-banner', (e) => e.getBoundingClientRect().top);
      expect(bannerTop).toBeLessThan(await page.$eval('.hero .cta-row', (e) => e.getBoundingClientRect().top));
      await screenshot(page, `resident-home-${tag}`);

      // 1. a report with a photo
      await page.goto(server.url + '/mailbox/new');
      await page.selectOption('#f-category', { label: 'Môi trường' });
      await page.fill('#f-title', `Cống thoát nước bị tắc (${tag})`);
      await page.fill('#f-description', 'Cống thoát nước trước nhà số 12 bị tắc, nước tràn ra đường mỗi khi mưa.');
      await page.fill('#f-unit_q', 'thuan hoa');
      if (js) await page.waitForSelector('#f-unit input[type=radio]:checked');
      else {
        await page.click('button[value="find-unit"]');
        await page.waitForSelector('#f-unit .up-status');
      }
      expect(
        await page.$eval('#f-unit input[type=radio]:checked', (r) => r.parentElement!.textContent!.trim()),
      ).toMatch(/^Phường Thuận Ho[áà]/);
      await page.fill('#f-address', 'Trước nhà số 12 đường Lê Lợi');
      await page.setInputFiles('#f-photos', photo);
      expect(await width(page)).toBeLessThanOrEqual(360);
      await Promise.all([page.waitForURL(/\/mailbox\/s\//), page.click('button[value="send"]')]);
      const code = (await page.textContent('.mb-panel-code'))!.trim();
      expect(code).toMatch(/^PA-\d{4}-\d{6}$/);
      await screenshot(page, `resident-report-sent-${tag}`);

      // 2. looked up by its code from the mailbox page
      await page.goto(server.url + '/mailbox');
      await page.fill('.mb-lookup input[name=code]', code.toLowerCase());
      await Promise.all([
        page.waitForURL(new RegExp(`/mailbox/r/${code}$`)),
        page.click('.mb-lookup button[type=submit]'),
      ]);
      expect(await page.textContent('main')).toContain(code);
      await screenshot(page, `resident-report-lookup-${tag}`);

      // 3. "is this true?": POST → 303 → the status page; a reload files nothing more
      await page.goto(server.url + '/claims/new');
      await page.fill('#f-text', `Nghe nói cả thành phố Huế sẽ mất nước 5 ngày để súc rửa đường ống (${tag})`);
      const before = await claimCount(server);
      await Promise.all([
        page.waitForURL(/\/claims\/KC-[A-Z0-9]{7}\?sent=1$/),
        page.click('form[action="/claims/new"] > button[type=submit]'),
      ]);
      expect(await claimCount(server)).toBe(before + 1);
      expect(await page.textContent('.claim-code')).toMatch(/KC-[A-Z0-9]{7}/);
      expect(await page.textContent('.claim-next')).toContain('Điều gì xảy ra tiếp theo');
      await page.reload();
      expect(await page.textContent('h1')).toBe('Đã nhận câu hỏi của bạn');
      expect(await claimCount(server)).toBe(before + 1);
      expect(await width(page)).toBeLessThanOrEqual(360);
      visited.add(new URL(page.url()).pathname);
      await screenshot(page, `resident-claim-status-${tag}`);

      // 4. a mistyped verification code: first "check what you typed"
      await page.goto(server.url + '/verify');
      await page.fill('#f-code', 'ABCD-EFGH');
      await Promise.all([
        page.waitForLoadState(),
        page.click('main form[action="/verify"][method=get] button[type=submit]'),
      ]);
      expect(await page.textContent('main')).toContain('Hãy kiểm tra lại mã bạn đã nhập');
      await screenshot(page, `resident-verify-typo-${tag}`);

      // the page not found is friendly
      const nf = await page.goto(server.url + '/trang-khong-co');
      expect(nf?.status()).toBe(404);
      expect(await page.textContent('h1')).toBe('Không tìm thấy trang');
      await ctx.close();
    });
  }

  it('English pages mark Vietnamese-only content and say so', async () => {
    const fc = (await server.db.one<{ id: number; slug: string }>(
      `SELECT id, slug FROM desk_items WHERE kind = 'factcheck' AND status = 'published' ORDER BY id LIMIT 1`,
    ))!;
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/lang/en?next=/factchecks/${fc.id}-${fc.slug}`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getAttribute('main h1', 'lang')).toBe('vi');
    expect(await page.textContent('.only-vi')).toBe('This content is only in Vietnamese.');
    expect(await page.textContent('.brand-org')).toBe('Cầu Nối information portal');
    await ctx.close();
  });

  it('axe-core finds no violation on any page the resident visits, in Vietnamese and in English', async () => {
    const fc = (await server.db.one<{ id: number; slug: string }>(
      `SELECT id, slug FROM desk_items WHERE kind = 'factcheck' AND status = 'published' ORDER BY id LIMIT 1`,
    ))!;
    const incident = (await server.db.one<{ id: number }>(
      `SELECT id FROM crisis_incidents WHERE status <> 'closed' ORDER BY id LIMIT 1`,
    ))!;
    // a public report with a cleaned photo (the photo link needs a name: axe link-name): one filed above, accepted
    await server.drainJobs();
    const withPhoto = (await server.db.one<{ code: string }>(
      `SELECT r.code FROM mailbox_reports r JOIN mailbox_photos p ON p.report_id = r.id ORDER BY r.id DESC LIMIT 1`,
    ))!;
    await server.db.query(`UPDATE mailbox_reports SET status = 'accepted', accepted_at = now() WHERE code = $1`, [
      withPhoto.code,
    ]);
    const pages = [
      ...visited,
      `/factchecks/${fc.id}-${fc.slug}`,
      `/incidents/${incident.id}`,
      '/verify?code=ABCD-EFGH',
      `/mailbox/r/${withPhoto.code}`,
    ];
    const found: string[] = [];
    for (const lang of ['vi', 'en']) {
      const ctx = await phone(browser);
      const page = await ctx.newPage();
      await page.goto(`${server.url}/lang/${lang}?next=/`);
      // a published report, as listed on the mailbox page
      await page.goto(server.url + '/mailbox');
      const report = await page.getAttribute('main a[href^="/mailbox/r/"]', 'href');
      // each card says when the report came in
      expect(await page.textContent('main .mb-card time')).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(report).toBeTruthy();
      for (const p of [...pages, report!]) {
        await page.goto(server.url + p);
        if (p === `/mailbox/r/${withPhoto.code}`) expect(await page.locator('main .mb-photos a img').count()).toBe(1);
        for (const v of await axeViolations(page)) found.push(`${lang} ${p} — ${v}`);
      }
      await ctx.close();
    }
    expect(found).toEqual([]);
  }, 300_000);
});
