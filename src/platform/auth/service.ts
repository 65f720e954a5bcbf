import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../audit/audit.js';
import { fieldsRefused } from '../errors.js';
import { send } from '../notify/notify.js';
import { registeredActions, type Principal } from './permissions.js';
import * as repo from './repo.js';
import * as throttleRepo from './throttle-repo.js';
import { waitFor } from './throttle.js';

export const MIN_PASSWORD = 8;

export interface AuthSettings {
  sessionIdleMinutes: number;
  sessionMaxDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** false only with RATE_LIMIT_DISABLED (benchmarks): failures are still counted, nobody is slowed down. */
  throttle?: boolean;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function loadPrincipal(db: Db, userId: number, via: Principal['via']): Promise<Principal | null> {
  const u = await repo.findUserById(db, userId);
  if (!u || u.disabled_at) return null;
  return { userId: u.id, email: u.email, name: u.name, locale: u.locale, grants: await repo.grantsOf(db, u.id), via };
}

export type SignInResult =
  | { ok: true; sessionId: string; csrf: string; userId: number; device: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'slow'; seconds: number };

/**
 * Checks the password and on success opens a fresh session. Failures slow down the next attempt by address and by
 * client address (the same whether or not an account has the address, so the answer tells nobody which accounts
 * exist); a browser the account has signed in from before (`device`) counts its own failures apart, so nobody can
 * keep an account's owner out by failing on purpose.
 */
export async function signIn(
  db: Db,
  s: AuthSettings,
  email: string,
  password: string,
  meta: { ip?: string | null; userAgent?: string | null; device?: string | null },
): Promise<SignInResult> {
  const address = email.trim().toLowerCase();
  const user = await repo.findUserByEmail(db, address);
  const deviceHash = meta.device && /^[\w-]{20,64}$/.test(meta.device) ? sha256(meta.device) : null;
  const known = !!(deviceHash && user && (await throttleRepo.deviceOwner(db, deviceHash))?.user_id === user.id);
  const keys = known ? [`device:${deviceHash}`] : [`email:${address}`, ...(meta.ip ? [`ip:${meta.ip}`] : [])];
  const threshold = (key: string) => (key.startsWith('ip:') ? s.loginMaxFailures * 4 : s.loginMaxFailures);
  const wait =
    s.throttle === false ? 0 : waitFor(await throttleRepo.throttleRows(db, keys), threshold, s.loginLockMinutes * 60);
  if (wait > 0) return { ok: false, reason: 'slow', seconds: wait };
  const valid =
    user?.password_hash && !user.disabled_at
      ? await argon2.verify(user.password_hash, password).catch(() => false)
      : (await hashPassword(password).catch(() => ''), false);
  if (!valid || !user) {
    await db.tx(async (tx) => {
      await throttleRepo.countFailure(tx, keys);
      if (user)
        await recordAudit(tx, {
          actorId: user.id,
          actorLabel: user.email,
          action: 'auth.sign-in-failed',
          entityType: 'user',
          entityId: user.id,
          ip: meta.ip,
        });
    });
    return { ok: false, reason: 'invalid' };
  }
  const sessionId = randomToken();
  const csrf = randomToken(18);
  const device = known ? meta.device! : randomToken();
  await db.tx(async (tx) => {
    await repo.recordLoginSuccess(tx, user.id);
    await throttleRepo.clearFailures(tx, known ? keys : [`email:${address}`]);
    if (!known) await throttleRepo.insertDevice(tx, sha256(device), user.id);
    await repo.insertSession(tx, {
      idHash: sha256(sessionId),
      userId: user.id,
      csrf,
      expiresAt: new Date(Date.now() + s.sessionMaxDays * 86400_000),
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    await recordAudit(tx, {
      actorId: user.id,
      actorLabel: user.email,
      action: 'auth.sign-in',
      entityType: 'user',
      entityId: user.id,
      ip: meta.ip,
    });
  });
  return { ok: true, sessionId, csrf, userId: user.id, device };
}

/** Resolves a session cookie; an idle or expired session is deleted. */
export async function resumeSession(
  db: Db,
  s: AuthSettings,
  sessionId: string,
): Promise<{ principal: Principal; csrf: string } | null> {
  const idHash = sha256(sessionId);
  const row = await repo.findSession(db, idHash);
  if (!row) return null;
  const now = Date.now();
  if (row.expires_at.getTime() < now || row.last_seen_at.getTime() + s.sessionIdleMinutes * 60_000 < now) {
    await repo.deleteSession(db, idHash);
    return null;
  }
  if (now - row.last_seen_at.getTime() > 60_000) await repo.touchSession(db, idHash);
  const principal = await loadPrincipal(db, row.user_id, 'session');
  return principal ? { principal, csrf: row.csrf } : null;
}

/** Drops a session without an audit entry (the old session of a browser that signs in again). */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await repo.deleteSession(db, sha256(sessionId));
}

export async function signOut(db: Db, sessionId: string, who: Principal, ip?: string | null): Promise<void> {
  await db.tx(async (tx) => {
    await repo.deleteSession(tx, sha256(sessionId));
    await recordAudit(tx, {
      actorId: who.userId,
      actorLabel: who.email,
      action: 'auth.sign-out',
      entityType: 'user',
      entityId: who.userId,
      ip,
    });
  });
}

export async function signOutEverywhere(db: Db, who: Principal, ip?: string | null): Promise<number> {
  return db.tx(async (tx) => {
    const n = await repo.deleteSessionsOf(tx, who.userId);
    await recordAudit(tx, {
      actorId: who.userId,
      actorLabel: who.email,
      action: 'auth.sign-out-everywhere',
      entityType: 'user',
      entityId: who.userId,
      ip,
      data: { sessions: n },
    });
    return n;
  });
}

/** Scopes a token may carry: 'read' (every GET of /api/ and /open311/) and the named actions it may write with. */
export function tokenScopeChoices(): string[] {
  return [
    'read',
    ...[...registeredActions().keys()].filter((a) => a !== 'staff.enter' && a !== 'tokens.manage-own').sort(),
  ];
}

export class TokenScopeError extends Error {}

export interface TokenOptions {
  /** Default: ['read']. */
  scopes?: string[];
  /** Default: 90 days from now; null: never. */
  expiresAt?: Date | null;
}

export async function createToken(
  db: Db,
  userId: number,
  name: string,
  actorLabel: string,
  ip?: string | null,
  opts: TokenOptions = {},
): Promise<string> {
  const scopes = [...new Set(opts.scopes?.length ? opts.scopes : ['read'])];
  const allowed = tokenScopeChoices();
  const bad = scopes.filter((x) => !allowed.includes(x));
  if (bad.length) throw new TokenScopeError(`unknown scope: ${bad.join(', ')}`);
  const expiresAt = opts.expiresAt === undefined ? new Date(Date.now() + 90 * 86400_000) : opts.expiresAt;
  const token = `cn_${randomToken(24)}`;
  await db.tx(async (tx) => {
    const id = await repo.insertToken(tx, {
      userId,
      name: name.slice(0, 100),
      hash: sha256(token),
      prefix: token.slice(0, 7),
      scopes,
      expiresAt,
    });
    await recordAudit(tx, {
      actorId: userId,
      actorLabel,
      action: 'token.create',
      entityType: 'api_token',
      entityId: id,
      ip,
      data: { name, scopes, expiresAt: expiresAt?.toISOString() ?? null },
    });
  });
  return token;
}

export async function principalFromToken(db: Db, token: string): Promise<Principal | null> {
  const row = await repo.findActiveToken(db, sha256(token));
  if (!row) return null;
  await repo.touchToken(db, row.id);
  const p = await loadPrincipal(db, row.user_id, 'token');
  return p ? { ...p, token: { scopes: row.scopes, expiresAt: row.expires_at } } : null;
}

export async function revokeToken(db: Db, who: Principal, tokenId: number, ip?: string | null): Promise<boolean> {
  return db.tx(async (tx) => {
    const ok = await repo.revokeToken(tx, who.userId, tokenId);
    if (ok)
      await recordAudit(tx, {
        actorId: who.userId,
        actorLabel: who.email,
        action: 'token.revoke',
        entityType: 'api_token',
        entityId: tokenId,
        ip,
      });
    return ok;
  });
}

/** Always answers the same way, so the form does not reveal which addresses have accounts. */
export async function requestPasswordReset(db: Db, email: string, baseUrl: string): Promise<void> {
  const user = await repo.findUserByEmail(db, email);
  if (!user || user.disabled_at) return;
  const token = randomToken();
  await db.tx(async (tx) => {
    await repo.insertPasswordReset(tx, sha256(token), user.id, new Date(Date.now() + 3600_000));
    await send(tx, [
      {
        channel: 'email',
        recipient: user.email,
        template: 'auth.password-reset',
        locale: user.locale === 'en' ? 'en' : 'vi',
        vars: { name: user.name, url: `${baseUrl}/reset/${token}` },
        refType: 'user',
        refId: user.id,
      },
    ]);
  });
}

export async function resetPassword(db: Db, token: string, password: string): Promise<boolean> {
  if (password.length < MIN_PASSWORD) return false;
  const hash = await hashPassword(password);
  return db.tx(async (tx) => {
    const userId = await repo.consumePasswordReset(tx, sha256(token));
    if (!userId) return false;
    await repo.setPassword(tx, userId, hash);
    await repo.expirePasswordResetsOf(tx, userId);
    await repo.deleteSessionsOf(tx, userId);
    await recordAudit(tx, {
      actorId: userId,
      actorLabel: `user:${userId}`,
      action: 'auth.password-reset',
      entityType: 'user',
      entityId: userId,
    });
    return true;
  });
}

export async function createUser(
  db: Db,
  u: { email: string; name: string; password: string | null; locale?: string },
  actorLabel: string,
): Promise<number> {
  const hash = u.password ? await hashPassword(u.password) : null;
  return db.tx(async (tx) => {
    const id = await repo.insertUser(tx, { email: u.email, name: u.name, passwordHash: hash, locale: u.locale });
    await recordAudit(tx, {
      actorLabel,
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      data: { email: u.email },
    });
    return id;
  });
}

/** Changes one's own password; every other session of the account ends, this one stays. */
export async function changePassword(
  db: Db,
  who: Principal,
  sessionId: string | null,
  current: string,
  next: string,
  ip?: string | null,
): Promise<void> {
  const user = await repo.findUserById(db, who.userId);
  if (!user?.password_hash || !(await argon2.verify(user.password_hash, current)))
    throw fieldsRefused({ current: 'account.wrongCurrent' });
  if (next.length < MIN_PASSWORD) throw fieldsRefused({ password: 'auth.passwordTooShort' }, { min: MIN_PASSWORD });
  const hash = await hashPassword(next);
  await db.tx(async (tx) => {
    await repo.setPassword(tx, who.userId, hash);
    await repo.expirePasswordResetsOf(tx, who.userId);
    const ended = sessionId
      ? await repo.deleteOtherSessions(tx, who.userId, sha256(sessionId))
      : await repo.deleteSessionsOf(tx, who.userId);
    await recordAudit(tx, {
      actorId: who.userId,
      actorLabel: who.email,
      action: 'auth.password-change',
      entityType: 'user',
      entityId: who.userId,
      ip,
      data: { sessionsEnded: ended },
    });
  });
}
