import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import {
  backoffSeconds,
  claimJobs,
  enqueue,
  enqueueDueSchedules,
  jobCounts,
  type JobHandler,
  PermanentJobError,
  requeueStale,
  type Schedule,
  retryDeadJob,
  runJob,
  Worker,
} from '../../src/platform/jobs/queue.js';
import { JobRegistry } from '../../src/platform/jobs/registry.js';
import { testDb, testDbKind } from '../helpers/db.js';

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => {
  await db.close();
});
// Each test starts with an empty queue and its own handlers, so one test's leftovers cannot be claimed by another's worker.
let registry = new JobRegistry();
afterEach(async () => {
  await db.query(`DELETE FROM jobs`);
  registry = new JobRegistry();
});
const registerJob = (type: string, h: JobHandler) => void registry.add({ handlers: { [type]: h } });
const registerSchedule = (s: Schedule) => void registry.add({ schedules: [s] });

interface Row {
  id: number;
  status: string;
  attempts: number;
  last_error: string | null;
  delay: number;
  locked_by: string | null;
  finished_at: Date | null;
}
const job = (id: number | null) =>
  db
    .one<Row>(
      `SELECT id, status, attempts, last_error, locked_by, finished_at, extract(epoch FROM run_at - now())::float AS delay FROM jobs WHERE id = $1`,
      [id],
    )
    .then((r) => r!);
const makeDue = (id: number | null) => db.query(`UPDATE jobs SET run_at = now() WHERE id = $1`, [id]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('retries, back-off and dead letters', () => {
  it('backs off exponentially, capped at one hour', () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([5, 10, 20, 40]);
    expect(backoffSeconds(30)).toBe(3600);
  });

  it('retries a failing job later, each time after a longer wait, then dead-letters it with the error', async () => {
    let calls = 0;
    registerJob('t.always-fails', async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const id = await enqueue(db, 't.always-fails', {}, { maxAttempts: 3 });
    const w = new Worker(db, registry, { id: 'w1' });
    expect(await w.drain()).toBe(1);
    let r = await job(id);
    expect(r).toMatchObject({ status: 'queued', attempts: 1, last_error: 'boom 1', locked_by: null });
    expect(r.delay).toBeGreaterThan(3.5);
    expect(r.delay).toBeLessThanOrEqual(5.5);
    // Not due yet: a second drain does nothing.
    expect(await w.drain()).toBe(0);
    await makeDue(id);
    await w.drain();
    r = await job(id);
    expect(r).toMatchObject({ status: 'queued', attempts: 2, last_error: 'boom 2' });
    expect(r.delay).toBeGreaterThan(8.5);
    expect(r.delay).toBeLessThanOrEqual(10.5);
    await makeDue(id);
    await w.drain();
    r = await job(id);
    expect(r).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom 3' });
    expect(r.finished_at).not.toBeNull();
    await makeDue(id);
    expect(await w.drain()).toBe(0);
    expect(calls).toBe(3);
    // An operator can put it back.
    expect(await retryDeadJob(db, id!)).toBe(true);
    expect(await job(id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await retryDeadJob(db, id!)).toBe(false);
  });

  it('succeeds on a later attempt after failing once', async () => {
    let calls = 0;
    registerJob('t.flaky', async () => {
      if (++calls === 1) throw new Error('first time fails');
    });
    const id = await enqueue(db, 't.flaky', {});
    const w = new Worker(db, registry);
    await w.drain();
    expect(await job(id)).toMatchObject({ status: 'queued', attempts: 1, last_error: 'first time fails' });
    await makeDue(id);
    await w.drain();
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 2, last_error: null });
  });

  it('dead-letters at once on a permanent error, and when no handler exists', async () => {
    registerJob('t.permanent', async () => {
      throw new PermanentJobError('address does not exist');
    });
    const a = await enqueue(db, 't.permanent', {});
    const b = await enqueue(db, 't.nobody-handles-this', {});
    await new Worker(db, registry).drain();
    expect(await job(a)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'address does not exist' });
    expect(await job(b)).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: 'no handler for job type t.nobody-handles-this',
    });
    const counts = await jobCounts(db);
    expect(counts.dead).toBeGreaterThanOrEqual(2);
  });

  it('passes the payload to the handler and does not run a job before its time', async () => {
    const seen: unknown[] = [];
    registerJob('t.payload', async (p) => void seen.push(p));
    await enqueue(db, 't.payload', { a: 1, text: 'Thừa Thiên Huế' });
    const later = await enqueue(db, 't.payload', { a: 2 }, { runAt: new Date(Date.now() + 60_000) });
    await new Worker(db, registry).drain();
    expect(seen).toEqual([{ a: 1, text: 'Thừa Thiên Huế' }]);
    expect(await job(later)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});

describe('unique keys', () => {
  it('ignores a second enqueue with the same key, also when many arrive at once', async () => {
    const first = await enqueue(db, 't.payload', { n: 1 }, { uniqueKey: 'digest:2026-11-23' });
    expect(first).toBeTypeOf('number');
    expect(await enqueue(db, 't.payload', { n: 2 }, { uniqueKey: 'digest:2026-11-23' })).toBeNull();
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, i) => enqueue(db, 't.payload', { i }, { uniqueKey: 'burst' })),
    );
    expect(many.filter((x) => x !== null)).toHaveLength(1);
    const rows = await db.query(
      `SELECT unique_key, count(*)::int AS n FROM jobs WHERE unique_key IN ('digest:2026-11-23', 'burst') GROUP BY unique_key ORDER BY unique_key`,
    );
    expect(rows).toEqual([
      { unique_key: 'burst', n: 1 },
      { unique_key: 'digest:2026-11-23', n: 1 },
    ]);
  });
});

