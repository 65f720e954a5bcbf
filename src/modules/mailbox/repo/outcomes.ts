/** SQL of outcomes (migration 007). */
import type { Db } from '../../../db/client.js';
import type { FigureQuery } from '../../../platform/figures.js';

export async function setOutcome(
  db: Db,
  id: number,
  o: {
    outcome: string;
    note: string | null;
    by: number;
    status: string;
    closedAt: Date | null;
    duplicateOf: number | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE mailbox_reports SET outcome = $2, outcome_note = $3, outcome_by = $4, outcome_at = now(), status = $5, closed_at = COALESCE(closed_at, $6),
       duplicate_of = COALESCE($7, duplicate_of), updated_at = now() WHERE id = $1`,
    [id, o.outcome, o.note, o.by, o.status, o.closedAt, o.duplicateOf],
  );
}

export interface OutcomeCounts {
  closedFixed: number;
  closedNotFixed: number;
  notOurs: number;
  duplicates: number;
}

/**
 * Outcomes recorded in [from, to) for reports of the unit subtree; a report merged into another
 * (without an outcome written) counts as a duplicate on the day it was merged.
 */
export async function outcomeCounts(db: Db, q: FigureQuery): Promise<OutcomeCounts> {
  const row = await db.one<{ fixed: number; not_fixed: number; not_ours: number; duplicate: number }>(
    `SELECT count(*) FILTER (WHERE r.outcome = 'fixed')::int AS fixed,
            count(*) FILTER (WHERE r.outcome = 'not_fixed')::int AS not_fixed,
            count(*) FILTER (WHERE r.outcome = 'not_ours')::int AS not_ours,
            count(*) FILTER (WHERE r.outcome = 'duplicate' OR (r.outcome IS NULL AND r.status = 'merged'))::int AS duplicate
     FROM mailbox_reports r JOIN units u ON u.id = r.unit_id
     WHERE u.path <@ $1::ltree AND (
       (r.outcome IS NOT NULL AND r.outcome_at >= $2 AND r.outcome_at < $3)
       OR (r.outcome IS NULL AND r.status = 'merged' AND r.closed_at >= $2 AND r.closed_at < $3))`,
    [q.unitPath, q.from, q.to],
  );
  return {
    closedFixed: row?.fixed ?? 0,
    closedNotFixed: row?.not_fixed ?? 0,
    notOurs: row?.not_ours ?? 0,
    duplicates: row?.duplicate ?? 0,
  };
}
