/** Statements before release: draft, edit, submit for approval, return to the drafter. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { can, ForbiddenError, inSubtree, type Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import { mayApprove, mayDraft } from './access.js';
import { invalid, type Actor } from './common.js';
import { event, incidentOrThrow, label, statementContext } from './internal.js';

/** Whoever drafted a statement or last changed its text may not approve or release that version (two-person rule). */
export function ownTextKey(
  userId: number,
  s: { drafted_by: number | null; text_edited_by: number | null },
): 'err.ownApproval' | 'err.lastEditorApproval' | null {
  if (s.drafted_by === userId) return 'err.ownApproval';
  if (s.text_edited_by === userId) return 'err.lastEditorApproval';
  return null;
}

export interface StatementInput {
  incidentId: number | null;
  unitId: number;
  kind: repo.StatementKind;
  refersTo: number | null;
  title: string;
  titleEn: string | null;
  body: string;
  bodyEn: string | null;
  listIds: number[];
}

async function checkStatementInput(
  db: Db,
  p: Principal,
  input: StatementInput,
): Promise<{ incident: repo.IncidentRow | null; unitPath: string }> {
  const incident = input.incidentId ? await incidentOrThrow(db, input.incidentId) : null;
  if (incident && incident.status === 'closed') throw invalid({ _form: 'err.closedIncident' });
  const unit = incident ? { path: incident.unit_path } : await repo.unitById(db, input.unitId);
  if (!unit) throw invalid({ unitId: 'err.unitsRequired' });
  if (input.kind !== 'notice' && !input.refersTo) throw invalid({ refersTo: 'err.refersRequired' });
  if (input.refersTo) {
    const ref = await repo.getStatement(db, input.refersTo);
    if (!ref || ref.status !== 'released') throw invalid({ refersTo: 'err.refersInvalid' });
    // an update or correction belongs to the same incident, or (outside incidents) to a notice of a unit one may draft for:
    // a ward must not hang "corrections" under another ward's notice
    if (ref.incident_id !== (incident?.id ?? null)) throw invalid({ refersTo: 'err.refersInvalid' });
    if (!incident && !(await mayDraft(db, p, null, ref.unit_path))) throw invalid({ refersTo: 'err.refersInvalid' });
  }
  return { incident, unitPath: unit.path };
}

/**
 * A distribution list belongs to its owner unit: a statement may go to it when the list is within the statement's
 * unit, or when the person choosing it may draft or manage at the list's unit (a ward cannot mail the city's press list).
 */
export function listUsable(p: Principal, list: { unit_path: string }, statementUnitPath: string): boolean {
  return (
    inSubtree(list.unit_path, statementUnitPath) ||
    can(p, 'crisis.draft', list.unit_path) ||
    can(p, 'crisis.manage', list.unit_path)
  );
}

async function assertListsUsable(db: Db, p: Principal, listIds: number[], unitPath: string): Promise<void> {
  if (listIds.length === 0) return;
  const wanted = new Set(listIds);
  const lists = (await repo.listLists(db)).filter((l) => wanted.has(l.id));
  if (lists.length !== wanted.size || lists.some((l) => !listUsable(p, l, unitPath)))
    throw invalid({ listIds: 'err.listOutside' });
}

export async function draftStatement(db: Db, a: Actor, input: StatementInput): Promise<number> {
  const { incident, unitPath } = await checkStatementInput(db, a.principal, input);
  if (!(await mayDraft(db, a.principal, incident, unitPath))) throw new ForbiddenError('crisis.draft');
  await assertListsUsable(db, a.principal, input.listIds, unitPath);
  const unitId = incident ? incident.unit_id : input.unitId;
  return db.tx(async (tx) => {
    const id = await repo.insertStatement(tx, { ...input, unitId }, a.principal.userId);
    await repo.setStatementLists(tx, id, input.listIds);
    await repo.insertStatementVersion(tx, id, 1, { ...input, unitId }, input.listIds, a.principal.userId);
    await event(tx, {
      incidentId: input.incidentId,
      statementId: id,
      kind: 'drafted',
      public: false,
      actorLabel: label(a.principal),
      data: { title: input.title },
    });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.statement.draft',
      entityType: 'crisis.statement',
      entityId: id,
      unitId,
      ip: a.ip,
      data: { incidentId: input.incidentId, kind: input.kind },
    });
    return id;
  });
}

/** Saves a new version of a draft. Who may edit is decided by the unit stored with the draft, never the unit in the form. */
export async function editDraft(
  db: Db,
  a: Actor,
  id: number,
  input: Omit<StatementInput, 'incidentId'>,
): Promise<void> {
  const { s, incident } = await statementContext(db, id);
  if (!(await mayDraft(db, a.principal, incident, s.unit_path))) throw new ForbiddenError('crisis.draft');
  if (s.status !== 'draft') throw invalid({ _form: 'err.notEditable' });
  const full = { ...input, incidentId: s.incident_id };
  const { unitPath } = await checkStatementInput(db, a.principal, full);
  // moving a notice to another unit needs the right to draft there too
  if (!incident && !(await mayDraft(db, a.principal, null, unitPath))) throw invalid({ unitId: 'err.unitOutside' });
  await assertListsUsable(db, a.principal, input.listIds, unitPath);
  const unitId = incident ? incident.unit_id : input.unitId;
  await db.tx(async (tx) => {
    const version = await repo.updateDraft(tx, id, { ...full, unitId }, a.principal.userId);
    if (version === null) throw invalid({ _form: 'err.notEditable' });
    await repo.setStatementLists(tx, id, input.listIds);
    await repo.insertStatementVersion(tx, id, version, { ...input, unitId }, input.listIds, a.principal.userId);
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.statement.edit',
      entityType: 'crisis.statement',
      entityId: id,
      unitId: s.unit_id,
      ip: a.ip,
      data: { title: input.title, version, fromUnitId: s.unit_id, toUnitId: unitId },
    });
  });
}

export async function submitStatement(db: Db, a: Actor, id: number): Promise<void> {
  const { s, incident } = await statementContext(db, id);
  if (!(await mayDraft(db, a.principal, incident, s.unit_path))) throw new ForbiddenError('crisis.draft');
  await db.tx(async (tx) => {
    if (!(await repo.setStatementStatus(tx, id, 'draft', 'submitted'))) throw invalid({ _form: 'err.notEditable' });
    await event(tx, {
      incidentId: s.incident_id,
      statementId: id,
      kind: 'submitted',
      public: false,
      actorLabel: label(a.principal),
    });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.statement.submit',
      entityType: 'crisis.statement',
      entityId: id,
      unitId: s.unit_id,
      ip: a.ip,
    });
  });
}

export async function returnStatement(db: Db, a: Actor, id: number, note: string): Promise<void> {
  const { s, incident } = await statementContext(db, id);
  if (!(await mayApprove(db, a.principal, incident, s.unit_path))) throw new ForbiddenError('crisis.approve');
  await db.tx(async (tx) => {
    if (!(await repo.setStatementStatus(tx, id, 'submitted', 'draft', note || null)))
      throw invalid({ _form: 'err.notSubmitted' });
    await event(tx, {
      incidentId: s.incident_id,
      statementId: id,
      kind: 'returned',
      public: false,
      actorLabel: label(a.principal),
      data: { note },
    });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.statement.return',
      entityType: 'crisis.statement',
      entityId: id,
      unitId: s.unit_id,
      ip: a.ip,
      data: { note },
    });
  });
}
