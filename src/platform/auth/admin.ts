import type { Db } from '../../db/client.js';
import { recordAudit } from '../audit/audit.js';
import { AppError, fieldsRefused } from '../errors.js';
import type { CommonKey } from '../i18n/common.js';
import { findUnitById, listAgencies, type Agency, type Unit } from '../units/repo.js';
import { assertCan, can, inSubtree, ROLES, scopeOf, type Principal, type Role } from './permissions.js';
import * as repo from './repo.js';
import { sendInvitation } from './invitation.js';
import { hashPassword, MIN_PASSWORD } from './service.js';

const notFound = () => new AppError({ status: 404, key: 'error.notFound' });

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** Agencies inside the units where `who` may manage accounts (a handler may be tied to one). */
export async function manageableAgencies(db: Db, who: Principal): Promise<(Agency & { unit_path: string })[]> {
  const scopes = scopeOf(who, 'users.manage');
  return (await listAgencies(db)).filter((a) => scopes.some((s) => inSubtree(a.unit_path, s)));
}

/** An agency given with a grant must sit inside the granted unit's subtree. */
async function checkAgency(
  db: Db,
  unit: Unit | undefined,
  agencyId: number | null | undefined,
): Promise<CommonKey | null> {
  if (!agencyId) return null;
  const agency = (await listAgencies(db)).find((a) => a.id === agencyId);
  if (!agency) return 'field.invalidChoice';
  if (unit && !inSubtree(agency.unit_path, unit.path)) return 'user.agencyOutside';
  return null;
}

export interface UserWithGrants extends repo.UserListRow {
  grants: repo.GrantRow[];
  /** On one account's page: whether a password was ever set (else an invitation is pending). */
  password_set?: boolean;
}

export async function listUsersFor(
  db: Db,
  who: Principal,
  q = '',
  f: repo.UserFilter & { limit?: number } = {},
): Promise<UserWithGrants[]> {
  assertCan(who, 'users.manage');
  const users = await repo.listUsers(db, scopeOf(who, 'users.manage'), q, f.limit ?? 200, f);
  const grants = await repo.grantsOfUsers(
    db,
    users.map((u) => u.id),
  );
  return users.map((u) => ({ ...u, grants: grants.filter((g) => g.user_id === u.id) }));
}

/** One account, if `who` may see it (a grant inside its scope, or no grant at all). */
export async function userFor(db: Db, who: Principal, userId: number): Promise<UserWithGrants | null> {
  assertCan(who, 'users.manage');
  const u = await repo.findUserById(db, userId);
  if (!u) return null;
  const grants = await repo.grantsOfUsers(db, [u.id]);
  if (grants.length > 0 && !grants.some((g) => can(who, 'users.manage', g.unit_path))) return null;
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    locale: u.locale,
    disabled_at: u.disabled_at,
    locked_until: u.locked_until,
    last_login_at: u.last_login_at,
    created_at: u.created_at,
    grants,
    password_set: Boolean(u.password_hash),
  };
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  locale: 'vi' | 'en';
  role?: string;
  unitId?: number | null;
  agencyId?: number | null;
}

/** Without a password, the new account gets an invitation e-mail to set one (when `baseUrl` is given). */
export async function createUserAsAdmin(
  db: Db,
  who: Principal,
  input: NewUser,
  ip?: string | null,
  baseUrl?: string,
): Promise<number> {
  assertCan(who, 'users.manage');
  const errors: Record<string, CommonKey> = {};
  if (input.password && input.password.length < MIN_PASSWORD) errors.password = 'auth.passwordTooShort';
  let unit: Unit | undefined;
  const role = input.role || undefined;
  if (role && !isRole(role)) errors.role = 'field.invalidChoice';
  if (role && !input.unitId) errors.unitId = 'user.unitRequired';
  if (!role && input.unitId) errors.role = 'user.roleRequired';
  if (input.unitId) {
    unit = await findUnitById(db, input.unitId);
    if (!unit || unit.retired_at || !can(who, 'users.manage', unit.path)) errors.unitId = 'field.invalidChoice';
  }
  const agencyError = await checkAgency(db, unit, input.agencyId);
  if (agencyError) errors.agencyId = agencyError;
  if (await repo.findUserByEmail(db, input.email)) errors.email = 'user.emailTaken';
  if (Object.keys(errors).length) throw fieldsRefused(errors, { min: MIN_PASSWORD });
  const hash = input.password ? await hashPassword(input.password) : null;
  try {
    const id = await db.tx(async (tx) => {
      const id = await repo.insertUser(tx, {
        email: input.email,
        name: input.name,
        passwordHash: hash,
        locale: input.locale,
      });
      await recordAudit(tx, {
        actorId: who.userId,
        actorLabel: who.email,
        action: 'user.create',
        entityType: 'user',
        entityId: id,
        ip,
        data: { email: input.email.trim().toLowerCase(), name: input.name },
      });
      if (role && unit) {
        await repo.grantRole(tx, id, role as Role, unit.id, input.agencyId ?? null);
        await recordAudit(tx, {
          actorId: who.userId,
          actorLabel: who.email,
          action: 'user.grant',
          entityType: 'user',
          entityId: id,
          unitId: unit.id,
          ip,
          data: { role, unit: unit.code, agencyId: input.agencyId ?? null },
        });
      }
      if (!hash && baseUrl)
        await sendInvitation(
          tx,
          who,
          { id, email: input.email.trim(), name: input.name, locale: input.locale },
          baseUrl,
          ip,
        );
      return id;
    });
    return id;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw fieldsRefused({ email: 'user.emailTaken' });
    throw err;
  }
}

