/**
 * The mailbox's figures for the reports module and the staff dashboard: one unit subtree, one period [from, to).
 *
 * Counts come from the daily rollup (migration 004_daily_rollup.sql, kept exact by a trigger) when the period
 * starts and ends at a Vietnam midnight — every report period does — and from the reports themselves otherwise.
 * The median time to answer cannot be summed, so it is always read from the reports answered in the period
 * (an index on first_answered_at keeps that to those rows). `figuresFromReports` is the plain reading of every
 * figure; tests hold the two to the same answers.
 */
import type { Db } from '../../../db/client.js';
import {
  isVnMidnight,
  vnDate,
  type Breakdown,
  type FigureQuery,
  type MailboxFigures,
} from '../../../platform/figures.js';
import { OPEN_STATUSES } from '../service/rules.js';

/** The ids of the subtree's units: the planner then uses the (unit_id, …) indexes for a whole province. */
const SUBTREE = `ARRAY(SELECT id FROM units WHERE path <@ $1::ltree)`;

const OPEN_SQL = `'{${OPEN_STATUSES.join(',')}}'::text[]`;

/** Summable counts of one (category, agency) group; agency 0 = not routed yet. */
interface Counts {
  category_id: number;
  agency_id: number;
  received: number;
  accepted: number;
  answered: number;
  on_time: number;
  rating_sum: number;
  rating_count: number;
  overdue: number;
}
interface Median {
  category_id: number | null;
  agency_id: number | null;
  level: number;
  hours: number | null;
}

const SUMS = `sum(received)::int AS received, sum(accepted)::int AS accepted, sum(answered)::int AS answered,
  sum(answered_on_time)::int AS on_time, sum(rating_sum)::int AS rating_sum, sum(rating_count)::int AS rating_count`;

/** Counts of the period from the daily rollup, and the overdue count at midnight `at` (the sum of the windows begun and not ended). */
async function countsFromRollup(db: Db, q: FigureQuery, at: Date | null): Promise<Counts[]> {
  const rows = await db.query<Counts>(
    `SELECT d.category_id, d.agency_id, ${SUMS}, 0 AS overdue
     FROM mailbox_daily d
     WHERE d.unit_id = ANY(${SUBTREE}) AND d.day >= $2::date AND d.day < $3::date
     GROUP BY d.category_id, d.agency_id`,
    [q.unitPath, vnDate(q.from), vnDate(q.to)],
  );
  if (at) {
    const late = await db.query<{ category_id: number; agency_id: number; overdue: number }>(
      `SELECT d.category_id, d.agency_id, sum(d.overdue_delta)::int AS overdue
       FROM mailbox_daily d
       WHERE d.unit_id = ANY(${SUBTREE}) AND d.day < $2::date AND d.overdue_delta <> 0
       GROUP BY d.category_id, d.agency_id`,
      [q.unitPath, vnDate(at)],
    );
    merge(rows, late);
  }
  return rows;
}

/** The same counts read from the reports. */
async function countsFromReports(db: Db, q: FigureQuery): Promise<Counts[]> {
  const inRange = (col: string) => `r.${col} >= $2 AND r.${col} < $3`;
  return db.query<Counts>(
    `SELECT r.category_id, coalesce(r.agency_id, 0) AS agency_id,
       count(*) FILTER (WHERE ${inRange('received_at')})::int AS received,
       count(*) FILTER (WHERE ${inRange('accepted_at')})::int AS accepted,
       count(*) FILTER (WHERE ${inRange('first_answered_at')})::int AS answered,
       count(*) FILTER (WHERE ${inRange('first_answered_at')} AND r.answered_on_time)::int AS on_time,
       coalesce(sum(r.rating) FILTER (WHERE ${inRange('rated_at')}), 0)::int AS rating_sum,
       count(r.rating) FILTER (WHERE ${inRange('rated_at')})::int AS rating_count,
       0 AS overdue
     FROM mailbox_reports r JOIN units u ON u.id = r.unit_id
     WHERE u.path <@ $1::ltree AND r.status <> 'spam'
       AND (${inRange('received_at')} OR ${inRange('accepted_at')} OR ${inRange('first_answered_at')} OR ${inRange('rated_at')})
     GROUP BY 1, 2`,
    [q.unitPath, q.from, q.to],
  );
}

/**
 * Reports open and past their deadline at `at`, read from the reports: those still open (few) and those
 * answered only after `at` (few when `at` is recent).
 */
