/**
 * Keeping a case while others help: an opinion asked of another agency (with its own working-day deadline,
 * answered inside the case), the deadline paused while the resident is asked for information, a new deadline
 * on reopening, and assigning the case to a person.
 */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, inSubtree, type Principal } from '../../../platform/auth/permissions.js';
import { localDate } from '../../../platform/i18n/index.js';
import { mayOnReport } from './access.js';
import * as crepo from '../repo/consult.js';
import { addWorkingDays, workingDaysBetween } from './deadline.js';
import * as repo from '../repo.js';
import { isOpen } from './rules.js';
import { PracticeError } from './errors.js';
import { queueStaffEvent } from './staff-notify.js';

export const CONSULT_LIMITS = { question: 2000, questionMin: 5, answer: 5000, daysMax: 30 };

/** A date as staff read it in both languages (dd/mm/yyyy, Vietnam time). */
export function dmy(d: Date | string): string {
  const [y, m, day] = localDate(new Date(d)).split('-');
  return `${day}/${m}/${y}`;
}

const holidays = async (db: Db) => new Set(await repo.listHolidays(db));

/** An agency may take part in a report of its own unit, of a unit above (a city department) or below it. */
const onLine = (agencyPath: string, reportPath: string) =>
  inSubtree(reportPath, agencyPath) || inSubtree(agencyPath, reportPath);

async function lockedReport(tx: Db, p: Principal, id: number, actions: string[]) {
  const r = await repo.reportById(tx, id, true);
  if (!r) throw new PracticeError(404, 'inbox.err.notFound');
  const ref = { ...r, shared_agency_ids: await repo.sharedAgencyIds(tx, r.id) };
  if (!actions.some((a) => mayOnReport(p, a, ref))) throw new PracticeError(404, 'inbox.err.notFound');
  return r;
}

export interface ConsultInput {
  agency: string;
  question: string;
  days: string;
}

/** Asks another agency for an opinion; its handlers see the case until they answer. */
export async function askOpinion(
  deps: Pick<Deps, 'db'>,
  a: Actor,
  reportId: number,
  input: ConsultInput,
): Promise<number> {
  const { principal: p, ip } = a;
  const question = input.question.trim();
  const days = /^\s*\d{1,3}\s*$/.test(input.days) ? Number(input.days) : Number.NaN;
  if (!/^\d{1,9}$/.test(input.agency.trim())) throw new PracticeError(422, 'consult.err.agency', 'consult_agency');
  if (question.length < CONSULT_LIMITS.questionMin || question.length > CONSULT_LIMITS.question)
    throw new PracticeError(422, 'consult.err.question', 'consult_question');
  if (!Number.isInteger(days) || days < 1 || days > CONSULT_LIMITS.daysMax)
    throw new PracticeError(422, 'consult.err.days', 'consult_days');
  return deps.db.tx(async (tx) => {
    const r = await lockedReport(tx, p, reportId, ['mailbox.answer', 'mailbox.triage']);
    if (!isOpen(r.status)) throw new PracticeError(409, 'consult.err.closed');
    const agency = await repo.findAgency(tx, Number(input.agency));
    if (!agency || agency.id === r.agency_id || !onLine(agency.unit_path, r.unit_path))
      throw new PracticeError(422, 'consult.err.agency', 'consult_agency');
    const deadline = addWorkingDays(new Date(), days, await holidays(tx));
    const id = await crepo.insertConsultation(tx, {
      reportId: r.id,
      agencyId: agency.id,
      question,
      days,
      deadlineAt: deadline,
      askedBy: p.userId,
    });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'consulted',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: p.name,
      body: question,
      data: { agency: agency.name, agency_en: agency.name_en ?? agency.name, date: dmy(deadline) },
    });
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: 'mailbox.consult',
      entityType: 'mailbox.report',
      entityId: r.code,
      unitId: r.unit_id,
      ip,
      data: { consultation: id, agency: agency.id, days, deadline: deadline.toISOString() },
    });
    await queueStaffEvent(tx, { kind: 'consult', reportId: r.id, agencyId: agency.id, actorId: p.userId });
    return id;
  });
}

/** True when `p` answers for the consulted agency on this report (a handler tied to it, or an admin over the report). */
export function answersFor(p: Principal | null | undefined, c: { agency_id: number }, reportPath: string): boolean {
  if (!p) return false;
  return p.grants.some(
    (g) =>
      inSubtree(reportPath, g.unitPath) && (g.role === 'admin' || (g.role === 'handler' && g.agencyId === c.agency_id)),
  );
}

/** The consulted agency's answer, recorded inside the case; the agency stops seeing the case unless it is shared with it. */
export async function answerOpinion(
  deps: Pick<Deps, 'db'>,
  a: Actor,
  reportId: number,
  consultationId: number,
  answer: string,
): Promise<void> {
  const { principal: p, ip } = a;
  const text = answer.trim();
  if (!text || text.length > CONSULT_LIMITS.answer)
    throw new PracticeError(422, 'consult.err.answer', 'consult_answer');
  await deps.db.tx(async (tx) => {
    const c = await crepo.findConsultation(tx, consultationId, true);
    if (!c || c.report_id !== reportId) throw new PracticeError(404, 'inbox.err.notFound');
    const r = await repo.reportById(tx, c.report_id);
    if (!r) throw new PracticeError(404, 'inbox.err.notFound');
    if (!answersFor(p, c, r.unit_path)) throw new PracticeError(422, 'consult.err.notYours', 'consult_answer');
    if (c.answered_at) throw new PracticeError(409, 'consult.err.done', 'consult_answer');
    await crepo.answerConsultation(tx, c.id, text, p.userId);
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'consultAnswered',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: p.name,
      body: text,
      data: { agency: c.agency_name, agency_en: c.agency_name_en ?? c.agency_name },
    });
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: 'mailbox.consult-answer',
      entityType: 'mailbox.report',
      entityId: r.code,
      unitId: r.unit_id,
      ip,
      data: { consultation: c.id, agency: c.agency_id },
    });
  });
}

