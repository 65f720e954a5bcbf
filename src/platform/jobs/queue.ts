import { hostname } from 'node:os';
import type { Db } from '../../db/client.js';

export interface JobRow {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

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

const handlers = new Map<string, JobHandler>();
const schedules = new Map<string, Schedule>();

export function registerJob(type: string, handler: JobHandler): void {
  handlers.set(type, handler);
}

export function registerSchedule(s: Schedule): void {
  schedules.set(s.name, s);
}

export function registeredSchedules(): Schedule[] {
  return [...schedules.values()];
}

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** A second enqueue with the same key is ignored while the first exists. */
  uniqueKey?: string;
}

export async function enqueue(db: Db, type: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions = {}): Promise<number | null> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO jobs (type, payload, run_at, max_attempts, unique_key) VALUES ($1, $2, COALESCE($3, now()), $4, $5)
     ON CONFLICT (unique_key) DO NOTHING RETURNING id`,
    [type, JSON.stringify(payload), opts.runAt ?? null, opts.maxAttempts ?? 8, opts.uniqueKey ?? null],
  );
  return row?.id ?? null;
}

/** Exponential back-off: 5 s, 10 s, 20 s … capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 5 * 2 ** Math.max(0, attempts - 1));
}

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
  /** A running job whose worker vanished is retried after this long. */
  staleAfterMs?: number;
  id?: string;
  onError?: (err: unknown, job: JobRow) => void;
}

/** Claims due jobs with FOR UPDATE SKIP LOCKED, so any number of workers may share the table. */
export async function claimJobs(db: Db, workerId: string, limit: number): Promise<JobRow[]> {
  return db.query<JobRow>(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1, locked_at = now()
     WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now() ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, type, payload, attempts, max_attempts`,
    [workerId, limit],
  );
}

export async function runJob(db: Db, job: JobRow): Promise<'done' | 'retry' | 'dead'> {
  const handler = handlers.get(job.type);
  try {
    if (!handler) throw new Error(`no handler for job type ${job.type}`);
    await handler(job.payload, { db, job });
    await db.query(`UPDATE jobs SET status = 'done', finished_at = now(), last_error = NULL WHERE id = $1`, [job.id]);
    return 'done';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (job.attempts >= job.max_attempts) {
      await db.query(`UPDATE jobs SET status = 'dead', finished_at = now(), last_error = $2 WHERE id = $1`, [job.id, message]);
      return 'dead';
    }
    await db.query(
      `UPDATE jobs SET status = 'queued', run_at = now() + make_interval(secs => $2), last_error = $3, locked_by = NULL WHERE id = $1`,
      [job.id, backoffSeconds(job.attempts), message],
    );
    return 'retry';
  }
}

/** Enqueues every schedule that is due, once across all processes. */
export async function enqueueDueSchedules(db: Db, now = new Date()): Promise<number> {
  let n = 0;
  for (const s of schedules.values()) {
    await db.query(`INSERT INTO job_schedules (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [s.name, s.next(now)]);
    const fired = await db.tx(async (tx) => {
      const due = await tx.one<{ next_run_at: Date }>(
        `SELECT next_run_at FROM job_schedules WHERE name = $1 AND next_run_at <= $2 FOR UPDATE SKIP LOCKED`,
        [s.name, now],
      );
      if (!due) return false;
      await tx.query(`UPDATE job_schedules SET last_run_at = $2, next_run_at = $3 WHERE name = $1`, [s.name, now, s.next(now)]);
      await enqueue(tx, s.jobType, { ...(s.payload ?? {}), scheduledFor: due.next_run_at.toISOString() }, { uniqueKey: `schedule:${s.name}:${due.next_run_at.toISOString()}` });
      return true;
    });
    if (fired) n++;
  }
  return n;
}

export async function requeueStale(db: Db, staleAfterMs: number): Promise<number> {
  const rows = await db.query(
    `UPDATE jobs SET status = 'queued', locked_by = NULL, last_error = 'worker stopped while running'
     WHERE status = 'running' AND locked_at < now() - make_interval(secs => $1) RETURNING id`,
    [staleAfterMs / 1000],
  );
  return rows.length;
}

export class Worker {
  readonly id: string;
  private running = false;
  private inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private readonly opts: Required<Omit<WorkerOptions, 'onError' | 'id'>> & Pick<WorkerOptions, 'onError'>;

  constructor(private readonly db: Db, opts: WorkerOptions = {}) {
    this.id = opts.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.opts = { concurrency: opts.concurrency ?? 4, pollMs: opts.pollMs ?? 500, staleAfterMs: opts.staleAfterMs ?? 10 * 60_000, onError: opts.onError };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  /** Finishes the jobs in flight, claims no more. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs until no job is due (tests and the CLI). */
  async drain(maxRounds = 10_000): Promise<number> {
    let ran = 0;
    for (let i = 0; i < maxRounds; i++) {
      await enqueueDueSchedules(this.db);
      const jobs = await claimJobs(this.db, this.id, this.opts.concurrency);
      if (jobs.length === 0) break;
      await Promise.all(jobs.map((j) => runJob(this.db, j)));
      ran += jobs.length;
    }
    return ran;
  }

  private async loop(): Promise<void> {
    let lastHousekeeping = 0;
    while (this.running) {
      try {
        if (Date.now() - lastHousekeeping > 30_000) {
          lastHousekeeping = Date.now();
          await enqueueDueSchedules(this.db);
          await requeueStale(this.db, this.opts.staleAfterMs);
        }
        const free = this.opts.concurrency - this.inFlight.size;
        const jobs = free > 0 ? await claimJobs(this.db, this.id, free) : [];
        for (const job of jobs) {
          const p = runJob(this.db, job)
            .catch((err) => this.opts.onError?.(err, job))
            .finally(() => this.inFlight.delete(p));
          this.inFlight.add(p);
        }
        if (jobs.length === 0 || jobs.length === free) await this.sleep(jobs.length === 0 ? this.opts.pollMs : 10);
      } catch (err) {
        if (!this.running) break;
        await this.sleep(this.opts.pollMs * 4);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
