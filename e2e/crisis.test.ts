import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCrisisDemo } from '../src/modules/crisis/seed.js';
import { seedPlatformDemo } from '../src/platform/demo/seed.js';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

describe('crisis centre in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let incidentId: number;
  let code = '';
  let number = '';

  beforeAll(async () => {
    // platform accounts and the crisis demo only, so this test does not depend on other modules' demo data
    server = await startServer({ demo: false });
    const demo = await seedPlatformDemo(server.db, 'demo1234');
    await seedCrisisDemo(server.deps, demo);
    incidentId = (await server.db.one<{ id: number }>(`SELECT id FROM crisis_incidents WHERE status = 'active' ORDER BY id LIMIT 1`))!.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const noSideScroll = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('a team member drafts a notice and sends it for approval', async () => {
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await signIn(page, server.url, 'editor@demo.local');
    await page.goto(`${server.url}/staff/crisis/incidents/${incidentId}`);
    // the incident team: the handler becomes this incident's spokesperson
    await page.fill('#f-email', 'handler@demo.local');
    await page.selectOption('#f-role', 'spokesperson');
    await Promise.all([page.waitForURL(/flash=saved/), page.click('text=Thêm vào tổ')]);
    expect(await page.textContent('main')).toContain('Người phát ngôn (được duyệt)');
    await page.click('text=Soạn thông báo');
    await page.selectOption('#f-kind', 'notice');
    await page.fill('#f-title', '');
    await page.fill('#f-body', 'Nội dung');
    await page.click('button[type=submit]:has-text("Lưu bản nháp")');
    // bad input: the error sits beside the field, what was typed is kept
    expect(await page.textContent('#f-title-err')).toContain('Trường này là bắt buộc.');
    expect(await page.inputValue('#f-body')).toBe('Nội dung');
    await page.fill('#f-title', 'Khuyến cáo không đi qua khu vực ngập sâu');
    await page.fill('#f-body', 'Người dân không đi qua đường Bà Triệu và đường Hùng Vương đoạn ngập sâu trên 0,8 m.\n\nLiên hệ 112 khi cần cứu hộ.');
    await page.click('button[type=submit]:has-text("Lưu bản nháp")');
    await page.waitForURL(/statements\/\d+\?flash=saved/);
    await page.click('button:has-text("Gửi duyệt")');
    await page.waitForURL(/flash=submitted/);
    expect(await page.textContent('main')).toContain('Chờ duyệt');
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'crisis-1-draft-submitted');
    await ctx.close();
  });

  it('the spokesperson approves and releases it', async () => {
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await signIn(page, server.url, 'handler@demo.local');
    await page.goto(`${server.url}/staff/crisis`);
    await page.click('text=Khuyến cáo không đi qua khu vực ngập sâu');
    await page.click('button:has-text("Duyệt và phát hành")');
    await page.waitForURL(/flash=released/);
    const flash = (await page.textContent('.notice.success'))!;
    const m = /số (\d{4}-\d{3})\. Mã xác minh: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(flash)!;
    number = m[1];
    code = m[2];
    await screenshot(page, 'crisis-2-released');
    await ctx.close();
  });

  it('the public page shows it on top, on a 360 px phone without JavaScript', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/`);
    await page.click('.crisis-banner a');
    await page.waitForURL(/\/incidents\/\d+/);
    expect(await page.textContent('.statement.latest h3')).toBe('Khuyến cáo không đi qua khu vực ngập sâu');
    expect(await page.textContent('main')).toContain('Nguyễn Thị Phát Ngôn');
    expect(await page.textContent('main')).toContain('Xã Phú Vinh');
    expect(await page.getAttribute('meta[http-equiv=refresh]', 'content')).toBe('120');
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'crisis-3-public-incident-nojs');
    await page.click('.statement.latest h3 a');
    expect(await page.textContent('.code')).toBe(code);
    expect(await page.locator('.qr svg').count()).toBe(1);
    await screenshot(page, 'crisis-4-statement-qr');
    await ctx.close();
  });

  it('a resident checks the code on the verification page; a fake code is refused clearly', async () => {
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    await page.goto(`${server.url}/verify`);
    await page.fill('#f-code', code.toLowerCase());
    await page.click('form[action="/verify"][method="get"] button');
    await page.waitForURL(/verify\?code=/);
    expect(await page.textContent('.verdict')).toContain('ĐÚNG — đây là văn bản chính thức đã được ban hành.');
    expect(await page.textContent('.verdict')).toContain(number);
    await screenshot(page, 'crisis-5-verify-genuine');
    await page.fill('#f-code', 'ABCD-EFGH');
    await page.click('form[action="/verify"][method="get"] button');
    await page.waitForURL(/code=ABCD-EFGH/);
    expect(await page.textContent('.verdict')).toContain('KHÔNG — không có văn bản nào được ban hành với mã này.');
    await screenshot(page, 'crisis-6-verify-fake');
    await page.fill('#f-text', 'Người dân không đi qua đường Bà Triệu và đường Hùng Vương đoạn ngập sâu trên 2 m.');
    await page.click('form[action="/verify"][method="post"] button');
    expect(await page.textContent('.verdict')).toContain('KHÔNG KHỚP');
    expect(await page.textContent('.verdict')).toContain(`thông báo số ${number}`);
    await screenshot(page, 'crisis-7-verify-altered');
    // the incident page with JavaScript on: no CSP violations from the enhancement script
    await page.goto(`${server.url}/incidents/${incidentId}`);
    await page.waitForTimeout(300);
    expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
    await ctx.close();
  });

  it('the administrator rotates a leaked signing key on a phone without JavaScript; the notice signed since then warns', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, server.url, 'admin@demo.local');
    await page.goto(`${server.url}/staff/crisis`);
    await page.click('a[href="/staff/crisis/keys"]');
    await page.waitForURL(/\/staff\/crisis\/keys$/);
    const oldKey = (await page.textContent('tr[data-key] code'))!;
    expect(await page.textContent('main')).toContain('Đang dùng');
    // forgetting the confirmation: refused beside the box, the reason kept
    await page.fill('#f-reason', 'Máy tính của cán bộ bị mất');
    await page.check('input[name=compromised]');
    // leaked since ten minutes ago, Vietnam time: the notice released in this run was signed after that
    const since = new Date(Date.now() - 10 * 60_000 + 7 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    await page.fill('#f-compromisedSince', since);
    await page.click('form[action="/staff/crisis/keys/rotate"] button[type=submit]');
    expect(await page.textContent('#f-confirm-err')).toContain('Đánh dấu ô xác nhận để thay khóa.');
    expect(await page.inputValue('#f-reason')).toBe('Máy tính của cán bộ bị mất');
    expect(await page.inputValue('#f-compromisedSince')).toBe(since);
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await page.check('#f-confirm');
    await Promise.all([page.waitForURL(/rotated=/), page.click('form[action="/staff/crisis/keys/rotate"] button[type=submit]')]);
    const main = (await page.textContent('main'))!;
    expect(main).toContain('Đã thay khóa. Khóa mới:');
    expect(main).toMatch(/\d+ văn bản ký bằng khóa cũ từ thời điểm bị lộ sẽ hiện cảnh báo/);
    expect(main).toContain('Bị lộ từ');
    expect(await page.textContent(`tr[data-key="${oldKey}"]`)).toContain('Máy tính của cán bộ bị mất');
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'crisis-8-keys-rotated');

    await page.goto(`${server.url}/verify?code=${code}`);
    const verdict = (await page.textContent('.verdict'))!;
    expect(verdict).toContain(`CẢNH BÁO — chưa thể khẳng định văn bản này là thật. Chữ ký khớp với khóa ${oldKey}`);
    expect(verdict).not.toContain('ĐÚNG');
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'crisis-9-verify-leaked-key');
    await ctx.close();
  });
});
