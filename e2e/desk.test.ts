import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, makeCityStaff, makeFactcheck, realCity, type STAFF_ROLES } from '../test/helpers/factories.js';
import { PENSION_FACTCHECK, WATER_CUT_FACTCHECK } from '../test/helpers/factories-desk.js';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

describe('verified information desk in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let people: Record<(typeof STAFF_ROLES)[number], Account>;
  let pension: number;
  let waterCut: number;
  beforeAll(async () => {
    server = await startServer({ demo: false });
    await realCity(server.db);
    people = await makeCityStaff(server.db, 'desk');
    // what the desk has published before: the pension scam a resident asks about, and a fact-check staff later revise
    const by = { author: people.editor.id, reviewer: people.reviewer.id, status: 'published' as const };
    pension = await makeFactcheck(server.deps, { ...by, form: PENSION_FACTCHECK });
    waterCut = await makeFactcheck(server.deps, { ...by, form: WATER_CUT_FACTCHECK });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const width = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('a resident asks about a claim already checked and is shown the fact-check (JavaScript off, 360 px)', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(server.url + '/');
    await page.click('a[href="/claims/new"] >> nth=0');
    expect(await page.textContent('h1')).toBe('Tin này có đúng không?');
    await page.fill('#f-text', 'Có phải tin nhắn bảo bấm vào link để nhận 3 triệu tiền hỗ trợ lương hưu là thật?');
    await page.fill('#f-seen_where', 'Tin nhắn SMS gửi cho bố tôi');
    await screenshot(page, 'desk-claim-form-360');
    await Promise.all([page.waitForLoadState(), page.click('form[action="/claims/new"] > button[type=submit]')]);
    expect(await page.textContent('.claim-code')).toMatch(/Mã theo dõi: KC-[A-Z0-9]{7}/);
    const first = page.locator('.cards .card h3 a').first();
    expect(await first.textContent()).toContain('lương hưu');
    expect(await width(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'desk-claim-answered-360');
    await first.click();
    expect(await page.textContent('h1')).toContain('lương hưu');
    expect(await page.textContent('.verdict')).toContain('Sai');
    expect(await page.locator('ol.sources li').count()).toBeGreaterThan(0);
    expect(await width(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'desk-factcheck-360');
    await ctx.close();
  });

  it('an editor writes a fact-check, a reviewer approves and publishes it, and the public sees it', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const ed = await ctx.newPage();
    await signIn(ed, server.url, people.editor.email);
    await ed.goto(server.url + '/staff/desk/items/new?kind=factcheck');
    await ed.fill('#f-title', 'Không có lệnh cấm xe máy trên đường Lê Lợi');
    await ed.fill('#f-claim', 'Từ tháng 12 đường Lê Lợi cấm xe máy vào cuối tuần');
    await ed.selectOption('#f-verdict', 'sai');
    await ed.fill('#f-summary', 'Sai. Đường Lê Lợi chỉ thành phố đi bộ vào tối thứ Bảy, xe máy vẫn được đi ban ngày.');
    await ed.fill('#f-body', 'Sở Xây dựng xác nhận **không có** lệnh cấm xe máy cả ngày.');
    await ed.fill(
      '#f-sources',
      'Thông báo tổ chức phố đi bộ | Sở Văn hóa và Thể thao | 2026-11-10 | https://example.org/pho-di-bo',
    );
    // forgetting the source first: the form comes back with what was typed
    const sources = await ed.inputValue('#f-sources');
    await ed.fill('#f-sources', '');
    await Promise.all([ed.waitForLoadState(), ed.click('button[value=save]')]);
    expect(await ed.textContent('#f-sources-err')).toContain('cần ít nhất một nguồn');
    expect(await ed.inputValue('#f-title')).toBe('Không có lệnh cấm xe máy trên đường Lê Lợi');
    await screenshot(ed, 'desk-editor-error');
    await ed.fill('#f-sources', sources);
    await Promise.all([ed.waitForURL(/\/staff\/desk\/items\/\d+/), ed.click('button[value=save]')]);
    const id = Number(ed.url().match(/items\/(\d+)/)![1]);
    await Promise.all([ed.waitForLoadState(), ed.click('form[action$="/submit"] button')]);
    expect(await ed.textContent('[data-status]')).toBe('Chờ duyệt');
    await ed.close();

    const rctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const rv = await rctx.newPage();
    await signIn(rv, server.url, people.reviewer.email);
    await rv.goto(server.url + '/staff/desk?status=in_review');
    await rv.click(`a[href="/staff/desk/items/${id}"]`);
    await Promise.all([rv.waitForLoadState(), rv.click('form[action$="/approve"] button')]);
    expect(await rv.textContent('[data-status]')).toBe('Đã duyệt');
    await Promise.all([rv.waitForLoadState(), rv.click('form[action$="/publish"] button')]);
    expect(await rv.textContent('[data-status]')).toBe('Đã đăng');
    await screenshot(rv, 'desk-reviewer-published');
    await rctx.close();

    const pctx = await phone(browser);
    const pub = await pctx.newPage();
    await pub.goto(server.url + '/desk');
    expect(await width(pub)).toBeLessThanOrEqual(360);
    await screenshot(pub, 'desk-home-360');
    await pub.click('text=Không có lệnh cấm xe máy trên đường Lê Lợi');
    expect(await pub.textContent('.claim-box')).toContain('Từ tháng 12 đường Lê Lợi cấm xe máy vào cuối tuần');
    expect(await pub.textContent('.verdict')).toContain('Sai');
    expect(await width(pub)).toBeLessThanOrEqual(360);
    await screenshot(pub, 'desk-new-factcheck-360');
    // the same question now finds it
    await pub.goto(server.url + '/claims/new');
    await pub.fill('#f-text', 'Nghe nói đường Lê Lợi cấm xe máy cuối tuần từ tháng 12?');
    await Promise.all([pub.waitForLoadState(), pub.click('form[action="/claims/new"] > button[type=submit]')]);
    expect(await pub.locator('.cards .card h3 a').first().textContent()).toBe(
      'Không có lệnh cấm xe máy trên đường Lê Lợi',
    );
    await pctx.close();
  });

  it('a reviewer sends a piece back with a note and the author reads it, on a 360 px phone without JavaScript', async () => {
    const api = server.client();
    await api.signIn(people.editor.email);
    await api.get('/staff/desk/items/new?kind=article');
    const created = await api.post('/staff/desk/items', {
      kind: 'article',
      title: 'Lịch thu gom rác dịp Tết',
      summary: 'Giờ thu gom thay đổi từ 28 tháng Chạp.',
      body: 'Chi tiết từng phường.',
      sources: '',
    });
    const id = Number(created.location!.match(/items\/(\d+)/)![1]);
    await api.post(`/staff/desk/items/${id}/submit`, {});

    const rctx = await phone(browser, { javaScriptEnabled: false });
    const rv = await rctx.newPage();
    await signIn(rv, server.url, people.reviewer.email);
    await rv.goto(`${server.url}/staff/desk/items/${id}`);
    await Promise.all([rv.waitForLoadState(), rv.click('form[action$="/return"] button')]);
    expect(await rv.textContent('#f-note-err')).toContain('Vui lòng ghi chú cho người viết');
    expect(await rv.textContent('[data-status]')).toBe('Chờ duyệt');
    await rv.fill('#f-note', 'Thiếu lịch của xã Phú Vinh.\nGhi rõ giờ thu gom buổi tối.');
    await Promise.all([rv.waitForLoadState(), rv.click('form[action$="/return"] button')]);
    expect(await rv.textContent('[data-status]')).toBe('Bản nháp');
    await rctx.close();

    const ectx = await phone(browser, { javaScriptEnabled: false });
    const ed = await ectx.newPage();
    await signIn(ed, server.url, people.editor.email);
    await ed.goto(`${server.url}/staff/desk/items/${id}`);
    expect(await ed.textContent('.return-note h2')).toBe('Bài được trả lại để sửa');
    expect(await ed.textContent('.return-note blockquote')).toContain('Thiếu lịch của xã Phú Vinh.');
    expect(await ed.textContent('.return-note')).toContain('Lê Minh Duyệt');
    expect(await width(ed)).toBeLessThanOrEqual(360);
    await screenshot(ed, 'desk-return-note-360');
    await ectx.close();
  });

  it('a resident follows a verdict to the verdict scale (360 px, JavaScript off)', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/factchecks/${pension}`);
    await Promise.all([page.waitForURL(/\/desk\/verdicts#verdict-sai$/), page.click('.verdict a.verdict-scale')]);
    expect(await page.textContent('h1')).toBe('Thang kết luận kiểm chứng');
    expect(await page.textContent('#verdict-sai')).not.toContain('ClaimReview'); // for machines: in the developers section
    expect(await page.locator('.verdict-scale-list .card').count()).toBe(5);
    expect(await width(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'desk-verdicts-360');
    await ctx.close();
  });
  it('a change to a published fact-check waits for review, then goes live with its correction (JavaScript off, 360 px)', async () => {
    const id = waterCut;
    const edCtx = await phone(browser, { javaScriptEnabled: false });
    const ed = await edCtx.newPage();
    await signIn(ed, server.url, people.editor.email);
    await ed.goto(`${server.url}/staff/desk/items/${id}`);
    await ed.fill('#f-summary', 'Trả lời ngắn đã sửa trong trình duyệt.');
    await ed.fill('#f-correction_what', 'Sửa trả lời ngắn');
    await ed.fill('#f-correction_why', 'Bạn đọc góp ý');
    await Promise.all([ed.waitForLoadState(), ed.click('button[value=save]')]);
    expect(await ed.textContent('.revision h2')).toMatch(/Thay đổi chờ duyệt/);
    await Promise.all([ed.waitForLoadState(), ed.click('form[action$="/submit"] button')]);
    await screenshot(ed, 'desk-revision-submitted-360');
    const pub = await edCtx.newPage();
    await pub.goto(`${server.url}/factchecks/${id}`);
    expect(await pub.textContent('main')).not.toContain('Trả lời ngắn đã sửa trong trình duyệt.');
    const rvCtx = await phone(browser, { javaScriptEnabled: false });
    const rv = await rvCtx.newPage();
    await signIn(rv, server.url, people.reviewer.email);
    await rv.goto(`${server.url}/staff/desk/items/${id}`);
    await Promise.all([rv.waitForLoadState(), rv.click('form[action$="/approve"] button')]);
    await pub.goto(`${server.url}/factchecks/${id}`);
    expect(await pub.textContent('main')).toContain('Trả lời ngắn đã sửa trong trình duyệt.');
    expect(await pub.textContent('#corrections')).toContain('Sửa trả lời ngắn');
    expect(await width(pub)).toBeLessThanOrEqual(360);
    await edCtx.close();
    await rvCtx.close();
  });

  it('staff assign a cluster, reply to the residents and start a fact-check from it (JavaScript off, 360 px)', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const resident = await ctx.newPage();
    await resident.goto(server.url + '/claims/new');
    await resident.fill('#f-text', 'Nghe nói bến xe trung tâm sẽ đóng cửa vĩnh viễn từ tháng sau, có thật không?');
    await Promise.all([
      resident.waitForLoadState(),
      resident.click('form[action="/claims/new"] > button[type=submit]'),
    ]);
    const code = (await resident.textContent('.claim-code'))!.match(/KC-[A-Z0-9]{7}/)![0];
    const cluster = (await server.db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE code = $1`, [
      code,
    ]))!.cluster_id;
    const staffCtx = await phone(browser, { javaScriptEnabled: false });
    const rv = await staffCtx.newPage();
    await signIn(rv, server.url, people.editor.email);
    await rv.goto(`${server.url}/staff/desk/clusters/${cluster}`);
    await rv.selectOption('#f-priority', 'urgent');
    await Promise.all([rv.waitForLoadState(), rv.click(`form[action$="/assign"] button`)]);
    await rv.fill('#f-reply', 'Chúng tôi đang liên hệ Sở Giao thông để xác minh.');
    await Promise.all([rv.waitForLoadState(), rv.click(`form[action$="/reply"] button`)]);
    expect(await width(rv)).toBeLessThanOrEqual(360);
    await screenshot(rv, 'desk-cluster-handling-360');
    await resident.goto(`${server.url}/claims/${code}`);
    expect(await resident.textContent('.claim-replies')).toContain('Chúng tôi đang liên hệ Sở Giao thông để xác minh.');
    await Promise.all([
      rv.waitForLoadState(),
      rv.click(`a[href="/staff/desk/items/new?kind=factcheck&cluster=${cluster}"]`),
    ]);
    expect(await rv.inputValue('#f-claim')).toContain('bến xe trung tâm sẽ đóng cửa');
    await ctx.close();
    await staffCtx.close();
  });
});
