/** Incidents: open, edit, change status or close, the incident team, linked fact-checks. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { assertCan, can, ForbiddenError } from '../../../platform/auth/permissions.js';
import { publishedItems, type PublishedItem } from '../../desk/public.js';
import * as repo from '../repo.js';
import { mayDraft } from './access.js';
import { produceAlert } from './cap-alerts.js';
import { invalid, type Actor, type SiteInfo } from './common.js';
import { event, incidentOrThrow, label } from './internal.js';
import { invalidateIncident } from './page-cache.js';

type AlertFields = 'capCategory' | 'capCertainty' | 'alertInstruction' | 'alertInstructionEn' | 'alertExpiresHours';
export interface IncidentInput
  extends Omit<repo.IncidentFields, AlertFields>,
    Partial<Pick<repo.IncidentFields, AlertFields>> {
  unitIds: number[];
}

/** The CAP category that usually fits an incident type; staff can choose another (a landslide is "Geo"). */
export const DEFAULT_CAP_CATEGORY: Record<repo.IncidentType, repo.CapCategory> = {
  natural: 'Met',
  public_order: 'Security',
  health: 'Health',
  infrastructure: 'Infra',
  other: 'Other',
};

const complete = (i: IncidentInput): repo.IncidentFields & { unitIds: number[] } => ({
  ...i,
  capCategory: i.capCategory ?? DEFAULT_CAP_CATEGORY[i.type],
  capCertainty: i.capCertainty ?? 'Observed',
  alertInstruction: i.alertInstruction ?? '',
  alertInstructionEn: i.alertInstructionEn ?? null,
  alertExpiresHours: i.alertExpiresHours ?? 24,
});

/** Affected units are where alerts and network messages go: only units the person manages. */
async function assertAffectedUnits(db: Db, a: Actor, unitIds: number[]): Promise<void> {
  for (const id of unitIds) {
    const u = await repo.unitById(db, id);
    if (!u || !can(a.principal, 'crisis.manage', u.path)) throw invalid({ unitIds: 'err.unitOutside' });
  }
}

export async function openIncident(deps: Pick<Deps, 'db' | 'state'>, a: Actor, given: IncidentInput): Promise<number> {
  const { db } = deps;
  const input = complete(given);
  const unit = await repo.unitById(db, input.unitId);
  if (!unit) throw invalid({ unitId: 'err.unitsRequired' });
  assertCan(a.principal, 'crisis.manage', unit.path);
  await assertAffectedUnits(db, a, input.unitIds);
  const id = await db.tx(async (tx) => {
    const id = await repo.insertIncident(tx, input, a.principal.userId);
    await repo.setIncidentUnits(tx, id, input.unitIds);
    await event(tx, {
      incidentId: id,
      kind: 'opened',
      public: true,
      actorLabel: label(a.principal),
      data: { title: input.title },
    });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.incident.open',
      entityType: 'crisis.incident',
      entityId: id,
      unitId: input.unitId,
      ip: a.ip,
      data: { title: input.title, severity: input.severity, type: input.type },
    });
    return id;
  });
  invalidateIncident(deps, id);
  return id;
}

export async function updateIncident(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  given: IncidentInput,
): Promise<void> {
  const { db } = deps;
  const input = complete(given);
  const before = await incidentOrThrow(db, id);
  assertCan(a.principal, 'crisis.manage', before.unit_path);
  const unit = await repo.unitById(db, input.unitId);
  if (!unit) throw invalid({ unitId: 'err.unitsRequired' });
  assertCan(a.principal, 'crisis.manage', unit.path);
  await assertAffectedUnits(db, a, input.unitIds);
  await db.tx(async (tx) => {
    await repo.updateIncident(tx, id, input);
    await repo.setIncidentUnits(tx, id, input.unitIds);
    const changed = (Object.keys(input) as (keyof IncidentInput)[]).filter(
      (k) =>
        k !== 'unitIds' &&
        String(input[k] ?? '') !== String((before as unknown as Record<string, unknown>)[snake(k)] ?? ''),
    );
    await event(tx, {
      incidentId: id,
      kind: 'updated',
      public: false,
      actorLabel: label(a.principal),
      data: { changed: changed.join(', ') },
    });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.incident.update',
      entityType: 'crisis.incident',
      entityId: id,
      unitId: input.unitId,
      ip: a.ip,
      data: { changed },
    });
  });
  invalidateIncident(deps, id);
}

