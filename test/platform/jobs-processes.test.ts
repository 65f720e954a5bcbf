import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../src/db/client.js';
import { enqueue, notifyWorkers, Worker } from '../../src/platform/jobs/queue.js';
import { JobRegistry } from '../../src/platform/jobs/registry.js';
import { testDb, testDbKind } from '../helpers/db.js';

const JOBS = 500;
const fixture = fileURLToPath(new URL('./fixtures/job-worker.ts', import.meta.url));

async function makeTables(db: Db) {
  await db.exec(`CREATE TABLE job_runs (job_id bigint PRIMARY KEY, worker text NOT NULL);
                 CREATE TABLE job_dupes (job_id bigint NOT NULL, worker text NOT NULL);`);
}

async function enqueueMany(db: Db) {
  await db.tx(async (tx) => {
    await tx.query(
      `INSERT INTO jobs (type, payload) SELECT 'test.record', jsonb_build_object('n', g) FROM generate_series(1, $1) g`,
      [JOBS],
    );
    await notifyWorkers(tx);
  });
}

async function assertEachRanOnce(db: Db, workers: string[]) {
  const runs = await db.query<{ worker: string; n: number }>(
    `SELECT worker, count(*)::int AS n FROM job_runs GROUP BY worker ORDER BY worker`,
  );
  const dupes = await db.query(`SELECT * FROM job_dupes`);
  const jobs = await db.one<{ done: number; once: number; total: number }>(
    `SELECT count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE attempts = 1)::int AS once, count(*)::int AS total FROM jobs WHERE type = 'test.record'`,
  );
  const missing = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM jobs j WHERE type = 'test.record' AND NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.job_id = j.id)`,
  );
  expect(dupes).toEqual([]);
  expect(jobs).toEqual({ done: JOBS, once: JOBS, total: JOBS });
  expect(missing!.n).toBe(0);
  expect(runs.reduce((a, r) => a + r.n, 0)).toBe(JOBS);
  // Both workers took part.
  expect(runs.map((r) => r.worker)).toEqual(workers);
  for (const r of runs) expect(r.n).toBeGreaterThan(0);
}

async function waitUntil(db: Db, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await db.one<{ open: number; runs: number }>(
      `SELECT (SELECT count(*)::int FROM jobs WHERE status IN ('queued', 'running')) AS open, (SELECT count(*)::int FROM job_runs) AS runs`,
    );
    if (r!.open === 0 && r!.runs >= JOBS) return;
    if (Date.now() > end) throw new Error(`jobs still open after ${timeoutMs} ms: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe.runIf(testDbKind() === 'pg')('two worker processes on one PostgreSQL database', () => {
  const name = `caunoi_t_jobs_${process.pid}_${Date.now().toString(36)}`;
  const base = process.env.TEST_DATABASE_URL ?? '';
  const url = () => Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    const a = new pg.Client({ connectionString: base });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await a.end();
  });

  function startWorker(worker: string) {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, url(), worker], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', () => out.includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`${worker} exited with ${code}: ${err}`)));
    });
    const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
      child.on('exit', (code) => resolve({ code, out, err })),
    );
    return { child, ready, exited };
  }

  it(`runs each of ${JOBS} jobs exactly once, and both processes take part (woken by NOTIFY, not polling), and finish a job in flight on SIGTERM`, async () => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.TEST_PG_TEMPLATE}`);
    await admin.end();
    const db = await openPostgres(url(), 2);
    try {
      await makeTables(db);
      const a = startWorker('worker-a');
      const b = startWorker('worker-b');
      await Promise.all([a.ready, b.ready]);
      await enqueueMany(db);
      await waitUntil(db, 20_000);
      // Graceful shutdown: a job in flight when SIGTERM arrives is finished before the process exits.
      const slow = await enqueue(db, 'test.slow', { ms: 1500 });
      for (let i = 0; i < 200; i++) {
        if ((await db.one<{ status: string }>(`SELECT status FROM jobs WHERE id = $1`, [slow]))!.status === 'running')
          break;
        await new Promise((r) => setTimeout(r, 20));
      }
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      const [ea, eb] = await Promise.all([a.exited, b.exited]);
      expect(ea.code, ea.err).toBe(0);
      expect(eb.code, eb.err).toBe(0);
      expect(ea.out).toMatch(/stopped ran=\d+/);
      expect(await db.one(`SELECT status, attempts FROM jobs WHERE id = $1`, [slow])).toEqual({
        status: 'done',
        attempts: 1,
      });
      await assertEachRanOnce(db, ['worker-a', 'worker-b']);
      const ranA = Number(ea.out.match(/ran=(\d+)/)![1]);
      const ranB = Number(eb.out.match(/ran=(\d+)/)![1]);
      expect(ranA + ranB).toBe(JOBS + 1);
    } finally {
      await db.close();
    }
  });
});

describe.runIf(testDbKind() === 'pglite')(
  'two Worker instances in one process on PGlite (one process per data directory)',
  () => {
    it(`runs each of ${JOBS} jobs exactly once, and both workers take part`, async () => {
      const db = await testDb();
      try {
        await makeTables(db);
        const jobs = new JobRegistry();
        jobs.add({
          handlers: {
            'test.record': async (_p, { db: d, job }) => {
              await new Promise((r) => setTimeout(r, Math.random() * 3));
              try {
                await d.query(`INSERT INTO job_runs (job_id, worker) VALUES ($1, $2)`, [job.id, job.locked_by]);
              } catch (err) {
                await d.query(`INSERT INTO job_dupes (job_id, worker) VALUES ($1, $2)`, [job.id, job.locked_by]);
                throw err;
              }
            },
          },
        });
        const a = new Worker(db, jobs, { concurrency: 4, pollMs: 20, id: 'worker-a' });
        const b = new Worker(db, jobs, { concurrency: 4, pollMs: 20, id: 'worker-b' });
        a.start();
        b.start();
        await enqueueMany(db);
        await waitUntil(db, 45_000);
        await Promise.all([a.stop(), b.stop()]);
        expect(a.ran + b.ran).toBe(JOBS);
        await assertEachRanOnce(db, ['worker-a', 'worker-b']);
      } finally {
        await db.close();
      }
    });
  },
);
