/** SQL of redaction and "not for publication" (migration 007). */
import type { Db } from '../../../db/client.js';

export interface MaskRow {
  id: number;
  hidden_name: string | null;
  passages: string[];
}

/** What to hide in the public text of these reports: staff's passages, the resident's name when kept private. */
export async function maskSources(
  db: Db,
  ids: number[],
): Promise<Map<number, { passages: string[]; hiddenName: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<MaskRow>(
    `SELECT r.id, CASE WHEN NOT r.show_name THEN r.contact_name END AS hidden_name,
       coalesce((SELECT array_agg(x.passage ORDER BY x.id) FROM mailbox_redactions x WHERE x.report_id = r.id AND x.removed_at IS NULL), '{}') AS passages
     FROM mailbox_reports r WHERE r.id = ANY($1::int[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { passages: r.passages ?? [], hiddenName: r.hidden_name }]));
}

export interface RedactionRow {
  id: number;
  report_id: number;
  passage: string;
  created_by: number | null;
  created_by_name: string | null;
  created_at: Date;
}

export const listRedactions = (db: Db, reportId: number) =>
  db.query<RedactionRow>(
    `SELECT x.id, x.report_id, x.passage, x.created_by, u.name AS created_by_name, x.created_at
     FROM mailbox_redactions x LEFT JOIN users u ON u.id = x.created_by WHERE x.report_id = $1 AND x.removed_at IS NULL ORDER BY x.id`,
    [reportId],
  );

export async function insertRedaction(db: Db, reportId: number, passage: string, by: number): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO mailbox_redactions (report_id, passage, created_by) VALUES ($1, $2, $3) RETURNING id`,
    [reportId, passage, by],
  ))!.id;
}

export const findRedaction = (db: Db, reportId: number, id: number) =>
  db.one<RedactionRow>(
    `SELECT x.id, x.report_id, x.passage, x.created_by, NULL AS created_by_name, x.created_at FROM mailbox_redactions x WHERE x.id = $1 AND x.report_id = $2 AND x.removed_at IS NULL`,
    [id, reportId],
  );

export async function removeRedaction(db: Db, id: number, by: number): Promise<void> {
  await db.query(`UPDATE mailbox_redactions SET removed_at = now(), removed_by = $2 WHERE id = $1`, [id, by]);
}

export async function setNotPublic(db: Db, reportId: number, notPublic: boolean): Promise<void> {
  await db.query(`UPDATE mailbox_reports SET not_public = $2, updated_at = now() WHERE id = $1`, [reportId, notPublic]);
}

/** Public timeline bodies of a report (the answer, a reopening reason): redactions must be found there too. */
export const publicBodies = async (db: Db, reportId: number) =>
  (
    await db.query<{ body: string }>(
      `SELECT body FROM mailbox_events WHERE report_id = $1 AND visibility = 'public' AND body IS NOT NULL`,
      [reportId],
    )
  ).map((r) => r.body);
