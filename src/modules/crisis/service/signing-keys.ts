/** The statement signing keys: the current key (made on first use), the published list, rotation and leak marks. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { can, ForbiddenError, type Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import { newKeyPair, type KeyPair } from './signing.js';
import { invalid } from './common.js';
import { bumpListVersion, label } from './internal.js';
import { forgetKeys } from './key-cache.js';

export interface PublicKeyInfo {
  keyId: string;
  algorithm: 'Ed25519';
  publicKeyPem: string;
  createdAt: string;
  validFrom: string;
  /** When the key was retired (it signs nothing after this); null for the current key. */
  validUntil: string | null;
  status: 'current' | 'retired' | 'compromised';
  /** Statements signed at or after this time are not to be trusted. */
  compromisedSince: string | null;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

export function publicKeyInfo(k: repo.SigningKeyRow): PublicKeyInfo {
  return {
    keyId: k.key_id,
    algorithm: 'Ed25519',
    publicKeyPem: k.public_key_pem,
    createdAt: iso(k.created_at)!,
    validFrom: iso(k.valid_from)!,
    validUntil: iso(k.retired_at),
    status: k.retired_at == null ? 'current' : k.compromised_since ? 'compromised' : 'retired',
    compromisedSince: iso(k.compromised_since),
  };
}

/**
 * The current Ed25519 key pair, made on first use; the private key never leaves the server. Read inside the
 * release transaction under the shared key lock, so a rotation never lands between reading the key and signing.
 */
export async function signingKey(db: Db): Promise<KeyPair & { validFrom: Date }> {
  let k = await repo.currentSigningKey(db);
  if (!k) {
    const fresh = newKeyPair();
    await repo.insertFirstSigningKey(db, {
      keyId: fresh.keyId,
      publicKeyPem: fresh.publicKeyPem,
      privateKeyPem: fresh.privateKeyPem,
      at: new Date(fresh.createdAt),
    });
    k = (await repo.currentSigningKey(db))!;
  }
  return {
    keyId: k.key_id,
    publicKeyPem: k.public_key_pem,
    privateKeyPem: k.private_key_pem,
    createdAt: iso(k.created_at)!,
    validFrom: new Date(k.valid_from),
  };
}

/** Every key with its validity period, the current one first (made on first use). */
export async function publicKeys(db: Db): Promise<PublicKeyInfo[]> {
  let keys = await repo.listSigningKeys(db);
  if (!keys.some((k) => k.retired_at == null)) {
    await signingKey(db);
    keys = await repo.listSigningKeys(db);
  }
  return keys.map(publicKeyInfo);
}

/** The current public key (what `/.well-known/caunoi-statements.pub` serves). */
export async function publicKey(db: Db): Promise<PublicKeyInfo> {
  return (await publicKeys(db))[0];
}

/** Rotating the key is the top unit's administrator's call: the key speaks for the whole office. */
export async function mayManageKeys(db: Db, p: Principal | null): Promise<boolean> {
  if (!p) return false;
  const root = await repo.rootUnit(db);
  return root ? can(p, 'crisis.keys', root.path) : false;
}

export interface RotateInput {
  reason: string;
  /** The retired key is known or suspected to be leaked since this time (null: retired in good order). */
  compromisedSince: Date | null;
}

export interface RotateResult {
  retired: PublicKeyInfo;
  current: PublicKeyInfo;
  /** Released statements signed with the retired key at or after `compromisedSince`: they now show a warning. */
  flagged: number;
}

/**
 * Retires the current key and makes a new one, in one transaction: statements released from then on are signed
 * with the new key; everything signed before keeps verifying with the old one. `principal` null is the CLI.
 */
