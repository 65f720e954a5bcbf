import type { Db } from '../../db/client.js';
import { rootUnitPath } from '../units/repo.js';
import { can, ForbiddenError, type Principal } from './permissions.js';

/**
 * Installation-wide settings (policies, chat channels, partner installations) speak for the whole office:
 * only a holder of `action` on the installation's top unit may change them, never a ward's admin.
 */
export async function canForInstallation(db: Db, who: Principal | null | undefined, action: string): Promise<boolean> {
  if (!who) return false;
  const root = await rootUnitPath(db);
  return root != null && can(who, action, root);
}

export async function assertCanForInstallation(
  db: Db,
  who: Principal | null | undefined,
  action: string,
): Promise<void> {
  if (!(await canForInstallation(db, who, action))) throw new ForbiddenError(action);
}
