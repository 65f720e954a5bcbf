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
  // Windows come from the database clock, so app servers with slightly different clocks share them.
  const row = await db.one<{ hits: number; retry: number }>(
    `WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $2) * $2) AS start)
     INSERT INTO rate_limits (key, window_start) SELECT $1, start FROM w
     ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING hits, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - clock_timestamp()))::int AS retry`,
    [key, windowSeconds],
  );
  const hits = row?.hits ?? 1;
  return {
    allowed: hits <= limit,
    hits,
    retryAfterSeconds: Math.min(windowSeconds, Math.max(1, row?.retry ?? windowSeconds)),
  };
}

export async function pruneRateLimits(db: Db): Promise<void> {
  await db.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`);
  await db.query(`DELETE FROM login_throttle WHERE last_failure_at < now() - interval '1 day'`); // sign-in slow-downs (auth.signIn)
}
