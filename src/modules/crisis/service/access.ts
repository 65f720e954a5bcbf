/** Who may draft, approve and view: unit roles, or a role on the incident's team. */
import type { Db } from '../../../db/client.js';
import { can, ForbiddenError, type Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';

type TeamRole = Awaited<ReturnType<typeof repo.teamRole>>;

/** A role for `action` on the incident's unit (else on `unitPath`), or a role on the incident's team that `team` accepts. */
const unitOrTeam =
  (action: string, team: (role: TeamRole) => boolean) =>
  async (db: Db, p: Principal | null, incident: repo.IncidentRow | null, unitPath: string): Promise<boolean> => {
    if (!p) return false;
    if (can(p, action, incident?.unit_path ?? unitPath)) return true;
    return incident ? team(await repo.teamRole(db, incident.id, p.userId)) : false;
  };

export const mayDraft = unitOrTeam('crisis.draft', (role) => role !== null);
export const mayApprove = unitOrTeam('crisis.approve', (role) => role === 'spokesperson');
/**
 * Re-sending a released statement to those it did not reach speaks for the office again: the unit's editors
 * (`crisis.manage`, admins) or the incident's spokesperson, not everyone who may draft or approve.
 */
export const mayResend = unitOrTeam('crisis.manage', (role) => role === 'spokesperson');

/**
 * May `p` see this incident, or (incident null) a statement outside incidents stored under `unitPath`?
 * Without either, the question is "any crisis page at all" (the dashboard).
 */
export async function mayView(
  db: Db,
  p: Principal | null,
  incident: repo.IncidentRow | null,
  unitPath?: string,
): Promise<boolean> {
  if (!p) return false;
  const path = incident?.unit_path ?? unitPath;
  if (can(p, 'crisis.view', path) || can(p, 'crisis.draft', path)) return true;
  return incident ? (await repo.teamRole(db, incident.id, p.userId)) !== null : false;
}

export async function assertView(
  db: Db,
  p: Principal | null,
  incident: repo.IncidentRow | null,
  unitPath?: string,
): Promise<void> {
  if (!(await mayView(db, p, incident, unitPath))) throw new ForbiddenError('crisis.view');
}

/** What `p` may do on an incident's staff page, decided here so the page only shows it. */
export async function incidentMay(db: Db, p: Principal, i: repo.IncidentRow) {
  return {
    manage: can(p, 'crisis.manage', i.unit_path),
    draft: await mayDraft(db, p, i, i.unit_path),
    team: can(p, 'crisis.manage', i.unit_path) || can(p, 'crisis.approve', i.unit_path),
  };
}
