import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

describe('foundation in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the home page on a 360 px phone, switches language and remembers it', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(server.url + '/');
    expect(await page.textContent('h1')).toContain('Thông tin chính thống');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await screenshot(page, 'home-360');
    await page.click('a.lang');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(server.url + '/');
    expect(await page.textContent('h1')).toContain('Official information');
    await ctx.close();
  });

  it('signs in, shows only the role’s menu, and signs out', async () => {
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await signIn(page, server.url, 'member@demo.local');
    expect(await page.textContent('h1')).toContain('Hoàng Văn Chia');
    await screenshot(page, 'staff-member');
    await Promise.all([page.waitForURL(/\/signin/), page.click('header form[action="/signout"] button')]);
    expect(await page.textContent('main')).toContain('Bạn đã đăng xuất');
    await page.goto(server.url + '/staff');
    expect(page.url()).toContain('/signin');
    await ctx.close();
  });
});
