/**
 * The report as a PDF made on the server: the print page rendered by headless Chromium (playwright-core), with
 * the official header of an administrative document on the first page and "page N / M" in every footer.
 * One rendering at a time per process: Chromium is heavy, and a report is asked for rarely.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../../db/paths.js';

export class PdfUnavailableError extends Error {}

let queue: Promise<unknown> = Promise.resolve();

async function styles(): Promise<string> {
  const root = projectRoot();
  const [app, reports] = await Promise.all([
    readFile(path.join(root, 'src/web/app.css'), 'utf8'),
    readFile(path.join(root, 'src/modules/reports/views/reports.css'), 'utf8'),
  ]);
  return `${app}\n${reports}`;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/** `html` is the print page; its stylesheet links are replaced by the styles themselves (the page is loaded without a server). */
export function htmlToPdf(
  html: string,
  opts: { chromiumPath: string; pageLabel: string; timeoutMs?: number },
): Promise<Buffer> {
  const run = async () => {
    let chromium: typeof import('playwright-core').chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch (err) {
      throw new PdfUnavailableError(`playwright-core: ${(err as Error).message}`);
    }
    const css = await styles();
    const inlined = html
      .replace(/<link rel="stylesheet"[^>]*>/g, '')
      .replace('</head>', `<style>${css}</style></head>`);
    let browser: Awaited<ReturnType<typeof chromium.launch>>;
    try {
      browser = await chromium.launch({
        executablePath: opts.chromiumPath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
        timeout: opts.timeoutMs ?? 30_000,
      });
    } catch (err) {
      throw new PdfUnavailableError((err as Error).message);
    }
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      // nothing is fetched: the page is complete in itself
      await page.route('**/*', (route) => route.abort());
      await page.setContent(inlined, { waitUntil: 'load', timeout: opts.timeoutMs ?? 30_000 });
      await page.emulateMedia({ media: 'print' });
      const footer = `<div style="font-family: system-ui, sans-serif; font-size: 8pt; width: 100%; text-align: center; color: #333;">${escapeHtml(
        opts.pageLabel,
      )
        .replace('{page}', '<span class="pageNumber"></span>')
        .replace('{pages}', '<span class="totalPages"></span>')}</div>`;
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footer,
        margin: { top: '14mm', bottom: '16mm', left: '14mm', right: '14mm' },
      });
    } finally {
      await browser.close();
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
