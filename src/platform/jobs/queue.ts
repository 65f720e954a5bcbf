import { hostname } from 'node:os';
import pg from 'pg';
import type { Db } from '../../db/client.js';
import type { JobRegistry } from './registry.js';

export interface JobRow {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  /** The worker that claimed the job (set by claimJobs). */
  locked_by?: string | null;
}

/** Thrown by a handler when retrying cannot help (bad address, gone subscription): the job is dead-lettered at once. */
export class PermanentJobError extends Error {
  readonly permanent = true;
}

const isPermanent = (err: unknown) =>
  Boolean(err && typeof err === 'object' && (err as { permanent?: unknown }).permanent === true);

export interface JobContext {
  db: Db;
  job: JobRow;
}

export type JobHandler = (payload: any, ctx: JobContext) => Promise<void>;

export interface Schedule {
  name: string;
  jobType: string;
  payload?: Record<string, unknown>;
  /** The next run strictly after `after`. */
  next(after: Date): Date;
}

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** A second enqueue with the same key is ignored while the first exists. */
  uniqueKey?: string;
}

/** Workers LISTEN here; a NOTIFY sent inside a transaction is delivered when it commits. */
export const JOBS_CHANNEL = 'caunoi_jobs';

export async function enqueue(
  db: Db,
  type: string,
  payload: Record<string, unknown> = {},
  opts: EnqueueOptions = {},
): Promise<number | null> {
  const row = await db.one<{ id: number }>(
    `WITH ins AS (
       INSERT INTO jobs (type, payload, run_at, max_attempts, unique_key) VALUES ($1, $2, COALESCE($3, now()), $4, $5)
       ON CONFLICT (unique_key) DO NOTHING RETURNING id, run_at)
     SELECT id, CASE WHEN run_at <= now() THEN pg_notify('${JOBS_CHANNEL}', '') END AS woke FROM ins`,
    [type, JSON.stringify(payload), opts.runAt ?? null, opts.maxAttempts ?? 8, opts.uniqueKey ?? null],
  );
  return row?.id ?? null;
}

/** Wakes idle workers at once (at commit) after jobs were inserted other than through enqueue(). */
export async function notifyWorkers(db: Db): Promise<void> {
  await db.query(`SELECT pg_notify('${JOBS_CHANNEL}', '')`);
}

/** Exponential back-off: 5 s, 10 s, 20 s … capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 5 * 2 ** Math.max(0, attempts - 1));
}

export interface WorkerOptions {
  concurrency?: number;
  /** How long an idle worker waits before looking for due jobs again. */
  pollMs?: number;
  /** A running job whose worker vanished is retried after this long. */
  staleAfterMs?: number;
  /** How often schedules are fired and stale jobs requeued. */
  housekeepingMs?: number;
  id?: string;
  onError?: (err: unknown, job: JobRow) => void;
  /**
   * PostgreSQL: a connection string for one extra connection that LISTENs for new jobs, so an idle
   * worker starts a job as soon as its transaction commits instead of at the next poll. PGlite
   * listens on its own instance without this.
   */
  listenUrl?: string;
}

/** Claims due jobs with FOR UPDATE SKIP LOCKED, so any number of workers may share the table. */
export async function claimJobs(db: Db, workerId: string, limit: number): Promise<JobRow[]> {
  return db.query<JobRow>(
    `WITH next AS (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now() ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, locked_by = $1, locked_at = now() FROM next WHERE j.id = next.id
     RETURNING j.id, j.type, j.payload, j.attempts, j.max_attempts, j.locked_by`,
    [workerId, limit],
  );
}

/**
 * Runs one claimed job and records the outcome: done, queued again after a back-off, or dead
 * (attempts used up, or a PermanentJobError). The outcome is only written while the job is still
 * this worker's claim, so a job requeued as stale and taken by another worker is not overwritten.
 */
