/**
 * Outcomes: closed — fixed; closed — not fixed (with a reason); not our responsibility (passed to …);
 * duplicate (of another report). Staff close by hand with one; the resident and the public see it.
 */
import type { Deps } from '../../../http/context.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import type { Locale } from '../../../platform/i18n/index.js';
import * as outcomesRepo from '../repo/outcomes.js';
import * as repo from '../repo.js';
import { isOpen, type Status } from './rules.js';
import { MailboxError } from './errors.js';
import { normaliseCode } from './reading.js';
import { LIMITS } from './report-input.js';
import { xt } from '../views/redaction-i18n.js';
import { onReport } from './staff-tx.js';

export const OUTCOMES = ['fixed', 'not_fixed', 'not_ours', 'duplicate'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const isOutcome = (v: unknown): v is Outcome =>
  typeof v === 'string' && (OUTCOMES as readonly string[]).includes(v);

/** Where a report may be closed by hand: once accepted, while open or answered, or to correct a closed one's outcome. */
const closable = (s: Status) => (isOpen(s) && s !== 'received') || s === 'answered' || s === 'closed';

export async function closeWithOutcome(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  input: { outcome: string; note: string },
): Promise<void> {
  const p = a.principal;
  if (!isOutcome(input.outcome)) throw new MailboxError(422, 'outcome.err.choice', {}, 'outcome');
  const outcome = input.outcome;
  let note: string | null = input.note.trim() || null;
  if (note && note.length > LIMITS.reason)
    throw new MailboxError(422, 'outcome.err.long', { max: LIMITS.reason }, 'note');
  if (outcome === 'not_fixed' && !note) throw new MailboxError(422, 'outcome.err.reason', {}, 'note');
  if (outcome === 'not_ours' && !note) throw new MailboxError(422, 'outcome.err.passedTo', {}, 'note');
  if (outcome === 'duplicate') {
    note = note ? normaliseCode(note) : null;
    if (!note) throw new MailboxError(422, 'outcome.err.duplicate', {}, 'note');
  }
  await onReport(deps, a, id, 'mailbox.triage', 'mailbox.outcome', async (tx, r) => {
    if (r.status === 'received') throw new MailboxError(409, 'outcome.err.status', {}, 'outcome');
    if (!closable(r.status)) throw new MailboxError(409, 'err.transition', {}, 'outcome');
    let duplicateOf: number | null = null;
    if (outcome === 'duplicate') {
      const target = await repo.reportByCode(tx, note!);
      if (!target || target.id === r.id || ['spam', 'merged', 'rejected', 'received'].includes(target.status))
        throw new MailboxError(422, 'outcome.err.duplicate', {}, 'note');
      duplicateOf = target.id;
    }
    await outcomesRepo.setOutcome(tx, r.id, {
      outcome,
      note,
      by: p.userId,
      status: 'closed',
      closedAt: new Date(),
      duplicateOf,
    });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: `outcome.${outcome}`,
      visibility: 'public',
      actorId: p.userId,
      actorLabel: r.agency_name ?? p.name,
      body: note,
      data: outcome === 'duplicate' ? { code: note } : {},
    });
    return {
      out: undefined,
      audit: {
        old: { status: r.status, outcome: r.outcome ?? null, outcome_note: r.outcome_note ?? null },
        new: { status: 'closed', outcome, outcome_note: note },
      },
    };
  });
}

/** The outcome as one line for the resident and the public, or null. */
export function outcomeText(
  locale: Locale,
  r: { outcome?: string | null; outcome_note?: string | null },
): string | null {
  if (!isOutcome(r.outcome)) return null;
  const t = xt.t(locale);
  if (r.outcome !== 'fixed' && r.outcome_note) return t(`outcome.${r.outcome}.text`, { note: r.outcome_note });
  return t(`outcome.${r.outcome}`);
}

/** The outcome in the JSON API. */
export function outcomeJson(r: { outcome?: string | null; outcome_note?: string | null; outcome_at?: Date | null }) {
  if (!isOutcome(r.outcome)) return null;
  return {
    code: r.outcome,
    label: outcomeText('vi', r),
    label_en: outcomeText('en', r),
    reason: r.outcome === 'not_fixed' ? (r.outcome_note ?? null) : null,
    passed_to: r.outcome === 'not_ours' ? (r.outcome_note ?? null) : null,
    duplicate_of: r.outcome === 'duplicate' ? (r.outcome_note ?? null) : null,
    at: r.outcome_at ?? null,
  };
}

export const outcomeFigures = outcomesRepo.outcomeCounts;