describe('scheduled jobs', () => {
  it('fire once per due time however many workers look at the same moment', async () => {
    const MIN = 60_000;
    let runs = 0;
    registerJob('t.every-minute', async () => void runs++);
    registerSchedule({
      name: 't.every-minute',
      jobType: 't.every-minute',
      payload: { kind: 'tick' },
      next: (after) => new Date(Math.floor(after.getTime() / MIN) * MIN + MIN),
    });
    // The first look only records the next time.
    await enqueueDueSchedules(db, registry);
    expect(await db.query(`SELECT 1 FROM jobs WHERE type = 't.every-minute'`)).toHaveLength(0);
    const before = await db.one<{ next_run_at: Date }>(
      `SELECT next_run_at FROM job_schedules WHERE name = 't.every-minute'`,
    );
    expect(new Date(before!.next_run_at).getTime()).toBeGreaterThan(Date.now());

    await db.query(`UPDATE job_schedules SET next_run_at = now() - interval '5 seconds' WHERE name = 't.every-minute'`);
    const workers = Array.from({ length: 4 }, (_, i) => new Worker(db, registry, { id: `w${i}` }));
    const fired = await Promise.all([
      ...workers.map((w) => w.drain()),
      ...Array.from({ length: 6 }, () => enqueueDueSchedules(db, registry)),
    ]);
    expect(fired.length).toBe(10);
    const jobs = await db.query<{ payload: { kind: string; scheduledFor: string } }>(
      `SELECT payload FROM jobs WHERE type = 't.every-minute'`,
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0].payload.kind).toBe('tick');
    await workers[0].drain();
    expect(runs).toBe(1);
    const after = await db.one<{ next_run_at: Date; last_run_at: Date }>(
      `SELECT next_run_at, last_run_at FROM job_schedules WHERE name = 't.every-minute'`,
    );
    expect(new Date(after!.next_run_at).getTime()).toBeGreaterThan(Date.now());
    expect(after!.last_run_at).not.toBeNull();
    // Not due again until the next minute.
    await Promise.all(workers.map((w) => w.drain()));
    expect(runs).toBe(1);
    // Keep this schedule from firing inside later tests' workers.
    await db.query(`UPDATE job_schedules SET next_run_at = now() + interval '1 year' WHERE name = 't.every-minute'`);
  });
});

