/** CSV (one table) and XLSX (every table, one sheet each) downloads. */
import ExcelJS from 'exceljs';
import type { Format } from './metrics.js';
import type { Table } from './tables.js';

const formatOf = (t: Table, row: number, col: number): Format | undefined =>
  t.columns[col]?.text ? undefined : (t.rowFormats?.[row] ?? t.columns[col]?.format ?? 'count');

function csvNumber(v: number, f: Format | undefined): string {
  if (f === 'percent') return String(Math.round(v * 1000) / 10);
  if (f === 'hours' || f === 'decimal') return String(Math.round(v * 10) / 10);
  return String(v);
}

/** Text that a spreadsheet would run as a formula is prefixed with a quote. */
function csvText(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function headerLabel(t: Table, i: number): string {
  const c = t.columns[i];
  return !c.text && c.format === 'percent' ? `${c.label} (%)` : c.label;
}

/**
 * RFC 4180 CSV with a UTF-8 byte-order mark so that Excel reads the Vietnamese letters. Numbers are plain
 * (no thousands separator, a dot before decimals) in every language, so a spreadsheet reads them as numbers;
 * the change against the previous period is two number columns, not the page's "+1.234 (+5,2%)".
 */
export function toCsv(t: Table): string {
  const changeCol = t.changes ? t.columns.findIndex((c) => c.key === 'change') : -1;
  const header = t.columns.map((_, i) => csvText(headerLabel(t, i)));
  if (changeCol >= 0)
    header.splice(changeCol, 1, csvText(t.columns[changeCol].label), csvText(`${t.columns[changeCol].label} (%)`));
  const lines = [header.join(',')];
  const all = t.footer ? [...t.rows, t.footer] : t.rows;
  all.forEach((row, r) => {
    const cells = row.map((v, c) =>
      v == null ? '' : typeof v === 'number' ? csvNumber(v, formatOf(t, r, c)) : csvText(v),
    );
    if (changeCol >= 0) {
      const ch = t.changes![r];
      const f = formatOf(t, r, changeCol - 1);
      cells.splice(
        changeCol,
        1,
        ch?.diff == null ? '' : csvNumber(ch.diff, f),
        ch?.relative == null ? '' : String(Math.round(ch.relative * 10) / 10),
      );
    }
    lines.push(cells.join(','));
  });
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

const NUMFMT: Record<Format, string> = { count: '#,##0', percent: '0.0%', hours: '0.0', decimal: '0.0' };

export async function toXlsx(tables: Table[], meta: { title: string; subtitle: string }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Cầu Nối';
  wb.created = new Date();
  const used = new Set<string>();
  for (const t of tables) {
    let name = t.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31);
    while (used.has(name)) name = name.slice(0, 29) + ' ' + used.size;
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.addRow([meta.title]).font = { bold: true, size: 13 };
    ws.addRow([meta.subtitle]);
    ws.addRow([]);
    const head = ws.addRow(t.columns.map((c) => c.label));
    head.font = { bold: true };
    const all = t.footer ? [...t.rows, t.footer] : t.rows;
    all.forEach((row, r) => {
      const xr = ws.addRow(row.map((v) => (v == null ? null : v)));
      row.forEach((v, c) => {
        if (typeof v === 'number') xr.getCell(c + 1).numFmt = NUMFMT[formatOf(t, r, c) ?? 'count'];
      });
      if (t.footer && r === all.length - 1) xr.font = { bold: true };
    });
    ws.columns.forEach((col, i) => {
      col.width = i === 0 || t.columns[i]?.text ? 34 : 16;
    });
    ws.views = [{ state: 'frozen', ySplit: 4 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
