/**
 * Working-day deadlines in Asia/Ho_Chi_Minh: Saturdays, Sundays and configured public holidays
 * (Tết included) do not count. The day a report arrives does not count either; the deadline is the
 * end (23:59:59.999, Vietnam time) of the Nth working day after it.
 */
import { localDate } from '../../../platform/i18n/index.js';

const DAY = 86_400_000;

function parse(d: string): number {
  const [y, m, day] = d.split('-').map(Number);
  return Date.UTC(y, m - 1, day);
}
const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function isWorkingDay(date: string, holidays: ReadonlySet<string>): boolean {
  const wd = new Date(parse(date)).getUTCDay();
  return wd !== 0 && wd !== 6 && !holidays.has(date);
}

/** The calendar date (YYYY-MM-DD) of the Nth working day after the Vietnam-time date of `from`. */
export function addWorkingDaysDate(from: Date, days: number, holidays: ReadonlySet<string>): string {
  let ms = parse(localDate(from));
  let left = Math.max(0, Math.floor(days));
  if (left === 0) return fmt(ms);
  for (let guard = 0; guard < 3660; guard++) {
    ms += DAY;
    if (isWorkingDay(fmt(ms), holidays) && --left === 0) return fmt(ms);
  }
  throw new Error('no working day within ten years');
}

/** The deadline instant: end of the Nth working day after `from`, in Vietnam time. */
export function addWorkingDays(from: Date, days: number, holidays: ReadonlySet<string>): Date {
  return new Date(`${addWorkingDaysDate(from, days, holidays)}T23:59:59.999+07:00`);
}

/** Working days from `from` (exclusive) to `to` (inclusive), by Vietnam-time dates; negative when `to` is earlier. */
export function workingDaysBetween(from: Date, to: Date, holidays: ReadonlySet<string>): number {
  const a = parse(localDate(from));
  const b = parse(localDate(to));
  const sign = b >= a ? 1 : -1;
  let n = 0;
  for (let ms = Math.min(a, b) + DAY; ms <= Math.max(a, b); ms += DAY) if (isWorkingDay(fmt(ms), holidays)) n++;
  return sign * n;
}
