/** SQL for training sessions, awards and the reach of members' groups. */
import type { Db } from '../../../db/client.js';

export interface SessionRow {
  id: number;
  unit_id: number;
  unit_name: string;
  held_on: string;
  place: string;
  topic: string;
  participants: number;
}
export interface AwardRow {
  id: number;
  unit_id: number;
  unit_name: string;
  recipient: string;
  award_type: string;
  level: string;
  decision_number: string;
  decided_on: string;
}
export interface ReachRow {
  id: number;
  group_name: string;
  platform: string;
  reach: number;
  updated_at: Date;
}

export async function insertSession(
  db: Db,
  s: {
    unitId: number;
    heldOn: string;
    place: string;
    topic: string;
    createdBy: number;
    participants: { unitId: number; n: number }[];
  },
): Promise<number> {
  const id = (await db.one<{ id: number }>(
    `INSERT INTO network_training_sessions (unit_id, held_on, place, topic, created_by) VALUES ($1, $2::date, $3, $4, $5) RETURNING id`,
    [s.unitId, s.heldOn, s.place, s.topic, s.createdBy],
  ))!.id;
  await db.query(
    `INSERT INTO network_session_participants (session_id, unit_id, participants)
     SELECT $1, x.unit_id, x.n FROM jsonb_to_recordset($2::jsonb) AS x(unit_id int, n int)`,
    [id, JSON.stringify(s.participants.map((p) => ({ unit_id: p.unitId, n: p.n })))],
  );
  return id;
}

export const sessionsInPaths = (db: Db, paths: string[], limit = 50) =>
  db.query<SessionRow>(
    `SELECT s.id, s.unit_id, u.full_name AS unit_name, to_char(s.held_on, 'YYYY-MM-DD') AS held_on, s.place, s.topic,
       (SELECT coalesce(sum(p.participants), 0)::int FROM network_session_participants p WHERE p.session_id = s.id) AS participants
     FROM network_training_sessions s JOIN units u ON u.id = s.unit_id WHERE u.path <@ ANY($1::ltree[]) ORDER BY s.held_on DESC, s.id DESC LIMIT $2`,
    [paths, limit],
  );

export async function insertAward(
  db: Db,
  a: {
    unitId: number;
    recipient: string;
    type: string;
    level: string;
    decision: string;
    decidedOn: string;
    createdBy: number;
  },
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO network_awards (unit_id, recipient, award_type, level, decision_number, decided_on, created_by) VALUES ($1, $2, $3, $4, $5, $6::date, $7) RETURNING id`,
    [a.unitId, a.recipient, a.type, a.level, a.decision, a.decidedOn, a.createdBy],
  ))!.id;
}

export const awardsInPaths = (db: Db, paths: string[], limit = 50) =>
  db.query<AwardRow>(
    `SELECT a.id, a.unit_id, u.full_name AS unit_name, a.recipient, a.award_type, a.level, a.decision_number, to_char(a.decided_on, 'YYYY-MM-DD') AS decided_on
     FROM network_awards a JOIN units u ON u.id = a.unit_id WHERE u.path <@ ANY($1::ltree[]) ORDER BY a.decided_on DESC, a.id DESC LIMIT $2`,
    [paths, limit],
  );

/** Units in the scope whose name (diacritics folded) or code is exactly `text`. */
export const unitsNamed = (db: Db, paths: string[], text: string) =>
  db.query<{ id: number; full_name: string }>(
    `SELECT id, full_name FROM units WHERE retired_at IS NULL AND path <@ ANY($1::ltree[])
       AND (code = $2 OR vn_fold(full_name) = vn_fold($2) OR vn_fold(name) = vn_fold($2)) ORDER BY depth LIMIT 2`,
    [paths, text],
  );

export const reachOf = (db: Db, userId: number) =>
  db.query<ReachRow>(
    `SELECT id, group_name, platform, reach, updated_at FROM network_group_reach WHERE user_id = $1 ORDER BY platform, group_name`,
    [userId],
  );

export async function upsertReach(
  db: Db,
  r: { userId: number; unitId: number; group: string; platform: string; reach: number },
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO network_group_reach (user_id, unit_id, group_name, platform, reach) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id, platform, group_name) DO UPDATE SET reach = EXCLUDED.reach, unit_id = EXCLUDED.unit_id, updated_at = now() RETURNING id`,
    [r.userId, r.unitId, r.group, r.platform, r.reach],
  ))!.id;
}

/** The report's figures: sessions held and participants (by the participants' units), awards decided, and reach declared by the period's end. */
export const practiceFigures = (db: Db, unitPath: string, from: Date, to: Date, fromDay: string, toDay: string) =>
  db.one<{ sessions: number; participants: number; awards: number; reach: number }>(
    `SELECT
       (SELECT count(*)::int FROM network_training_sessions s JOIN units u ON u.id = s.unit_id WHERE u.path <@ $1::ltree AND s.held_on >= $4::date AND s.held_on < $5::date) AS sessions,
       (SELECT coalesce(sum(p.participants), 0)::int FROM network_session_participants p JOIN network_training_sessions s ON s.id = p.session_id JOIN units u ON u.id = p.unit_id
          WHERE u.path <@ $1::ltree AND s.held_on >= $4::date AND s.held_on < $5::date) AS participants,
       (SELECT count(*)::int FROM network_awards a JOIN units u ON u.id = a.unit_id WHERE u.path <@ $1::ltree AND a.decided_on >= $4::date AND a.decided_on < $5::date) AS awards,
       (SELECT coalesce(sum(r.reach), 0)::int FROM network_group_reach r JOIN units u ON u.id = r.unit_id WHERE u.path <@ $1::ltree AND r.updated_at < $3) AS reach
     WHERE $2::timestamptz IS NOT NULL`,
    [unitPath, from, to, fromDay, toDay],
  );
