/** The report as an official PDF (header, number, date, page numbers), CSV numbers a spreadsheet reads, charts whose labels never overlap. */
import { vnDate } from '../../src/platform/figures.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/modules/reports/service/export.js';
import type { Table } from '../../src/modules/reports/service/tables.js';
import { BarChart, ColumnChart, textWidth, type ChartRow } from '../../src/modules/reports/views/charts.js';
import { testDbKind } from '../helpers/db.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { makeCityStaff, realCity } from '../helpers/factories.js';

const render = async (node: unknown) => String(await (node as { toString(): string | Promise<string> }).toString());

/** Each <text> of an SVG as the horizontal span it covers on its line. */
function spans(svg: string): { y: string; from: number; to: number; text: string }[] {
  return [
    ...svg.matchAll(
      /<text x="([\d.-]+)" y="([\d.-]+)" font-size="(\d+)"(?: text-anchor="(\w+)")?[^>]*>(?:<title>[^<]*<\/title>)?([^<]*)<\/text>/g,
    ),
  ].map((m) => {
    const x = Number(m[1]);
    const w = textWidth(m[5], Number(m[3]));
    const from = m[4] === 'middle' ? x - w / 2 : m[4] === 'end' ? x - w : x;
    return { y: m[2], from, to: from + w, text: m[5] };
  });
}

function overlaps(svg: string): string[] {
  const bad: string[] = [];
  const all = spans(svg);
  for (const a of all) {
    if (a.from < -0.5 || a.to > 480.5) bad.push(`outside: ${a.text} [${a.from}, ${a.to}]`);
    for (const b of all)
      if (a !== b && a.y === b.y && a.from < b.to && b.from < a.to) bad.push(`${a.text} × ${b.text}`);
  }
  return bad;
}

describe('charts', () => {
  const months = Array.from({ length: 36 }, (_, i) => `Tháng ${(i % 12) + 1}/${2024 + Math.floor(i / 12)}`);
  it('a three-year trend of large numbers writes no label over another nor past the edge', async () => {
    const rows: ChartRow[] = months.map((label, i) => ({
      label,
      value: 1_000_000 + i * 12_345,
      display: (1_000_000 + i * 12_345).toLocaleString('vi-VN'),
    }));
    const svg = await render(ColumnChart({ id: 'c', title: 'x', rows, summary: () => 'x', emptyText: 'x' }));
    expect(overlaps(svg)).toEqual([]);
    expect(spans(svg).filter((s) => s.text.startsWith('Tháng')).length).toBeGreaterThanOrEqual(4);
  });
  it('twelve months of short values keep every value and as many month names as fit', async () => {
    const rows: ChartRow[] = months.slice(0, 12).map((label, i) => ({ label, value: i * 3, display: String(i * 3) }));
    const svg = await render(ColumnChart({ id: 'c', title: 'x', rows, summary: () => 'x', emptyText: 'x' }));
    expect(overlaps(svg)).toEqual([]);
    expect(spans(svg).filter((s) => /^\d+$/.test(s.text))).toHaveLength(12);
  });
  it('bars with long names and a full bar keep the names and the values inside the chart', async () => {
    const rows: ChartRow[] = [
      {
        label: 'Phường Thuận Hoá — Ban quản lý dự án đầu tư xây dựng và phát triển đô thị khu vực',
        value: 1,
        display: '100,0%',
      },
      { label: 'Xã Phú Vinh', value: 0.5, display: '50,0%' },
    ];
    const svg = await render(BarChart({ id: 'b', title: 'x', rows, max: 1, summary: () => 'x', emptyText: 'x' }));
    expect(overlaps(svg)).toEqual([]);
    expect(svg).toContain(
      '<title>Phường Thuận Hoá — Ban quản lý dự án đầu tư xây dựng và phát triển đô thị khu vực</title>',
    );
  });
});

describe('CSV numbers', () => {
  it('are written without thousands separators, the change as two number columns', () => {
    const table: Table = {
      key: 'summary',
      title: 's',
      columns: [
        { key: 'section', label: 'Mục', text: true },
        { key: 'figure', label: 'Chỉ số', text: true },
        { key: 'current', label: 'Kỳ này' },
        { key: 'previous', label: 'Kỳ trước' },
        { key: 'change', label: 'Thay đổi', text: true },
      ],
      rows: [
        ['Hộp thư', 'Phản ánh nhận', 1234567, 1000000, '+234.567 (+23,5%)'],
        ['Hộp thư', 'Tỉ lệ đúng hạn', 0.9125, 0.85, '+6,3 điểm %'],
      ],
      rowFormats: ['count', 'percent'],
      changes: [
        { diff: 234567, relative: 23.4567 },
        { diff: 0.0625, relative: null },
      ],
    };
    const csv = toCsv(table)
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(csv[0]).toBe('Mục,Chỉ số,Kỳ này,Kỳ trước,Thay đổi,Thay đổi (%)');
    expect(csv[1]).toBe('Hộp thư,Phản ánh nhận,1234567,1000000,234567,23.5');
    expect(csv[2]).toBe('Hộp thư,Tỉ lệ đúng hạn,91.3,85,6.3,');
  });
});

