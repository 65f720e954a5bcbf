import { pruneRateLimits } from '../ratelimit/ratelimit.js';
import type { ModuleJobs } from './registry.js';

const HOUR = 3600_000;

/** Housekeeping: expired sessions, old rate-limit windows, finished jobs. */
export function platformJobs(): ModuleJobs {
  return {
    handlers: {
      'platform.housekeeping': async (_p, { db }) => {
        await db.query(`DELETE FROM sessions WHERE expires_at < now() OR last_seen_at < now() - interval '30 days'`);
        await db.query(`DELETE FROM jobs WHERE status = 'done' AND finished_at < now() - interval '7 days'`);
        await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '7 days'`);
        await db.query(`DELETE FROM jobs WHERE status = 'dead' AND finished_at < now() - interval '30 days'`);
        await pruneRateLimits(db);
        // PGlite has no autovacuum: reclaim the churn of the busiest tables and refresh planner statistics.
        if (db.kind === 'pglite')
          await db.exec(`VACUUM ANALYZE jobs, rate_limits, sessions, notifications, idempotency_keys`);
      },
    },
    schedules: [
      {
        name: 'platform.housekeeping',
        jobType: 'platform.housekeeping',
        next: (after) => new Date(Math.floor(after.getTime() / HOUR) * HOUR + HOUR),
      },
    ],
  };
}
