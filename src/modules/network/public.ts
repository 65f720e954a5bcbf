/** What the network offers other modules (crisis distribution lists). Implemented by the network module. */
import type { Db } from '../../db/client.js';

export interface MemberContact {
  userId: number;
  name: string;
  email: string;
  unitId: number;
}

/** Active network members of the units in the given subtrees, with their e-mail. */
export async function membersOfUnits(_db: Db, _unitPaths: string[]): Promise<MemberContact[]> {
  return [];
}