export async function grantRoleAsAdmin(
  db: Db,
  who: Principal,
  userId: number,
  role: string,
  unitId: number | null,
  ip?: string | null,
  agencyId?: number | null,
): Promise<void> {
  assertCan(who, 'users.manage');
  const errors: Record<string, CommonKey> = {};
  if (!isRole(role)) errors.role = role ? 'field.invalidChoice' : 'user.roleRequired';
  const unit = unitId ? await findUnitById(db, unitId) : undefined;
  if (!unitId) errors.unitId = 'user.unitRequired';
  else if (!unit || unit.retired_at || !can(who, 'users.manage', unit.path)) errors.unitId = 'field.invalidChoice';
  const agencyError = await checkAgency(db, unit, agencyId);
  if (agencyError) errors.agencyId = agencyError;
  if (Object.keys(errors).length) throw fieldsRefused(errors);
  if (!(await userFor(db, who, userId))) throw notFound();
  await db.tx(async (tx) => {
    await repo.grantRole(tx, userId, role as Role, unit!.id, agencyId ?? null);
    await recordAudit(tx, {
      actorId: who.userId,
      actorLabel: who.email,
      action: 'user.grant',
      entityType: 'user',
      entityId: userId,
      unitId: unit!.id,
      ip,
      data: { role, unit: unit!.code, agencyId: agencyId ?? null },
    });
  });
}

export async function revokeRoleAsAdmin(
  db: Db,
  who: Principal,
  userId: number,
  role: string,
  unitId: number | null,
  ip?: string | null,
): Promise<void> {
  assertCan(who, 'users.manage');
  const unit = unitId ? await findUnitById(db, unitId) : undefined;
  if (!isRole(role) || !unit) throw fieldsRefused({ _form: 'error.notFound' });
  assertCan(who, 'users.manage', unit.path);
  if (userId === who.userId && role === 'admin') throw fieldsRefused({ _form: 'user.notSelf' });
  const done = await db.tx(async (tx) => {
    if (!(await repo.findGrant(tx, userId, role, unit.id))) return false;
    await repo.revokeRole(tx, userId, role, unit.id);
    await recordAudit(tx, {
      actorId: who.userId,
      actorLabel: who.email,
      action: 'user.revoke',
      entityType: 'user',
      entityId: userId,
      unitId: unit.id,
      ip,
      data: { role, unit: unit.code },
    });
    return true;
  });
  if (!done) throw fieldsRefused({ _form: 'error.notFound' });
}

/** A new invitation link for an account that has not set its password yet (earlier links stop working). */
export async function inviteAgainAsAdmin(
  db: Db,
  who: Principal,
  userId: number,
  baseUrl: string,
  ip?: string | null,
): Promise<void> {
  const user = await userFor(db, who, userId);
  if (!user) throw notFound();
  const row = await repo.findUserById(db, userId);
  if (!row || row.password_hash || user.disabled_at) throw fieldsRefused({ _form: 'user.inviteNotNeeded' });
  if (!user.grants.every((g) => can(who, 'users.manage', g.unit_path)))
    throw fieldsRefused({ _form: 'error.forbidden' });
  await db.tx((tx) =>
    sendInvitation(tx, who, { id: user.id, email: user.email, name: user.name, locale: user.locale }, baseUrl, ip),
  );
}

/** Disables an account (its sessions end, its tokens stop working) or enables it again (lifting any lock-out). */
export async function setDisabledAsAdmin(
  db: Db,
  who: Principal,
  userId: number,
  disabled: boolean,
  ip?: string | null,
): Promise<void> {
  const user = await userFor(db, who, userId);
  if (!user) throw notFound();
  if (disabled && userId === who.userId) throw fieldsRefused({ _form: 'user.notSelfDisable' });
  // The account as a whole: only an admin over every unit it holds a role on may switch it off or on. An account
  // with no role (someone who left, or not placed yet) belongs to no ward: only an admin of a top unit decides.
  if (!user.grants.every((g) => can(who, 'users.manage', g.unit_path)))
    throw fieldsRefused({ _form: 'error.forbidden' });
  if (user.grants.length === 0 && !who.grants.some((g) => g.role === 'admin' && !g.unitPath.includes('.')))
    throw fieldsRefused({ _form: 'error.forbidden' });
  await db.tx(async (tx) => {
    await repo.setDisabled(tx, userId, disabled);
    await recordAudit(tx, {
      actorId: who.userId,
      actorLabel: who.email,
      action: disabled ? 'user.disable' : 'user.enable',
      entityType: 'user',
      entityId: userId,
      ip,
    });
  });
}

/** Audit entries `who` may read: everything for an admin of a top-level unit, otherwise entries on units in its scope. */
export async function auditFor(db: Db, who: Principal, f: Omit<repo.AuditFilter, 'scopes'>): Promise<repo.AuditRow[]> {
  assertCan(who, 'audit.read');
  const scopes = scopeOf(who, 'audit.read');
  return repo.listAudit(db, { ...f, scopes: scopes.some((s) => !s.includes('.')) ? null : scopes });
}
