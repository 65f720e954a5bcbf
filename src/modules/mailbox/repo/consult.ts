/** SQL of consultations (an opinion asked of another agency) and of the deadline paused while the resident is asked. */
import type { Db } from '../../../db/client.js';

export interface Consultation {
  id: number;
  report_id: number;
  agency_id: number;
  agency_name: string;
  agency_name_en: string | null;
  question: string;
  days: number;
  deadline_at: Date;
  asked_by: number | null;
  asked_by_name: string | null;
  asked_at: Date;
  answer: string | null;
  answered_by: number | null;
  answered_by_name: string | null;
  answered_at: Date | null;
}

const SELECT = `SELECT c.*, a.name AS agency_name, a.name_en AS agency_name_en, ua.name AS asked_by_name, ub.name AS answered_by_name
  FROM mailbox_consultations c JOIN agencies a ON a.id = c.agency_id
  LEFT JOIN users ua ON ua.id = c.asked_by LEFT JOIN users ub ON ub.id = c.answered_by`;

export const listConsultations = (db: Db, reportId: number) =>
  db.query<Consultation>(`${SELECT} WHERE c.report_id = $1 ORDER BY c.asked_at, c.id`, [reportId]);

export const findConsultation = (db: Db, id: number, lock = false) =>
  db.one<Consultation>(`${SELECT} WHERE c.id = $1${lock ? ' FOR UPDATE OF c' : ''}`, [id]);

export async function insertConsultation(
  db: Db,
  c: { reportId: number; agencyId: number; question: string; days: number; deadlineAt: Date; askedBy: number },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO mailbox_consultations (report_id, agency_id, question, days, deadline_at, asked_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
    [c.reportId, c.agencyId, c.question, c.days, c.deadlineAt, c.askedBy],
  );
  return row!.id;
}

export async function answerConsultation(db: Db, id: number, answer: string, by: number): Promise<void> {
  await db.query(`UPDATE mailbox_consultations SET answer = $2, answered_by = $3, answered_at = now() WHERE id = $1`, [
    id,
    answer,
    by,
  ]);
}

export interface Pause {
  id: number;
  report_id: number;
  paused_at: Date;
  days_left: number;
  old_deadline: Date;
}

export const openPause = (db: Db, reportId: number) =>
  db.one<Pause>(
    `SELECT id, report_id, paused_at, days_left, old_deadline FROM mailbox_deadline_pauses WHERE report_id = $1 AND resumed_at IS NULL`,
    [reportId],
  );

export async function insertPause(db: Db, reportId: number, daysLeft: number, oldDeadline: Date): Promise<void> {
  await db.query(`INSERT INTO mailbox_deadline_pauses (report_id, days_left, old_deadline) VALUES ($1, $2, $3)`, [
    reportId,
    daysLeft,
    oldDeadline,
  ]);
}

export async function endPause(db: Db, id: number, newDeadline: Date | null): Promise<void> {
  await db.query(`UPDATE mailbox_deadline_pauses SET resumed_at = now(), new_deadline = $2 WHERE id = $1`, [
    id,
    newDeadline,
  ]);
}

export async function setDeadline(db: Db, reportId: number, deadline: Date | null): Promise<void> {
  await db.query(`UPDATE mailbox_reports SET deadline_at = $2, reminded_at = NULL, updated_at = now() WHERE id = $1`, [
    reportId,
    deadline,
  ]);
}

/** Active handlers (by grant) who may work on a report of this unit and agency: the people a report can be assigned to. */
export const assignableHandlers = (db: Db, unitPath: string, agencyId: number | null, sharedAgencyIds: number[]) =>
  db.query<{ id: number; name: string; email: string }>(
    `SELECT DISTINCT us.id, us.name, us.email FROM role_grants g JOIN units u ON u.id = g.unit_id JOIN users us ON us.id = g.user_id
     WHERE g.role = 'handler' AND $1::ltree <@ u.path AND us.disabled_at IS NULL
       AND (g.agency_id IS NULL OR g.agency_id = $2 OR g.agency_id = ANY($3::int[]))
     ORDER BY us.name, us.id`,
    [unitPath, agencyId, sharedAgencyIds],
  );

export async function setAssignee(db: Db, reportId: number, userId: number | null): Promise<void> {
  await db.query(`UPDATE mailbox_reports SET assignee_id = $2, updated_at = now() WHERE id = $1`, [reportId, userId]);
}

export const userName = (db: Db, id: number) =>
  db.one<{ id: number; name: string }>(`SELECT id, name FROM users WHERE id = $1`, [id]);
