import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Db } from '../src/db/client.js';
import { importUnits, parseUnitsFile } from '../src/platform/units/import.js';
import { testApp, type TestApp } from '../test/helpers/app.js';

export const SCREENSHOTS = path.resolve('test-output/screenshots');

/** The whole platform on a real port, with the demo data, for a real browser to use. */
export async function startServer(
  opts: Parameters<typeof testApp>[0] = {},
): Promise<TestApp & { url: string; stop(): Promise<void> }> {
  const t = await testApp(opts);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    ...t,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A phone-sized context (360 px wide); javaScriptEnabled false for the no-JS runs. */
export function phone(
  browser: Browser,
  opts: { javaScriptEnabled?: boolean; locale?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    locale: opts.locale ?? 'vi-VN',
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function signIn(page: Page, baseUrl: string, email: string, password = 'demo1234'): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL(/\/staff/), page.click('form[action="/signin"] button[type=submit]')]);
}

/** The national import after the 2025 reform: every province's units beside the demo's city (3,321 communes). */
export async function importNationalUnits(db: Db): Promise<void> {
  const file = path.resolve('test/platform/fixtures/units-vn-2025-07-01.json');
  await importUnits(db, parseUnitsFile(readFileSync(file, 'utf8'), 'units.json'));
}

/** How wide the page is drawn: more than the 360 px viewport means the reader scrolls sideways. */
export const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The labels a unit picker offers (its choices and matches), as the reader sees them. */
export const pickerLabels = (page: Page, field: string) =>
  page.$$eval(`#f-${field} .up-options label`, (ls) => ls.map((l) => (l.textContent ?? '').trim()));
