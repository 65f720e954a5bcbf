/** Fingerprints and detached Ed25519 signatures of exchanged pages. */
import { createHash, createPublicKey, verify } from 'node:crypto';

/** SHA-256 over the key's SPKI DER, 64 hex digits in groups of four: what admins compare and pin. */
export function fingerprintOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return formatFingerprint(createHash('sha256').update(der).digest('hex'));
}

export function formatFingerprint(hex: string): string {
  return hex
    .toLowerCase()
    .match(/.{1,4}/g)!
    .join(':');
}

/** What an admin typed, compared without case, spaces or separators; null if it cannot be a fingerprint. */
export function normalizeFingerprint(input: string): string | null {
  const hex = input
    .toLowerCase()
    .replace(/^sha-?256:?/, '')
    .replace(/[^0-9a-f]/g, '');
  return hex.length === 64 ? formatFingerprint(hex) : null;
}

export function verifyDetached(publicKeyPem: string, text: string, signatureB64: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/** Headers that carry a page's detached signature (over the exact body bytes). */
export const SIG_HEADER = 'x-caunoi-signature';
export const KEY_HEADER = 'x-caunoi-key-id';
/** Headers of a signed request (a partner asking for our early-warning clusters). */
export const REQ_DATE_HEADER = 'x-caunoi-date';

/** The text a partner signs to ask for clusters: method, path and time, so a copy cannot be replayed later. */
export const requestSigningText = (path: string, date: string) => `caunoi-exchange-request-1\nGET ${path}\n${date}`;
