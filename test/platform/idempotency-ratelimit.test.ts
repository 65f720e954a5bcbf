import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { once } from '../../src/platform/idempotency.js';
import { hit, pruneRateLimits } from '../../src/platform/ratelimit/ratelimit.js';
import { testDb, testDbKind } from '../helpers/db.js';

let db: Db;
beforeAll(async () => {
  db = await testDb();
  await db.exec(`CREATE TABLE t_reports (id serial PRIMARY KEY, body text NOT NULL)`);
});
afterAll(async () => {
  await db.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const createReport =
  (body: string, delayMs = 0) =>
  async (tx: Db) => {
    const row = await tx.one<{ id: number }>(`INSERT INTO t_reports (body) VALUES ($1) RETURNING id`, [body]);
    if (delayMs) await tx.query(`SELECT pg_sleep($1)`, [delayMs / 1000]);
    return { id: row!.id, body };
  };
const count = async (body: string) =>
  (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM t_reports WHERE body = $1`, [body]))!.n;

describe('rate limit hit()', () => {
  it('allows up to the limit in a window, then refuses with a retry-after inside the window', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await hit(db, 'login:ip:198.51.100.1', 3, 600));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.hits)).toEqual([1, 2, 3, 4, 5]);
    expect(results[0]!.retryAfterSeconds).toBe(0);
    for (const r of results.slice(3)) {
      expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(r.retryAfterSeconds).toBeLessThanOrEqual(600);
    }
    // Another key has its own count.
    expect(await hit(db, 'login:ip:198.51.100.2', 3, 600)).toMatchObject({ allowed: true, hits: 1 });
  });

  it('counts every one of many simultaneous hits exactly once', async () => {
    const rs = await Promise.all(Array.from({ length: 30 }, () => hit(db, 'mailbox:phone:0912345678', 10, 3600)));
    expect(rs.filter((r) => r.allowed)).toHaveLength(10);
    expect(rs.map((r) => r.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('a burst across a window boundary is still refused (the window slides)', async () => {
    // The hit at 0.8 s and the one after the boundary land in two windows; a fixed window would allow both.
    let windows = 0;
    for (let attempt = 0; attempt < 5 && windows !== 2; attempt++) {
      const key = `edge:${attempt}`;
      await sleep(1000 - (Date.now() % 1000) + 800);
      expect((await hit(db, key, 1, 1)).allowed).toBe(true);
      await sleep(1000 - (Date.now() % 1000) + 30);
      const second = await hit(db, key, 1, 1);
      windows = (await db.query(`SELECT 1 FROM rate_limits WHERE key = $1`, [key])).length;
      if (windows === 2) {
        expect(second).toMatchObject({ allowed: false, hits: 1 });
        expect(second.retryAfterSeconds).toBe(1);
      }
    }
    expect(windows).toBe(2);
  });

  it('the previous window fades: a long limit refuses a burst from last window, not from two windows ago', async () => {
    const intoHour = Date.now() % 3_600_000;
    if (intoHour > 3_590_000) await sleep(3_600_000 - intoHour + 100); // not across an hour boundary
    const start = `to_timestamp(floor(extract(epoch FROM clock_timestamp()) / 3600) * 3600)`;
    await db.query(
      `INSERT INTO rate_limits (key, window_start, hits) VALUES ('busy', ${start} - interval '1 hour', 500)`,
    );
    expect((await hit(db, 'busy', 10, 3600)).allowed).toBe(false);
    await db.query(
      `INSERT INTO rate_limits (key, window_start, hits) VALUES ('old', ${start} - interval '2 hours', 500)`,
    );
    expect(await hit(db, 'old', 10, 3600)).toMatchObject({ allowed: true, hits: 1 });
  });

  it('a fixed window starts afresh in the next window, and old windows are pruned', async () => {
    // Align to the start of a 1-second window so both hits land in one window.
    await sleep(1000 - (Date.now() % 1000) + 20);
    expect((await hit(db, 'short', 1, 1, { fixedWindow: true })).allowed).toBe(true);
    expect((await hit(db, 'short', 1, 1, { fixedWindow: true })).allowed).toBe(false);
    await sleep(1000);
    expect(await hit(db, 'short', 1, 1, { fixedWindow: true })).toMatchObject({ allowed: true, hits: 1 });
    // A sliding window starts afresh once a whole window is quiet.
    await sleep(2000);
    expect(await hit(db, 'short', 1, 1)).toMatchObject({ allowed: true, hits: 1 });
    await db.query(
      `INSERT INTO rate_limits (key, window_start, hits) VALUES ('ancient', now() - interval '2 days', 99)`,
    );
    await pruneRateLimits(db);
    expect(await db.query(`SELECT 1 FROM rate_limits WHERE key = 'ancient'`)).toEqual([]);
    expect((await db.query(`SELECT 1 FROM rate_limits WHERE key = 'short'`)).length).toBeGreaterThan(0);
  });
});

describe('once() idempotency', () => {
  it('a repeated submission gets the first result back and creates nothing new', async () => {
    const a = await once(db, 'mailbox.report', 'form-key-1', createReport('pothole'));
    const b = await once(db, 'mailbox.report', 'form-key-1', createReport('pothole'));
    expect(a.replayed).toBe(false);
    expect(b).toEqual({ result: a.result, replayed: true });
    expect(await count('pothole')).toBe(1);
    // Same key in another scope, or no key at all: separate records.
    expect((await once(db, 'api.report', 'form-key-1', createReport('pothole'))).replayed).toBe(false);
    await once(db, 'mailbox.report', null, createReport('pothole'));
    await once(db, 'mailbox.report', undefined, createReport('pothole'));
    expect(await count('pothole')).toBe(4);
  });

  it('simultaneous duplicate submissions create one record', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => once(db, 'mailbox.report', 'double-click', createReport('flood', 20))),
    );
    expect(await count('flood')).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const first = results.find((r) => !r.replayed)!.result;
    for (const r of results) expect(r.result).toEqual(first);
  });

  it('a submission that failed can be retried with the same key', async () => {
    let started!: () => void;
    const inCreate = new Promise<void>((r) => (started = r));
    const failing = once(db, 'mailbox.report', 'retry-me', async (tx) => {
      started();
      await createReport('landslide', 30)(tx);
      throw new Error('storage down');
    });
    const failed = failing.then(
      () => 'no error',
      (e: Error) => e.message,
    );
    // The retry arrives while the first attempt holds the key (on PostgreSQL it waits for it).
    await inCreate;
    const retry = once(db, 'mailbox.report', 'retry-me', createReport('landslide'));
    expect(await failed).toBe('storage down');
    const r = await retry;
    expect(r.replayed).toBe(false);
    expect(await count('landslide')).toBe(1);
    expect((await once(db, 'mailbox.report', 'retry-me', createReport('landslide'))).replayed).toBe(true);
  });

  it.runIf(testDbKind() === 'pg')(
    'on PostgreSQL the duplicates really overlap (they run on separate connections)',
    async () => {
      const started: number[] = [];
      await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          once(db, 'overlap', 'k', async (tx) => {
            started.push(i);
            return createReport('overlap', 50)(tx);
          }),
        ),
      );
      // Only one create ran although all four were in flight at once.
      expect(started).toHaveLength(1);
      const active = await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`,
      );
      expect(active!.n).toBeGreaterThan(1);
    },
  );
});
