import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, makeCategory, makeCityStaff, realCity, type STAFF_ROLES } from '../test/helpers/factories.js';
import { makeReportIn } from '../test/helpers/factories-mailbox.js';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

async function noHorizontalScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

describe('mailbox in a real browser on a 360 px phone', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let photo: string;
  let people: Record<(typeof STAFF_ROLES)[number], Account>;
  beforeAll(async () => {
    // tiles from this server (404s): the browser never reaches outside the machine
    server = await startServer({ demo: false, env: { MAP_TILE_URL: '/static/tile-{z}-{x}-{y}.png' } });
    const units = await realCity(server.db);
    people = await makeCityStaff(server.db, 'mailbox');
    const admin = people.admin.id;
    const environment = await makeCategory(server.deps, admin, { code: 'moi-truong', name: 'Môi trường' });
    const streets = await makeCategory(server.deps, admin, { code: 'ha-tang', name: 'Hạ tầng đô thị' });
    // reports answered before: two about street lights (đèn đường), one about something else
    const answered = { state: 'answered' as const, handler: people.handler.id, reviewer: people.reviewer.id };
    await makeReportIn(server.deps, { ...answered, unit: units['19753'], category: streets });
    await makeReportIn(server.deps, {
      ...answered,
      unit: units['19777'],
      category: streets,
      description: 'Đèn đường ở kiệt 5 Nguyễn Sinh Cung chập chờn cả tuần nay, buổi tối đi lại rất nguy hiểm.',
    });
    await makeReportIn(server.deps, {
      ...answered,
      unit: units['19789'],
      category: environment,
      description: 'Nước thải từ quán ăn chảy ra đường Trần Hưng Đạo, bốc mùi hôi suốt cả ngày.',
    });
    browser = await launchBrowser();
    mkdirSync('test-output', { recursive: true });
    photo = path.resolve('test-output/mailbox-photo.jpg');
    await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 140, b: 60 } } })
      .jpeg()
      .toFile(photo);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const js of [true, false]) {
    const tag = js ? 'js' : 'nojs';
    it(`resident files with a photo, handler answers, reviewer approves, resident rates (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const ctx = await phone(browser, { javaScriptEnabled: js });
      const page = await ctx.newPage();
      await page.goto(server.url + '/');
      await Promise.all([page.waitForURL(/\/mailbox\/new/), page.click('a[href="/mailbox/new"]')]);
      await page.selectOption('#f-category', { label: 'Môi trường' });
      const title = `Rác tồn đọng ở chợ Đông Ba (${tag})`;
      await page.fill('#f-title', title);
      await page.fill('#f-description', 'Rác tồn đọng ba ngày ở cổng sau chợ Đông Ba, bốc mùi nặng.');
      // find the ward without diacritics
      await page.fill('#f-unit_q', 'thuan hoa');
      if (js) {
        await page.waitForSelector('#f-unit input[type=radio]:checked');
      } else {
        await page.click('button[value="find-unit"]');
        await page.waitForSelector('#f-unit .up-status');
        expect(await page.textContent('main')).toContain('Tìm thấy 1 đơn vị');
        expect(await page.inputValue('#f-title')).toBe(title);
      }
      expect(
        await page.$eval('#f-unit input[type=radio]:checked', (r) => r.parentElement!.textContent!.trim()),
      ).toMatch(/^Phường Thuận Ho[áà], Thành phố Huế$/);
      await page.fill('#f-address', 'Cổng sau chợ Đông Ba');
      if (js) {
        expect(await page.isVisible('#mb-map')).toBe(true);
        await page.click('#mb-map', { position: { x: 120, y: 100 } });
        expect(Number(await page.inputValue('#f-lat'))).toBeGreaterThan(16);
      }
      await page.setInputFiles('#f-photos', photo);
      await page.fill('#f-email', `dan-${tag}@example.org`);
      expect(await page.textContent('.mb-privacy')).toContain('Dữ liệu cá nhân của bạn được dùng thế nào');
      await noHorizontalScroll(page);
      await screenshot(page, `mailbox-form-${tag}`);
      await Promise.all([page.waitForURL(/\/mailbox\/s\//), page.click('button[value="send"]')]);
      const code = (await page.textContent('.mb-panel-code'))!.trim();
      expect(code).toMatch(/^PA-\d{4}-\d{6}$/);
      const privateUrl = page.url().replace('?new=1', '');
      // the confirmation: the code on one line, what happens next with the date, the private link
      expect(
        await page.$eval(
          '.mb-panel-code',
          (e) =>
            e.getClientRects().length === 1 &&
            e.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(e).fontSize) * 1.3,
        ),
      ).toBe(true);
      expect(await page.textContent('.mb-next')).toMatch(/chậm nhất ngày \d{2}\/\d{2}\/\d{4}/);
      const shownLink = (await page.textContent('.mb-private-link'))!;
      expect(new URL(shownLink).pathname).toBe(new URL(privateUrl).pathname); // BASE_URL's host, the page's path
      expect(await page.locator('form[action$="/reply"]').count()).toBe(0); // no question asked: no answer form
      const copy = page.locator('button[data-copy]');
      if (js) {
        await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
        expect(await copy.isVisible()).toBe(true);
        await copy.click();
        await page.waitForSelector('button[data-copy][data-copied="1"]');
        expect(await copy.textContent()).toBe('Đã sao chép');
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shownLink);
      } else {
        expect(await copy.isVisible()).toBe(false);
      }
      // the code comes back at once; the photo is cleaned by a job and shown as a placeholder until then
      expect(await page.locator('.mb-photos li').count()).toBe(1);
      expect(await page.locator('.mb-photos img').count()).toBe(0);
      expect(await page.textContent('.mb-photos')).toContain('Ảnh đang được xử lý');
      await noHorizontalScroll(page);
      await screenshot(page, `mailbox-sent-${tag}`);
      // look the report up by its code from the mailbox page, typed loosely; then a mistyped one
      const other = await ctx.newPage();
      await other.goto(`${server.url}/mailbox`);
      await other.fill('#f-code', code.replace(/-0+(\d)/, '-$1').toLowerCase());
      await Promise.all([
        other.waitForURL(new RegExp(`/mailbox/r/${code}$`)),
        other.click('.mb-lookup button[type=submit]'),
      ]);
      expect(await other.textContent('main')).toContain('chưa được công khai');
      expect(await other.textContent('main')).not.toContain(title);
      await noHorizontalScroll(other);
      await screenshot(other, `mailbox-lookup-hidden-${tag}`);
      await other.goto(`${server.url}/`); // the home page has the box too
      await other.fill('#f-code', 'PA-2026-99999');
      await Promise.all([other.waitForURL(/\/mailbox\/lookup/), other.click('.mb-lookup button[type=submit]')]);
      expect(await other.textContent('main')).toContain('Không tìm thấy phản ánh có mã PA-2026-099999.');
      expect(await other.textContent('main')).toContain('Hãy kiểm tra lại mã');
      await noHorizontalScroll(other);
      await screenshot(other, `mailbox-lookup-missing-${tag}`);
      await other.close();
      await server.drainJobs();
      await page.goto(privateUrl);
      expect(await page.locator('.mb-photos img').count()).toBe(1);
      await page.waitForFunction(
        () => {
          const i = document.querySelector<HTMLImageElement>('.mb-photos img');
          return !!i && i.complete && i.naturalWidth > 0;
        },
        undefined,
        { timeout: 5000 },
      );

      // handler: accept, start, draft
      const staff = await phone(browser, { javaScriptEnabled: js });
      const sp = await staff.newPage();
      await signIn(sp, server.url, people.handler.email);
      await sp.goto(server.url + '/staff/mailbox?status=new');
      await Promise.all([sp.waitForURL(/\/staff\/mailbox\/\d+/), sp.click(`text=${code}`)]);
      expect(await sp.textContent('.mb-contact')).toContain(`dan-${tag}@example.org`);
      await Promise.all([sp.waitForURL(/done=1/), sp.click('button:has-text("Chấp nhận")')]);
      await Promise.all([sp.waitForURL(/done=1/), sp.click('button:has-text("Bắt đầu xử lý")')]);
      await sp.fill(
        'form[action$="/draft"] textarea',
        'Công ty Môi trường đã thu gom rác và tăng chuyến thu gom tại chợ.',
      );
      await Promise.all([sp.waitForURL(/done=1/), sp.click('button:has-text("Gửi duyệt")')]);
      await screenshot(sp, `mailbox-handler-${tag}`);
      await staff.close();

      // reviewer approves
      const rev = await phone(browser, { javaScriptEnabled: js });
      const rp = await rev.newPage();
      await signIn(rp, server.url, people.reviewer.email);
      await rp.goto(server.url + '/staff/mailbox?status=approve');
      await Promise.all([rp.waitForURL(/\/staff\/mailbox\/\d+/), rp.click(`text=${code}`)]);
      expect(await rp.textContent('.mb-contact')).not.toContain(`dan-${tag}@example.org`);
      await Promise.all([rp.waitForURL(/done=1/), rp.click('button:has-text("Duyệt và công bố")')]);
      await rev.close();

      // resident sees the answer and rates it
      await page.goto(privateUrl);
      expect(await page.textContent('.mb-answer')).toContain('Công ty Môi trường đã thu gom rác');
      await page.check('input[name="rating"][value="4"]');
      await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Gửi đánh giá")')]);
      expect(await page.textContent('main')).toContain('Bạn đã đánh giá 4/5 sao.');
      await noHorizontalScroll(page);
      await screenshot(page, `mailbox-rated-${tag}`);

      // the public page shows the answer and no e-mail address
      await page.goto(`${server.url}/mailbox/r/${code}`);
      const main = (await page.textContent('main'))!;
      expect(main).toContain('Công ty Môi trường đã thu gom rác');
      expect(main).not.toContain('@example.org');
      await screenshot(page, `mailbox-public-${tag}`);
      await ctx.close();
    });
  }

  it('shows the public list with search at 360 px', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/mailbox?q=den duong&status=answered`);
    expect(await page.textContent('h1')).toContain('Hộp thư kết nối');
    const titles = await page.locator('.mb-card h3').allTextContents();
    expect(titles.length).toBeGreaterThan(0);
    // every hit is about street lights (đèn đường), found without diacritics
    for (const title of titles) expect(title.toLowerCase()).toContain('đèn đường');
    await noHorizontalScroll(page);
    await screenshot(page, 'mailbox-list');
    await ctx.close();
  });

  it('an admin sets up an agency, a routing rule and a year of holidays in the browser at 360 px, JavaScript off', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, server.url, people.admin.email);
    await page.goto(`${server.url}/staff/mailbox/setup`);
    await Promise.all([page.waitForURL(/setup\/agencies$/), page.click('a[href="/staff/mailbox/setup/agencies"]')]);
    await Promise.all([page.waitForURL(/agencies\/new$/), page.click('a[href="/staff/mailbox/setup/agencies/new"]')]);
    await page.fill('#f-code', 'HUE-VD-UBND');
    await page.fill('#f-name', 'UBND phường Vỹ Dạ');
    await page.selectOption('#f-unit', { label: 'Phường Vỹ Dạ' });
    await page.fill('#f-emails', 'vyda@hue.gov.vn\nsai-dia-chi');
    await page.click('button[type=submit]:has-text("Lưu")');
    expect(await page.textContent('.error-summary')).toContain('Có địa chỉ thư điện tử không hợp lệ');
    expect(await page.inputValue('#f-name')).toBe('UBND phường Vỹ Dạ');
    expect(await page.inputValue('#f-emails')).toContain('sai-dia-chi');
    await noHorizontalScroll(page);
    await screenshot(page, 'mailbox-setup-agency-error');
    await page.fill('#f-emails', 'vyda@hue.gov.vn');
    await Promise.all([page.waitForURL(/agencies\?saved=1/), page.click('button[type=submit]:has-text("Lưu")')]);
    expect(await page.textContent('main')).toContain('HUE-VD-UBND');
    await page.goto(`${server.url}/staff/mailbox/setup/routes`);
    // the rule's unit in the unit picker, JavaScript off: search, then choose
    await page.fill('#f-unit_q', 'vy da');
    await Promise.all([page.waitForURL(/_pick=unit/), page.click('#f-unit button[name=_pick]')]);
    await page.check('#f-unit label:has-text("Phường Vỹ Dạ") input[type=radio]');
    await page.selectOption('#f-agency', { value: 'HUE-VD-UBND' });
    await Promise.all([page.waitForURL(/routes\?saved=1/), page.click('button[type=submit]:has-text("Lưu")')]);
    expect(await page.textContent('table')).toContain('UBND phường Vỹ Dạ');
    await page.goto(`${server.url}/staff/mailbox/setup/holidays?year=2030`);
    await page.click('button:has-text("Thêm các ngày nghỉ lễ năm 2030")');
    await page.waitForSelector('text=Tết Nguyên đán');
    expect(await page.textContent('main')).toContain('02/02/2030');
    await noHorizontalScroll(page);
    await screenshot(page, 'mailbox-setup-holidays');
    await ctx.close();
  });
});
