/**
 * Jobs per second through the durable queue (no-op handler; 1 worker vs 2 workers sharing the
 * table with SKIP LOCKED) next to the floor a queue cannot beat: a plain INSERT + DELETE loop on
 * the same database in the same run. On PGlite in memory, and on PostgreSQL when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
 */
import type { Db } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { moduleNames } from '../src/modules/index.js';
import { enqueue, Worker } from '../src/platform/jobs/queue.js';
import { JobRegistry } from '../src/platform/jobs/registry.js';
import { benchDb, fmt, hasPg, QUICK, report } from './lib.js';

async function dropDatabase(name: string) {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  await admin.end();
}

const N = QUICK ? 1000 : 5000;
const jobs = new JobRegistry().add({ handlers: { 'bench.noop': async () => {} } });

async function baseline(db: Db): Promise<number> {
  await db.exec(`CREATE TABLE IF NOT EXISTS bench_plain (id bigserial PRIMARY KEY, payload jsonb NOT NULL)`);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const row = await db.one<{ id: number }>(`INSERT INTO bench_plain (payload) VALUES ($1) RETURNING id`, [
      JSON.stringify({ i }),
    ]);
    await db.query(`DELETE FROM bench_plain WHERE id = $1`, [row!.id]);
  }
  return N / ((performance.now() - t0) / 1000);
}

async function enqueueRate(db: Db): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await enqueue(db, 'bench.noop', { i });
  return N / ((performance.now() - t0) / 1000);
}

/** Runs N queued no-op jobs with `workers` Worker instances; returns jobs/s. */
async function through(db: Db, workers: number, concurrency: number): Promise<number> {
  await db.query(`DELETE FROM jobs`);
  await db.query(
    `INSERT INTO jobs (type, payload) SELECT 'bench.noop', jsonb_build_object('i', g) FROM generate_series(1, $1) g`,
    [N],
  );
  const ws = Array.from(
    { length: workers },
    (_, i) => new Worker(db, jobs, { concurrency, pollMs: 5, id: `bench-${i}` }),
  );
  const t0 = performance.now();
  ws.forEach((w) => w.start());
  for (;;) {
    if (ws.reduce((a, w) => a + w.ran, 0) >= N) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  const secs = (performance.now() - t0) / 1000;
  await Promise.all(ws.map((w) => w.stop()));
  const left = await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE status <> 'done'`);
  if (left!.n !== 0) throw new Error(`${left!.n} jobs not done`);
  return N / secs;
}

const rows: Record<string, unknown>[] = [];
for (const kind of ['pglite', 'pg'] as const) {
  if (kind === 'pg' && !hasPg()) {
    console.log('PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
    continue;
  }
  const db = await benchDb(kind);
  await migrate(db, moduleNames);
  await baseline(db); // warm-up
  const base = await baseline(db);
  const enq = await enqueueRate(db);
  const one = await through(db, 1, 4);
  const two = await through(db, 2, 4);
  rows.push(
    { db: kind, what: 'plain INSERT+DELETE loop (baseline)', 'ops/s': fmt(base, 0), 'ratio to baseline': '1.000' },
    { db: kind, what: 'enqueue() one at a time', 'ops/s': fmt(enq, 0), 'ratio to baseline': fmt(enq / base, 3) },
    { db: kind, what: '1 worker × 4 slots, no-op jobs', 'ops/s': fmt(one, 0), 'ratio to baseline': fmt(one / base, 3) },
    {
      db: kind,
      what: '2 workers × 4 slots, no-op jobs',
      'ops/s': fmt(two, 0),
      'ratio to baseline': fmt(two / base, 3),
    },
  );
  const name = kind === 'pg' ? (await db.one<{ n: string }>(`SELECT current_database() AS n`))!.n : null;
  await db.close();
  if (name) await dropDatabase(name);
}
report('jobs', rows, [
  `${N} jobs per run. A job costs a claim (UPDATE … FOR UPDATE SKIP LOCKED) and a completion UPDATE, the baseline one INSERT and one DELETE.`,
  'PGlite runs in this process (one connection); PostgreSQL through a pool of 10 connections on the local server.',
]);
process.exit(0);