describe(`the report PDF (${testDbKind()})`, () => {
  let t: TestApp;
  const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-pdf-'));
  beforeAll(async () => {
    t = await testApp({ demo: false });
    // Huế with its wards (the unit search finds Vỹ Dạ) and its admin, who reports on the city
    await realCity(t.db);
    await makeCityStaff(t.db, 'pdf');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is made on the server with the issuing office, its number, the date and page numbers; audited', async () => {
    const c = t.client();
    await c.signIn('admin@pdf.test');
    const page = await c.get('/staff/reports?period=2026');
    expect(page.text).toContain('action="/staff/reports/export.pdf"');
    const requested = vnDate(new Date());
    const res = await t.app.request(
      `/staff/reports/export.pdf?unit=46&from=2026-01-01&to=2026-11-30&office=${encodeURIComponent('UBND Thành phố Huế')}&number=${encodeURIComponent('125/BC-UBND')}`,
      {
        headers: { cookie: await signedInCookie(t) },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('bao-cao-46-2026-01-01-2026-11-30.pdf');
    const file = path.join(dir, 'r.pdf');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('UBND THÀNH PHỐ HUẾ');
    expect(text).toContain('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập – Tự do – Hạnh phúc');
    expect(text).toContain('Số: 125/BC-UBND');
    // dated today in Vietnam: the day the request started or, across midnight, the day it ended
    const dateLine = (d: string) => {
      const [y, m, day] = d.split('-');
      return `Huế, ngày ${day} tháng ${m} năm ${y}`;
    };
    expect(
      [dateLine(requested), dateLine(vnDate(new Date()))].some((l) => text.includes(l)),
      text,
    ).toBe(true);
    const pages = Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)![1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Trang 1/${pages}`);
    expect(text).toContain(`Trang ${pages}/${pages}`);
    const audit = await t.db.one<{ data: { format: string } }>(
      `SELECT data FROM audit_log WHERE action = 'reports.export' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit!.data.format).toBe('pdf');
  }, 60_000);

  it('the report form picks its unit by search: without JavaScript a GET search lists the matches and keeps the dates', async () => {
    const c = t.client();
    await c.signIn('admin@pdf.test');
    const page = await c.get('/staff/reports?unit_q=vy+da&from=2026-01-01&to=2026-03-31&_pick=unit');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<input type="radio" name="unit" value="19777"[^>]*\/?> Phường Vỹ Dạ, Thành phố Huế/);
    expect(page.text).toContain('value="2026-03-31"');
    expect(page.text).not.toContain('class="report-table"');
  });

  it('Enter in the unit search box (JavaScript off) searches instead of running the report for the unit chosen before', async () => {
    const c = t.client();
    await c.signIn('admin@pdf.test');
    // The form was shown for Huế; the user typed "vy da" in the search box and pressed Enter: the hidden first
    // button sends _enter=unit, and the search text differs from the one the list answered (unit_q0).
    const page = await c.get('/staff/reports?unit=46&unit_q=vy+da&unit_q0=&_enter=unit&from=2026-01-01&to=2026-03-31');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<input type="radio" name="unit" value="19777"[^>]*\/?> Phường Vỹ Dạ, Thành phố Huế/);
    expect(page.text).not.toContain('class="report-table"');
    // Enter in another field (the search text unchanged) runs the report.
    const run = await c.get('/staff/reports?unit=46&unit_q=&unit_q0=&_enter=unit&from=2026-01-01&to=2026-03-31');
    expect(run.text).toContain('class="report-table"');
  });

  it('a number too long is refused with a message, and nobody else gets a PDF', async () => {
    const cookie = await signedInCookie(t);
    const long = await t.app.request(`/staff/reports/export.pdf?unit=46&period=2026-11&number=${'9'.repeat(60)}`, {
      headers: { cookie },
    });
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('Số văn bản: Quá dài (tối đa 50 ký tự).');
    const anonymous = await t.app.request('/staff/reports/export.pdf?unit=46&period=2026-11');
    expect([401, 403, 303]).toContain(anonymous.status);
    expect(anonymous.headers.get('content-type') ?? '').not.toContain('pdf');
  });
});

async function signedInCookie(t: TestApp): Promise<string> {
  const res0 = await t.app.request('/signin', { headers: { 'x-test-ip': '203.0.113.50' } });
  const csrfCookie = res0.headers.getSetCookie().map((x) => x.split(';')[0]);
  const token = (await res0.text()).match(/name="_csrf" value="([^"]+)"/)![1];
  const body = new URLSearchParams({ _csrf: token, email: 'admin@pdf.test', password: 'demo1234' });
  const res = await t.app.request('/signin', {
    method: 'POST',
    body,
    headers: {
      cookie: csrfCookie.join('; '),
      'content-type': 'application/x-www-form-urlencoded',
      'x-test-ip': '203.0.113.50',
    },
  });
  return [...csrfCookie, ...res.headers.getSetCookie().map((x) => x.split(';')[0])].join('; ');
}