export async function runJob(db: Db, jobs: JobRegistry, job: JobRow): Promise<'done' | 'retry' | 'dead'> {
  const handler = jobs.handler(job.type);
  const owner = job.locked_by ?? null;
  const mine = `id = $1 AND status = 'running' AND locked_by IS NOT DISTINCT FROM $2::text`;
  try {
    if (!handler) throw new PermanentJobError(`no handler for job type ${job.type}`);
    await handler(job.payload, { db, job });
    await db.query(`UPDATE jobs SET status = 'done', finished_at = now(), last_error = NULL WHERE ${mine}`, [
      job.id,
      owner,
    ]);
    return 'done';
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    if (job.attempts >= job.max_attempts || isPermanent(err)) {
      await db.query(`UPDATE jobs SET status = 'dead', finished_at = now(), last_error = $3 WHERE ${mine}`, [
        job.id,
        owner,
        message,
      ]);
      return 'dead';
    }
    await db.query(
      `UPDATE jobs SET status = 'queued', run_at = now() + make_interval(secs => $3), last_error = $4, locked_by = NULL WHERE ${mine}`,
      [job.id, owner, backoffSeconds(job.attempts), message],
    );
    return 'retry';
  }
}

/** Enqueues every schedule that is due, once across all processes. */
export async function enqueueDueSchedules(db: Db, jobs: JobRegistry, now = new Date()): Promise<number> {
  let n = 0;
  for (const s of jobs.schedules()) {
    await db.query(`INSERT INTO job_schedules (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
      s.name,
      s.next(now),
    ]);
    const fired = await db.tx(async (tx) => {
      const due = await tx.one<{ next_run_at: Date }>(
        `SELECT next_run_at FROM job_schedules WHERE name = $1 AND next_run_at <= $2 FOR UPDATE SKIP LOCKED`,
        [s.name, now],
      );
      if (!due) return false;
      await tx.query(`UPDATE job_schedules SET last_run_at = $2, next_run_at = $3 WHERE name = $1`, [
        s.name,
        now,
        s.next(now),
      ]);
      const at = new Date(due.next_run_at).toISOString();
      await enqueue(
        tx,
        s.jobType,
        { ...(s.payload ?? {}), scheduledFor: at },
        { uniqueKey: `schedule:${s.name}:${at}` },
      );
      return true;
    });
    if (fired) n++;
  }
  return n;
}

/** Running jobs whose worker has not finished them in time go back to the queue (or die if out of attempts). */
export async function requeueStale(db: Db, staleAfterMs: number): Promise<number> {
  const rows = await db.query(
    `UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
       finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
       locked_by = NULL, last_error = 'worker stopped while running'
     WHERE status = 'running' AND locked_at < now() - make_interval(secs => $1) RETURNING id`,
    [staleAfterMs / 1000],
  );
  return rows.length;
}

export interface JobCounts {
  queued: number;
  running: number;
  done: number;
  failed: number;
  dead: number;
}

/** How many jobs are in each state (for /metrics and the staff area). */
export async function jobCounts(db: Db): Promise<JobCounts> {
  const rows = await db.query<{ status: keyof JobCounts; n: number }>(
    `SELECT status, count(*)::int AS n FROM jobs GROUP BY status`,
  );
  const c: JobCounts = { queued: 0, running: 0, done: 0, failed: 0, dead: 0 };
  for (const r of rows) c[r.status] = r.n;
  return c;
}

/** Puts a dead job back in the queue with a fresh set of attempts. Returns false when no dead job has that id. */
export async function retryDeadJob(db: Db, id: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL, locked_by = NULL WHERE id = $1 AND status = 'dead' RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

/**
 * Claims and runs jobs in the background, up to `concurrency` at a time, with the handlers and schedules of one app
 * (its registry). The loop sleeps while
 * every slot is busy and wakes as soon as one frees; with nothing due it looks again every pollMs.
 */
export class Worker {
  readonly id: string;
  private running = false;
  private inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> = Promise.resolve();
  /** Jobs this worker has finished (any outcome), for tests and metrics. */
  ran = 0;
  private listening: Promise<void> = Promise.resolve();
  private unlisten: (() => Promise<void>) | null = null;
  private readonly opts: Required<Omit<WorkerOptions, 'onError' | 'id' | 'listenUrl'>> &
    Pick<WorkerOptions, 'onError' | 'listenUrl'>;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobRegistry,
    opts: WorkerOptions = {},
  ) {
    this.id = opts.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.opts = {
      concurrency: opts.concurrency ?? 4,
      pollMs: opts.pollMs ?? 500,
      staleAfterMs: opts.staleAfterMs ?? 10 * 60_000,
      housekeepingMs: opts.housekeepingMs ?? 30_000,
      onError: opts.onError,
      listenUrl: opts.listenUrl,
    };
  }

  get busy(): number {
    return this.inFlight.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.listening = this.listen().catch(() => {
      // Without notifications the worker still polls every pollMs.
    });
    this.loopDone = this.loop();
  }

  /** Resolves once the worker hears about new jobs (LISTEN is in place). */
  whenListening(): Promise<void> {
    return this.listening;
  }

  private async listen(): Promise<void> {
    if (this.db.pglite) {
      const off = await this.db.pglite.listen(JOBS_CHANNEL, () => this.wakeUp());
      this.unlisten = () => off();
    } else if (this.opts.listenUrl) {
      const client = new pg.Client({ connectionString: this.opts.listenUrl, connectionTimeoutMillis: 5000 });
      client.on('error', () => {});
      client.on('notification', () => this.wakeUp());
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
      this.unlisten = () => client.end();
    }
  }

  /** Claims no more jobs and resolves once the jobs in flight have finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp();
    await this.loopDone;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    await this.listening;
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
  }

  /** Looks for due jobs now instead of at the next poll (e.g. after enqueueing in this process). */
  poke(): void {
    this.wakeUp();
  }

  /** Runs until no job is due (tests and the CLI). */
  async drain(maxRounds = 10_000): Promise<number> {
    let ran = 0;
    for (let i = 0; i < maxRounds; i++) {
      await enqueueDueSchedules(this.db, this.jobs);
      const jobs = await claimJobs(this.db, this.id, this.opts.concurrency);
      if (jobs.length === 0) break;
      await Promise.all(jobs.map((j) => runJob(this.db, this.jobs, j)));
      ran += jobs.length;
    }
    return ran;
  }

  private async loop(): Promise<void> {
    let lastHousekeeping = 0;
    while (this.running) {
      try {
        if (Date.now() - lastHousekeeping >= this.opts.housekeepingMs) {
          lastHousekeeping = Date.now();
          // Heartbeat first: a long job this worker is still running is not mistaken for a stale one.
          if (this.inFlight.size)
            await this.db.query(`UPDATE jobs SET locked_at = now() WHERE status = 'running' AND locked_by = $1`, [
              this.id,
            ]);
          await enqueueDueSchedules(this.db, this.jobs);
          await requeueStale(this.db, this.opts.staleAfterMs);
        }
        const free = this.opts.concurrency - this.inFlight.size;
        if (free <= 0) {
          // Every slot is busy: wait for one to free (no polling), or for housekeeping.
          await this.sleep(Math.max(1, lastHousekeeping + this.opts.housekeepingMs - Date.now()));
          continue;
        }
        const jobs = await claimJobs(this.db, this.id, free);
        for (const job of jobs) this.track(job);
        // Fewer due jobs than free slots: the queue is empty for now. Sleep until the next poll,
        // but not past the next housekeeping (schedules must fire on time).
        if (jobs.length < free && this.running) {
          await this.sleep(
            Math.max(1, Math.min(this.opts.pollMs, lastHousekeeping + this.opts.housekeepingMs - Date.now())),
          );
        }
      } catch {
        if (!this.running) break;
        await this.sleep(this.opts.pollMs * 4);
      }
    }
  }

  private track(job: JobRow): void {
    const p = runJob(this.db, this.jobs, job)
      .catch((err) => this.opts.onError?.(err, job))
      .finally(() => {
        this.inFlight.delete(p);
        this.ran++;
        this.wakeUp();
      });
    this.inFlight.add(p);
  }

  private wakeUp(): void {
    if (this.wake) {
      const w = this.wake;
      this.wake = null;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      w();
    } else {
      this.woken = true;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        this.wake = null;
        this.timer = null;
        resolve();
      }, ms);
    });
  }
}