async function overdueFromReports(db: Db, unitPath: string, at: Date) {
  return db.query<{ category_id: number; agency_id: number; overdue: number }>(
    `SELECT category_id, agency_id, count(*)::int AS overdue FROM (
       SELECT category_id, coalesce(agency_id, 0) AS agency_id FROM mailbox_reports
       WHERE unit_id = ANY(${SUBTREE}) AND status = ANY(${OPEN_SQL}) AND deadline_at < $2 AND received_at < $2
       UNION ALL
       SELECT category_id, coalesce(agency_id, 0) FROM mailbox_reports
       WHERE unit_id = ANY(${SUBTREE}) AND status <> 'spam' AND first_answered_at IS NOT NULL AND first_answered_at > $2
         AND deadline_at < $2 AND received_at < $2 AND NOT status = ANY(${OPEN_SQL}) AND status NOT IN ('rejected', 'merged')
     ) late GROUP BY 1, 2`,
    [unitPath, at],
  );
}

/**
 * Median hours from receipt to first answer, for the whole subtree, each category and each agency.
 * A province's year can hold hundreds of thousands of answers: the three sorts get enough memory not to
 * spill to disk (measured: 880 ms with the default 4 MB, 120 ms with 64 MB, for 400,000 answers).
 */
const medians = (db: Db, q: FigureQuery) =>
  db.tx(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '64MB'`);
    return tx.query<Median>(
      `SELECT category_id, coalesce(agency_id, 0) AS agency_id, GROUPING(category_id, coalesce(agency_id, 0)) AS level,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_answered_at - received_at) / 3600) AS hours
       FROM mailbox_reports
       WHERE unit_id = ANY(${SUBTREE}) AND status <> 'spam' AND first_answered_at IS NOT NULL AND first_answered_at >= $2 AND first_answered_at < $3
       GROUP BY GROUPING SETS ((), (category_id), (coalesce(agency_id, 0)))`,
      [q.unitPath, q.from, q.to],
    );
  });

/** Reopenings in the period: few, so each one looks up its report (a join would read the subtree's reports). */
const reopenedCount = async (db: Db, q: FigureQuery) =>
  (await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM mailbox_events e
     WHERE e.kind = 'reopened' AND e.at >= $2 AND e.at < $3
       AND (SELECT r.unit_id FROM mailbox_reports r WHERE r.id = e.report_id AND r.status <> 'spam') = ANY(${SUBTREE})`,
    [q.unitPath, q.from, q.to],
  ))!.n;

function merge(rows: Counts[], late: { category_id: number; agency_id: number; overdue: number }[]) {
  const byKey = new Map(rows.map((r) => [`${r.category_id}:${r.agency_id}`, r]));
  for (const l of late) {
    const row = byKey.get(`${l.category_id}:${l.agency_id}`);
    if (row) row.overdue += l.overdue;
    else
      rows.push({
        category_id: l.category_id,
        agency_id: l.agency_id,
        received: 0,
        accepted: 0,
        answered: 0,
        on_time: 0,
        rating_sum: 0,
        rating_count: 0,
        overdue: l.overdue,
      });
  }
}

/** The period's figures; `source: 'reports'` reads every count from the reports (the reference the rollup is tested against). */
export async function figures(
  db: Db,
  q: FigureQuery,
  opts: { source?: 'auto' | 'reports' } = {},
): Promise<MailboxFigures> {
  const now = new Date();
  const at = q.to.getTime() > now.getTime() ? now : q.to;
  const daily = opts.source !== 'reports' && isVnMidnight(q.from) && isVnMidnight(q.to);
  const [groups, late, med, reopened, cats, ags] = await Promise.all([
    daily ? countsFromRollup(db, q, isVnMidnight(at) ? at : null) : countsFromReports(db, q),
    daily && isVnMidnight(at) ? Promise.resolve([]) : overdueFromReports(db, q.unitPath, at),
    medians(db, q),
    reopenedCount(db, q),
    db.query<{ id: number; code: string; name: string }>(`SELECT id, code, name FROM mailbox_categories`),
    db.query<{ id: number; code: string; name: string }>(`SELECT id, code, name FROM agencies`),
  ]);
  merge(groups, late);
  return assemble(groups, med, reopened, new Map(cats.map((c) => [c.id, c])), new Map(ags.map((a) => [a.id, a])));
}

const round1 = (n: number | null) => (n == null ? null : Math.round(Number(n) * 10) / 10);

