/**
 * Reports in a real browser: the A4 print page rendered to PDF by headless Chromium, its figures
 * read back with pdftotext (Debian poppler-utils); the report page on a phone without JavaScript.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { createReportsModule } from '../src/modules/reports/index.js';
import { testApp, type TestApp } from '../test/helpers/app.js';
import { makeUser, realCity } from '../test/helpers/factories.js';
import { fakeModules, type FakeReport } from '../test/reports/fakes.js';
import { launchBrowser, phone, screenshot, signIn } from './helpers.js';

const OUT = path.resolve('test-output');

function pdfToText(file: string): string {
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch (err) {
    throw new Error(`pdftotext failed (install Debian's poppler-utils): ${(err as Error).message}`);
  }
}

describe('reports in Chromium', () => {
  let t: TestApp;
  let server: ServerType;
  let url: string;
  let browser: Browser;
  let province: number;
  const admin = 'admin@reports.test';

  beforeAll(async () => {
    t = await testApp({ demo: false });
    // Huế's units and its administrator only: the fake modules bring the figures
    const city = await realCity(t.db);
    await makeUser(t.db, { email: admin, name: 'Nguyễn Văn Quản', role: 'admin', unit: city['46'] });
    const units = new Map(
      (
        await t.db.query<{ id: number; code: string; path: string }>(`SELECT id, code, path::text AS path FROM units`)
      ).map((u) => [u.code, u]),
    );
    province = units.get('46')!.id;
    const px = units.get('19753')!.path;
    const th = units.get('19789')!.path;
    const reports: FakeReport[] = [];
    // March 2026: 1234 reports in Phú Xuân (1000 answered on time), 56 in Thuận Hoá (none answered)
    for (let i = 0; i < 1234; i++)
      reports.push({
        path: px,
        at: `2026-03-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+07:00`,
        answeredAfterHours: i < 1000 ? 12 : undefined,
        onTime: i < 1000,
        category: 'roads',
      });
    for (let i = 0; i < 56; i++) reports.push({ path: th, at: '2026-03-31T23:30:00+07:00', category: 'environment' });
    for (let i = 0; i < 789; i++)
      reports.push({
        path: px,
        at: '2026-02-10T10:00:00+07:00',
        answeredAfterHours: 5,
        onTime: true,
        category: 'roads',
      });
    const fakes = fakeModules({ reports, claims: [] });
    const app = createApp(t.deps, [...fakes, createReportsModule(() => fakes)]);
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await t.close();
  });

  it('prints the report on A4 with the figures on it', async () => {
    const ctx = await browser.newContext({ locale: 'vi-VN' });
    const page = await ctx.newPage();
    await signIn(page, url, admin);
    await page.goto(`${url}/staff/reports?unit=${province}&period=2026-03`);
    await page.click('text=Bản in A4');
    await expect(page.locator('h1')).toBeTruthy();
    expect(await page.locator('h1').innerText()).toBe('Báo cáo Tháng 3/2026 — Thành phố Huế');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'reports-print');
    mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, 'reports-a4.pdf');
    writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59\d\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = pdfToText(file).replace(/[ \t]+/g, ' ');
    expect(text).toContain('Báo cáo Tháng 3/2026 — Thành phố Huế');
    expect(text).toContain('So với: Tháng 2/2026');
    expect(text).toMatch(/Phản ánh nhận được 1\.290 789 ▲ \+501 \(\+63,5%\)/);
    expect(text).toMatch(/Phản ánh đã trả lời 1\.000 789/);
    expect(text).toMatch(/Tỷ lệ đúng hạn 100% 100% ±0 điểm %/);
    expect(text).toMatch(/Phường Phú Xuân 1\.234 1\.000 100%/);
    expect(text).toMatch(/Phường Thuận Hoá 56 0 —/);
    expect(text).toMatch(/Toàn đơn vị 1\.290 1\.000 100%/);
    // no menus or form on paper
    expect(text).not.toContain('Xem báo cáo');
    expect(text).not.toContain('Đăng xuất');
    await ctx.close();
  });

  it('shows the report on a 360 px phone without JavaScript, sorted by the server', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, url, admin);
    await page.goto(`${url}/staff/reports?unit=${province}&period=2026-03`);
    await page.click('th a:has-text("Phản ánh nhận được")');
    const first = await page.locator('table[data-table="children"] tbody tr th').first().innerText();
    expect(first).toBe('Phường Phú Xuân');
    expect(page.url()).toContain('sort=mailbox.received&dir=desc');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(360);
    expect(await page.locator('svg[role="img"] title').first().textContent()).toBe(
      'Tỷ lệ trả lời phản ánh đúng hạn theo đơn vị',
    );
    await screenshot(page, 'reports-phone');
    // a bad range keeps what was typed and says why beside the field
    await page.fill('#f-from', '2026-03-20');
    await page.fill('#f-to', '2026-03-01');
    await page.click('form.report-form button[type=submit]:not([name=_pick]):not([value=find-unit])');
    expect(await page.locator('#f-to-err').innerText()).toBe('Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.');
    expect(await page.inputValue('#f-from')).toBe('2026-03-20');
    await ctx.close();
  });
});
