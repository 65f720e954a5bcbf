/** How a figure's change against the previous period reads in the report and its exports. */
import { describe, expect, it } from 'vitest';
import { change, metricById } from '../../src/modules/reports/service/metrics.js';

const metric = (id: string) => metricById.get(id)!;

describe('change against the previous period', () => {
  it('gives the difference and, when it reads well, the relative change', () => {
    expect(change(metric('mailbox.received'), 115, 100)).toMatchObject({
      text: '+15 (+15%)',
      direction: 'up',
      good: true,
    });
    expect(change(metric('mailbox.received'), 86, 1).text).toBe('+85'); // not "+8.500%"
    expect(change(metric('mailbox.received'), 61, 0).text).toBe('+61');
    expect(change(metric('mailbox.received'), 1200, 1300, 'en').text).toBe('−100 (−7.7%)');
    expect(change(metric('mailbox.received'), 7, 7)).toMatchObject({ text: '±0', direction: 'same', good: null });
  });

  it('counts a smaller number as better where it is (overdue, time to answer)', () => {
    expect(change(metric('mailbox.overdueNow'), 14, 20)).toMatchObject({ direction: 'down', good: true });
    expect(change(metric('mailbox.medianHoursToAnswer'), 30.5, 20).text).toBe('+10,5 (+52,5%)');
  });

  it('shows rates in percentage points, in each language', () => {
    expect(change(metric('mailbox.onTimeRate'), 0.656, 0.5).text).toBe('+15,6 điểm %');
    expect(change(metric('mailbox.onTimeRate'), 0.5, 0.656, 'en').text).toBe('−15.6 pp');
  });

  it('has nothing to compare when either period has no value', () => {
    expect(change(metric('mailbox.onTimeRate'), 0.6, null)).toEqual({ text: '—', direction: 'none', good: null });
  });
});
