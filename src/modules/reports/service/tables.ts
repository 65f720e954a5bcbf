/** Every table of a report as plain data: the page, the print view, CSV and XLSX all read these. */
import type { Breakdown } from '../../../platform/figures.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { rt } from '../i18n.js';
import {
  BREAKDOWN_COLUMNS,
  change,
  formatValue,
  METRICS,
  metricById,
  SECTIONS,
  TREND_METRICS,
  valueOf,
  type Format,
  type Metric,
} from './metrics.js';
import { bucketLabel } from './period.js';
import { periodOf, type ReportData } from './figures.js';

export type TableKey = 'summary' | 'children' | 'category' | 'agency' | 'trend';
export const TABLE_KEYS: TableKey[] = ['summary', 'children', 'category', 'agency', 'trend'];

export interface Column {
  key: string;
  label: string;
  format?: Format;
  /** text columns */
  text?: boolean;
}

export interface Table {
  key: TableKey;
  title: string;
  columns: Column[];
  rows: (string | number | null)[][];
  /** a last row that is not sorted (the whole unit) */
  footer?: (string | number | null)[];
  /** per row, the format of its numbers (the summary mixes counts, rates and hours) */
  rowFormats?: Format[];
  /** per row, the change as numbers (the page shows it as text): a CSV gives these, not "+1.234 (+5,2%)" */
  changes?: { diff: number | null; relative: number | null }[];
}

type T = ReturnType<typeof rt.t>;

const metricLabel = (t: T, m: Metric) => t(`metric.${m.id}` as Parameters<T>[0]);

export function summaryTable(r: ReportData, locale: Locale): Table {
  const t = rt.t(locale);
  const rows: Table['rows'] = [];
  const rowFormats: Format[] = [];
  const changes: NonNullable<Table['changes']> = [];
  for (const s of SECTIONS) {
    for (const m of METRICS.filter((x) => x.section === s)) {
      const cur = valueOf(r.figures, m);
      const prev = valueOf(r.previous, m);
      if (cur == null && prev == null && !r.figures[m.source]) continue;
      rows.push([t(`section.${s}`), metricLabel(t, m), cur, prev, change(m, cur, prev, locale).text]);
      rowFormats.push(m.format);
      const diff = cur == null || prev == null ? null : cur - prev;
      changes.push({
        diff,
        relative: diff == null || prev === 0 || m.format === 'percent' ? null : (diff / prev!) * 100,
      });
    }
  }
  return {
    key: 'summary',
    title: t('export.table.summary'),
    columns: [
      { key: 'section', label: t('table.section'), text: true },
      { key: 'figure', label: t('table.figure'), text: true },
      { key: 'current', label: t('period.current') },
      { key: 'previous', label: t('period.previous') },
      { key: 'change', label: t('period.change'), text: true },
    ],
    rows,
    rowFormats,
    changes,
  };
}

export function childrenTable(r: ReportData, locale: Locale, sort?: { key: string; dir: 'asc' | 'desc' }): Table {
  const t = rt.t(locale);
  const cols = BREAKDOWN_COLUMNS.map((id) => metricById.get(id)!).filter(
    (m) => r.figures[m.source] || r.children.some((c) => c.figures[m.source]),
  );
  const rows = r.children.map((c) => [
    c.unit.retired ? `${c.unit.name} ${t('table.retired')}` : c.unit.name,
    ...cols.map((m) => valueOf(c.figures, m)),
  ]);
  if (sort) {
    const i = sort.key === 'unit' ? 0 : cols.findIndex((m) => m.id === sort.key) + 1;
    if (i >= 0) {
      const dir = sort.dir === 'asc' ? 1 : -1;
      rows.sort((a, b) => {
        const x = a[i];
        const y = b[i];
        if (x == null && y == null) return 0;
        if (x == null) return 1; // no figure: always last
        if (y == null) return -1;
        if (typeof x === 'string' || typeof y === 'string') return String(x).localeCompare(String(y), locale) * dir;
        return (x - y) * dir || String(a[0]).localeCompare(String(b[0]), locale);
      });
    }
  }
  return {
    key: 'children',
    title: t('children.title'),
    columns: [
      { key: 'unit', label: t('table.unit'), text: true },
      ...cols.map((m) => ({ key: m.id, label: metricLabel(t, m), format: m.format })),
    ],
    rows,
    footer: [t('table.total'), ...cols.map((m) => valueOf(r.figures, m))],
  };
}

const RATE_KEYS = /rate/i;
const BREAKDOWN_ORDER = [
  'received',
  'accepted',
  'answered',
  'answeredOnTime',
  'onTimeRate',
  'medianHoursToAnswer',
  'overdueNow',
  'ratingAverage',
];

function breakdownTable(key: 'category' | 'agency', list: Breakdown[] | undefined, locale: Locale): Table {
  const t = rt.t(locale);
  const valueKeys: string[] = [];
  for (const b of list ?? []) for (const k of Object.keys(b.values)) if (!valueKeys.includes(k)) valueKeys.push(k);
  // a stable order: figures stored as jsonb come back with their keys re-ordered
  const rank = (k: string) => BREAKDOWN_ORDER.indexOf(k) + 1 || BREAKDOWN_ORDER.length + 1;
  valueKeys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const colLabel = (k: string) => (`col.${k}` in rt.vi ? t(`col.${k}` as Parameters<T>[0]) : k);
  return {
    key,
    title: t(key === 'category' ? 'mailbox.byCategory' : 'mailbox.byAgency'),
    columns: [
      { key: 'label', label: t(key === 'category' ? 'table.category' : 'table.agency'), text: true },
      ...valueKeys.map((k) => ({
        key: k,
        label: colLabel(k),
        format: (RATE_KEYS.test(k) ? 'percent' : /hours|average/i.test(k) ? 'decimal' : 'count') as Format,
      })),
    ],
    rows: (list ?? []).map((b) => [b.label, ...valueKeys.map((k) => b.values[k] ?? null)]),
  };
}

export const categoryTable = (r: ReportData, locale: Locale) =>
  breakdownTable('category', r.figures.mailbox?.byCategory, locale);
export const agencyTable = (r: ReportData, locale: Locale) =>
  breakdownTable('agency', r.figures.mailbox?.byAgency, locale);

export function trendTable(r: ReportData, locale: Locale): Table {
  const t = rt.t(locale);
  const cols = TREND_METRICS.map((id) => metricById.get(id)!);
  return {
    key: 'trend',
    title: t('trend.title'),
    columns: [
      { key: 'period', label: t('table.period'), text: true },
      ...cols.map((m) => ({ key: m.id, label: metricLabel(t, m), format: m.format })),
    ],
    rows: r.trend.map((b) => [bucketLabel(periodOf(b.period), locale), ...cols.map((m) => valueOf(b.figures, m))]),
  };
}

export function allTables(r: ReportData, locale: Locale): Table[] {
  return [
    summaryTable(r, locale),
    childrenTable(r, locale),
    categoryTable(r, locale),
    agencyTable(r, locale),
    trendTable(r, locale),
  ];
}

export function tableByKey(r: ReportData, locale: Locale, key: TableKey): Table {
  return {
    summary: summaryTable,
    children: childrenTable,
    category: categoryTable,
    agency: agencyTable,
    trend: trendTable,
  }[key](r, locale);
}

/** One cell as the page shows it. */
export function displayCell(locale: Locale, v: string | number | null, format: Format | undefined): string {
  if (typeof v === 'string') return v;
  return formatValue(locale, format ?? 'count', v);
}
