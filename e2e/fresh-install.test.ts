/**
 * A fresh installation (DEMO=0: no demo data) taken from `import-units` to a first answered report, the set-up done in
 * the browser by the admin that `create-admin` made, at 360 px with JavaScript off.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/cli/commands.js';
import { modules } from '../src/modules/index.js';
import { launchBrowser, phone, screenshot, signIn, startServer } from './helpers.js';

const UNITS = [
  'code,name,type,parent_code,full_name',
  '46,Huế,municipality,,Thành phố Huế',
  '19753,Phú Xuân,ward,46,Phường Phú Xuân',
  '19900,Phú Vinh,commune,46,Xã Phú Vinh',
].join('\n');

const ADMIN = 'quantri@hue.gov.vn';
const PASSWORD = 'mat-khau-dai-2026';

describe('a fresh installation (DEMO=0) in a real browser', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runCommand(server.deps, modules, argv, (l) => lines.push(l));
    return { code, text: lines.join('\n') };
  };
  beforeAll(async () => {
    server = await startServer({ demo: false, env: { DEMO: '0' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Presses the form's Lưu (Save); a refused form fails the test with what the page said. */
  const save = async (page: Page, url: RegExp) => {
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]:has-text("Lưu")')]);
    if (!url.test(page.url())) throw new Error(`${page.url()}: ${await page.textContent('main')}`);
  };

  it('import-units and create-admin on the command line; everything else in the browser, JavaScript off', async () => {
    expect(await server.db.one(`SELECT count(*)::int AS n FROM users`)).toEqual({ n: 0 });
    expect(await server.db.one(`SELECT count(*)::int AS n FROM units`)).toEqual({ n: 0 });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'caunoi-units-')), 'units.csv');
    writeFileSync(file, UNITS);
    expect((await cli('import-units', file)).code).toBe(0);
    expect((await cli('root-unit', '46')).code).toBe(0);
    expect(await cli('create-admin', '--email', ADMIN, '--password', PASSWORD, '--name', 'Quản trị')).toMatchObject({
      code: 0,
    });

    // the admin: agency, category, routing rule, settings, and a handler of the agency
    const admin = await phone(browser, { javaScriptEnabled: false });
    const ap = await admin.newPage();
    await signIn(ap, server.url, ADMIN, PASSWORD);
    await ap.goto(`${server.url}/staff/mailbox/setup/agencies/new`);
    await ap.fill('#f-code', 'HUE-PX');
    await ap.fill('#f-name', 'UBND phường Phú Xuân');
    await ap.selectOption('#f-unit', { label: 'Phường Phú Xuân' });
    await ap.fill('#f-emails', 'phuxuan@hue.gov.vn');
    await save(ap, /agencies\?saved=1/);
    expect(await ap.textContent('main')).toContain('HUE-PX');

    await ap.goto(`${server.url}/staff/mailbox/setup/categories/new`);
    await ap.fill('#f-code', 'chieu-sang');
    await ap.fill('#f-name', 'Chiếu sáng công cộng');
    await ap.fill('#f-name_en', 'Street lighting');
    await ap.fill('#f-handling_days', '5');
    await save(ap, /categories\?saved=1/);
    expect(await ap.textContent('main')).toContain('Chiếu sáng công cộng');

    await ap.goto(`${server.url}/staff/mailbox/setup/routes`);
    // the rule's unit: the picker lists the few units without a search
    await ap.check('#f-unit label:has-text("Phường Phú Xuân") input[type=radio]');
    await ap.selectOption('#f-category', { label: 'Chiếu sáng công cộng' });
    await ap.selectOption('#f-agency', { value: 'HUE-PX' });
    await save(ap, /routes\?saved=1/);
    expect(await ap.textContent('table')).toContain('UBND phường Phú Xuân');

    await ap.goto(`${server.url}/staff/mailbox/setup/settings`);
    await ap.fill('#f-reopenDays', '10');
    await ap.fill('#f-retentionDays', '1825');
    await save(ap, /settings\?saved=1/);
    expect(await ap.inputValue('#f-reopenDays')).toBe('10');
    await screenshot(ap, 'fresh-install-settings');

    await ap.goto(`${server.url}/staff/users/new`);
    await ap.fill('#f-email', 'canbo@hue.gov.vn');
    await ap.fill('#f-name', 'Cán Bộ Phú Xuân');
    await ap.fill('#f-password', PASSWORD);
    await ap.selectOption('#f-role', 'handler');
    // three units under the root: the picker lists them without a search
    await ap.check('#f-unitId label:has-text("Phường Phú Xuân") input[type=radio]');
    await ap.selectOption('#f-agencyId', { index: 1 }); // the one agency
    await Promise.all([
      ap.waitForURL(/\/staff\/users\/\d+\?done=created/),
      ap.click('main form button[type=submit]:not([name=_pick])'),
    ]);
    expect(await ap.textContent('ul.grants')).toContain('Phường Phú Xuân');

    // a resident files a report
    const resident = await phone(browser, { javaScriptEnabled: false });
    const rp = await resident.newPage();
    await rp.goto(`${server.url}/mailbox/new`);
    await rp.selectOption('#f-category', { label: 'Chiếu sáng công cộng' });
    await rp.fill('#f-title', 'Đèn đường tắt trên đường Lê Lợi');
    await rp.fill('#f-description', 'Ba cột đèn trước số 12 Lê Lợi tắt từ tuần trước, buổi tối rất tối.');
    await rp.check('#f-unit label:has-text("Phường Phú Xuân") input[type=radio]');
    await rp.fill('#f-address', '12 Lê Lợi');
    await rp.fill('#f-email', 'nguoidan@example.org');
    await Promise.all([rp.waitForURL(/\/mailbox\/s\//), rp.click('button[value="send"]')]);
    const code = (await rp.textContent('.mb-panel-code'))!.trim();
    expect(code).toMatch(/^PA-\d{4}-\d{6}$/);
    const privateUrl = rp.url().replace('?new=1', '');

    // the handler of the agency: accept, start, draft
    const staff = await phone(browser, { javaScriptEnabled: false });
    const sp = await staff.newPage();
    await signIn(sp, server.url, 'canbo@hue.gov.vn', PASSWORD);
    await sp.goto(`${server.url}/staff/mailbox?status=new`);
    await Promise.all([sp.waitForURL(/\/staff\/mailbox\/\d+/), sp.click(`text=${code}`)]);
    expect(await sp.textContent('main')).toContain('UBND phường Phú Xuân');
    await Promise.all([sp.waitForURL(/done=1/), sp.click('button:has-text("Chấp nhận")')]);
    await Promise.all([sp.waitForURL(/done=1/), sp.click('button:has-text("Bắt đầu xử lý")')]);
    await sp.fill('form[action$="/draft"] textarea', 'Điện lực đã thay bóng ba cột đèn trước số 12 Lê Lợi.');
    await Promise.all([sp.waitForURL(/done=1/), sp.click('button:has-text("Gửi duyệt")')]);
    await staff.close();

    // the admin approves: a second person publishes the answer
    await ap.goto(`${server.url}/staff/mailbox?status=approve`);
    await Promise.all([ap.waitForURL(/\/staff\/mailbox\/\d+/), ap.click(`text=${code}`)]);
    await Promise.all([ap.waitForURL(/done=1/), ap.click('button:has-text("Duyệt và công bố")')]);
    await admin.close();

    // the answer is public, the resident's address is not
    await rp.goto(privateUrl);
    expect(await rp.textContent('.mb-answer')).toContain('Điện lực đã thay bóng');
    await rp.goto(`${server.url}/mailbox/r/${code}`);
    const main = (await rp.textContent('main'))!;
    expect(main).toContain('Đèn đường tắt trên đường Lê Lợi');
    expect(main).toContain('Điện lực đã thay bóng');
    expect(main).not.toContain('nguoidan@example.org');
    await screenshot(rp, 'fresh-install-answered');
    await rp.goto(`${server.url}/mailbox`);
    expect(await rp.textContent('main')).toContain('Đèn đường tắt trên đường Lê Lợi');
    await resident.close();
  }, 120_000);
});
