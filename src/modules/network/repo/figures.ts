/**
 * The network's figures for the reports module: one unit subtree, one period [from, to).
 *
 * Clicks and reported shares come from the daily rollup (migration 002_daily_rollup.sql, kept exact by
 * triggers) when the period starts and ends at a Vietnam midnight — every report period does — and from
 * the rows otherwise. Distinct people (members, active members) and training are read from their rows.
 * Training counts what happened in the period: courses assigned to members, assigned courses completed
 * (certificate issued) and quiz attempts passed, so a period's figures never change once it is over.
 */
import type { Db } from '../../../db/client.js';
import { isVnMidnight, vnDate, type FigureQuery, type NetworkFigures } from '../../../platform/figures.js';
import { MEMBER_PAIRS } from '../repo.js';
import { practiceFigures } from './practice.js';

/** The ids of the subtree's units: the planner then uses the (unit_id, …) indexes for a whole province. */
const SUBTREE = `ARRAY(SELECT id FROM units WHERE path <@ $1::ltree)`;

const reach = (db: Db, q: FigureQuery, daily: boolean) =>
  daily
    ? db.one<{ clicks: number; shares: number }>(
        `SELECT coalesce(sum(d.clicks), 0)::int AS clicks, coalesce(sum(d.shares), 0)::int AS shares
         FROM network_daily d WHERE d.unit_id = ANY(${SUBTREE}) AND d.day >= $2::date AND d.day < $3::date`,
        [q.unitPath, vnDate(q.from), vnDate(q.to)],
      )
    : db.one<{ clicks: number; shares: number }>(
        `SELECT (SELECT count(*)::int FROM network_clicks k JOIN units u ON u.id = k.unit_id WHERE u.path <@ $1::ltree AND k.at >= $2 AND k.at < $3) AS clicks,
           (SELECT count(*)::int FROM network_shares s JOIN units u ON u.id = s.unit_id WHERE u.path <@ $1::ltree AND s.at >= $2 AND s.at < $3) AS shares`,
        [q.unitPath, q.from, q.to],
      );

const people = (db: Db, q: FigureQuery) =>
  db.one<{ members: number; active: number; campaigns: number }>(
    `SELECT
       (SELECT count(DISTINCT g.user_id)::int FROM role_grants g WHERE g.role = 'member' AND g.unit_id = ANY(${SUBTREE}) AND g.created_at < $3) AS members,
       (SELECT count(*)::int FROM (
          SELECT r.user_id FROM network_recipients r WHERE r.unit_id = ANY(${SUBTREE}) AND r.opened_at >= $2 AND r.opened_at < $3
          UNION SELECT s.user_id FROM network_shares s WHERE s.unit_id = ANY(${SUBTREE}) AND s.at >= $2 AND s.at < $3) x) AS active,
       (SELECT count(*)::int FROM network_campaigns c WHERE c.starts_at >= $2 AND c.starts_at < $3
          AND EXISTS (SELECT 1 FROM network_recipients r WHERE r.campaign_id = c.id AND r.unit_id = ANY(${SUBTREE}))) AS campaigns`,
    [q.unitPath, q.from, q.to],
  );

const training = (db: Db, q: FigureQuery) =>
  db.one<{ assigned: number; completed: number; attempts: number; passes: number }>(
    `WITH ${MEMBER_PAIRS.replace('%FILTER%', 'mu.path <@ $1::ltree')}
     SELECT (SELECT count(*)::int FROM pairs WHERE assigned_at >= $2 AND assigned_at < $3) AS assigned,
       (SELECT count(*)::int FROM pairs p JOIN network_certificates k ON k.user_id = p.user_id AND k.course_id = p.course_id
          WHERE k.issued_at >= $2 AND k.issued_at < $3) AS completed,
       (SELECT count(*)::int FROM network_quiz_attempts qa JOIN m ON m.user_id = qa.user_id WHERE qa.at >= $2 AND qa.at < $3) AS attempts,
       (SELECT count(*)::int FROM network_quiz_attempts qa JOIN m ON m.user_id = qa.user_id WHERE qa.at >= $2 AND qa.at < $3 AND qa.passed) AS passes`,
    [q.unitPath, q.from, q.to],
  );

/** The period's figures; `source: 'rows'` counts clicks and shares from their rows (the reference the rollup is tested against). */
export async function figures(
  db: Db,
  q: FigureQuery,
  opts: { source?: 'auto' | 'rows' } = {},
): Promise<NetworkFigures> {
  const daily = opts.source !== 'rows' && isVnMidnight(q.from) && isVnMidnight(q.to);
  const [r, p, t, x] = await Promise.all([
    reach(db, q, daily),
    people(db, q),
    training(db, q),
    practiceFigures(db, q.unitPath, q.from, q.to, vnDate(q.from), vnDate(q.to)),
  ]);
  return {
    members: p!.members,
    activeMembers: p!.active,
    campaigns: p!.campaigns,
    clicks: r!.clicks,
    reportedShares: r!.shares,
    clicksPer100Members: p!.members > 0 ? Math.round((r!.clicks / p!.members) * 1000) / 10 : null,
    trainingAssigned: t!.assigned,
    trainingCompleted: t!.completed,
    trainingPassRate: t!.attempts > 0 ? Math.round((t!.passes / t!.attempts) * 1000) / 1000 : null,
    sessions: x!.sessions,
    sessionParticipants: x!.participants,
    awards: x!.awards,
    groupReach: x!.reach,
  };
}

/** Rows where the kept rollup and a recount differ (none, unless rows were written with triggers off). */
export const rollupDifferences = (db: Db) =>
  db
    .one<{ n: number }>(
      `WITH fresh AS (
       SELECT unit_id, day, sum(clicks)::int AS clicks, sum(shares)::int AS shares FROM (
         SELECT unit_id, vn_day(at) AS day, count(*) AS clicks, 0 AS shares FROM network_clicks GROUP BY 1, 2
         UNION ALL SELECT unit_id, vn_day(at), 0, count(*) FROM network_shares GROUP BY 1, 2) x GROUP BY 1, 2
     ), kept AS (SELECT unit_id, day, clicks, shares FROM network_daily WHERE clicks <> 0 OR shares <> 0)
     SELECT count(*)::int AS n FROM ((SELECT * FROM fresh EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM fresh)) d`,
    )
    .then((r) => r!.n);

export const rebuildRollup = (db: Db) => db.query(`SELECT network_daily_rebuild()`);
