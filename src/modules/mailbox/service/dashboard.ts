/** The figures page's choices: the units whose figures this person may see. */
import type { Db } from '../../../db/client.js';
import { can, type Principal } from '../../../platform/auth/permissions.js';
import { activeUnits } from '../repo/units.js';

export async function dashboardUnits(db: Db, p: Principal) {
  return (await activeUnits(db)).filter((u) => can(p, 'mailbox.dashboard', u.path));
}
