import type { Db } from '../../../db/client.js';

/** The fact-checks shown to a resident when the claim was filed (SQL only). */
export async function insertShown(db: Db, code: string, shown: { itemId: number; answers: boolean }[]): Promise<void> {
  if (!shown.length) return;
  await db.query(
    `INSERT INTO desk_claim_shown (claim_id, item_id, position, answers)
     SELECT c.id, s.item_id, s.position, s.answers
       FROM desk_claims c, unnest($2::int[], $3::int[], $4::boolean[]) AS s(item_id, position, answers)
      WHERE c.code = $1
     ON CONFLICT DO NOTHING`,
    [code, shown.map((s) => s.itemId), shown.map((_, i) => i), shown.map((s) => s.answers)],
  );
}

export const shownForClaim = (db: Db, claimId: number) =>
  db.query<{ item_id: number; answers: boolean }>(
    `SELECT item_id, answers FROM desk_claim_shown WHERE claim_id = $1 ORDER BY position`,
    [claimId],
  );