/**
 * A question to the resident stops the clock: the working days left are kept and the deadline cleared,
 * so reminders, escalation and the overdue figures leave the report alone. Called inside the question's transaction.
 */
export async function pauseForQuestion(tx: Db, r: { id: number; deadline_at: Date | null }): Promise<void> {
  if (!r.deadline_at || (await crepo.openPause(tx, r.id))) return;
  const now = new Date();
  if (new Date(r.deadline_at).getTime() <= now.getTime()) return; // an overdue report stays overdue
  const left = Math.max(0, workingDaysBetween(now, new Date(r.deadline_at), await holidays(tx)));
  await crepo.insertPause(tx, r.id, left, new Date(r.deadline_at));
  await crepo.setDeadline(tx, r.id, null);
  await repo.insertEvent(tx, {
    reportId: r.id,
    kind: 'deadlinePaused',
    visibility: 'resident',
    actorLabel: 'system',
    data: { n: left },
  });
}

/** The resident's answer starts the clock again with the working days that were left. */
export async function resumeOnAnswer(tx: Db, reportId: number): Promise<void> {
  const pause = await crepo.openPause(tx, reportId);
  if (!pause) return;
  const deadline = addWorkingDays(new Date(), pause.days_left, await holidays(tx));
  await crepo.endPause(tx, pause.id, deadline);
  await crepo.setDeadline(tx, reportId, deadline);
  await repo.insertEvent(tx, {
    reportId,
    kind: 'deadlineResumed',
    visibility: 'resident',
    actorLabel: 'system',
    data: { n: pause.days_left, date: dmy(deadline) },
  });
}

/** Reopening has set a new deadline (the category's handling time from today): a pause left open ends, the timeline says when. */
export async function afterReopen(tx: Db, reportId: number): Promise<void> {
  const pause = await crepo.openPause(tx, reportId);
  const r = await repo.reportById(tx, reportId);
  if (pause) await crepo.endPause(tx, pause.id, r?.deadline_at ?? null);
  if (r?.deadline_at)
    await repo.insertEvent(tx, {
      reportId,
      kind: 'deadlineReset',
      visibility: 'resident',
      actorLabel: 'system',
      data: { date: dmy(r.deadline_at) },
    });
  await queueStaffEvent(tx, { kind: 'reopened', reportId });
}

/** Assigns the case to a handler who covers it (or to nobody); the person is told. */
export async function assign(
  deps: Pick<Deps, 'db'>,
  a: Actor,
  reportId: number,
  assignee: string,
): Promise<{ code: string }> {
  const { principal: p, ip } = a;
  const raw = assignee.trim();
  if (raw !== '' && !/^\d{1,9}$/.test(raw)) throw new PracticeError(422, 'assign.err', 'assignee');
  return deps.db.tx(async (tx) => {
    const r = await lockedReport(tx, p, reportId, ['mailbox.triage']);
    const shared = await repo.sharedAgencyIds(tx, r.id);
    const userId = raw ? Number(raw) : null;
    const person = userId
      ? (await crepo.assignableHandlers(tx, r.unit_path, r.agency_id, shared)).find((h) => h.id === userId)
      : null;
    if (userId && !person) throw new PracticeError(422, 'assign.err', 'assignee');
    if ((r.assignee_id ?? null) === userId) return { code: r.code };
    await crepo.setAssignee(tx, r.id, userId);
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: person ? 'assignedTo' : 'unassigned',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: p.name,
      data: person ? { name: person.name } : {},
    });
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: 'mailbox.assign',
      entityType: 'mailbox.report',
      entityId: r.code,
      unitId: r.unit_id,
      ip,
      data: { old: r.assignee_id, new: userId },
    });
    if (userId && userId !== p.userId)
      await queueStaffEvent(tx, { kind: 'assigned', reportId: r.id, userId, actorId: p.userId });
    return { code: r.code };
  });
}

export interface CasePractice {
  consultations: crepo.Consultation[];
  /** ids of the consultations this person answers */
  answerable: number[];
  pause: crepo.Pause | null;
  mayConsult: boolean;
  mayAssign: boolean;
  assignees: { id: number; name: string }[];
  assigneeName: string | null;
}

/** What the case page shows of consultations, the pause and the assignment, and what this person may do with them. */
export async function casePractice(db: Db, p: Principal, r: repo.ReportRow): Promise<CasePractice> {
  const shared = await repo.sharedAgencyIds(db, r.id);
  const ref = { ...r, shared_agency_ids: shared };
  const [consultations, pause, handlers, who] = await Promise.all([
    crepo.listConsultations(db, r.id),
    crepo.openPause(db, r.id),
    crepo.assignableHandlers(db, r.unit_path, r.agency_id, shared),
    r.assignee_id ? crepo.userName(db, r.assignee_id) : Promise.resolve(undefined),
  ]);
  const mayAssign = mayOnReport(p, 'mailbox.triage', ref);
  return {
    consultations,
    answerable: consultations.filter((c) => !c.answered_at && answersFor(p, c, r.unit_path)).map((c) => c.id),
    pause: pause ?? null,
    mayConsult: isOpen(r.status) && (mayOnReport(p, 'mailbox.answer', ref) || mayAssign),
    mayAssign,
    assignees: mayAssign ? handlers : [],
    assigneeName: who?.name ?? null,
  };
}
