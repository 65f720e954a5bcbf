/**
 * The public list's ward filter after the national import, in a real browser at 360 px: the unit picker inside the
 * installation's root unit, search then choose, with and without JavaScript; the other filters are kept.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importNationalUnits,
  launchBrowser,
  pageWidth,
  phone,
  pickerLabels,
  screenshot,
  startServer,
} from './helpers.js';

describe('the public list of reports: the ward filter in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let vyDa: number;
  let env: number;
  beforeAll(async () => {
    server = await startServer();
    await importNationalUnits(server.db);
    vyDa = (await server.db.one<{ id: number }>(`SELECT id FROM units WHERE code = '19777'`))!.id;
    env = (await server.db.one<{ id: number }>(`SELECT id FROM mailbox_categories WHERE code = 'moi-truong'`))!.id;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const cardUnits = (page: Page) =>
    page.$$eval('article.mb-card p.muted', (ps) => ps.map((p) => (p.textContent ?? '').trim()));

  for (const js of [false, true]) {
    it(`search the ward without diacritics, choose it, filter (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const ctx = await phone(browser, { javaScriptEnabled: js });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/mailbox`);
      // no select of the country's 3,321 communes, and no feed link per commune
      expect(await page.$('select[name=unit]')).toBeNull();
      expect(await page.$$('a[href^="/mailbox/feed/unit/"]')).toHaveLength(0);
      await page.selectOption('#f-category', String(env));
      await page.fill('#f-unit_q', 'vy da');
      if (js) {
        let navigated = false;
        page.on('framenavigated', () => (navigated = true));
        await page.waitForSelector('#f-unit .up-options label');
        expect(navigated).toBe(false);
      } else {
        await Promise.all([page.waitForURL(/_pick=unit/), page.click('#f-unit button[name=_pick]')]);
        expect(await page.inputValue('#f-unit_q')).toBe('vy da');
        expect(await page.inputValue('#f-category')).toBe(String(env)); // the other filters are kept
      }
      expect(await pickerLabels(page, 'unit')).toEqual(['Phường Vỹ Dạ, Thành phố Huế']);
      // the one match is the choice
      expect(await page.isChecked('#f-unit .up-options input[type=radio]')).toBe(true);
      expect(await pageWidth(page)).toBeLessThanOrEqual(360);
      await screenshot(page, `mailbox-list-ward-${js ? 'js' : 'nojs'}`);
      await Promise.all([
        page.waitForURL(new RegExp(`unit=${vyDa}`)),
        page.click('form.mb-filters > button[type=submit]'),
      ]);
      expect(new URL(page.url()).searchParams.get('category')).toBe(String(env));
      const units = await cardUnits(page);
      expect(units.length).toBeGreaterThan(0);
      for (const u of units) expect(u).toContain('Phường Vỹ Dạ');
      expect(await page.getAttribute('a[href^="/mailbox/feed/unit/"]', 'href')).toBe('/mailbox/feed/unit/19777.atom');
      // back to every ward
      await page.check('#f-unit .up-any input[type=radio]');
      await Promise.all([
        page.waitForURL((u) => !u.searchParams.get('unit')),
        page.click('form.mb-filters > button[type=submit]'),
      ]);
      expect(await page.$$('a[href^="/mailbox/feed/unit/"]')).toHaveLength(0);
      await ctx.close();
    }, 60_000);
  }
});
