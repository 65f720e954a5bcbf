import { describe, expect, it } from 'vitest';
import { lunarToSolar, solarToLunar } from '../../src/modules/mailbox/service/lunar.js';
import { publicHolidays } from '../../src/modules/mailbox/service/vn-holidays.js';

describe('the Vietnamese lunar calendar (UTC+7)', () => {
  it('finds Tết on the known dates', () => {
    const known: Record<number, string> = {
      2024: '2024-02-10',
      2025: '2025-01-29',
      2026: '2026-02-17',
      2027: '2027-02-06',
    };
    for (const [y, d] of Object.entries(known)) expect(lunarToSolar(1, 1, Number(y))).toBe(d);
    // The time zone decides some years. 2007: Vietnam 17 Feb, China 18 Feb. 2030: the new moon falls at 23:08 on
    // 2 February in Vietnam (16:08 UTC), 00:08 on 3 February in China: 3 February is China's date (UTC+8).
    expect(lunarToSolar(1, 1, 2007)).toBe('2007-02-17');
    expect(lunarToSolar(1, 1, 2007, false, 8)).toBe('2007-02-18');
    expect(lunarToSolar(1, 1, 2030, false, 8)).toBe('2030-02-03');
    expect(lunarToSolar(1, 1, 2030)).toBe('2030-02-02');
    expect(lunarToSolar(1, 1, 1985)).toBe('1985-01-21');
  });

  it('finds the Hùng Kings’ day (10th of the 3rd lunar month)', () => {
    expect(lunarToSolar(10, 3, 2024)).toBe('2024-04-18');
    expect(lunarToSolar(10, 3, 2025)).toBe('2025-04-07');
    expect(lunarToSolar(10, 3, 2026)).toBe('2026-04-26');
    expect(lunarToSolar(10, 3, 2027)).toBe('2027-04-16');
  });

  it('converts both ways, leap months included', () => {
    expect(solarToLunar(29, 1, 2025)).toEqual([1, 1, 2025, false]);
    // 2023 had a leap 2nd month: 22 March 2023 was its first day
    expect(lunarToSolar(1, 2, 2023, true)).toBe('2023-03-22');
    expect(solarToLunar(22, 3, 2023)).toEqual([1, 2, 2023, true]);
    expect(() => lunarToSolar(1, 5, 2024, true)).toThrow(RangeError);
    for (let y = 1990; y <= 2100; y += 7) {
      const [d, m, yy] = lunarToSolar(15, 8, y).split('-').map(Number).reverse();
      expect(solarToLunar(d, m, yy)).toEqual([15, 8, y, false]);
    }
  });

  it('lists a year’s public holidays with days off in lieu, for any year', () => {
    const h2026 = publicHolidays(2026);
    const days = h2026.map((h) => h.day);
    expect(days).toEqual(
      expect.arrayContaining([
        '2026-01-01',
        '2026-02-16',
        '2026-02-17',
        '2026-02-20',
        '2026-04-26',
        '2026-04-30',
        '2026-05-01',
        '2026-09-01',
        '2026-09-02',
      ]),
    );
    // 26 April 2026 is a Sunday: Monday 27 April is off in lieu
    expect(h2026.find((h) => h.day === '2026-04-27')?.name).toBe('Nghỉ bù Giỗ Tổ Hùng Vương');
    expect(publicHolidays(2031).filter((h) => h.name === 'Tết Nguyên đán')).toHaveLength(5);
    expect(publicHolidays(2045).length).toBeGreaterThanOrEqual(11);
  });
});
