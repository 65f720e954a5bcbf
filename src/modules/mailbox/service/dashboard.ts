/** The figures page's unit: one this person may see, chosen with the unit picker inside their scope. */
import type { Db } from '../../../db/client.js';
import { can, type Principal, scopeOf } from '../../../platform/auth/permissions.js';
import { parseId } from '../../../platform/ids.js';
import { findUnit } from '../repo.js';

export interface DashboardUnit {
  /** The unit whose figures are shown; null when the person sees no unit's figures. */
  unit: Awaited<ReturnType<typeof findUnit>> | null;
  /** The person's scope for the figures (unit paths), where the picker searches. */
  scope: string[];
  /** A unit was asked for that does not exist or is outside the scope: the top of the scope is shown instead. */
  refused: boolean;
}

export async function dashboardUnit(db: Db, p: Principal, asked: string | undefined): Promise<DashboardUnit> {
  const scope = scopeOf(p, 'mailbox.dashboard');
  const wanted = asked?.trim() ? parseId(asked) : null;
  if (wanted) {
    const unit = await findUnit(db, wanted);
    if (unit && can(p, 'mailbox.dashboard', unit.path)) return { unit, scope, refused: false };
  }
  const top = p.grants.find((g) => g.unitPath === scope[0]);
  const unit = top ? ((await findUnit(db, top.unitId)) ?? null) : null;
  return { unit, scope, refused: Boolean(asked?.trim()) };
}
