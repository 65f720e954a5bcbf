/** Ward-scoped desk accounts for unit-scope tests: an editor and a reviewer on each of two wards, and their units. */
import type { Db } from '../../src/db/client.js';
import { grantRole } from '../../src/platform/auth/repo.js';
import { createUser } from '../../src/platform/auth/service.js';
import type { Role } from '../../src/platform/auth/permissions.js';

export interface Ward {
  id: number;
  code: string;
  path: string;
}

export interface WardStaff {
  root: Ward;
  wardA: Ward;
  wardB: Ward;
  /** e-mail of each account; password demo1234 */
  emails: { editorA: string; reviewerA: string; editorB: string; reviewerB: string; adminA: string };
}

export async function wardStaff(db: Db): Promise<WardStaff> {
  const units = await db.query<Ward>(
    `SELECT id, code, path::text AS path FROM units WHERE retired_at IS NULL ORDER BY depth, id`,
  );
  const root = units[0];
  const wards = units.filter((u) => u.path.startsWith(root.path + '.'));
  const [wardA, wardB] = wards;
  const mk = async (email: string, role: Role, unit: Ward) => {
    const id = await createUser(db, { email, name: email.split('@')[0], password: 'demo1234' }, 'test');
    await grantRole(db, id, role, unit.id);
    return email;
  };
  const emails = {
    editorA: await mk('ward-editor-a@test.local', 'editor', wardA),
    reviewerA: await mk('ward-reviewer-a@test.local', 'reviewer', wardA),
    editorB: await mk('ward-editor-b@test.local', 'editor', wardB),
    reviewerB: await mk('ward-reviewer-b@test.local', 'reviewer', wardB),
    adminA: await mk('ward-admin-a@test.local', 'admin', wardA),
  };
  return { root, wardA, wardB, emails };
}

/** The approve form as the reviewer's page sends it: the version the reviewer read (the piece's current one). */
export async function versionForm(db: Db, itemId: number): Promise<{ version: string }> {
  const rev = await db.one<{ version: number }>(`SELECT version FROM desk_revisions WHERE item_id = $1`, [itemId]);
  const item = await db.one<{ version: number }>(`SELECT version FROM desk_items WHERE id = $1`, [itemId]);
  return { version: String(rev?.version ?? item?.version ?? 0) };
}
