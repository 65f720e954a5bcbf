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
}

export const findUserByEmail = (db: Db, email: string) =>
  db.one<UserRow>(`SELECT * FROM users WHERE lower(email) = lower($1)`, [email.trim()]);

export const findUserById = (db: Db, id: number) => db.one<UserRow>(`SELECT * FROM users WHERE id = $1`, [id]);

export async function insertUser(db: Db, u: { email: string; name: string; passwordHash: string | null; locale?: string; phone?: string | null }): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO users (email, name, password_hash, locale, phone) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
    [u.email.trim().toLowerCase(), u.name, u.passwordHash, u.locale ?? 'vi', u.phone ?? null],
  );
  return row!.id;
}

export async function grantRole(db: Db, userId: number, role: Role, unitId: number, agencyId?: number | null): Promise<void> {
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

export async function recordLoginFailure(db: Db, userId: number, maxFailures: number, lockMinutes: number): Promise<void> {
  await db.query(
    `UPDATE users SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE id = $1`,
    [userId, maxFailures, lockMinutes],
  );
}

export async function recordLoginSuccess(db: Db, userId: number): Promise<void> {
  await db.query(`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1`, [userId]);
}

export async function setPassword(db: Db, userId: number, hash: string): Promise<void> {
  await db.query(`UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1`, [userId, hash]);
}

export async function insertSession(db: Db, s: { idHash: string; userId: number; csrf: string; expiresAt: Date; ip?: string | null; userAgent?: string | null }): Promise<void> {
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

export async function insertToken(db: Db, t: { userId: number; name: string; hash: string; prefix: string }): Promise<number> {
  return (await db.one<{ id: number }>(`INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1,$2,$3,$4) RETURNING id`, [t.userId, t.name, t.hash, t.prefix]))!.id;
}

export const findActiveToken = (db: Db, hash: string) =>
  db.one<{ id: number; user_id: number }>(`SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, [hash]);

export async function touchToken(db: Db, id: number): Promise<void> {
  await db.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [id]);
}

export const listTokens = (db: Db, userId: number) =>
  db.query<{ id: number; name: string; prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>(
    `SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`,
    [userId],
  );

export async function revokeToken(db: Db, userId: number, id: number): Promise<boolean> {
  return (await db.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`, [id, userId])).length > 0;
}

export async function insertPasswordReset(db: Db, tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
  await db.query(`INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1,$2,$3)`, [tokenHash, userId, expiresAt]);
}

export async function consumePasswordReset(db: Db, tokenHash: string): Promise<number | null> {
  const row = await db.one<{ user_id: number }>(
    `UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
    [tokenHash],
  );
  return row?.user_id ?? null;
}
