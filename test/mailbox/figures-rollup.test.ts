/**
 * The daily rollup (migration 004_daily_rollup.sql) must give exactly the figures read from the reports,
 * whatever happens to the reports afterwards: answers, re-routing, new categories, ratings, reopening,
 * spam, rejection, deletion. A seeded random history is replayed, then every figure is compared for
 * months, a year, a period still running and single days, and the rollup is compared with a full recount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { figures } from '../../src/modules/mailbox/repo/figures.js';
import { upsertAgency, upsertUnit } from '../../src/platform/units/repo.js';
import { testDb, testDbKind } from '../helpers/db.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const vn = (s: string) => new Date(`${s}T00:00:00+07:00`);
const HOUR = 3600_000;

describe(`mailbox daily rollup agrees with the reports (${testDbKind()})`, () => {
  let db: Db;
  let path: string;
  let wardPath: string;

  beforeAll(async () => {
    db = await testDb();
    const rnd = random(20261123);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const province = await upsertUnit(db, {
      code: 'RU',
      name: 'Rollup',
      fullName: 'Tỉnh Rollup',
      type: 'province',
      parentId: null,
    });
    const wards = [
      await upsertUnit(db, { code: 'RU-1', name: 'Một', fullName: 'Phường Một', type: 'ward', parentId: province }),
      await upsertUnit(db, { code: 'RU-2', name: 'Hai', fullName: 'Phường Hai', type: 'ward', parentId: province }),
    ];
    // a ward retired in the middle of the history: its reports still count in the province
    await db.query(`UPDATE units SET retired_at = '2026-02-01T00:00:00+07:00' WHERE id = $1`, [wards[1]]);
    path = (await db.one<{ p: string }>(`SELECT path::text AS p FROM units WHERE id = $1`, [province]))!.p;
    wardPath = (await db.one<{ p: string }>(`SELECT path::text AS p FROM units WHERE id = $1`, [wards[0]]))!.p;
    const agencies = [
      await upsertAgency(db, { unitId: province, code: 'RU-A1', name: 'Sở A' }),
      await upsertAgency(db, { unitId: wards[0], code: 'RU-A2', name: 'UBND Một' }),
    ];
    const cats = (
      await db.query<{ id: number }>(
        `INSERT INTO mailbox_categories (code, name, name_en) VALUES ('ru-1', 'Một', 'One'), ('ru-2', 'Hai', 'Two'), ('ru-3', 'Ba', 'Three') RETURNING id`,
      )
    ).map((r) => r.id);

    // 300 reports over December 2025 - March 2026, some received exactly at midnight or at 23:59 Vietnam time
    const start = vn('2025-12-01').getTime();
    for (let i = 0; i < 300; i++) {
      const day = Math.floor(rnd() * 120);
      const edge = rnd();
      const received = new Date(
        start + day * 24 * HOUR + (edge < 0.1 ? 0 : edge < 0.2 ? 24 * HOUR - 60_000 : Math.floor(rnd() * 24 * HOUR)),
      );
      const deadline = new Date(received.getTime() + Math.floor(rnd() * 20 * 24) * HOUR);
      const answered =
        rnd() < 0.7
          ? new Date(
              received.getTime() +
                (rnd() < 0.1 ? deadline.getTime() - received.getTime() : Math.floor(rnd() * 30 * 24) * HOUR),
            )
          : null;
      // some answers land exactly on a Vietnam midnight
      if (answered && rnd() < 0.1)
        answered.setTime(Math.ceil((answered.getTime() + 7 * HOUR) / (24 * HOUR)) * 24 * HOUR - 7 * HOUR);
      const status = answered
        ? pick(['answered', 'answered', 'closed', 'reopened'])
        : pick(['received', 'accepted', 'assigned', 'in_progress', 'rejected', 'spam', 'merged', 'closed']);
      const rated = answered && rnd() < 0.4;
      await db.query(
        `INSERT INTO mailbox_reports (code, token_hash, api_token, category_id, unit_id, agency_id, title, description, status, received_at, accepted_at,
           first_answered_at, answered_at, answered_on_time, deadline_at, rating, rated_at)
         VALUES ($1, $1, $1, $2, $3, $4, 'Phản ánh', 'Nội dung', $5, $6, $7, $8, $8, $9, $10, $11, $12)`,
        [
          `RU-${i}`,
          pick(cats),
          pick(wards),
          rnd() < 0.2 ? null : pick(agencies),
          status,
          received,
          rnd() < 0.8 ? new Date(received.getTime() + HOUR) : null,
          answered,
          answered ? answered <= deadline : null,
          rnd() < 0.05 ? null : deadline,
          rated ? 1 + Math.floor(rnd() * 5) : null,
          rated ? new Date(answered!.getTime() + 2 * 24 * HOUR) : null,
        ],
      );
    }
    // then the history goes on: every kind of change the mailbox makes, and a few it only might
    const ids = (
      await db.query<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code LIKE 'RU-%' ORDER BY id`)
    ).map((r) => r.id);
    for (let i = 0; i < 200; i++) {
      const id = pick(ids);
      const change = Math.floor(rnd() * 8);
      if (change === 0) await db.query(`UPDATE mailbox_reports SET agency_id = $2 WHERE id = $1`, [id, pick(agencies)]);
      if (change === 1) await db.query(`UPDATE mailbox_reports SET category_id = $2 WHERE id = $1`, [id, pick(cats)]);
      if (change === 2)
        await db.query(
          `UPDATE mailbox_reports SET status = 'answered', first_answered_at = coalesce(first_answered_at, received_at + interval '50 hours'), answered_on_time = coalesce(answered_on_time, false) WHERE id = $1`,
          [id],
        );
      if (change === 3)
        await db.query(`UPDATE mailbox_reports SET status = $2 WHERE id = $1`, [
          id,
          pick(['spam', 'rejected', 'in_progress', 'reopened', 'closed', 'merged']),
        ]);
      if (change === 4)
        await db.query(
          `UPDATE mailbox_reports SET rating = $2, rated_at = coalesce(rated_at, received_at + interval '10 days') WHERE id = $1`,
          [id, 1 + Math.floor(rnd() * 5)],
        );
      if (change === 5) await db.query(`UPDATE mailbox_reports SET unit_id = $2 WHERE id = $1`, [id, pick(wards)]);
      if (change === 6)
        await db.query(
          `UPDATE mailbox_reports SET deadline_at = received_at + make_interval(hours => $2) WHERE id = $1`,
          [id, Math.floor(rnd() * 500)],
        );
      if (change === 7) await db.query(`UPDATE mailbox_reports SET title = 'Đã sửa tiêu đề' WHERE id = $1`, [id]); // changes nothing counted
    }
    // reopened events, and a deleted report (the resident asked for erasure)
    await db.query(
      `INSERT INTO mailbox_events (report_id, at, kind, visibility, actor_label) SELECT id, first_answered_at + interval '3 days', 'reopened', 'internal', 'resident' FROM mailbox_reports WHERE code LIKE 'RU-%' AND status = 'reopened' AND first_answered_at IS NOT NULL`,
    );
    const gone = ids[17];
    await db.query(`DELETE FROM mailbox_events WHERE report_id = $1`, [gone]);
    await db.query(`DELETE FROM mailbox_reports WHERE id = $1`, [gone]);
  }, 120_000);

  afterAll(() => db?.close());

  const periods: [string, Date, Date][] = [
    ['December 2025', vn('2025-12-01'), vn('2026-01-01')],
    ['January 2026', vn('2026-01-01'), vn('2026-02-01')],
    ['February 2026', vn('2026-02-01'), vn('2026-03-01')],
    ['the quarter', vn('2026-01-01'), vn('2026-04-01')],
    ['the whole history and beyond', vn('2025-01-01'), vn('2027-01-01')],
    ['one day', vn('2026-01-15'), vn('2026-01-16')],
    ['a period still running', vn('2026-03-01'), new Date(Date.now() + 10 * 24 * HOUR)],
  ];

  it.each(periods)(
    'gives the same figures as the reports for %s, for the province and one ward',
    async (_name, from, to) => {
      for (const unitPath of [path, wardPath]) {
        const q = { unitPath, from, to };
        const [fast, plain] = await Promise.all([figures(db, q), figures(db, q, { source: 'reports' })]);
        expect(fast).toEqual(plain);
      }
    },
  );

  it('has non-trivial figures to compare (the test would prove nothing on zeros)', async () => {
    const f = await figures(db, { unitPath: path, from: vn('2025-12-01'), to: vn('2026-04-01') });
    expect(f.received).toBeGreaterThan(150);
    expect(f.answered).toBeGreaterThan(50);
    expect(f.overdueNow).toBeGreaterThan(5);
    expect(f.ratingCount).toBeGreaterThan(10);
    expect(f.reopened).toBeGreaterThan(0);
    expect(f.byAgency.map((b) => b.key)).toContain('unassigned');
    const jan = await figures(db, { unitPath: path, from: vn('2026-01-01'), to: vn('2026-02-01') });
    expect(jan.overdueNow).toBeGreaterThan(0);
  });

  it('keeps the rollup equal to a full recount from the reports', async () => {
    const read = () =>
      db.query(`SELECT unit_id, day::text AS day, category_id, agency_id, received, accepted, answered, answered_on_time, rating_sum, rating_count, overdue_delta
      FROM mailbox_daily WHERE received <> 0 OR accepted <> 0 OR answered <> 0 OR answered_on_time <> 0 OR rating_sum <> 0 OR rating_count <> 0 OR overdue_delta <> 0
      ORDER BY 1, 2, 3, 4`);
    const kept = await read();
    await db.query(`SELECT mailbox_daily_rebuild()`);
    expect(await read()).toEqual(kept);
    expect(kept.length).toBeGreaterThan(100);
  });

  it('counts a report answered exactly at midnight as no longer overdue from that midnight', async () => {
    const unit = (await db.one<{ id: number }>(`SELECT id FROM units WHERE code = 'RU-1'`))!.id;
    const cat = (await db.one<{ id: number }>(`SELECT id FROM mailbox_categories WHERE code = 'ru-1'`))!.id;
    const q = (from: string, to: string) => ({ unitPath: wardPath, from: vn(from), to: vn(to) });
    // reports of the random history are settled by July: their overdue count no longer changes
    const before = await figures(db, q('2026-07-01', '2026-07-10'));
    await db.query(
      `INSERT INTO mailbox_reports (code, token_hash, api_token, category_id, unit_id, title, description, status, received_at, deadline_at, first_answered_at, answered_at, answered_on_time)
       VALUES ('RU-MID', 'RU-MID', 'RU-MID', $1, $2, 'Nửa đêm', 'Nửa đêm', 'answered', '2026-07-01T08:00:00+07:00', '2026-07-05T17:00:00+07:00', '2026-07-08T00:00:00+07:00', '2026-07-08T00:00:00+07:00', false)`,
      [cat, unit],
    );
    const overdueAt = async (day: string) => (await figures(db, q('2026-07-01', day))).overdueNow - before.overdueNow;
    expect(await overdueAt('2026-07-05')).toBe(0); // deadline not yet passed
    expect(await overdueAt('2026-07-06')).toBe(1);
    expect(await overdueAt('2026-07-08')).toBe(0); // answered at that very midnight
    for (const day of ['2026-07-05', '2026-07-06', '2026-07-07', '2026-07-08']) {
      const plain = await figures(db, q('2026-07-01', day), { source: 'reports' });
      expect((await figures(db, q('2026-07-01', day))).overdueNow).toBe(plain.overdueNow);
    }
  });
});
