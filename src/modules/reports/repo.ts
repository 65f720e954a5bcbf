/** The reports module's SQL: its own report_runs table and reads of the platform's units and accounts. */
import type { Db } from '../../db/client.js';

export interface ReportUnit {
  id: number;
  code: string;
  name: string;
  full_name: string;
  name_en: string | null;
  path: string;
  depth: number;
  retired_at: Date | null;
}

const UNIT_COLS = `id, code, full_name, name, name_en, path::text AS path, depth, retired_at`;

export const unitById = (db: Db, id: number) => db.one<ReportUnit>(`SELECT ${UNIT_COLS} FROM units WHERE id = $1`, [id]);
export const unitByCode = (db: Db, code: string) => db.one<ReportUnit>(`SELECT ${UNIT_COLS} FROM units WHERE code = $1`, [code]);
export const unitByPath = (db: Db, path: string) => db.one<ReportUnit>(`SELECT ${UNIT_COLS} FROM units WHERE path = $1::ltree`, [path]);

/** Children of a unit that existed during the period: active ones and those retired after it began. */
export const childrenDuring = (db: Db, parentId: number, start: Date) =>
  db.query<ReportUnit>(
    `SELECT ${UNIT_COLS} FROM units WHERE parent_id = $1 AND (retired_at IS NULL OR retired_at > $2) ORDER BY full_name`,
    [parentId, start],
  );

/** Units within the given subtrees, active ones, for the unit picker. */
export const unitsWithin = (db: Db, paths: string[]) =>
  db.query<ReportUnit>(
    `SELECT ${UNIT_COLS} FROM units WHERE retired_at IS NULL AND path <@ ANY($1::ltree[]) ORDER BY path`,
    [paths],
  );

/** Units that have leaders (admins granted on the unit itself) to receive the monthly report. */
export const unitsWithLeaders = (db: Db) =>
  db.query<ReportUnit>(
    `SELECT ${UNIT_COLS} FROM units u WHERE retired_at IS NULL AND EXISTS (
       SELECT 1 FROM role_grants g JOIN users s ON s.id = g.user_id WHERE g.unit_id = u.id AND g.role = 'admin' AND s.disabled_at IS NULL)
     ORDER BY path`,
  );

export const leadersOf = (db: Db, unitId: number) =>
  db.query<{ id: number; email: string; name: string; locale: string }>(
    `SELECT DISTINCT s.id, s.email, s.name, s.locale FROM role_grants g JOIN users s ON s.id = g.user_id
     WHERE g.unit_id = $1 AND g.role = 'admin' AND s.disabled_at IS NULL ORDER BY s.id`,
    [unitId],
  );

export const userById = (db: Db, id: number) => db.one<{ id: number; email: string; name: string; locale: string }>(`SELECT id, email, name, locale FROM users WHERE id = $1`, [id]);

export interface RunRow {
  id: number;
  user_id: number;
  unit_id: number;
  date_from: string;
  date_to: string;
  locale: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  result: unknown;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export async function insertRun(db: Db, r: { userId: number; unitId: number; from: string; to: string; locale: string }): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO report_runs (user_id, unit_id, date_from, date_to, locale) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [r.userId, r.unitId, r.from, r.to, r.locale],
  );
  return row!.id;
}

/** A run the same user asked for with the same unit and dates that is waiting, running or done today. */
export const findReusableRun = (db: Db, r: { userId: number; unitId: number; from: string; to: string }) =>
  db.one<RunRow>(
    `SELECT * FROM report_runs WHERE user_id = $1 AND unit_id = $2 AND date_from = $3 AND date_to = $4
       AND status <> 'failed' AND created_at > now() - interval '1 day' ORDER BY id DESC LIMIT 1`,
    [r.userId, r.unitId, r.from, r.to],
  );

export const runById = (db: Db, id: number) => db.one<RunRow>(`SELECT * FROM report_runs WHERE id = $1`, [id]);

export const runsOf = (db: Db, userId: number, limit = 10) =>
  db.query<RunRow>(`SELECT id, user_id, unit_id, date_from, date_to, locale, status, NULL AS result, error, created_at, finished_at FROM report_runs WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, [userId, limit]);

export const markRunning = (db: Db, id: number) => db.query(`UPDATE report_runs SET status = 'running' WHERE id = $1`, [id]);
export const finishRun = (db: Db, id: number, result: unknown) =>
  db.query(`UPDATE report_runs SET status = 'done', result = $2, finished_at = now(), error = NULL WHERE id = $1`, [id, JSON.stringify(result)]);
export const failRun = (db: Db, id: number, error: string) =>
  db.query(`UPDATE report_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, error]);

/** Cached figures of a closed period, if computed within `maxAgeSeconds`. */
export const cachedFigures = (db: Db, unitPath: string, from: string, to: string, maxAgeSeconds: number) =>
  db.one<{ figures: unknown }>(
    `SELECT figures FROM report_figure_cache WHERE unit_path = $1 AND date_from = $2 AND date_to = $3 AND computed_at > now() - make_interval(secs => $4)`,
    [unitPath, from, to, maxAgeSeconds],
  );

export const storeFigures = (db: Db, unitPath: string, from: string, to: string, figures: unknown) =>
  db.query(
    `INSERT INTO report_figure_cache (unit_path, date_from, date_to, figures) VALUES ($1, $2, $3, $4)
     ON CONFLICT (unit_path, date_from, date_to) DO UPDATE SET figures = EXCLUDED.figures, computed_at = now()`,
    [unitPath, from, to, JSON.stringify(figures)],
  );

export const pruneFigureCache = (db: Db, maxAgeSeconds: number) =>
  db.query(`DELETE FROM report_figure_cache WHERE computed_at < now() - make_interval(secs => $1)`, [maxAgeSeconds]);
