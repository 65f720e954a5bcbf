import type { Db } from '../../db/client.js';

export interface RateResult {
  allowed: boolean;
  hits: number;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counter in PostgreSQL, so the limit holds across app processes.
 * `key` names what is limited, e.g. "login:ip:1.2.3.4" or "mailbox:phone:0912…".
 */
export async function hit(db: Db, key: string, limit: number, windowSeconds: number): Promise<RateResult> {
  const now = Date.now();
  const windowStart = new Date(Math.floor(now / (windowSeconds * 1000)) * windowSeconds * 1000);
  const row = await db.one<{ hits: number }>(
    `INSERT INTO rate_limits (key, window_start) VALUES ($1, $2)
     ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits`,
    [key, windowStart],
  );
  const hits = row?.hits ?? 1;
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now) / 1000));
  return { allowed: hits <= limit, hits, retryAfterSeconds };
}

export async function pruneRateLimits(db: Db): Promise<void> {
  await db.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`);
}
