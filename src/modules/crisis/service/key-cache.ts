/** The per-process copy of the signing keys that verification reads (signing never does). */
import type { Db } from '../../../db/client.js';
import * as repo from '../repo.js';

/**
 * Keys change only by rotation or a leak mark: verification reads them from a per-process copy at most a second
 * old (changes in this process drop it at once; a CLI on PostgreSQL is seen within a second). Signing never uses it.
 */
const KEYS_TTL_MS = 1000;
const keysCache = new WeakMap<Db, { at: number; byId: Map<string, repo.SigningKeyRow> }>();

export async function keyForCheck(db: Db, keyId: string): Promise<repo.SigningKeyRow | null> {
  let c = keysCache.get(db);
  if (!c || Date.now() - c.at > KEYS_TTL_MS || !c.byId.has(keyId)) {
    c = { at: Date.now(), byId: new Map((await repo.listSigningKeys(db)).map((k) => [k.key_id, k])) };
    keysCache.set(db, c);
  }
  return c.byId.get(keyId) ?? null;
}

/** Drops this process's copy of the keys (after a rotation or a leak mark; benchmarks). */
export function forgetKeys(db: Db): void {
  keysCache.delete(db);
}
