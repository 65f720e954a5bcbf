import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityWithCategories, fileReport } from '../test/mailbox/helpers.js';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

async function noHorizontalScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

describe('mailbox redaction in a real browser on a 360 px phone, JavaScript off', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let city: Awaited<ReturnType<typeof cityWithCategories>>;
  beforeAll(async () => {
    server = await startServer({ demo: false });
    city = await cityWithCategories(server, 'redaction');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a handler hides a third person’s name; the public page shows it and the phone number masked', async () => {
    const r = await fileReport(server.client({ ip: '192.0.2.61' }), {
      category: String(city.env),
      unit: String(city.thuanHoa),
      title: 'Xưởng mộc gây ồn sau 22 giờ',
      description:
        'Xưởng mộc của ông Phan Văn Mười ở kiệt 21 Ngự Bình chạy máy cưa đến nửa đêm. Số của tôi 0935 777 888 nếu cần kiểm tra.',
    });
    const id = (await server.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;

    const staffCtx = await phone(browser, { javaScriptEnabled: false });
    const staff = await staffCtx.newPage();
    await signIn(staff, server.url, city.staff.handler.email);
    await staff.goto(`${server.url}/staff/mailbox/${id}`);
    await Promise.all([
      staff.waitForURL(/done=1/),
      staff.click('form[action$="/triage"] button:has-text("Chấp nhận")'),
    ]);
    // the handler reads the original and is told what is masked automatically
    expect(await staff.textContent('.mb-description')).toContain('0935 777 888');
    expect(await staff.getAttribute('.mb-redaction [data-found]', 'data-found')).toBe('phone');
    await staff.fill('#f-passage', 'ông Phan Văn Mười');
    await Promise.all([
      staff.waitForURL(/done=1#redaction/),
      staff.click('form[action$="/redact"] button[type=submit]'),
    ]);
    expect(await staff.textContent('.mb-redactions')).toContain('ông Phan Văn Mười');
    expect(await staff.textContent('[data-public="description"]')).toBe(
      'Xưởng mộc của [***] ở kiệt 21 Ngự Bình chạy máy cưa đến nửa đêm. Số của tôi [***] nếu cần kiểm tra.',
    );
    await noHorizontalScroll(staff);
    await screenshot(staff, 'mailbox-redaction-staff-360');

    // a passage that is not in the text: the error beside the field, what was typed kept
    await staff.fill('#f-passage', 'bà Không Có Trong Bài');
    await staff.click('form[action$="/redact"] button[type=submit]');
    expect(await staff.textContent('#f-passage-err')).toContain('Không tìm thấy đoạn này');
    expect(await staff.inputValue('#f-passage')).toBe('bà Không Có Trong Bài');

    const publicCtx = await phone(browser, { javaScriptEnabled: false });
    const pub = await publicCtx.newPage();
    await pub.goto(`${server.url}/mailbox/r/${r.code}`);
    const text = (await pub.textContent('main'))!;
    expect(text).not.toContain('Phan Văn Mười');
    expect(text).not.toContain('0935 777 888');
    expect(await pub.textContent('.mb-description')).toBe(
      'Xưởng mộc của [***] ở kiệt 21 Ngự Bình chạy máy cưa đến nửa đêm. Số của tôi [***] nếu cần kiểm tra.',
    );
    await noHorizontalScroll(pub);
    await screenshot(pub, 'mailbox-redaction-public-360');
    await staffCtx.close();
    await publicCtx.close();
  });
});
