/**
 * Before/after screenshots for issue 16 at 360 px (JavaScript on): the report form, its confirmation and an incident
 * page, from a running server with the demo data. Not a test: run it against the old and the new code, e.g.
 *
 *   npx tsx e2e/issue16-screenshots.ts http://127.0.0.1:3917 before
 *   npx tsx e2e/issue16-screenshots.ts http://127.0.0.1:3918 after
 *
 * PNGs (the first screen and a half, 8-bit palette) go to docs/screenshots/issue-16-{before,after}-NAME.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { launchBrowser, phone } from './helpers.js';

const [base, tag] = process.argv.slice(2);
if (!base || !tag) {
  console.error('usage: npx tsx e2e/issue16-screenshots.ts BASE_URL TAG');
  process.exit(2);
}
const OUT = path.resolve('docs/screenshots');
mkdirSync(OUT, { recursive: true });

async function shot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ fullPage: true });
  const file = path.join(OUT, `issue-16-${tag}-${name}.png`);
  const img = sharp(png);
  const { height = 0 } = await img.metadata();
  await img
    .extract({ left: 0, top: 0, width: 360, height: Math.min(height, 1110) })
    .png({ palette: true, colours: 64, compressionLevel: 9 })
    .toFile(file);
  console.log(file);
}

const browser = await launchBrowser();
try {
  const ctx = await phone(browser, { javaScriptEnabled: true });
  const page = await ctx.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${base}/mailbox/new`);
  await shot(page, 'report-form');

  await page.selectOption('#f-category', { label: 'Môi trường' });
  await page.fill('#f-title', 'Cống thoát nước bị tắc');
  await page.fill('#f-description', 'Cống thoát nước trước nhà số 12 bị tắc, nước tràn ra đường mỗi khi mưa.');
  // the old form had a ward <select>, the new one a picker that searches as you type
  if (await page.$('select#f-unit')) await page.selectOption('#f-unit', { index: 1 });
  else {
    await page.fill('#f-unit_q', 'thuan hoa');
    await page.waitForSelector('#f-unit input[type=radio]:checked');
  }
  await page.fill('#f-address', 'Trước nhà số 12 đường Lê Lợi');
  await Promise.all([page.waitForURL(/\/mailbox\/s\//), page.click('button[value="send"]')]);
  await shot(page, 'confirmation');

  await page.goto(`${base}/incidents`);
  const incident = await page.getAttribute('main a[href^="/incidents/"]', 'href');
  await page.goto(`${base}${incident}`);
  await shot(page, 'crisis');
  await ctx.close();
} finally {
  await browser.close();
}
