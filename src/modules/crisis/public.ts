/** What the crisis centre offers other modules (network campaigns). Implemented by the crisis module. */
import type { Db } from '../../db/client.js';
import { releasedSummaries } from './repo.js';
import { publicKeys, signingKey } from './service/signing-keys.js';
import { signCanonical } from './service/signing.js';

export interface ReleasedStatement {
  id: number;
  number: string;
  title: string;
  url: string;
  releasedAt: Date;
}

/** Released statements (newest first), optionally only the given ids; url is the public path. */
export async function releasedStatements(
  db: Db,
  opts: { ids?: number[]; limit?: number },
): Promise<ReleasedStatement[]> {
  const rows = await releasedSummaries(db, opts.ids ?? null, Math.min(Math.max(opts.limit ?? 50, 1), 500));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    url: `/statements/${r.number}`,
    releasedAt: new Date(r.released_at),
  }));
}

/** The installation's current Ed25519 public key (the one that signs statements), made on first use. */
export async function installationKey(db: Db): Promise<{ keyId: string; publicKeyPem: string }> {
  const k = await signingKey(db);
  return { keyId: k.keyId, publicKeyPem: k.publicKeyPem };
}

/** Signs `text` (its UTF-8 bytes) with the installation's current key: a detached Ed25519 signature, base64. */
export async function signWithInstallationKey(
  db: Db,
  text: string,
): Promise<{ keyId: string; publicKeyPem: string; signature: string }> {
  const k = await signingKey(db);
  return { keyId: k.keyId, publicKeyPem: k.publicKeyPem, signature: signCanonical(k.privateKeyPem, text) };
}

/** Every public key that may have signed something for this installation (current first), with its status. */
export async function installationPublicKeys(
  db: Db,
): Promise<{ keyId: string; algorithm: string; publicKeyPem: string; status: string }[]> {
  return (await publicKeys(db)).map((k) => ({
    keyId: k.keyId,
    algorithm: k.algorithm,
    publicKeyPem: k.publicKeyPem,
    status: k.status,
  }));
}
