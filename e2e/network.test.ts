import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CityNetwork, makeCityNetwork, makeStormCampaign } from '../test/helpers/factories-network.js';
import { makeCourse, takeCourseQuiz } from '../test/helpers/factories-training.js';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);

const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';

describe('sharing network in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let net: CityNetwork;
  let fiveSteps: number;
  let accounts: number;
  let campaign: number;
  beforeAll(async () => {
    server = await startServer({ demo: false });
    net = await makeCityNetwork(server.db, 'network');
    const { editor } = net.staff;
    // the campaign running for the whole city, with two things to share
    campaign = await makeStormCampaign(server.deps, { by: editor.id, units: [net.city] });
    // the course the member takes, and a second one a member has passed, which the leader edits
    const assign = [{ unit: net.city, due: iso(14) }];
    fiveSteps = (await makeCourse(server.db, { by: editor.id, unit: net.city, assign })).id;
    accounts = (
      await makeCourse(server.db, {
        by: editor.id,
        unit: net.city,
        assign,
        title: 'Bảo vệ tài khoản và dữ liệu cá nhân',
        summary: 'Mật khẩu mạnh, xác thực hai lớp, cẩn trọng với thông tin cá nhân khi chia sẻ trên mạng.',
        lessons: [
          { title: 'Mật khẩu và xác thực hai lớp', body: 'Bật **xác thực hai lớp** cho mọi tài khoản.' },
          { title: 'Dữ liệu cá nhân khi chia sẻ', body: 'Không đăng ảnh căn cước lên mạng xã hội.' },
        ],
        questions: [
          {
            kind: 'single',
            prompt: 'Mật khẩu nào an toàn hơn?',
            options: ['Hue@2025', 'may-bay-giay-song-huong-mua-thu', '12345678'],
            correct: [1],
          },
        ],
      })
    ).id;
    await takeCourseQuiz(server.db, net.members[1].id, accounts, { pass: true });
    await server.drainJobs(); // the campaign's fan-out to its members
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a member on a 360 px phone opens a campaign, copies a link, marks it shared and passes a quiz; a leader sees the figures', async () => {
    const ctx = await phone(browser);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await ctx.newPage();
    await signIn(page, server.url, net.staff.member.email);
    await page.goto(server.url + '/network');
    expect(await page.textContent('h1')).toContain('Bảng tin mạng lưới chia sẻ');
    await screenshot(page, 'network-feed-360');
    await Promise.all([
      page.waitForURL(/\/network\/campaigns\/\d+/),
      page.click('article.campaign:has-text("Mùa mưa bão") a.button'),
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // copy the personal link
    const first = page.locator('section.share-item').first();
    await first.locator('.linkbox button.copy').click();
    await expect.poll(() => first.locator('.linkbox button.copy').textContent()).toBe('Đã sao chép');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/\/s\/[0-9a-z]+-[0-9a-z]+-[\w-]{10}$/);
    expect(await first.locator('a:has-text("Facebook")').getAttribute('target')).toBe('_blank');
    await screenshot(page, 'network-campaign-360');

    // "I shared this" on Zalo
    await first.locator('select[name=channel]').selectOption('zalo');
    await Promise.all([page.waitForURL(/ok=shared/), first.locator('button[type=submit]').click()]);
    expect(await page.textContent('main')).toContain('Cảm ơn bạn! Đã ghi nhận lượt chia sẻ.');
    expect(await page.textContent('main')).toContain('Bạn đã chia sẻ qua: Zalo');

    // someone opens the shared link on their own phone: one click for the member's ward, no cookie
    const clicks = async () => (await server.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM network_clicks`))!.n;
    const before = await clicks();
    const visitorCtx = await browser.newContext({ userAgent: PHONE_UA, viewport: { width: 360, height: 740 } });
    const visitor = await visitorCtx.newPage();
    const hop = visitor.waitForResponse((r) => r.url().includes('/s/'));
    await visitor.goto(server.url + new URL(copied).pathname);
    expect(new URL(visitor.url()).pathname).not.toMatch(/^\/s\//);
    const redirect = await hop;
    expect(redirect.status()).toBe(302);
    expect(await redirect.headerValue('set-cookie')).toBeNull();
    expect(await clicks()).toBe(before + 1);
    await visitorCtx.close();

    // the quiz of the assigned course
    const questions = await server.db.query<{ id: number; correct: number[] }>(
      `SELECT id, correct FROM network_questions WHERE course_id = $1`,
      [fiveSteps],
    );
    await page.goto(`${server.url}/network/training/${fiveSteps}/quiz`);
    for (const q of questions) for (const k of q.correct) await page.check(`input[name="q${q.id}"][value="${k}"]`);
    await Promise.all([page.waitForLoadState('load'), page.click('form.quiz button[type=submit]')]);
    expect(await page.textContent('main')).toContain('Bạn đạt 100%');
    await screenshot(page, 'network-quiz-passed-360');
    await Promise.all([
      page.waitForURL(/\/network\/certificates\/CN-/),
      page.click('a[href^="/network/certificates/"]'),
    ]);
    expect(await page.textContent('.certificate')).toContain('Hoàng Văn Chia');
    await screenshot(page, 'network-certificate-360');
    await ctx.close();

    // a leader sees the figures by unit
    const lctx = await phone(browser);
    const lead = await lctx.newPage();
    await signIn(lead, server.url, net.staff.editor.email);
    await lead.goto(server.url + '/network/manage/campaigns');
    await Promise.all([lead.waitForURL(/\/network\/manage\/campaigns\/\d+/), lead.click('a:has-text("Mùa mưa bão")')]);
    const row = lead.locator('table.figures tr:has(td:text-is("Phường Phú Xuân"))');
    const cells = await row.locator('td').allTextContents();
    expect(Number(cells[1])).toBe(9);
    expect(Number(cells[3])).toBeGreaterThan(0);
    expect(Number(cells[4])).toBeGreaterThan(0);
    await screenshot(lead, 'network-figures-360');
    for (const [path, name] of [
      ['/network/manage', 'network-manage-360'],
      ['/network/manage/campaigns/new', 'network-campaign-form-360'],
      ['/network/manage/training', 'network-training-manage-360'],
    ]) {
      await lead.goto(server.url + path);
      expect(await lead.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await screenshot(lead, name);
    }
    await lctx.close();
  });

  it('works without JavaScript: the link is readable in its box and sharing is recorded by a plain form', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, server.url, net.staff.member.email);
    await page.goto(server.url + '/network');
    await Promise.all([page.waitForURL(/\/network\/campaigns\/\d+/), page.click('article.campaign a.button')]);
    const value = await page.locator('input.personal-link').first().inputValue();
    expect(value).toMatch(/\/s\//);
    const second = page.locator('section.share-item').nth(1);
    await second.locator('select[name=channel]').selectOption('facebook');
    await Promise.all([page.waitForURL(/ok=shared/), second.locator('button[type=submit]').click()]);
    expect(await page.textContent('main')).toContain('Bạn đã chia sẻ qua: Facebook');
    await ctx.close();
  });
  it('a leader edits a course on a 360 px phone without JavaScript: adds a lesson, previews it, moves it up', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, server.url, net.staff.editor.email);
    await page.goto(`${server.url}/network/manage/training/courses/${accounts}`);
    expect(await page.textContent('main')).toContain('Sửa khóa học không làm mất hiệu lực chứng nhận nào');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'network-course-editor-360');
    await Promise.all([page.waitForURL(/lessons\/new/), page.click('a:has-text("Thêm bài học")')]);
    await page.fill('#f-title', 'Mã QR lạ');
    await page.fill('#f-body', 'Không quét **mã QR** dán ở nơi công cộng để nhận tiền.');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=preview]')]);
    expect(await page.innerHTML('section.preview')).toContain('<strong>mã QR</strong>');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'network-lesson-preview-360');
    await Promise.all([page.waitForURL(/ok=lesson/), page.click('button:has-text("Lưu bài học")')]);
    const last = page.locator('ol.lessons-edit > li').last();
    expect(await last.textContent()).toContain('Mã QR lạ');
    await Promise.all([page.waitForURL(/ok=moved/), last.locator('button:has-text("Lên")').click()]);
    const titles = await page.locator('ol.lessons-edit > li > strong').allTextContents();
    expect(titles.at(-2)).toBe('Mã QR lạ');
    await page.goto(`${server.url}/network/manage/training/courses/${accounts}/questions/new`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'network-question-form-360');
    // the campaign edit and cancel pages fit too (nothing is submitted here)
    for (const [suffix, name] of [
      ['edit', 'network-campaign-edit-360'],
      ['cancel', 'network-campaign-cancel-360'],
    ]) {
      await page.goto(`${server.url}/network/manage/campaigns/${campaign}/${suffix}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await screenshot(page, name);
    }
    expect(await page.textContent('main')).toContain('Tôi hiểu và muốn hủy chiến dịch này');
    await ctx.close();
  });
});
