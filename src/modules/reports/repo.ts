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

export const unitById = (db: Db, id: number) =>
  db.one<ReportUnit>(`SELECT ${UNIT_COLS} FROM units WHERE id = $1`, [id]);
export const unitByCode = (db: Db, code: string) =>
  db.one<ReportUnit>(`SELECT ${UNIT_COLS} FROM units WHERE code = $1`, [code]);
export const unitByPath = (db: Db, path: string) =>
  db.one<ReportUnit>(`SELECT ${UNIT_COLS} FROM units WHERE path = $1::ltree`, [path]);

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

/**
 * Who receives a unit's monthly report: its admins (granted on the unit itself) unless they opted out, and
 * users who opted in while holding one of `viewRoles` on the unit or above it. Disabled accounts never.
 * A condition on `s` (users) and `u` (units); the queries using it pass the roles as $1.
 */
const RECIPIENT_OF_UNIT = `s.disabled_at IS NULL AND (
    (EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = s.id AND g.unit_id = u.id AND g.role = 'admin')
      AND NOT EXISTS (SELECT 1 FROM report_mail_choices c WHERE c.user_id = s.id AND c.unit_id = u.id AND NOT c.wants))
    OR (EXISTS (SELECT 1 FROM report_mail_choices c WHERE c.user_id = s.id AND c.unit_id = u.id AND c.wants)
      AND EXISTS (SELECT 1 FROM role_grants g JOIN units gu ON gu.id = g.unit_id WHERE g.user_id = s.id AND g.role = ANY($1::text[]) AND u.path <@ gu.path)))`;

/** Units whose monthly report has at least one recipient. */
export const unitsWithRecipients = (db: Db, viewRoles: readonly string[]) =>
  db.query<ReportUnit>(
    `SELECT ${UNIT_COLS} FROM units u WHERE u.retired_at IS NULL
       AND (u.id IN (SELECT unit_id FROM role_grants WHERE role = 'admin') OR u.id IN (SELECT unit_id FROM report_mail_choices WHERE wants))
       AND EXISTS (SELECT 1 FROM users s WHERE ${RECIPIENT_OF_UNIT})
     ORDER BY path`,
    [viewRoles],
  );

export const recipientsOf = (db: Db, unitId: number, viewRoles: readonly string[]) =>
  db.query<{ id: number; email: string; name: string; locale: string }>(
    `SELECT s.id, s.email, s.name, s.locale FROM users s, units u WHERE u.id = $2 AND ${RECIPIENT_OF_UNIT} ORDER BY s.id`,
    [viewRoles, unitId],
  );

export interface MailChoiceRow extends ReportUnit {
  leader: boolean;
  wants: boolean | null;
}

/** The units a user leads (and so receives by default) or made a choice about. */
export const mailChoicesOf = (db: Db, userId: number) =>
  db.query<MailChoiceRow>(
    `SELECT u.id, u.code, u.full_name, u.name, u.name_en, u.path::text AS path, u.depth, u.retired_at,
            EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = $1 AND g.unit_id = u.id AND g.role = 'admin') AS leader, c.wants
     FROM units u LEFT JOIN report_mail_choices c ON c.unit_id = u.id AND c.user_id = $1
     WHERE u.retired_at IS NULL AND (c.user_id IS NOT NULL OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = $1 AND g.unit_id = u.id AND g.role = 'admin'))
     ORDER BY u.path`,
    [userId],
  );

export const setMailChoice = (db: Db, userId: number, unitId: number, wants: boolean) =>
  db.query(
    `INSERT INTO report_mail_choices (user_id, unit_id, wants) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, unit_id) DO UPDATE SET wants = EXCLUDED.wants, updated_at = now()`,
    [userId, unitId, wants],
  );

export const userById = (db: Db, id: number) =>
  db.one<{ id: number; email: string; name: string; locale: string }>(
    `SELECT id, email, name, locale FROM users WHERE id = $1`,
    [id],
  );

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

export async function insertRun(
  db: Db,
  r: { userId: number; unitId: number; from: string; to: string; locale: string },
): Promise<number> {
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
  db.query<RunRow>(
    `SELECT id, user_id, unit_id, date_from, date_to, locale, status, NULL AS result, error, created_at, finished_at FROM report_runs WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
    [userId, limit],
  );

export const markRunning = (db: Db, id: number) =>
  db.query(`UPDATE report_runs SET status = 'running' WHERE id = $1`, [id]);
export const finishRun = (db: Db, id: number, result: unknown) =>
  db.query(`UPDATE report_runs SET status = 'done', result = $2, finished_at = now(), error = NULL WHERE id = $1`, [
    id,
    JSON.stringify(result),
  ]);
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
