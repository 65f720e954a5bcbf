import type { Db } from '../../db/client.js';
import type { Grant, Role } from './permissions.js';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string | null;
  locale: string;
  failed_logins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

export const findUserByEmail = (db: Db, email: string) =>
  db.one<UserRow>(`SELECT * FROM users WHERE lower(email) = lower($1)`, [email.trim()]);

export const findUserById = (db: Db, id: number) => db.one<UserRow>(`SELECT * FROM users WHERE id = $1`, [id]);

export async function insertUser(
  db: Db,
  u: { email: string; name: string; passwordHash: string | null; locale?: string; phone?: string | null },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO users (email, name, password_hash, locale, phone) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
    [u.email.trim().toLowerCase(), u.name, u.passwordHash, u.locale ?? 'vi', u.phone ?? null],
  );
  return row!.id;
}

export async function grantRole(
  db: Db,
  userId: number,
  role: Role,
  unitId: number,
  agencyId?: number | null,
): Promise<void> {
  await db.query(
    `INSERT INTO role_grants (user_id, role, unit_id, agency_id) VALUES ($1,$2,$3,$4)
     ON CONFLICT (user_id, role, unit_id) DO UPDATE SET agency_id = EXCLUDED.agency_id`,
    [userId, role, unitId, agencyId ?? null],
  );
}

export async function revokeRole(db: Db, userId: number, role: Role, unitId: number): Promise<void> {
  await db.query(`DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND unit_id = $3`, [userId, role, unitId]);
}

export async function grantsOf(db: Db, userId: number): Promise<Grant[]> {
  const rows = await db.query<{ role: Role; unit_id: number; path: string; agency_id: number | null }>(
    `SELECT g.role, g.unit_id, u.path::text AS path, g.agency_id FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 ORDER BY u.depth, g.role`,
    [userId],
  );
  return rows.map((r) => ({ role: r.role, unitId: r.unit_id, unitPath: r.path, agencyId: r.agency_id }));
}

export async function recordLoginFailure(
  db: Db,
  userId: number,
  maxFailures: number,
  lockMinutes: number,
): Promise<void> {
  await db.query(
    `UPDATE users SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE id = $1`,
    [userId, maxFailures, lockMinutes],
  );
}

export async function recordLoginSuccess(db: Db, userId: number): Promise<void> {
  await db.query(`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1`, [
    userId,
  ]);
}

export async function setPassword(db: Db, userId: number, hash: string): Promise<void> {
  await db.query(`UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1`, [
    userId,
    hash,
  ]);
}

export async function insertSession(
  db: Db,
  s: { idHash: string; userId: number; csrf: string; expiresAt: Date; ip?: string | null; userAgent?: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf, expires_at, ip, user_agent) VALUES ($1,$2,$3,$4,$5,$6)`,
    [s.idHash, s.userId, s.csrf, s.expiresAt, s.ip ?? null, s.userAgent?.slice(0, 300) ?? null],
  );
}

export const findSession = (db: Db, idHash: string) =>
  db.one<{ id_hash: string; user_id: number; csrf: string; last_seen_at: Date; expires_at: Date; created_at: Date }>(
    `SELECT * FROM sessions WHERE id_hash = $1`,
    [idHash],
  );

export async function touchSession(db: Db, idHash: string): Promise<void> {
  await db.query(`UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1`, [idHash]);
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
}

export async function deleteSessionsOf(db: Db, userId: number): Promise<number> {
  return (await db.query(`DELETE FROM sessions WHERE user_id = $1 RETURNING id_hash`, [userId])).length;
}

export async function insertToken(
  db: Db,
  t: { userId: number; name: string; hash: string; prefix: string; scopes: string[]; expiresAt: Date | null },
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, expires_at) VALUES ($1,$2,$3,$4,$5::text[],$6) RETURNING id`,
    [t.userId, t.name, t.hash, t.prefix, t.scopes, t.expiresAt],
  ))!.id;
}

export const findActiveToken = (db: Db, hash: string) =>
  db.one<{ id: number; user_id: number; scopes: string[]; expires_at: Date | null }>(
    `SELECT id, user_id, scopes, expires_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [hash],
  );

export async function touchToken(db: Db, id: number): Promise<void> {
  await db.query(
    `UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}

export const listTokens = (db: Db, userId: number) =>
  db.query<{
    id: number;
    name: string;
    prefix: string;
    created_at: Date;
    last_used_at: Date | null;
    revoked_at: Date | null;
    scopes: string[];
    expires_at: Date | null;
  }>(
    `SELECT id, name, prefix, created_at, last_used_at, revoked_at, scopes, expires_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`,
    [userId],
  );

