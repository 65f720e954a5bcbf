/** The unit picker after the national import, in a real browser at 360 px: search then choose, with and without JavaScript. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, makeCityStaff, realCity, type STAFF_ROLES } from '../test/helpers/factories.js';
import {
  importNationalUnits,
  launchBrowser,
  pageWidth,
  phone,
  pickerLabels,
  screenshot,
  signIn,
  startServer,
} from './helpers.js';

describe('unit picker in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let people: Record<(typeof STAFF_ROLES)[number], Account>;
  beforeAll(async () => {
    server = await startServer({ demo: false });
    // Huế first: the first top-level unit is the installation's root, the rest of the country imported beside it
    await realCity(server.db);
    people = await makeCityStaff(server.db, 'picker');
    await importNationalUnits(server.db);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const js of [false, true]) {
    it(`a new account's unit: search, then choose (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const ctx = await phone(browser, { javaScriptEnabled: js });
      const page = await ctx.newPage();
      await signIn(page, server.url, people.admin.email);
      await page.goto(`${server.url}/staff/users/new`);
      // nothing typed: no list of the country's first units
      expect(await pickerLabels(page, 'unitId')).toEqual([]);
      await page.fill('#f-email', `picker.${js ? 'js' : 'nojs'}@example.org`);
      await page.fill('#f-name', 'Người Chọn Đơn Vị');
      await page.fill('#f-unitId_q', 'an cuu');
      if (js) {
        let navigated = false;
        page.on('framenavigated', () => (navigated = true));
        await page.waitForSelector('#f-unitId .up-options label');
        expect(navigated).toBe(false);
      } else {
        await Promise.all([page.waitForURL(/_pick=unitId/), page.click('#f-unitId button[name=_pick]')]);
        expect(await page.inputValue('#f-name')).toBe('Người Chọn Đơn Vị');
        expect(await page.inputValue('#f-unitId_q')).toBe('an cuu');
      }
      expect(await pickerLabels(page, 'unitId')).toEqual(['Phường An Cựu, Thành phố Huế']);
      expect(await pageWidth(page)).toBeLessThanOrEqual(360);
      await screenshot(page, `unit-picker-${js ? 'js' : 'nojs'}`);
      await page.check('#f-unitId input[type=radio]');
      await page.selectOption('#f-role', 'handler');
      await Promise.all([
        page.waitForURL(/\/staff\/users\/\d+\?done=invited/),
        // with JavaScript, Enter in a field sends the form itself, never the picker's Search (the form's first button)
        js ? page.press('#f-name', 'Enter') : page.click('main form button[type=submit]:not([name=_pick])'),
      ]);
      expect(await page.textContent('ul.grants')).toContain('Phường An Cựu');
      await ctx.close();
    }, 60_000);
  }

  it('without JavaScript, Enter in the search box searches and Enter in a text field sends the form', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, server.url, people.admin.email);
    await page.goto(`${server.url}/staff/users/new`);
    await page.fill('#f-email', 'picker.enter@example.org');
    await page.fill('#f-name', 'Người Bấm Enter');
    await page.fill('#f-unitId_q', 'an cuu');
    // Enter in the picker's search box: the form comes back with the matches and what was typed, no account made
    await Promise.all([page.waitForURL(/\/staff\/users$/), page.press('#f-unitId_q', 'Enter')]);
    expect(await pickerLabels(page, 'unitId')).toEqual(['Phường An Cựu, Thành phố Huế']);
    expect(await page.inputValue('#f-name')).toBe('Người Bấm Enter');
    expect(await page.inputValue('#f-email')).toBe('picker.enter@example.org');
    await page.check('#f-unitId input[type=radio]');
    await page.selectOption('#f-role', 'handler');
    // Enter in a text field: the form is sent (before, the picker's Search, the form's first button, took it)
    await Promise.all([page.waitForURL(/\/staff\/users\/\d+\?done=invited/), page.press('#f-name', 'Enter')]);
    expect(await page.textContent('ul.grants')).toContain('Phường An Cựu');
    await ctx.close();
  }, 60_000);

  for (const js of [false, true]) {
    it(`an incident's affected units: search, tick two, untick one, open it (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const title = `Ngập nhiều phường (${js ? 'js' : 'nojs'})`;
      const ctx = await phone(browser, { javaScriptEnabled: js });
      const page = await ctx.newPage();
      await signIn(page, server.url, people.editor.email);
      await page.goto(`${server.url}/staff/crisis/incidents/new`);
      // nothing typed: no list of the country's units to tick
      expect(await pickerLabels(page, 'unitIds')).toEqual([]);
      await page.fill('#f-title', title);
      await page.fill('#f-spokespersonName', 'Bà Người Phát Ngôn');
      const find = async (q: string, label: string) => {
        await page.fill('#f-unitIds_q', q);
        if (js)
          await page.waitForFunction(
            (l) => document.querySelector('#f-unitIds .up-options')?.textContent?.includes(l),
            label,
          );
        else await Promise.all([page.waitForURL(/_pick=unitIds/), page.click('#f-unitIds button[name=_pick]')]);
        await page.check(`#f-unitIds .up-options label:has-text("${label}") input`);
      };
      let navigated = 0;
      page.on('framenavigated', () => navigated++);
      await find('an cuu', 'Phường An Cựu, Thành phố Huế');
      await find('Vỹ Dạ', 'Phường Vỹ Dạ, Thành phố Huế');
      await find('thuan an', 'Phường Thuận An, Thành phố Huế');
      if (js) expect(navigated).toBe(0); // chosen without leaving the page
      expect(await page.inputValue('#f-title')).toBe(title);
      // ticked: with JavaScript each joined the chosen list; without, the last one waits among the matches until sent
      const chosen = () =>
        page.$$eval('#f-unitIds input[type=checkbox]:checked', (cs) =>
          cs.map((c) => (c.closest('label')?.textContent ?? '').trim()),
        );
      expect((await chosen()).sort()).toEqual([
        'Phường An Cựu, Thành phố Huế',
        'Phường Thuận An, Thành phố Huế',
        'Phường Vỹ Dạ, Thành phố Huế',
      ]);
      await page.uncheck('#f-unitIds label:has-text("Phường Thuận An") input');
      expect(await pageWidth(page)).toBeLessThanOrEqual(360);
      await screenshot(page, `unit-picker-affected-${js ? 'js' : 'nojs'}`);
      await Promise.all([
        page.waitForURL(/\/staff\/crisis\/incidents\/\d+\?flash=opened/),
        page.click('form.incident-form > button[type=submit]'),
      ]);
      const saved = await server.db.query<{ full_name: string }>(
        `SELECT u.full_name FROM crisis_incident_units iu JOIN crisis_incidents i ON i.id = iu.incident_id
         JOIN units u ON u.id = iu.unit_id WHERE i.title = $1 ORDER BY u.full_name`,
        [title],
      );
      expect(saved.map((r) => r.full_name)).toEqual(['Phường An Cựu', 'Phường Vỹ Dạ']);
      await ctx.close();
    }, 90_000);
  }

  for (const js of [false, true]) {
    it(`a desk piece's places: search, tick two, save (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const title = `Lịch cắt điện hai phường (${js ? 'js' : 'nojs'})`;
      const ctx = await phone(browser, { javaScriptEnabled: js });
      const page = await ctx.newPage();
      await signIn(page, server.url, people.editor.email);
      await page.goto(`${server.url}/staff/desk/items/new?kind=article`);
      expect(await pickerLabels(page, 'units')).toEqual([]);
      await page.fill('#f-title', title);
      await page.fill('#f-summary', 'Điện lực thông báo lịch bảo trì.');
      await page.fill('#f-body', 'Chi tiết theo từng tuyến phố.');
      const find = async (q: string, label: string) => {
        await page.fill('#f-units_q', q);
        if (js)
          await page.waitForFunction(
            (l) => document.querySelector('#f-units .up-options')?.textContent?.includes(l),
            label,
          );
        // without JavaScript Search posts the editor back (it may carry files), keeping what was typed
        else await Promise.all([page.waitForLoadState(), page.click('#f-units button[value=find-unit]')]);
        await page.check(`#f-units .up-options label:has-text("${label}") input`);
      };
      await find('an cuu', 'Phường An Cựu, Thành phố Huế');
      await find('Vỹ Dạ', 'Phường Vỹ Dạ, Thành phố Huế');
      expect(await page.inputValue('#f-title')).toBe(title);
      expect(await page.inputValue('#f-body')).toBe('Chi tiết theo từng tuyến phố.');
      expect(await pageWidth(page)).toBeLessThanOrEqual(360);
      await screenshot(page, `unit-picker-desk-${js ? 'js' : 'nojs'}`);
      await Promise.all([page.waitForURL(/\/staff\/desk\/items\/\d+/), page.click('button[value=save]')]);
      const saved = await server.db.query<{ full_name: string }>(
        `SELECT u.full_name FROM desk_item_units du JOIN desk_items i ON i.id = du.item_id
         JOIN units u ON u.id = du.unit_id WHERE i.title = $1 ORDER BY u.full_name`,
        [title],
      );
      expect(saved.map((r) => r.full_name)).toEqual(['Phường An Cựu', 'Phường Vỹ Dạ']);
      await ctx.close();
    }, 90_000);
  }

  it('as you type, diacritics or not, and only inside the installation: the resident form offers one Phú Vinh', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: true });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/mailbox/new`);
    await page.fill('#f-unit_q', 'Phú Vinh');
    await page.waitForSelector('#f-unit .up-options label');
    expect(await pickerLabels(page, 'unit')).toEqual(['Xã Phú Vinh, Thành phố Huế']);
    await page.fill('#f-unit_q', 'phu vinh');
    await page.waitForFunction(() => document.querySelector('#f-unit .up-status')?.textContent?.includes('1'));
    expect(await pickerLabels(page, 'unit')).toEqual(['Xã Phú Vinh, Thành phố Huế']);
    expect(await page.isChecked('#f-unit input[type=radio]')).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await screenshot(page, 'unit-picker-mailbox-js');
    await ctx.close();
  }, 60_000);
});
