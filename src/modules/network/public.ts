/** What the network offers other modules (crisis distribution lists). Implemented by the network module. */
import type { Db } from '../../db/client.js';
import { membersOfPaths } from './repo.js';

export interface MemberContact {
  userId: number;
  name: string;
  email: string;
  unitId: number;
}

/** Active network members of the units in the given subtrees, with their e-mail. */
export async function membersOfUnits(db: Db, unitPaths: string[]): Promise<MemberContact[]> {
  const paths = unitPaths.filter((p) => /^\d+(\.\d+)*$/.test(p));
  if (paths.length === 0) return [];
  const rows = await membersOfPaths(db, paths);
  return rows.map((r) => ({ userId: r.user_id, name: r.name, email: r.email, unitId: r.unit_id }));
}