const snake = (k: string) => k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

export async function changeStatus(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  status: repo.IncidentStatus,
  site: SiteInfo,
): Promise<void> {
  const { db } = deps;
  const inc = await incidentOrThrow(db, id);
  assertCan(a.principal, 'crisis.manage', inc.unit_path);
  if (inc.status === status) return;
  await db.tx(async (tx) => {
    await repo.setIncidentStatus(tx, id, status);
    await event(tx, {
      incidentId: id,
      kind: status === 'closed' ? 'closed' : 'status',
      public: true,
      actorLabel: label(a.principal),
      data: { status },
    });
    if (status === 'closed' && inc.public_alert) await produceAlert(tx, inc, null, 'Cancel', site);
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: status === 'closed' ? 'crisis.incident.close' : 'crisis.incident.status',
      entityType: 'crisis.incident',
      entityId: id,
      unitId: inc.unit_id,
      ip: a.ip,
      data: { from: inc.status, to: status },
    });
  });
  invalidateIncident(deps, id);
}

/**
 * Adds someone to the incident team. A role is granted only by someone who holds its right through a unit role at
 * the incident's unit or above (a team role does not pass itself on), never to oneself, and only to staff of the
 * incident's unit subtree.
 */
export async function addTeamMember(
  db: Db,
  a: Actor,
  id: number,
  email: string,
  role: 'drafter' | 'spokesperson',
): Promise<void> {
  const inc = await incidentOrThrow(db, id);
  if (!can(a.principal, 'crisis.manage', inc.unit_path) && !can(a.principal, 'crisis.approve', inc.unit_path))
    throw new ForbiddenError('crisis.manage');
  if (!can(a.principal, role === 'spokesperson' ? 'crisis.approve' : 'crisis.draft', inc.unit_path))
    throw invalid({ role: 'err.teamGrant' });
  const user = await repo.userByEmail(db, email);
  if (!user) throw invalid({ email: 'staff.teamUnknown' });
  if (user.id === a.principal.userId) throw invalid({ email: 'err.teamSelf' });
  if (!(await repo.isStaffWithin(db, user.id, inc.unit_path))) throw invalid({ email: 'err.teamOutside' });
  await db.tx(async (tx) => {
    await repo.upsertTeamMember(tx, id, user.id, role);
    await event(tx, {
      incidentId: id,
      kind: 'teamAdded',
      public: false,
      actorLabel: label(a.principal),
      data: { name: user.name, role },
    });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.team.add',
      entityType: 'crisis.incident',
      entityId: id,
      unitId: inc.unit_id,
      ip: a.ip,
      data: { userId: user.id, role },
    });
  });
}

export async function linkFactcheck(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  itemId: number,
): Promise<void> {
  const { db } = deps;
  const inc = await incidentOrThrow(db, id);
  if (!(await mayDraft(db, a.principal, inc, inc.unit_path))) throw new ForbiddenError('crisis.draft');
  const items = await publishedItems(db, [itemId]);
  if (items.length === 0) throw invalid({ itemId: 'staff.factcheckUnknown' });
  await db.tx(async (tx) => {
    await repo.linkFactcheck(tx, id, itemId);
    await repo.bumpVersion(tx, id);
    await event(tx, {
      incidentId: id,
      kind: 'factcheckLinked',
      public: true,
      actorLabel: label(a.principal),
      data: { itemId, title: items[0].title },
    });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.factcheck.link',
      entityType: 'crisis.incident',
      entityId: id,
      unitId: inc.unit_id,
      ip: a.ip,
      data: { itemId },
    });
  });
  invalidateIncident(deps, id);
}

/** Linked fact-checks as the desk publishes them; an empty or failing desk leaves the list empty. */
export async function knownFalse(db: Db, incidentId: number): Promise<PublishedItem[]> {
  const ids = await repo.factcheckIds(db, incidentId);
  if (ids.length === 0) return [];
  try {
    return await publishedItems(db, ids);
  } catch {
    return [];
  }
}