describe('stale jobs', () => {
  it('requeues a job whose worker vanished, and the vanished worker cannot overwrite the new claim', async () => {
    let calls = 0;
    registerJob('t.stale', async () => {
      calls++;
      throw new Error('late failure');
    });
    const id = await enqueue(db, 't.stale', {});
    const [claim] = await claimJobs(db, 'vanished', 100).then((js) => js.filter((j) => j.id === id));
    expect(claim).toMatchObject({ id, attempts: 1, locked_by: 'vanished' });
    expect(await requeueStale(db, 60_000)).toBe(0); // still fresh
    await db.query(`UPDATE jobs SET locked_at = now() - interval '2 hours' WHERE id = $1`, [id]);
    expect(await requeueStale(db, 60_000)).toBe(1);
    expect(await job(id)).toMatchObject({
      status: 'queued',
      locked_by: null,
      last_error: 'worker stopped while running',
    });
    const [again] = await claimJobs(db, 'alive', 100).then((js) => js.filter((j) => j.id === id));
    expect(again).toMatchObject({ attempts: 2, locked_by: 'alive' });
    // The vanished worker comes back and reports its (failed) run: ignored.
    await runJob(db, registry, claim);
    expect(await job(id)).toMatchObject({ status: 'running', locked_by: 'alive', attempts: 2 });
    expect(calls).toBe(1);
  });

  it('dead-letters a stale job that has used up its attempts', async () => {
    const id = await enqueue(db, 't.stale', {}, { maxAttempts: 1 });
    await claimJobs(db, 'vanished-2', 100);
    await db.query(`UPDATE jobs SET locked_at = now() - interval '2 hours' WHERE id = $1`, [id]);
    await requeueStale(db, 60_000);
    expect(await job(id)).toMatchObject({ status: 'dead', attempts: 1 });
  });
});

