import type { Db } from '../../src/db/client.js';
import { grantRole, insertUser } from '../../src/platform/auth/repo.js';
import { hashPassword } from '../../src/platform/auth/service.js';
import type { Role } from '../../src/platform/auth/permissions.js';

export const STAFF_ROLES = ['admin', 'editor', 'reviewer', 'handler', 'member'] as const satisfies readonly Role[];

export interface Unit {
  id: number;
  path: string;
  code: string;
  name: string;
}

export interface Account {
  id: number;
  email: string;
  role: Role;
  unit: Unit;
}

export async function findUnit(db: Db, id: number): Promise<Unit> {
  const u = await db.one<Unit>(`SELECT id, path::text AS path, code, full_name AS name FROM units WHERE id = $1`, [id]);
  if (!u) throw new Error(`no unit ${id}`);
  return u;
}

export async function findUnitByName(db: Db, name: string): Promise<Unit> {
  const u = await db.one<Unit>(
    `SELECT id, path::text AS path, code, full_name AS name FROM units WHERE full_name = $1`,
    [name],
  );
  if (!u) throw new Error(`no unit ${name}`);
  return u;
}

let sharedHash: Promise<string> | null = null;

/** An account with one role on one unit; every factory account shares one password hash (hashing is slow). */
export async function makeUser(
  db: Db,
  o: { email: string; name?: string; role?: Role; unit?: Unit; password?: string },
): Promise<number> {
  const hash = o.password ? await hashPassword(o.password) : await (sharedHash ??= hashPassword('demo1234'));
  const id = await insertUser(db, { email: o.email, name: o.name ?? o.email.split('@')[0], passwordHash: hash });
  if (o.role && o.unit) await grantRole(db, id, o.role, o.unit.id);
  return id;
}

/** One account of every staff role on `unit` (password demo1234), e-mailed `role@tag.test`. */
export async function makeStaffSet(
  db: Db,
  unit: Unit,
  tag: string,
): Promise<Record<(typeof STAFF_ROLES)[number], Account>> {
  const out = {} as Record<(typeof STAFF_ROLES)[number], Account>;
  for (const role of STAFF_ROLES) {
    const email = `${role}@${tag}.test`;
    out[role] = { id: await makeUser(db, { email, name: `${role} ${unit.name}`, role, unit }), email, role, unit };
  }
  return out;
}
