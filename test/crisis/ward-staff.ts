/** Ward-scoped accounts for the crisis unit-scope tests: editor, reviewer, handler, admin and member on two wards. */
import type { Db } from '../../src/db/client.js';
import type { Role } from '../../src/platform/auth/permissions.js';
import { grantRole } from '../../src/platform/auth/repo.js';
import { createUser } from '../../src/platform/auth/service.js';

export interface Ward {
  id: number;
  path: string;
  name: string;
}

export const WARD_ROLES = ['editor', 'reviewer', 'handler', 'admin', 'member'] as const;
export type WardRole = (typeof WARD_ROLES)[number];

/** `a.editor` is `crisis-editor-a@test.local` (password demo1234), a ward-A editor, and so on. */
export async function wardStaff(db: Db, communeIds: number[]) {
  const unit = async (id: number) =>
    (await db.one<Ward>(`SELECT id, path::text AS path, full_name AS name FROM units WHERE id = $1`, [id]))!;
  const wardA = await unit(communeIds[0]);
  const wardB = await unit(communeIds[1]);
  const accounts = async (ward: Ward, tag: 'a' | 'b') => {
    const out = {} as Record<WardRole, string>;
    for (const role of WARD_ROLES) {
      const email = `crisis-${role}-${tag}@test.local`;
      const id = await createUser(db, { email, name: `${role} ${tag.toUpperCase()}`, password: 'demo1234' }, 'test');
      await grantRole(db, id, role as Role, ward.id);
      out[role] = email;
    }
    return out;
  };
  return { wardA, wardB, a: await accounts(wardA, 'a'), b: await accounts(wardB, 'b') };
}