describe('the background worker', () => {
  function deferred() {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('stop() waits for the jobs in flight and claims no more', async () => {
    const gate = deferred();
    const started: number[] = [];
    registerJob('t.slow', async (p: { n: number }) => {
      started.push(p.n);
      await gate.promise;
    });
    const a = await enqueue(db, 't.slow', { n: 1 });
    const w = new Worker(db, registry, { concurrency: 1, pollMs: 20, id: 'stopper' });
    w.start();
    for (let i = 0; i < 200 && started.length === 0; i++) await sleep(10);
    expect(started).toEqual([1]);
    const b = await enqueue(db, 't.slow', { n: 2 });
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await sleep(150);
    expect(stopped).toBe(false);
    expect((await job(a)).status).toBe('running');
    gate.resolve();
    await stopping;
    expect(await job(a)).toMatchObject({ status: 'done' });
    expect(await job(b)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(started).toEqual([1]);
    await new Worker(db, registry).drain();
  });

  it('does not poll while every slot is busy, and starts the next job as soon as a slot frees', async () => {
    let claims = 0;
    const counting: Db = {
      ...db,
      query: (sql: string, params?: unknown[]) => {
        if (sql.includes(`SET status = 'running'`)) claims++;
        return db.query(sql, params);
      },
    } as Db;
    const gates = [deferred(), deferred()];
    const startedAt = new Map<number, number>();
    registerJob('t.gated', async (p: { n: number }) => {
      startedAt.set(p.n, Date.now());
      if (p.n < 2) await gates[p.n].promise;
    });
    for (const n of [0, 1, 2]) await enqueue(db, 't.gated', { n });
    // A long poll interval: only the wake-up on a freed slot can start job 2 quickly.
    const w = new Worker(counting, registry, { concurrency: 2, pollMs: 10_000, id: 'busy' });
    w.start();
    for (let i = 0; i < 200 && startedAt.size < 2; i++) await sleep(10);
    expect([...startedAt.keys()].sort()).toEqual([0, 1]);
    const claimsWhenFull = claims;
    await sleep(300);
    expect(claims - claimsWhenFull).toBe(0);
    const freedAt = Date.now();
    gates[0].resolve();
    for (let i = 0; i < 200 && !startedAt.has(2); i++) await sleep(5);
    expect(startedAt.get(2)! - freedAt).toBeLessThan(500);
    gates[1].resolve();
    await w.stop();
    expect(w.ran).toBe(3);
    const rows = await db.query<{ status: string }>(`SELECT status FROM jobs WHERE type = 't.gated'`);
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
  });

  it.runIf(testDbKind() === 'pglite')(
    'an idle worker starts a new job when its transaction commits, not at the next poll',
    async () => {
      const ran: number[] = [];
      registerJob('t.wake', async (p: { n: number }) => void ran.push(p.n));
      const w = new Worker(db, registry, { pollMs: 60_000, housekeepingMs: 60_000, id: 'listener' });
      w.start();
      await w.whenListening();
      await sleep(50);
      const committedAt = await db.tx(async (tx) => {
        await enqueue(tx, 't.wake', { n: 1 });
        await sleep(100);
        expect(ran).toEqual([]); // not visible before commit
        return Date.now();
      });
      for (let i = 0; i < 100 && ran.length === 0; i++) await sleep(10);
      expect(ran).toEqual([1]);
      expect(Date.now() - committedAt).toBeLessThan(1000);
      // A job for later does not wake anyone needlessly, and runs only when due.
      await enqueue(db, 't.wake', { n: 2 }, { runAt: new Date(Date.now() + 3_600_000) });
      await sleep(100);
      expect(ran).toEqual([1]);
      await w.stop();
    },
  );

  it('keeps its own long-running job fresh, so it is not requeued as stale and run twice', async () => {
    let calls = 0;
    registerJob('t.long', async () => {
      calls++;
      await sleep(900);
    });
    const id = await enqueue(db, 't.long', {});
    const w = new Worker(db, registry, {
      concurrency: 2,
      pollMs: 20,
      housekeepingMs: 60,
      staleAfterMs: 300,
      id: 'long-runner',
    });
    w.start();
    for (let i = 0; i < 200; i++) {
      if ((await job(id)).status === 'done') break;
      await sleep(25);
    }
    await w.stop();
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('fires a due schedule at the next housekeeping even when the poll interval is longer', async () => {
    let ticks = 0;
    registerJob('t.tick', async () => void ticks++);
    registerSchedule({ name: 't.tick', jobType: 't.tick', next: (after) => new Date(after.getTime() + 3_600_000) });
    await enqueueDueSchedules(db, registry);
    const w = new Worker(db, registry, { pollMs: 60_000, housekeepingMs: 100, id: 'ticker' });
    w.start();
    await sleep(150);
    await db.query(`UPDATE job_schedules SET next_run_at = now() WHERE name = 't.tick'`);
    for (let i = 0; i < 100 && ticks === 0; i++) await sleep(20);
    await w.stop();
    expect(ticks).toBe(1);
    await db.query(`UPDATE job_schedules SET next_run_at = now() + interval '1 year' WHERE name = 't.tick'`);
  });

  it('runs many jobs with several in flight at once', async () => {
    let active = 0;
    let peak = 0;
    registerJob('t.count', async () => {
      active++;
      peak = Math.max(peak, active);
      await sleep(5);
      active--;
    });
    for (let i = 0; i < 40; i++) await enqueue(db, 't.count', { i });
    const w = new Worker(db, registry, { concurrency: 4, pollMs: 20 });
    w.start();
    for (let i = 0; i < 1000; i++) {
      const r = await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs WHERE type = 't.count' AND status <> 'done'`,
      );
      if (r!.n === 0) break;
      await sleep(20);
    }
    await w.stop();
    expect(w.ran).toBe(40);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(4);
  });
});

describe('platform housekeeping', () => {
  it('removes finished jobs after a week and dead ones after a month, keeping the rest', async () => {
    const { platformJobs } = await import('../../src/platform/jobs/platform-jobs.js');
    registry.add(platformJobs());
    await db.query(`INSERT INTO jobs (type, status, finished_at) VALUES
      ('old.done', 'done', now() - interval '8 days'), ('new.done', 'done', now() - interval '1 day'),
      ('old.dead', 'dead', now() - interval '31 days'), ('new.dead', 'dead', now() - interval '8 days')`);
    const id = await enqueue(db, 'platform.housekeeping', {});
    await new Worker(db, registry).drain();
    expect(await job(id)).toMatchObject({ status: 'done', last_error: null });
    const left = await db.query<{ type: string }>(`SELECT type FROM jobs WHERE type LIKE '%.d%' ORDER BY type`);
    expect(left.map((r) => r.type)).toEqual(['new.dead', 'new.done']);
  });
});
