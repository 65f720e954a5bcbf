import { describe, expect, it } from 'vitest';
import { can, defineActions, type Principal } from '../../src/platform/auth/permissions.js';
import { mailboxActions } from '../../src/modules/mailbox/permissions.js';
import {
  addWorkingDays,
  addWorkingDaysDate,
  isWorkingDay,
  workingDaysBetween,
} from '../../src/modules/mailbox/service/deadline.js';
import { canTransition, open311Status, pickRoute, STATUSES } from '../../src/modules/mailbox/service/rules.js';

// the action table as boot() defines it for the mailbox
defineActions(mailboxActions);

const TET_2026 = new Set([
  '2026-01-01',
  '2026-02-16',
  '2026-02-17',
  '2026-02-18',
  '2026-02-19',
  '2026-02-20',
  '2026-04-30',
  '2026-05-01',
]);

describe('working-day deadlines (Asia/Ho_Chi_Minh)', () => {
  it('skips weekends', () => {
    // Thursday 2026-03-05 noon in Vietnam + 3 working days = Tuesday 2026-03-10
    expect(addWorkingDaysDate(new Date('2026-03-05T05:00:00Z'), 3, new Set())).toBe('2026-03-10');
  });
  it('skips the whole Tết holiday', () => {
    // Friday before Tết + 5 working days: 16–20 Feb are holidays, 21–22 a weekend
    const d = addWorkingDays(new Date('2026-02-13T03:00:00Z'), 5, TET_2026);
    expect(d.toISOString()).toBe('2026-02-27T16:59:59.999Z');
  });
  it('counts from the date in Vietnam, not in UTC', () => {
    // 17:30 UTC on Thursday is 00:30 on Friday in Vietnam: one working day later is Monday
    expect(addWorkingDaysDate(new Date('2026-03-05T17:30:00Z'), 1, new Set())).toBe('2026-03-09');
    expect(addWorkingDaysDate(new Date('2026-03-05T16:30:00Z'), 1, new Set())).toBe('2026-03-06');
  });
  it('does not count a report received on a holiday or weekend', () => {
    expect(addWorkingDaysDate(new Date('2026-05-01T02:00:00Z'), 1, TET_2026)).toBe('2026-05-04');
  });
  it('knows working days and counts them', () => {
    expect(isWorkingDay('2026-02-18', TET_2026)).toBe(false);
    expect(isWorkingDay('2026-02-21', TET_2026)).toBe(false);
    expect(isWorkingDay('2026-02-23', TET_2026)).toBe(true);
    expect(workingDaysBetween(new Date('2026-02-13T03:00:00Z'), new Date('2026-02-24T03:00:00Z'), TET_2026)).toBe(2);
  });
});

describe('status transitions', () => {
  it('follows received → accepted/rejected → assigned → in progress → answered → closed, and reopened', () => {
    expect(canTransition('received', 'accepted')).toBe(true);
    expect(canTransition('received', 'rejected')).toBe(true);
    expect(canTransition('accepted', 'assigned')).toBe(true);
    expect(canTransition('assigned', 'in_progress')).toBe(true);
    expect(canTransition('in_progress', 'answered')).toBe(true);
    expect(canTransition('answered', 'closed')).toBe(true);
    expect(canTransition('closed', 'reopened')).toBe(true);
    expect(canTransition('reopened', 'answered')).toBe(true);
  });
  it('refuses shortcuts and moves out of final states', () => {
    expect(canTransition('received', 'answered')).toBe(false);
    expect(canTransition('rejected', 'accepted')).toBe(false);
    expect(canTransition('spam', 'accepted')).toBe(false);
    expect(canTransition('merged', 'reopened')).toBe(false);
    expect(canTransition('answered', 'in_progress')).toBe(false);
  });
  it('maps every status to open or closed for Open311', () => {
    expect(STATUSES.filter((s) => open311Status(s) === 'open')).toEqual([
      'received',
      'accepted',
      'assigned',
      'in_progress',
      'reopened',
    ]);
  });
});

describe('routing', () => {
  const rules = [
    { categoryId: 3, unitPath: '1', agencyId: 10 }, // environment anywhere in the province -> department
    { categoryId: null, unitPath: '1.7', agencyId: 20 }, // anything in ward 7 -> ward committee
    { categoryId: null, unitPath: '1', agencyId: 30 },
  ];
  it('prefers a rule for the category, then the deepest unit', () => {
    expect(pickRoute(rules, 3, '1.7')).toBe(10);
    expect(pickRoute(rules, 5, '1.7')).toBe(20);
    expect(pickRoute(rules, 5, '1.8')).toBe(30);
  });
  it('gives no agency when no rule fits', () => {
    expect(pickRoute(rules.slice(0, 2), 5, '1.8')).toBeNull();
    expect(pickRoute(rules, 5, '2.4')).toBeNull();
  });
});

describe('permissions matrix', () => {
  const who = (role: Principal['grants'][number]['role'], unitPath = '1'): Principal => ({
    userId: 1,
    email: 'x',
    name: 'x',
    locale: 'vi',
    via: 'session',
    grants: [{ role, unitId: 1, unitPath }],
  });
  const matrix: Record<string, Record<string, boolean>> = {
    'mailbox.view': { admin: true, editor: false, reviewer: true, handler: true, member: false },
    'mailbox.triage': { admin: true, editor: false, reviewer: false, handler: true, member: false },
    'mailbox.answer': { admin: true, editor: false, reviewer: false, handler: true, member: false },
    'mailbox.approve': { admin: true, editor: false, reviewer: true, handler: false, member: false },
    'mailbox.view-personal': { admin: true, editor: false, reviewer: false, handler: true, member: false },
  };
  for (const [action, roles] of Object.entries(matrix)) {
    for (const [role, allowed] of Object.entries(roles)) {
      it(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => {
        expect(can(who(role as never), action, '1.7')).toBe(allowed);
      });
    }
  }
  it('a handler of one ward sees no personal data of another ward', () => {
    expect(can(who('handler', '1.7'), 'mailbox.view-personal', '1.7')).toBe(true);
    expect(can(who('handler', '1.7'), 'mailbox.view-personal', '1.8')).toBe(false);
    expect(can(null, 'mailbox.view-personal', '1.7')).toBe(false);
  });
});
