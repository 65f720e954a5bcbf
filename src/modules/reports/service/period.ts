/**
 * Report periods: calendar dates in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). A period is
 * [from 00:00, day after `to` 00:00) local time, i.e. `to` is the last day included.
 */
import { localDate } from '../../../platform/i18n/index.js';
import type { Locale } from '../../../platform/i18n/index.js';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'months' | 'custom';

export interface Period {
  kind: PeriodKind;
  /** first day, YYYY-MM-DD */
  from: string;
  /** last day included, YYYY-MM-DD */
  to: string;
  /** instants for FigureQuery: [start, end) */
  start: Date;
  end: Date;
  days: number;
}

/** Reports longer than this run as a background job. */
export const LIVE_MAX_DAYS = 366;
/** No report may be longer than this. */
export const MAX_YEARS = 10;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant local midnight starts on `date` in Vietnam. */
export function vnMidnight(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, '0');
export const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** First day of the month `n` months after the month of `date`. */
export function addMonths(date: string, n: number): string {
  const [y, m] = date.split('-').map(Number);
  const idx = y * 12 + (m - 1) + n;
  return ymd(Math.floor(idx / 12), (idx % 12) + 1, 1);
}

const lastOfMonth = (date: string) => addDays(addMonths(date, 1), -1);

export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Whole calendar months the range spans, or 0 when it does not start on a 1st and end on a last day. */
export function wholeMonths(from: string, to: string): number {
  if (!from.endsWith('-01') || lastOfMonth(to) !== to) return 0;
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
}

export function makePeriod(from: string, to: string): Period {
  const months = wholeMonths(from, to);
  const fm = Number(from.slice(5, 7));
  let kind: PeriodKind = 'custom';
  if (months === 1) kind = 'month';
  else if (months === 3 && (fm - 1) % 3 === 0) kind = 'quarter';
  else if (months === 12 && fm === 1) kind = 'year';
  else if (months > 1) kind = 'months';
  return { kind, from, to, start: vnMidnight(from), end: vnMidnight(addDays(to, 1)), days: dayCount(from, to) };
}

/**
 * The period just before, of the same length: the previous month, quarter, year or run of whole
 * months for calendar periods; the same number of days right before for any other range.
 */
export function previousPeriod(p: Period): Period {
  const months = wholeMonths(p.from, p.to);
  if (months > 0) {
    const from = addMonths(p.from, -months);
    return makePeriod(from, addDays(p.from, -1));
  }
  return makePeriod(addDays(p.from, -p.days), addDays(p.from, -1));
}

/** Sub-periods for the trend chart: months (up to 24), quarters (up to 40), else years; none for one month or less. */
export function trendBuckets(p: Period): Period[] {
  if (p.days <= 31) return [];
  const months = Math.ceil(p.days / 30.4);
  const step = months <= 24 ? 1 : months <= 40 ? 3 : 12;
  const out: Period[] = [];
  // align buckets on calendar months (quarters, years) and clip to the range
  let cur = p.from.slice(0, 8) + '01';
  if (step === 3) cur = ymd(Number(p.from.slice(0, 4)), Math.floor((Number(p.from.slice(5, 7)) - 1) / 3) * 3 + 1, 1);
  if (step === 12) cur = `${p.from.slice(0, 4)}-01-01`;
  while (cur <= p.to) {
    const next = addMonths(cur, step);
    const from = cur < p.from ? p.from : cur;
    const last = addDays(next, -1);
    out.push(makePeriod(from, last > p.to ? p.to : last));
    cur = next;
  }
  return out;
}

/** "Tháng 3/2026", "Quý 1/2026", "Năm 2026", else the two dates. */
export function periodLabel(p: Period, locale: Locale): string {
  const y = p.from.slice(0, 4);
  const m = Number(p.from.slice(5, 7));
  const vi = locale === 'vi';
  if (p.kind === 'month')
    return vi
      ? `Tháng ${m}/${y}`
      : `${new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(y), m - 1, 1)))} ${y}`;
  if (p.kind === 'quarter') return vi ? `Quý ${(m - 1) / 3 + 1}/${y}` : `Q${(m - 1) / 3 + 1} ${y}`;
  if (p.kind === 'year') return vi ? `Năm ${y}` : `Year ${y}`;
  return `${shortDate(p.from, locale)} – ${shortDate(p.to, locale)}`;
}

