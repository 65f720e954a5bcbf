import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMenus } from '../src/http/menu.js';
import { modules } from '../src/modules/index.js';
import { can } from '../src/platform/auth/permissions.js';
import { loadPrincipal } from '../src/platform/auth/service.js';
import { type Account, makeCityStaff, realCity, type STAFF_ROLES } from '../test/helpers/factories.js';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

describe('foundation in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let people: Record<(typeof STAFF_ROLES)[number], Account>;
  beforeAll(async () => {
    server = await startServer({ demo: false });
    await realCity(server.db);
    people = await makeCityStaff(server.db, 'foundation');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const staffMenu = (page: Page) =>
    page.$$eval('nav.staff-nav a', (as) =>
      as.map((a) => ({ href: a.getAttribute('href'), text: (a.textContent ?? '').trim() })),
    );
  const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  /** What the menu must show: every item whose action the account may perform, in the server's order. */
  async function expectedMenu(email: string, locale: 'vi' | 'en') {
    const row = await server.db.one<{ id: number }>(`SELECT id FROM users WHERE email = $1`, [email]);
    const p = await loadPrincipal(server.db, row!.id, 'session');
    return [
      { href: '/staff', text: locale === 'vi' ? 'Tổng quan' : 'Overview' },
      ...buildMenus(modules)
        .staff.filter((m) => can(p, m.action))
        .map((m) => ({ href: m.href, text: m.label[locale] })),
    ];
  }

  it('shows the home page on a 360 px phone, switches language and remembers it', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(server.url + '/');
    expect(await page.textContent('h1')).toContain('Thông tin chính thống');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'home-360');
    await page.click('a.lang');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(server.url + '/');
    expect(await page.textContent('h1')).toContain('Official information');
    await page.click('a.lang');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await ctx.close();
  });

  it('signs in, shows only the role’s menu (editor vs member), switches language while signed in, and signs out', async () => {
    const menusSeen: Record<string, { href: string | null; text: string }[]> = {};
    for (const email of [people.editor.email, people.member.email]) {
      const ctx = await phone(browser);
      const page = await ctx.newPage();
      await signIn(page, server.url, email);
      menusSeen[email] = await staffMenu(page);
      expect(menusSeen[email]).toEqual(await expectedMenu(email, 'vi'));
      expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
      await ctx.close();
    }
    const editorHrefs = menusSeen[people.editor.email].map((m) => m.href);
    const memberHrefs = menusSeen[people.member.email].map((m) => m.href);
    // neither sees the admin pages; both reach their API tokens
    for (const hrefs of [editorHrefs, memberHrefs]) {
      expect(hrefs).not.toContain('/staff/users');
      expect(hrefs).not.toContain('/staff/audit');
      expect(hrefs).toContain('/staff/tokens');
    }

    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await signIn(page, server.url, people.member.email);
    expect(await page.textContent('h1')).toContain('Hoàng Văn Chia');
    await screenshot(page, 'staff-member');
    // a page the member may not use is refused in words, not hidden behind a blank page
    await page.goto(server.url + '/staff/users');
    expect(await page.textContent('main')).toContain('Bạn không có quyền thực hiện thao tác này.');
    await page.goto(server.url + '/staff');
    await Promise.all([page.waitForURL(/\/staff/), page.click('a.lang')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toContain('Hello, Hoàng Văn Chia');
    expect(await staffMenu(page)).toEqual(await expectedMenu(people.member.email, 'en'));
    await Promise.all([page.waitForURL(/\/signin/), page.click('header form[action="/signout"] button')]);
    expect(await page.textContent('main')).toContain('You have signed out.');
    await page.goto(server.url + '/staff');
    expect(page.url()).toContain('/signin');
    await ctx.close();
  });

  it('lets an admin create an account and grant it a role, with errors beside the fields, at 360 px without JavaScript', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, server.url, people.admin.email);
    const menu = (await staffMenu(page)).map((m) => m.text);
    expect(menu).toContain('Người dùng');
    expect(menu).toContain('Nhật ký thao tác');
    await page.click('nav.staff-nav a[href="/staff/users"]');
    expect(await page.textContent('h1')).toBe('Tài khoản cán bộ');
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'staff-users-360');
    await page.click('a[href="/staff/users/new"]');
    await page.fill('#f-email', 'khong-hop-le');
    await page.fill('#f-name', 'Đỗ Thị Mới');
    await page.click('main form button[type=submit]:not([name=_pick])');
    expect(await page.textContent('#f-email-err')).toBe('Địa chỉ thư điện tử không hợp lệ.');
    expect(await page.inputValue('#f-name')).toBe('Đỗ Thị Mới');
    expect(await page.inputValue('#f-email')).toBe('khong-hop-le');
    await page.fill('#f-email', 'do.moi@example.org');
    await page.selectOption('#f-role', 'editor');
    await page.fill('#f-unitId_q', 'vy da'); // the unit picker (issue 15): search, then choose
    await page.click('#f-unitId button[name=_pick]');
    await page.check('#f-unitId input[type=radio]');
    await page.click('main form button[type=submit]:not([name=_pick])');
    expect(await page.textContent('main')).toContain('Đã gửi thư mời đặt mật khẩu'); // no password given: an invitation
    expect(await page.textContent('ul.grants')).toContain('Biên tập viên');
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await page.goto(server.url + '/staff/audit?action=user.');
    expect(await page.textContent('table.audit')).toContain(people.admin.email);
    expect(await page.textContent('table.audit')).toContain('user.grant');
    await screenshot(page, 'staff-audit-360');
    // an API token is shown once, in full, without pushing the page sideways
    await page.goto(server.url + '/staff/tokens');
    await page.fill('#f-name', 'Báo cáo hằng tuần');
    await page.click('main form[action="/staff/tokens"] button[type=submit]');
    expect(await page.textContent('#new-token')).toMatch(/^cn_[\w-]{20,}$/);
    expect(await page.isVisible('[data-copy]')).toBe(false); // no JavaScript: no copy button that cannot work
    expect(await noSideScroll(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'staff-tokens-360');
    await page.goto(server.url + '/staff/tokens');
    expect(await page.locator('#new-token').count()).toBe(0);
    expect(await page.textContent('table.tokens')).toContain('Báo cáo hằng tuần');
    await ctx.close();
  });

  it('is usable from the keyboard: the skip link and a visible focus ring', async () => {
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await page.goto(server.url + '/signin');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    const box = await page.locator('a.skip').boundingBox();
    expect(box && box.x >= 0 && box.y >= 0).toBe(true);
    await page.focus('#f-email');
    const outline = await page.$eval('#f-email', (el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
    await ctx.close();
  });
});
