/** Who may draft, approve and view: unit roles, or a role on the incident's team. */
import type { Db } from '../../../db/client.js';
import { can, ForbiddenError, type Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';

export async function mayDraft(db: Db, p: Principal | null, incident: repo.IncidentRow | null, unitPath: string): Promise<boolean> {
  if (!p) return false;
  if (can(p, 'crisis.draft', incident?.unit_path ?? unitPath)) return true;
  return incident ? (await repo.teamRole(db, incident.id, p.userId)) !== null : false;
}

export async function mayApprove(db: Db, p: Principal | null, incident: repo.IncidentRow | null, unitPath: string): Promise<boolean> {
  if (!p) return false;
  if (can(p, 'crisis.approve', incident?.unit_path ?? unitPath)) return true;
  return incident ? (await repo.teamRole(db, incident.id, p.userId)) === 'spokesperson' : false;
}

export async function mayView(db: Db, p: Principal | null, incident: repo.IncidentRow | null): Promise<boolean> {
  if (!p) return false;
  if (can(p, 'crisis.view', incident?.unit_path) || can(p, 'crisis.draft', incident?.unit_path)) return true;
  return incident ? (await repo.teamRole(db, incident.id, p.userId)) !== null : false;
}

export async function assertView(db: Db, p: Principal | null, incident: repo.IncidentRow | null): Promise<void> {
  if (!(await mayView(db, p, incident))) throw new ForbiddenError('crisis.view');
}
