import type { Db } from '../../db/client.js';

/** Failures older than a day are forgotten. */
export interface ThrottleRow {
  key: string;
  failures: number;
  seconds_since: number;
}

export const throttleRows = (db: Db, keys: string[]) =>
  db.query<ThrottleRow>(
    `SELECT key, failures, extract(epoch FROM clock_timestamp() - last_failure_at)::float8 AS seconds_since
     FROM login_throttle WHERE key = ANY($1::text[]) AND last_failure_at > clock_timestamp() - interval '1 day'`,
    [keys],
  );

export async function countFailure(db: Db, keys: string[]): Promise<void> {
  for (const key of keys) {
    await db.query(
      `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, clock_timestamp())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.last_failure_at < clock_timestamp() - interval '1 day' THEN 1 ELSE login_throttle.failures + 1 END,
         last_failure_at = clock_timestamp()`,
      [key],
    );
  }
}

export async function clearFailures(db: Db, keys: string[]): Promise<void> {
  await db.query(`DELETE FROM login_throttle WHERE key = ANY($1::text[])`, [keys]);
}

export const deviceOwner = (db: Db, tokenHash: string) =>
  db.one<{ user_id: number }>(`SELECT user_id FROM login_devices WHERE token_hash = $1`, [tokenHash]);

export async function insertDevice(db: Db, tokenHash: string, userId: number): Promise<void> {
  await db.query(`INSERT INTO login_devices (token_hash, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    tokenHash,
    userId,
  ]);
}