export async function rotateSigningKey(
  deps: Pick<Deps, 'db' | 'state'>,
  principal: Principal | null,
  input: RotateInput,
  ip: string | null = null,
): Promise<RotateResult> {
  const { db } = deps;
  if (principal && !(await mayManageKeys(db, principal))) throw new ForbiddenError('crisis.keys');
  const reason = input.reason.trim();
  if (reason.length < 3) throw invalid({ reason: 'keys.reasonRequired' });
  if (reason.length > 500) throw invalid({ reason: 'keys.reasonTooLong' });
  await signingKey(db); // there is always a key to retire
  const fresh = newKeyPair();
  const r = await db.tx(async (tx) => {
    await repo.lockKeysExclusive(tx);
    const old = (await repo.currentSigningKey(tx))!;
    // a retirement never predates what the key already signed (clocks of several servers may differ a little)
    const last = await repo.lastSignedAt(tx, old.key_id);
    let at = new Date();
    if (last && new Date(last).getTime() >= at.getTime()) at = new Date(new Date(last).getTime() + 1);
    if (at.getTime() < new Date(old.valid_from).getTime()) at = new Date(old.valid_from);
    if (input.compromisedSince) {
      if (input.compromisedSince.getTime() > at.getTime()) throw invalid({ compromisedSince: 'keys.sinceFuture' });
    }
    const compromisedSince =
      input.compromisedSince && input.compromisedSince < new Date(old.valid_from)
        ? new Date(old.valid_from)
        : input.compromisedSince;
    await repo.retireSigningKey(tx, old.id, { at, reason, compromisedSince, userId: principal?.userId ?? null });
    const newId = await repo.insertSigningKey(tx, {
      keyId: fresh.keyId,
      publicKeyPem: fresh.publicKeyPem,
      privateKeyPem: fresh.privateKeyPem,
      at,
      userId: principal?.userId ?? null,
    });
    const flagged = compromisedSince ? await repo.countSignedWith(tx, old.key_id, compromisedSince) : 0;
    await recordAudit(tx, {
      actorId: principal?.userId ?? null,
      actorLabel: principal ? label(principal) : 'cli',
      action: 'crisis.key.rotate',
      entityType: 'crisis.signing_key',
      entityId: newId,
      ip,
      data: {
        retiredKeyId: old.key_id,
        newKeyId: fresh.keyId,
        reason,
        compromisedSince: iso(compromisedSince),
        flagged,
      },
    });
    return { oldKeyId: old.key_id, flagged };
  });
  forgetKeys(deps);
  const retired = await repo.signingKeyById(db, r.oldKeyId);
  const current = await repo.signingKeyById(db, fresh.keyId);
  bumpListVersion(deps);
  return { retired: publicKeyInfo(retired!), current: publicKeyInfo(current!), flagged: r.flagged };
}

/**
 * A key already retired turns out to have leaked (found after a routine rotation): statements it signed since
 * `since` show the warning from now on. The current key is not marked this way: rotate it with the leak time.
 */
export async function markKeyCompromised(
  deps: Pick<Deps, 'db' | 'state'>,
  principal: Principal | null,
  input: { keyId: string; since: Date; reason: string },
  ip: string | null = null,
): Promise<{ key: PublicKeyInfo; flagged: number }> {
  const { db } = deps;
  if (principal && !(await mayManageKeys(db, principal))) throw new ForbiddenError('crisis.keys');
  const reason = input.reason.trim();
  const row = await repo.signingKeyById(db, input.keyId);
  if (!row) throw invalid({ leakKey: 'keys.unknownKey' });
  if (row.retired_at == null) throw invalid({ leakKey: 'keys.currentKey' });
  if (reason.length < 3) throw invalid({ leakReason: 'keys.reasonRequired' });
  if (reason.length > 500) throw invalid({ leakReason: 'keys.reasonTooLong' });
  if (input.since.getTime() > Date.now()) throw invalid({ leakSince: 'keys.sinceFuture' });
  const since = input.since < new Date(row.valid_from) ? new Date(row.valid_from) : input.since;
  const flagged = await db.tx(async (tx) => {
    await repo.lockKeysExclusive(tx);
    await repo.markKeyCompromised(tx, row.id, since, reason);
    const k = (await repo.signingKeyById(tx, row.key_id))!;
    const n = await repo.countSignedWith(tx, row.key_id, k.compromised_since);
    await recordAudit(tx, {
      actorId: principal?.userId ?? null,
      actorLabel: principal ? label(principal) : 'cli',
      action: 'crisis.key.compromise',
      entityType: 'crisis.signing_key',
      entityId: row.id,
      ip,
      data: { keyId: row.key_id, compromisedSince: iso(k.compromised_since), reason, flagged: n },
    });
    return n;
  });
  forgetKeys(deps);
  return { key: publicKeyInfo((await repo.signingKeyById(db, row.key_id))!), flagged };
}