export async function revokeToken(db: Db, userId: number, id: number): Promise<boolean> {
  return (
    (
      await db.query(
        `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
        [id, userId],
      )
    ).length > 0
  );
}

export async function insertPasswordReset(db: Db, tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
  await db.query(`INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1,$2,$3)`, [
    tokenHash,
    userId,
    expiresAt,
  ]);
}

export async function consumePasswordReset(db: Db, tokenHash: string): Promise<number | null> {
  const row = await db.one<{ user_id: number }>(
    `UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
    [tokenHash],
  );
  return row?.user_id ?? null;
}

// ---- administration: users, grants, audit log viewing ----

export interface UserListRow {
  id: number;
  email: string;
  name: string;
  locale: string;
  disabled_at: Date | null;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

export interface GrantRow {
  user_id: number;
  role: Role;
  unit_id: number;
  unit_name: string;
  unit_path: string;
  agency_id: number | null;
  agency_name: string | null;
}

/**
 * Accounts an admin whose scope is `scopes` (ltree roots) may see: those with a grant inside the scope,
 * and those with no grant at all (just created). `q` matches email or name, diacritics folded.
 */
export async function listUsers(
  db: Db,
  scopes: string[],
  q = '',
  limit = 200,
  f: UserFilter = {},
): Promise<UserListRow[]> {
  return db.query<UserListRow>(
    `SELECT u.id, u.email, u.name, u.locale, u.disabled_at, u.locked_until, u.last_login_at, u.created_at FROM users u
     WHERE (NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id)
            OR EXISTS (SELECT 1 FROM role_grants g JOIN units un ON un.id = g.unit_id WHERE g.user_id = u.id AND un.path <@ ANY($1::ltree[])))
       AND ($2 = '' OR vn_fold(u.email || ' ' || u.name) LIKE '%' || vn_fold($2) || '%')
       AND ($4::text IS NULL AND $5::int IS NULL OR EXISTS (
         SELECT 1 FROM role_grants g JOIN units un ON un.id = g.unit_id
         WHERE g.user_id = u.id AND ($4::text IS NULL OR g.role = $4) AND ($5::int IS NULL OR un.path <@ (SELECT path FROM units WHERE id = $5))))
     ORDER BY u.name, u.id LIMIT $3 OFFSET $6`,
    [scopes, q.trim(), limit, f.role ?? null, f.unitId ?? null, f.offset ?? 0],
  );
}

/** The user list's filters: a role, a unit (its subtree), and the page's start. */
export interface UserFilter {
  role?: string | null;
  unitId?: number | null;
  offset?: number;
}

export async function grantsOfUsers(db: Db, userIds: number[]): Promise<GrantRow[]> {
  if (userIds.length === 0) return [];
  return db.query<GrantRow>(
    `SELECT g.user_id, g.role, g.unit_id, un.full_name AS unit_name, un.path::text AS unit_path, g.agency_id, ag.name AS agency_name
     FROM role_grants g JOIN units un ON un.id = g.unit_id LEFT JOIN agencies ag ON ag.id = g.agency_id WHERE g.user_id = ANY($1::int[]) ORDER BY un.depth, un.full_name, g.role`,
    [userIds],
  );
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  unit_id: number | null;
  unit_name: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Inclusive, as instants. */
  from?: Date;
  to?: Date;
  /** Entries older than this id (paging backwards). */
  beforeId?: number;
  /** null: every entry; otherwise only entries on units inside these ltree roots. */
  scopes: string[] | null;
  limit: number;
}

export async function listAudit(db: Db, f: AuditFilter): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    `SELECT a.id, a.at, a.actor_id, a.actor_label, a.action, a.entity_type, a.entity_id, a.unit_id, un.full_name AS unit_name, a.ip, a.data
     FROM audit_log a LEFT JOIN units un ON un.id = a.unit_id
     WHERE ($1::text IS NULL OR a.actor_label ILIKE '%' || $1 || '%')
       AND ($2::text IS NULL OR a.action LIKE $2 || '%')
       AND ($3::text IS NULL OR a.entity_type = $3)
       AND ($4::text IS NULL OR a.entity_id = $4)
       AND ($5::timestamptz IS NULL OR a.at >= $5)
       AND ($6::timestamptz IS NULL OR a.at <= $6)
       AND ($7::bigint IS NULL OR a.id < $7)
       AND ($8::ltree[] IS NULL OR un.path <@ ANY($8::ltree[]))
     ORDER BY a.id DESC LIMIT $9`,
    [
      f.actor || null,
      f.action || null,
      f.entityType || null,
      f.entityId || null,
      f.from ?? null,
      f.to ?? null,
      f.beforeId ?? null,
      f.scopes,
      f.limit,
    ],
  );
}

export const distinctAuditActions = (db: Db) =>
  db.query<{ action: string }>(`SELECT DISTINCT action FROM audit_log ORDER BY action LIMIT 500`);

export const findGrant = (db: Db, userId: number, role: Role, unitId: number) =>
  db.one<{ id: number }>(`SELECT id FROM role_grants WHERE user_id = $1 AND role = $2 AND unit_id = $3`, [
    userId,
    role,
    unitId,
  ]);

/** After a successful reset, every other outstanding link of the account stops working. */
export async function expirePasswordResetsOf(db: Db, userId: number): Promise<void> {
  await db.query(`UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
}

/** Disabling ends every session at once; enabling also lifts a lock-out. */
export async function setDisabled(db: Db, userId: number, disabled: boolean): Promise<void> {
  if (disabled) {
    await db.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [userId]);
    await db.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
  } else {
    await db.query(`UPDATE users SET disabled_at = NULL, locked_until = NULL, failed_logins = 0 WHERE id = $1`, [
      userId,
    ]);
    await db.query(
      `DELETE FROM login_throttle WHERE key = (SELECT 'email:' || lower(email) FROM users WHERE id = $1)`,
      [userId],
    );
  }
}

export const listSessionsOf = (db: Db, userId: number) =>
  db.query<{ id_hash: string; created_at: Date; last_seen_at: Date; ip: string | null; user_agent: string | null }>(
    `SELECT id_hash, created_at, last_seen_at, ip, user_agent FROM sessions WHERE user_id = $1 AND expires_at > now() ORDER BY last_seen_at DESC`,
    [userId],
  );

export async function deleteOtherSessions(db: Db, userId: number, keepIdHash: string): Promise<number> {
  return (
    await db.query(`DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2 RETURNING id_hash`, [userId, keepIdHash])
  ).length;
}
