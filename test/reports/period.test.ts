import { describe, expect, it } from 'vitest';
import {
  makePeriod,
  nextMonthlyRun,
  parsePeriod,
  periodLabel,
  previousMonth,
  previousPeriod,
  trendBuckets,
} from '../../src/modules/reports/service/period.js';

const now = new Date('2026-11-23T10:00:00Z');

describe('report periods (Asia/Ho_Chi_Minh)', () => {
  it('reads a month, a quarter and a year and starts them at local midnight', () => {
    const m = parsePeriod({ period: '2026-03' }, now);
    expect(m.ok && m.period.kind).toBe('month');
    if (!m.ok) return;
    expect(m.period.start.toISOString()).toBe('2026-02-28T17:00:00.000Z');
    expect(m.period.end.toISOString()).toBe('2026-03-31T17:00:00.000Z');
    // 23:30 on 31 March in Vietnam is inside March; 00:10 on 1 April is not
    expect(new Date('2026-03-31T23:30:00+07:00') < m.period.end).toBe(true);
    expect(new Date('2026-04-01T00:10:00+07:00') >= m.period.end).toBe(true);
    const q = parsePeriod({ period: '2026-Q2' }, now);
    expect(q.ok && [q.period.from, q.period.to, q.period.kind]).toEqual(['2026-04-01', '2026-06-30', 'quarter']);
    const y = parsePeriod({ period: '2025' }, now);
    expect(y.ok && [y.period.from, y.period.to, y.period.kind]).toEqual(['2025-01-01', '2025-12-31', 'year']);
  });

  it('compares with the previous period of the same length', () => {
    const prev = (from: string, to: string) => {
      const p = previousPeriod(makePeriod(from, to));
      return [p.from, p.to];
    };
    expect(prev('2026-03-01', '2026-03-31')).toEqual(['2026-02-01', '2026-02-28']);
    expect(prev('2026-01-01', '2026-03-31')).toEqual(['2025-10-01', '2025-12-31']);
    expect(prev('2024-01-01', '2026-12-31')).toEqual(['2021-01-01', '2023-12-31']);
    expect(prev('2026-03-10', '2026-03-19')).toEqual(['2026-02-28', '2026-03-09']);
  });

  it('rejects inverted, invalid, future and over-long ranges with the field to fix', () => {
    expect(parsePeriod({ from: '2026-03-10', to: '2026-03-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'to', key: 'reports.rangeInverted' }],
    });
    expect(parsePeriod({ from: '2026-02-30', to: '2026-03-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'from', key: 'field.invalidDate' }],
    });
    expect(parsePeriod({ from: '2026-12-01', to: '2026-12-31' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'from', key: 'reports.futureStart' }],
    });
    expect(parsePeriod({ from: '2014-01-01', to: '2026-01-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'to', key: 'reports.rangeTooLong' }],
    });
    expect(parsePeriod({ period: '2026-13' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'period', key: 'reports.badPeriod' }],
    });
    expect(parsePeriod({ from: '2026-01-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'to', key: 'field.required' }],
    });
    const three = parsePeriod({ from: '2024-01-01', to: '2026-12-31' }, now);
    expect(three.ok && three.period.days).toBe(1096);
  });

  it('splits a year into months and a three-year review into quarters for the trend', () => {
    expect(trendBuckets(makePeriod('2026-01-01', '2026-12-31')).map((b) => b.from.slice(0, 7))).toHaveLength(12);
    const q = trendBuckets(makePeriod('2024-01-01', '2026-12-31'));
    expect(q).toHaveLength(12);
    expect(q[0].kind).toBe('quarter');
    const partial = trendBuckets(makePeriod('2026-01-15', '2026-03-10'));
    expect(partial.map((b) => [b.from, b.to])).toEqual([
      ['2026-01-15', '2026-01-31'],
      ['2026-02-01', '2026-02-28'],
      ['2026-03-01', '2026-03-10'],
    ]);
    expect(trendBuckets(makePeriod('2026-03-01', '2026-03-31'))).toEqual([]);
  });

  it('labels periods in both languages and schedules the monthly report on the 1st, 07:00 Vietnam time', () => {
    expect(periodLabel(makePeriod('2026-03-01', '2026-03-31'), 'vi')).toBe('Tháng 3/2026');
    expect(periodLabel(makePeriod('2026-03-01', '2026-03-31'), 'en')).toBe('March 2026');
    expect(periodLabel(makePeriod('2026-04-01', '2026-06-30'), 'vi')).toBe('Quý 2/2026');
    expect(periodLabel(makePeriod('2024-01-01', '2026-12-31'), 'vi')).toBe('01/01/2024 – 31/12/2026');
    expect(nextMonthlyRun(new Date('2026-11-23T10:00:00Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(nextMonthlyRun(new Date('2026-11-30T23:59:00Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    const pm = previousMonth(new Date('2026-11-30T17:30:00Z')); // already 1 December in Vietnam
    expect([pm.from, pm.to]).toEqual(['2026-11-01', '2026-11-30']);
  });
});
