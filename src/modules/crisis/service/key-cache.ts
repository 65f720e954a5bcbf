/** This app's copy of the signing keys that verification reads (signing never does). */
import type { Deps } from '../../../http/context.js';
import { slot } from '../../../platform/app-state.js';
import * as repo from '../repo.js';

/**
 * Keys change only by rotation or a leak mark: verification reads them from this app's copy (deps.state), at most a
 * second old (changes through this app drop it at once; another process or a CLI on PostgreSQL is seen within a
 * second). Signing never uses it.
 */
const KEYS_TTL_MS = 1000;
const KEYS = slot('crisis.signingKeys', () => ({
  value: null as { at: number; byId: Map<string, repo.SigningKeyRow> } | null,
}));

export async function keyForCheck(deps: Pick<Deps, 'db' | 'state'>, keyId: string): Promise<repo.SigningKeyRow | null> {
  const keys = deps.state.get(KEYS);
  let c = keys.value;
  if (!c || Date.now() - c.at > KEYS_TTL_MS || !c.byId.has(keyId)) {
    c = { at: Date.now(), byId: new Map((await repo.listSigningKeys(deps.db)).map((k) => [k.key_id, k])) };
    keys.value = c;
  }
  return c.byId.get(keyId) ?? null;
}

/** Drops this app's copy of the keys (after a rotation or a leak mark; benchmarks). */
export function forgetKeys(deps: Pick<Deps, 'state'>): void {
  deps.state.get(KEYS).value = null;
}
