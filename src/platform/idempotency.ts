import type { Db } from '../db/client.js';

/**
 * Runs `create` once per (scope, key): a retried submission gets the first result back instead of
 * creating a second record. The key row and the record commit in the same transaction.
 */
export async function once<T>(
  db: Db,
  scope: string,
  key: string | null | undefined,
  create: (tx: Db) => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  if (!key) return { result: await db.tx(create), replayed: false };
  return db.tx(async (tx) => {
    const claimed = await tx.one(
      `INSERT INTO idempotency_keys (scope, key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key`,
      [scope, key.slice(0, 200)],
    );
    if (!claimed) {
      const prev = await tx.one<{ result: T }>(`SELECT result FROM idempotency_keys WHERE scope = $1 AND key = $2`, [
        scope,
        key.slice(0, 200),
      ]);
      return { result: prev!.result, replayed: true };
    }
    const result = await create(tx);
    await tx.query(`UPDATE idempotency_keys SET result = $3 WHERE scope = $1 AND key = $2`, [
      scope,
      key.slice(0, 200),
      JSON.stringify(result),
    ]);
    return { result, replayed: false };
  });
}