/** Short label for a trend bucket: "3/2026", "Q1/2026", "2026". */
export function bucketLabel(p: Period, locale: Locale): string {
  const y = p.from.slice(0, 4);
  const m = Number(p.from.slice(5, 7));
  if (p.kind === 'year' || (p.days >= 365 && p.from.endsWith('-01-01'))) return y;
  if (p.kind === 'quarter') return locale === 'vi' ? `Q${(m - 1) / 3 + 1}/${y}` : `Q${(m - 1) / 3 + 1} ${y}`;
  return `${m}/${y}`;
}

export function shortDate(date: string, locale: Locale): string {
  const [y, m, d] = date.split('-');
  return locale === 'vi' ? `${d}/${m}/${y}` : `${d}/${m}/${y}`;
}

export type PeriodError = {
  field: 'from' | 'to' | 'period';
  key:
    | 'field.invalidDate'
    | 'reports.rangeInverted'
    | 'reports.rangeTooLong'
    | 'reports.futureStart'
    | 'reports.badPeriod'
    | 'field.required';
};

/**
 * Reads a period from request input: `period` (YYYY-MM, YYYY-Qn, YYYY) or `from` and `to`
 * (YYYY-MM-DD, `to` included). Without either, the current month so far.
 */
export function parsePeriod(
  input: { period?: string; from?: string; to?: string },
  now = new Date(),
): { ok: true; period: Period } | { ok: false; errors: PeriodError[] } {
  const today = localDate(now);
  const per = input.period?.trim();
  const fromIn = input.from?.trim() ?? '';
  const toIn = input.to?.trim() ?? '';
  if (per && !fromIn && !toIn) {
    let m: RegExpExecArray | null;
    if ((m = /^(\d{4})-(\d{2})$/.exec(per)) && isValidDate(`${per}-01`))
      return check(`${per}-01`, lastOfMonth(`${per}-01`), today);
    if ((m = /^(\d{4})-Q([1-4])$/i.exec(per)) && isValidDate(`${m[1]}-01-01`)) {
      const from = ymd(Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 1);
      return check(from, addDays(addMonths(from, 3), -1), today);
    }
    if ((m = /^(\d{4})$/.exec(per)) && isValidDate(`${per}-01-01`)) return check(`${per}-01-01`, `${per}-12-31`, today);
    return { ok: false, errors: [{ field: 'period', key: 'reports.badPeriod' }] };
  }
  if (!fromIn && !toIn) return check(today.slice(0, 8) + '01', lastOfMonth(today), today);
  const errors: PeriodError[] = [];
  if (!fromIn) errors.push({ field: 'from', key: 'field.required' });
  else if (!isValidDate(fromIn)) errors.push({ field: 'from', key: 'field.invalidDate' });
  if (!toIn) errors.push({ field: 'to', key: 'field.required' });
  else if (!isValidDate(toIn)) errors.push({ field: 'to', key: 'field.invalidDate' });
  if (errors.length) return { ok: false, errors };
  return check(fromIn, toIn, today);
}

function check(
  from: string,
  to: string,
  today: string,
): { ok: true; period: Period } | { ok: false; errors: PeriodError[] } {
  if (to < from) return { ok: false, errors: [{ field: 'to', key: 'reports.rangeInverted' }] };
  if (from > today) return { ok: false, errors: [{ field: 'from', key: 'reports.futureStart' }] };
  if (to >= `${Number(from.slice(0, 4)) + MAX_YEARS}${from.slice(4)}`)
    return { ok: false, errors: [{ field: 'to', key: 'reports.rangeTooLong' }] };
  return { ok: true, period: makePeriod(from, to) };
}

export const isLive = (p: Period) => p.days <= LIVE_MAX_DAYS;

/** The calendar month before the one `now` falls in, in Vietnam. */
export function previousMonth(now = new Date()): Period {
  const first = localDate(now).slice(0, 8) + '01';
  const from = addMonths(first, -1);
  return makePeriod(from, addDays(first, -1));
}

/** Next 1st of a month, 07:00 Vietnam time, strictly after `after`. */
export function nextMonthlyRun(after: Date): Date {
  const first = localDate(after).slice(0, 8) + '01';
  const thisMonth = new Date(`${first}T07:00:00+07:00`);
  if (thisMonth > after) return thisMonth;
  return new Date(`${addMonths(first, 1)}T07:00:00+07:00`);
}