function assemble(
  groups: Counts[],
  med: Median[],
  reopened: number,
  cats: Map<number, { code: string; name: string }>,
  ags: Map<number, { code: string; name: string }>,
): MailboxFigures {
  const zero = (): Omit<Counts, 'category_id' | 'agency_id'> => ({
    received: 0,
    accepted: 0,
    answered: 0,
    on_time: 0,
    rating_sum: 0,
    rating_count: 0,
    overdue: 0,
  });
  const add = (a: ReturnType<typeof zero>, b: Counts) => {
    for (const k of Object.keys(a) as (keyof typeof a)[]) a[k] += Number(b[k]);
  };
  const total = zero();
  const byCat = new Map<number, ReturnType<typeof zero>>();
  const byAg = new Map<number, ReturnType<typeof zero>>();
  for (const g of groups) {
    add(total, g);
    if (!byCat.has(g.category_id)) byCat.set(g.category_id, zero());
    add(byCat.get(g.category_id)!, g);
    if (!byAg.has(g.agency_id)) byAg.set(g.agency_id, zero());
    add(byAg.get(g.agency_id)!, g);
  }
  // GROUPING(): 0 = a category and an agency (not asked), 1 = one category, 2 = one agency, 3 = everything
  const median = (level: number, pick: (m: Median) => number | null, key: number | null) =>
    round1(med.find((m) => m.level === level && pick(m) === key)?.hours ?? null);
  const values = (c: ReturnType<typeof zero>, medianHours: number | null): Record<string, number | null> => ({
    received: c.received,
    answered: c.answered,
    answeredOnTime: c.on_time,
    onTimeRate: c.answered ? c.on_time / c.answered : null,
    medianHoursToAnswer: medianHours,
    overdueNow: c.overdue,
  });
  const keep = ([, c]: [number, ReturnType<typeof zero>]) => c.received + c.answered + c.overdue > 0;
  // most reports first; ties by code, so that the same figures always come in the same order
  const byReceived = (a: Breakdown, b: Breakdown) =>
    Number(b.values.received) - Number(a.values.received) || a.key.localeCompare(b.key);
  const byCategory: Breakdown[] = [...byCat]
    .filter(keep)
    .map(([id, c]) => {
      const cat = cats.get(id);
      return {
        key: cat?.code ?? String(id),
        label: cat?.name ?? String(id),
        values: values(
          c,
          median(1, (m) => m.category_id, id),
        ),
      };
    })
    .sort(byReceived);
  const byAgency: Breakdown[] = [...byAg]
    .filter(keep)
    .map(([id, c]) => {
      const a = ags.get(id);
      return {
        key: a?.code ?? 'unassigned',
        label: a?.name ?? 'Chưa giao',
        values: values(
          c,
          median(2, (m) => m.agency_id, id),
        ),
      };
    })
    .sort(byReceived);
  return {
    received: total.received,
    accepted: total.accepted,
    answered: total.answered,
    answeredOnTime: total.on_time,
    onTimeRate: total.answered ? total.on_time / total.answered : null,
    medianHoursToAnswer: median(3, () => null, null),
    overdueNow: total.overdue,
    reopened,
    ratingAverage: total.rating_count ? Math.round((total.rating_sum / total.rating_count) * 100) / 100 : null,
    ratingCount: total.rating_count,
    byCategory,
    byAgency,
  };
}

/** Rows where the kept rollup and a recount from the reports differ (none, unless rows were written with triggers off). */
export const rollupDifferences = (db: Db) =>
  db
    .one<{ n: number }>(
      `WITH fresh AS (
       SELECT x.unit_id, x.day, x.category_id, x.agency_id, sum(x.received) AS received, sum(x.accepted) AS accepted, sum(x.answered) AS answered,
         sum(x.answered_on_time) AS answered_on_time, sum(x.rating_sum) AS rating_sum, sum(x.rating_count) AS rating_count, sum(x.overdue_delta) AS overdue_delta
       FROM mailbox_reports r, LATERAL mailbox_daily_rows(r, 1) x GROUP BY 1, 2, 3, 4
     ), kept AS (
       SELECT unit_id, day, category_id, agency_id, received, accepted, answered, answered_on_time, rating_sum, rating_count, overdue_delta FROM mailbox_daily
       WHERE (received, accepted, answered, answered_on_time, rating_sum, rating_count, overdue_delta) <> (0, 0, 0, 0, 0, 0, 0)
     )
     SELECT count(*)::int AS n FROM ((SELECT * FROM fresh EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM fresh)) d`,
    )
    .then((r) => r!.n);

export const rebuildRollup = (db: Db) => db.query(`SELECT mailbox_daily_rebuild()`);
