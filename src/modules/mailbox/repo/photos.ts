/** SQL of report photos as the APIs list them. */
import type { Db } from '../../../db/client.js';

/** Each report's first photo already cleaned by the photo job (a pending one would answer 404 to the client). */
export async function firstPhotos(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ report_id: number; file_id: string }>(
    `SELECT DISTINCT ON (p.report_id) p.report_id, p.file_id FROM mailbox_photos p LEFT JOIN mailbox_uploads m ON m.file_id = p.file_id
     WHERE p.report_id = ANY($1::int[]) AND coalesce(m.state, 'ready') = 'ready' ORDER BY p.report_id, p.created_at, p.file_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.report_id, r.file_id]));
}
