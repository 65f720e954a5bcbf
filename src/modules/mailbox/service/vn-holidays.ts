/**
 * Vietnam's public holidays for any year (Labour Code 2019, art. 112): New Year's Day, Tết (the last
 * day of the lunar year and the first four of the new one), the Hùng Kings' day (10th of the 3rd lunar
 * month), 30 April, 1 May, and National Day (2 September with 1 September). A holiday that falls on a
 * weekend gives the next working day off ("nghỉ bù"). The government may move days each year; staff
 * adjust the list in the set-up pages.
 */
import { lunarToSolar } from './lunar.js';

export interface Holiday {
  day: string;
  name: string;
  nameEn: string;
}

const addDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
const weekend = (iso: string) => [0, 6].includes(new Date(`${iso}T00:00:00Z`).getUTCDay());

export function publicHolidays(year: number): Holiday[] {
  const tet = lunarToSolar(1, 1, year);
  const base: Holiday[] = [
    { day: `${year}-01-01`, name: 'Tết Dương lịch', nameEn: 'New Year’s Day' },
    ...[-1, 0, 1, 2, 3].map((n) => ({ day: addDays(tet, n), name: 'Tết Nguyên đán', nameEn: 'Lunar New Year (Tết)' })),
    { day: lunarToSolar(10, 3, year), name: 'Giỗ Tổ Hùng Vương', nameEn: 'Hùng Kings’ Commemoration Day' },
    { day: `${year}-04-30`, name: 'Ngày Giải phóng miền Nam, thống nhất đất nước', nameEn: 'Reunification Day' },
    { day: `${year}-05-01`, name: 'Ngày Quốc tế Lao động', nameEn: 'International Labour Day' },
    { day: `${year}-09-01`, name: 'Quốc khánh', nameEn: 'National Day' },
    { day: `${year}-09-02`, name: 'Quốc khánh', nameEn: 'National Day' },
  ].sort((a, b) => a.day.localeCompare(b.day));
  const taken = new Set(base.map((h) => h.day));
  const extra: Holiday[] = [];
  for (const h of base) {
    if (!weekend(h.day)) continue;
    let d = addDays(h.day, 1);
    while (weekend(d) || taken.has(d)) d = addDays(d, 1);
    taken.add(d);
    extra.push({ day: d, name: `Nghỉ bù ${h.name}`, nameEn: `Day off in lieu (${h.nameEn})` });
  }
  return [...base, ...extra].filter((h) => h.day.startsWith(`${year}-`)).sort((a, b) => a.day.localeCompare(b.day));
}
