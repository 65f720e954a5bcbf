import type { Db } from '../../db/client.js';

export interface RateResult {
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  hits: number;
  retryAfterSeconds: number;
}

/**
 * Sliding-window counter in PostgreSQL, so the limit holds across app processes.
 * `key` names what is limited, e.g. "login:ip:1.2.3.4" or "mailbox:phone:0912…".
 *
 * Counts are kept per fixed window, but a hit is judged on the current window's count plus the
 * previous window's count weighted by how much of it still lies inside the last `windowSeconds`.
 * A plain fixed window lets a burst straddling a window boundary through at twice the limit;
 * `fixedWindow` keeps that plain count for "at most one notice per minute" uses.
 */
export async function hit(
  db: Db,
  key: string,
  limit: number,
  windowSeconds: number,
  opts: { fixedWindow?: boolean } = {},
): Promise<RateResult> {
  // Windows come from the database clock, so app servers with slightly different clocks share them.
  const row = await db.one<{ hits: number; prev: number; elapsed: number }>(
    `WITH w AS MATERIALIZED (
       SELECT now, to_timestamp(floor(extract(epoch FROM now) / $2) * $2) AS start
       FROM (SELECT clock_timestamp() AS now) c),
     cur AS (
       INSERT INTO rate_limits (key, window_start) SELECT $1, start FROM w
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
       RETURNING hits)
     SELECT cur.hits,
            coalesce((SELECT p.hits FROM rate_limits p
                      WHERE p.key = $1 AND p.window_start = w.start - make_interval(secs => $2)), 0) AS prev,
            extract(epoch FROM w.now - w.start)::float8 AS elapsed
     FROM cur, w`,
    [key, windowSeconds],
  );
  const hits = row?.hits ?? 1;
  const prev = row?.prev ?? 0;
  const elapsed = Math.min(windowSeconds, Math.max(0, row?.elapsed ?? 0));
  const weight = opts.fixedWindow ? 0 : 1 - elapsed / windowSeconds;
  const allowed = prev * weight + hits <= limit;
  if (allowed) return { allowed, hits, retryAfterSeconds: 0 };
  const wait = opts.fixedWindow
    ? windowSeconds - elapsed
    : retryAfter(limit, windowSeconds, hits, prev * weight > 0 ? prev : 0, elapsed);
  return { allowed, hits, retryAfterSeconds: Math.min(windowSeconds, Math.max(1, Math.ceil(wait))) };
}

/** Seconds until one more hit would fit under the limit, if nothing else arrives meanwhile. */
function retryAfter(limit: number, window: number, hits: number, prev: number, elapsed: number): number {
  let wait: number;
  if (hits + 1 <= limit && prev > 0) {
    // The current window has room; wait for the previous window's share to fade.
    wait = window * (1 - (limit - hits - 1) / prev) - elapsed;
  } else {
    // Wait into the next window, where this window's count fades in turn.
    wait = window - elapsed + window * Math.max(0, 1 - (limit - 1) / hits);
  }
  return wait;
}

export async function pruneRateLimits(db: Db): Promise<void> {
  await db.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`);
  await db.query(`DELETE FROM login_throttle WHERE last_failure_at < now() - interval '1 day'`); // sign-in slow-downs (auth.signIn)
}
