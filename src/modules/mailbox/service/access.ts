/**
 * Who may act on one report. A role granted on a unit reaches its subtree (can()); a grant tied to an
 * agency (role_grants.agency_id) reaches only that agency's reports and those shared with it, so a
 * department's handler never sees the rest of the city's reports and their contact details.
 */
import { inSubtree, registeredActions, type Principal } from '../../../platform/auth/permissions.js';

export interface ReportRef {
  unit_path: string;
  agency_id: number | null;
  /** agencies the report is shared with (an opinion asked, a joint case) */
  shared_agency_ids?: number[];
}

export function mayOnReport(p: Principal | null | undefined, action: string, r: ReportRef): boolean {
  if (!p) return false;
  const roles = registeredActions().get(action);
  if (!roles) throw new Error(`unknown action: ${action}`);
  return p.grants.some(
    (g) =>
      (g.role === 'admin' || roles.includes(g.role)) &&
      inSubtree(r.unit_path, g.unitPath) &&
      (g.role === 'admin' ||
        !g.agencyId ||
        g.agencyId === r.agency_id ||
        (r.shared_agency_ids ?? []).includes(g.agencyId)),
  );
}

/** The inbox's reach: whole subtrees, and subtrees limited to one agency's reports. */
export interface InboxScope {
  paths: string[];
  tied: { path: string; agencyId: number }[];
}

export function inboxScopeOf(p: Principal | null | undefined, action = 'mailbox.view'): InboxScope {
  if (!p) return { paths: [], tied: [] };
  const roles = registeredActions().get(action) ?? [];
  const grants = p.grants.filter((g) => g.role === 'admin' || roles.includes(g.role));
  const free = grants.filter((g) => g.role === 'admin' || !g.agencyId).map((g) => g.unitPath);
  const paths = free.filter((x) => !free.some((y) => y !== x && inSubtree(x, y)));
  const tied = grants
    .filter((g) => g.role !== 'admin' && g.agencyId && !paths.some((y) => inSubtree(g.unitPath, y)))
    .map((g) => ({ path: g.unitPath, agencyId: g.agencyId! }));
  return { paths, tied };
}

export const scopeIsEmpty = (s: InboxScope) => s.paths.length === 0 && s.tied.length === 0;
