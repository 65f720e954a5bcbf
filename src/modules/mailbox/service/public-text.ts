/**
 * The public version of a report's text: every public output (page, list, home, feeds, Open311, JSON API)
 * passes its rows through here, so personal data found in the text and the passages staff hid never leave.
 */
import type { Db } from '../../../db/client.js';
import * as redactionRepo from '../repo/redaction.js';
import type { EventRow, ReportRow } from '../repo.js';
import { maskRow, maskText } from './masking.js';

/** Rows of a public list with their text masked. */
export async function maskRows<T extends ReportRow>(db: Db, rows: T[]): Promise<T[]> {
  if (rows.length === 0) return rows;
  const src = await redactionRepo.maskSources(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => maskRow(r, src.get(r.id) ?? { passages: [] }));
}

export async function maskList<T extends ReportRow>(
  db: Db,
  list: { rows: T[]; total: number },
): Promise<{ rows: T[]; total: number }> {
  return { rows: await maskRows(db, list.rows), total: list.total };
}

/** One public report: its text and its public timeline bodies masked. */
export async function maskView<V extends { report: ReportRow; events: EventRow[] }>(db: Db, view: V): Promise<V> {
  const src = (await redactionRepo.maskSources(db, [view.report.id])).get(view.report.id) ?? { passages: [] };
  return {
    ...view,
    report: maskRow(view.report, src),
    events: view.events.map((e) => (e.body ? { ...e, body: maskText(e.body, src) } : e)),
  };
}
