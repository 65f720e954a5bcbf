import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as crisis from '../src/modules/crisis/service.js';
import {
  type Account,
  actorOf,
  makeCityStaff,
  makeIncident,
  realCity,
  type STAFF_ROLES,
} from '../test/helpers/factories.js';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

describe('crisis centre in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let incidentId: number;
  let code = '';
  let number = '';
  let people: Record<(typeof STAFF_ROLES)[number], Account>;

  beforeAll(async () => {
    server = await startServer({ demo: false });
    const units = await realCity(server.db);
    people = await makeCityStaff(server.db, 'crisis');
    // the flood the city is handling, with the first notice already released
    incidentId = (
      await makeIncident(server.deps, {
        by: people.editor.id,
        unit: units['46'],
        affected: [units['19789'], units['19945']],
        title: 'Mưa lớn gây ngập úng tại phường Thuận Hoá và xã Phú Vinh',
        severity: 'severe',
        statement: { reviewer: people.reviewer.id, title: 'Thông báo về tình hình mưa lũ và các điểm sơ tán' },
      })
    ).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const noSideScroll = (page: import('playwright-core').Page) =>
    page.evaluate(() => document.documentElement.scrollWidth);

  it('a team member drafts a notice and sends it for approval', async () => {
    // the incident team: the reviewer (who holds approval rights over the incident's unit) makes the handler its spokesperson
    const rctx = await phone(browser);
    const rpage = await rctx.newPage();
    await signIn(rpage, server.url, people.reviewer.email);
    await rpage.goto(`${server.url}/staff/crisis/incidents/${incidentId}`);
    await rpage.fill('#f-email', people.handler.email);
    await rpage.selectOption('#f-role', 'spokesperson');
    await Promise.all([rpage.waitForURL(/flash=saved/), rpage.click('text=Thêm vào tổ')]);
    expect(await rpage.textContent('main')).toContain('Người phát ngôn (được duyệt)');
    await rctx.close();
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await signIn(page, server.url, people.editor.email);
    await page.goto(`${server.url}/staff/crisis/incidents/${incidentId}`);
    await page.click('text=Soạn thông báo');
    await page.selectOption('#f-kind', 'notice');
    await page.fill('#f-title', '');
    await page.fill('#f-body', 'Nội dung');
    await page.click('button[type=submit]:has-text("Lưu bản nháp")');
    // bad input: the error sits beside the field, what was typed is kept
    expect(await page.textContent('#f-title-err')).toContain('Trường này là bắt buộc.');
    expect(await page.inputValue('#f-body')).toBe('Nội dung');
    await page.fill('#f-title', 'Khuyến cáo không đi qua khu vực ngập sâu');
    await page.fill(
      '#f-body',
      'Người dân không đi qua đường Bà Triệu và đường Hùng Vương đoạn ngập sâu trên 0,8 m.\n\nLiên hệ 112 khi cần cứu hộ.',
    );
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
    await signIn(page, server.url, people.handler.email);
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
    // no automatic refresh (an accessibility failure); the time of the last update and a reload link instead
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0);
    expect(await page.textContent('.incident-updated')).toMatch(
      /Cập nhật lúc \d\d\/\d\d\/\d{4} \d\d:\d\d · Tải lại trang để xem tin mới nhất/,
    );
    expect(await page.getAttribute('a.incident-refresh', 'href')).toBe(`/incidents/${incidentId}`);
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
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
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
    // a mistyped code is asked to be checked first (the code as read), then the warning
    const notIssued = (await page.textContent('.verify-not-issued'))!;
    expect(notIssued.indexOf('Hãy kiểm tra lại mã bạn đã nhập')).toBeLessThan(
      notIssued.indexOf('KHÔNG có văn bản nào được ban hành với mã này'),
    );
    expect(await page.textContent('.code-as-read')).toBe('ABCD-EFGH');
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'crisis-6-verify-fake');
    await page.fill('#f-text', 'Người dân không đi qua đường Bà Triệu và đường Hùng Vương đoạn ngập sâu trên 2 m.');
    await page.click('form[action="/verify"][method="post"] button');
    expect(await page.textContent('.verdict')).toContain('KHÔNG KHỚP');
    expect(await page.textContent('.verdict')).toContain(`thông báo số ${number}`);
    // what differs from the genuine notice is highlighted
    expect((await page.textContent('ins.diff-added'))!.trim()).toBe('2');
    expect(await page.textContent('del.diff-removed')).toContain('0,8');
    // key ids and algorithms stay in the closed "technical details"
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'crisis-7-verify-altered');
    // the incident page with JavaScript on: no CSP violations from the enhancement script
    await page.goto(`${server.url}/incidents/${incidentId}`);
    await page.waitForTimeout(300);
    expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
    await ctx.close();
  });

  it('with JavaScript on, the incident page updates in place and announces a new notice politely', async () => {
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/incidents/${incidentId}`);
    const before = await page.textContent('.statement.latest h3');
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    // a new notice is released while the resident reads
    const prev = (await server.db.one<{ id: number }>(
      `SELECT id FROM crisis_statements WHERE incident_id = $1 AND status = 'released' ORDER BY released_at DESC LIMIT 1`,
      [incidentId],
    ))!.id;
    const id = await crisis.draftStatement(server.db, await actorOf(server.db, people.editor.id), {
      incidentId,
      unitId: 0,
      kind: 'update',
      refersTo: prev,
      title: 'Nước đã rút ở phường Phú Hội',
      titleEn: null,
      body: 'Người dân có thể trở về nhà.',
      bodyEn: null,
      listIds: [],
    });
    await crisis.submitStatement(server.db, await actorOf(server.db, people.editor.id), id);
    await crisis.releaseStatement(server.deps, await actorOf(server.db, people.reviewer.id), id, {
      baseUrl: server.url,
      orgName: 'Cầu Nối',
    });
    // the script checks when the tab comes back into focus (and every 30 s)
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.waitForFunction(
      () => document.querySelector('.statement.latest h3')?.textContent === 'Nước đã rút ở phường Phú Hội',
      null,
      { timeout: 15_000 },
    );
    expect(before).not.toBe('Nước đã rút ở phường Phú Hội');
    await page.waitForFunction(
      () => (document.querySelector('.crisis-live')?.textContent ?? '').includes('Nước đã rút ở phường Phú Hội'),
      null,
      { timeout: 5000 },
    );
    expect(await page.getAttribute('.crisis-live', 'aria-live')).toBe('polite');
    // updated in place: the same document, no reload
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await screenshot(page, 'crisis-3b-public-incident-live-update');
    await ctx.close();
  });

  it('the administrator rotates a leaked signing key on a phone without JavaScript; the notice signed since then warns', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, server.url, people.admin.email);
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
    await Promise.all([
      page.waitForURL(/rotated=/),
      page.click('form[action="/staff/crisis/keys/rotate"] button[type=submit]'),
    ]);
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
