/**
 * Issue 16, "Placing the report", in Chromium at 360 px with JavaScript on and off: a slippy map with tiles from a
 * local stand-in, address search through a local Nominatim stand-in, the pin dragged, "use my location" refused and
 * allowed, the nearby-reports hint, "Tìm" keeping the photo, the photo made smaller before upload.
 */
import { mkdirSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCategory, makeUser, realCity } from '../test/helpers/factories.js';
import { fileReport } from '../test/mailbox/helpers.js';
import { launchBrowser, phone, screenshot, startServer } from './helpers.js';

/** A tiny server on its own port: every `/z/x/y.png` is the same light-green PNG; `/search` answers like Nominatim. */
async function standIn(
  tile: Buffer,
): Promise<{ url: string; tiles: number; geocodes: string[]; close(): Promise<void> }> {
  const state = { tiles: 0, geocodes: [] as string[] };
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (/^\/\d+\/\d+\/\d+\.png$/.test(u.pathname)) {
      state.tiles++;
      return void res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=60' }).end(tile);
    }
    if (u.pathname === '/search') {
      state.geocodes.push(u.searchParams.get('q') ?? '');
      const body = /lê lợi/i.test(u.searchParams.get('q') ?? '')
        ? [{ display_name: '12 Lê Lợi, Phường Thuận Hóa, Huế', lat: '16.4632', lon: '107.5881' }]
        : [];
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get tiles() {
      return state.tiles;
    },
    geocodes: state.geocodes,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The ward chosen, whether the form has a plain list or the unit picker's choices (issue 15). */
const chosenWard = (page: Page) =>
  page.evaluate(() => {
    const s = document.querySelector('select[name="unit"]') as HTMLSelectElement | null;
    if (s) return s.options[s.selectedIndex]?.textContent ?? '';
    return document.querySelector('input[name="unit"]:checked')?.parentElement?.textContent?.trim() ?? '';
  });

const noHorizontalScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

describe('mailbox: placing a report on a 360 px phone', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let stand: Awaited<ReturnType<typeof standIn>>;
  let browser: Browser;
  let bigPhoto: string;
  let smallPhoto: string;
  let nearCode: string;
  let u: { traffic: number; thuanHoa: number };
  const handler = 'handler@mailbox-map.test';

  beforeAll(async () => {
    stand = await standIn(
      await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 214, g: 236, b: 206 } } })
        .png()
        .toBuffer(),
    );
    const host = new URL(stand.url).host;
    server = await startServer({
      demo: false,
      env: {
        MAP_TILE_URL: `${stand.url}/{z}/{x}/{y}.png`,
        MAP_TILE_ATTRIBUTION: '© Bản đồ thử',
        MAP_GEOCODER_URL: stand.url,
        OUTBOUND_ALLOW_HOSTS: host,
        RATE_LIMIT_DISABLED: '1',
      },
    });
    const city = await realCity(server.db);
    const admin = await makeUser(server.db, { email: 'admin@mailbox-map.test', role: 'admin', unit: city['46'] });
    await makeUser(server.db, { email: handler, role: 'handler', unit: city['46'] });
    u = {
      traffic: await makeCategory(server.deps, admin, { code: 'giao-thong', name: 'Giao thông' }),
      thuanHoa: city['19789'].id,
    };
    browser = await launchBrowser();
    mkdirSync('test-output', { recursive: true });
    // a phone photo: 4,000 × 3,000 with fine detail, well over what the form needs
    bigPhoto = path.resolve('test-output/mailbox-map-big.jpg');
    await sharp({
      create: {
        width: 4000,
        height: 3000,
        channels: 3,
        background: { r: 120, g: 110, b: 90 },
        noise: { type: 'gaussian', mean: 120, sigma: 40 },
      },
    })
      .jpeg({ quality: 92 })
      .toFile(bigPhoto);
    smallPhoto = path.resolve('test-output/mailbox-map-small.jpg');
    await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 140, b: 60 } } })
      .jpeg()
      .toFile(smallPhoto);
    // an open public report a few metres from "12 Lê Lợi", in Thuận Hoá, traffic
    const c = server.client({ ip: '192.0.2.150' });
    const r = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.thuanHoa),
      title: 'Ổ gà lớn trước số 12 Lê Lợi',
      description: 'Ổ gà sâu giữa đường.',
      lat: '16.46325',
      lon: '107.58812',
    });
    const h = server.client();
    await h.signIn(handler);
    const id = (await server.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;
    expect((await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    nearCode = r.code;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stand?.close();
  });

  it('JavaScript on: slippy map, address search, dragged pin, location refused then allowed, nearby hint, Tìm keeps the shrunk photo', async () => {
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}/mailbox/new`);
    await page.waitForSelector('#mb-map.leaflet-container img.leaflet-tile-loaded');
    expect(stand.tiles).toBeGreaterThan(0);
    expect(await page.textContent('.leaflet-control-attribution')).toContain('© Bản đồ thử');
    await page.selectOption('#f-category', { label: 'Giao thông' });

    // address search through the stand-in Nominatim: the map and the pin move there, the address is filled
    await page.fill('#f-geo_q', '12 Lê Lợi');
    await page.click('#mb-geo-find');
    await page.waitForFunction(() => (document.getElementById('f-lat') as HTMLInputElement).value !== '');
    expect(Number(await page.inputValue('#f-lat'))).toBeCloseTo(16.4632, 4);
    expect(Number(await page.inputValue('#f-lon'))).toBeCloseTo(107.5881, 4);
    expect(await page.inputValue('#f-address')).toBe('12 Lê Lợi, Phường Thuận Hóa, Huế');
    expect(stand.geocodes).toContain('12 Lê Lợi');
    // the nearby hint shows the open report a few metres away
    await page.waitForSelector('#mb-nearby:not([hidden])');
    expect(await page.textContent('#mb-nearby')).toContain('Ổ gà lớn trước số 12 Lê Lợi');
    expect(await page.getAttribute('#mb-nearby-list a', 'href')).toBe(`/mailbox/r/${nearCode}`);
    await screenshot(page, 'mailbox-map-js-search');

    // drag the pin 60 px to the right: the place follows
    await page.locator('#mb-map').scrollIntoViewIfNeeded();
    const pin = (await page.locator('.mb-pin').boundingBox())!;
    const before = Number(await page.inputValue('#f-lon'));
    await page.mouse.move(pin.x + pin.width / 2, pin.y + pin.height / 2);
    await page.mouse.down();
    await page.mouse.move(pin.x + pin.width / 2 + 30, pin.y + pin.height / 2, { steps: 5 });
    await page.mouse.move(pin.x + pin.width / 2 + 60, pin.y + pin.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((b) => Number((document.getElementById('f-lon') as HTMLInputElement).value) > b, before);
    expect(await page.textContent('#mb-map-status')).toBe('Đã ghim vị trí trên bản đồ.');

    // "use my location" without permission says so plainly
    await page.click('#mb-locate');
    await page.waitForFunction(() => /chưa cho phép/.test(document.getElementById('mb-map-status')!.textContent ?? ''));
    expect(await page.textContent('#mb-map-status')).toBe(
      'Bạn chưa cho phép trình duyệt dùng vị trí. Hãy kéo ghim trên bản đồ hoặc tìm theo địa chỉ.',
    );
    // … and with permission it moves the map and the pin
    await ctx.grantPermissions(['geolocation'], { origin: server.url });
    await ctx.setGeolocation({ latitude: 16.47, longitude: 107.6 });
    await page.click('#mb-locate');
    await page.waitForFunction(() => (document.getElementById('f-lat') as HTMLInputElement).value === '16.470000');
    expect(await page.inputValue('#f-lon')).toBe('107.600000');
    expect(await page.textContent('#mb-map-status')).toBe('Đã ghim vị trí hiện tại của bạn.');

    // a big photo is made smaller on the phone; "Tìm" does not send the form, so the photo stays chosen
    const original = statSync(bigPhoto).size;
    await page.setInputFiles('#f-photos', bigPhoto);
    await page.waitForSelector('#f-photos[data-ready="1"]');
    const chosen = await page.$eval('#f-photos', (i: HTMLInputElement) => ({
      n: i.files!.length,
      size: i.files![0].size,
      type: i.files![0].type,
    }));
    expect(chosen.n).toBe(1);
    expect(chosen.type).toBe('image/jpeg');
    expect(chosen.size).toBeLessThan(original);
    expect(await page.textContent('#f-photos-status')).toBe('Đã thu nhỏ 1 ảnh để gửi nhanh hơn.');
    let posted = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST') posted++;
    });
    await page.fill('#f-unit_q', 'thuan hoa');
    await page.click('button[value="find-unit"]');
    await expect.poll(() => chosenWard(page)).toMatch(/^Phường Thuận Ho[áà](, Thành phố Huế)?$/);
    expect(posted).toBe(0); // the search never sent the form
    expect(page.url()).toBe(`${server.url}/mailbox/new`);
    expect(await page.$eval('#f-photos', (i: HTMLInputElement) => i.files!.length)).toBe(1);
    await noHorizontalScroll(page);
    await screenshot(page, 'mailbox-map-js-form');

    // send: the upload is smaller than the original photo
    await page.fill('#f-title', 'Biển báo bị đổ (bản đồ)');
    await page.fill('#f-description', 'Biển báo cấm đỗ bị xe tông đổ.');
    await Promise.all([page.waitForURL(/\/mailbox\/s\//), page.click('button[value="send"]')]);
    // what arrived (stored as sent, before the cleaning job runs): the shrunk copy, 2,048 px on its longest side
    const up = (await server.db.one<{ size: number; width: number; height: number; mime: string }>(
      `SELECT f.size, f.width, f.height, f.mime FROM mailbox_photos p JOIN mailbox_reports r ON r.id = p.report_id JOIN files f ON f.id = p.file_id WHERE r.title = 'Biển báo bị đổ (bản đồ)'`,
    ))!;
    expect(up).toMatchObject({ width: 2048, height: 1536, mime: 'image/jpeg' });
    expect(up.size).toBeLessThan(original);
    expect(await page.textContent('main')).toContain('Ảnh đang được xử lý');
    const row = await server.db.one<{ lat: number; lon: number }>(
      `SELECT lat, lon FROM mailbox_reports WHERE title = 'Biển báo bị đổ (bản đồ)'`,
    );
    expect(row).toMatchObject({ lat: 16.47, lon: 107.6 });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('JavaScript off: ward and address only, Tìm keeps the photo and shows the open reports of the ward', async () => {
    const ctx = await phone(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/mailbox/new`);
    expect(await page.isVisible('#mb-map')).toBe(false);
    expect(await page.locator('input[name="lat"]:visible').count()).toBe(0); // never raw latitude/longitude boxes
    expect(await page.isVisible('#f-address')).toBe(true);
    expect(await page.isVisible('#mb-nearby')).toBe(false);
    await page.selectOption('#f-category', { label: 'Giao thông' });
    await page.fill('#f-title', 'Vạch kẻ đường mờ (không JS)');
    await page.setInputFiles('#f-photos', smallPhoto);
    await page.fill('#f-unit_q', 'thuan hoa');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value="find-unit"]')]);
    await page.waitForSelector('input[name="photo_ids"]');
    expect(await chosenWard(page)).toMatch(/^Phường Thuận Ho[áà](, Thành phố Huế)?$/);
    expect(await page.isChecked('input[name="photo_ids"]')).toBe(true);
    expect(await page.textContent('main')).toContain('Ảnh đã đính kèm');
    expect(await page.inputValue('#f-title')).toBe('Vạch kẻ đường mờ (không JS)');
    expect(await page.textContent('#mb-nearby')).toContain('Ổ gà lớn trước số 12 Lê Lợi');
    expect(await page.textContent('#mb-nearby')).toContain('Phường Thuận Hoá');
    await noHorizontalScroll(page);
    await screenshot(page, 'mailbox-map-nojs-form');
    await page.fill('#f-description', 'Vạch kẻ đường trước trường đã mờ hẳn.');
    await page.fill('#f-address', 'Trước trường tiểu học Lê Lợi');
    await Promise.all([page.waitForURL(/\/mailbox\/s\//), page.click('button[value="send"]')]);
    expect(await page.textContent('main')).toContain('Ảnh đang được xử lý');
    await ctx.close();
  });

  it('public pages: the cleaned photo as a thumbnail linking to the medium size, a static map, the reports map', async () => {
    await server.drainJobs();
    const code = (await server.db.one<{ code: string; id: number }>(
      `SELECT code, id FROM mailbox_reports WHERE title = 'Biển báo bị đổ (bản đồ)'`,
    ))!;
    const h = server.client();
    await h.signIn(handler);
    expect((await h.post(`/staff/mailbox/${code.id}/triage`, { action: 'accept' })).status).toBe(303);
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/mailbox/r/${code.code}`);
    const img = page.locator('.mb-photos a img');
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
    expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(320);
    expect(await page.getAttribute('.mb-photos a', 'href')).toMatch(/\/mailbox\/photos\/[0-9a-f-]{36}\/medium$/);
    expect(await img.getAttribute('alt')).toBe('Ảnh 1 người dân gửi kèm phản ánh');
    expect(await page.locator('.mb-static-map svg image').count()).toBeGreaterThan(0);
    await noHorizontalScroll(page);
    await screenshot(page, 'mailbox-map-public-report');
    await page.goto(`${server.url}/mailbox/map`);
    await page.waitForSelector('#mb-reports-map .mb-pin');
    expect(await page.locator('#mb-reports-map .mb-pin').count()).toBeGreaterThanOrEqual(2);
    await noHorizontalScroll(page);
    await screenshot(page, 'mailbox-map-public-map');
    await ctx.close();
  });
});
