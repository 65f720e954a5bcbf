import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/** Unicode NFC, every run of whitespace (also NBSP and zero-width characters) as one space, trimmed. */
export function normalizeText(s: string | null | undefined): string {
  return (s ?? '')
    .normalize('NFC')
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ')
    .trim();
}

export interface SignedFields {
  number: string;
  releasedAt: string; // ISO
  title: string;
  titleEn: string | null;
  body: string;
  bodyEn: string | null;
  incidentId: number | null;
}

/** The exact bytes that are signed: a versioned, key-sorted JSON of the normalised fields. */
export function canonicalForm(f: SignedFields): string {
  const o = {
    body: normalizeText(f.body),
    bodyEn: f.bodyEn ? normalizeText(f.bodyEn) : null,
    incidentId: f.incidentId,
    number: f.number,
    releasedAt: f.releasedAt,
    title: normalizeText(f.title),
    titleEn: f.titleEn ? normalizeText(f.titleEn) : null,
    v: 'caunoi-statement-1',
  };
  return JSON.stringify(o);
}

export interface KeyPair {
  keyId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  createdAt: string;
}

export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function newKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { keyId: keyIdOf(publicKeyPem), publicKeyPem, privateKeyPem, createdAt: new Date().toISOString() };
}

/**
 * Process-wide on purpose: a pure memo of PEM text → parsed key (the same for any app that holds that PEM), which
 * decides nothing; which keys are valid, retired or leaked is read per app (key-cache.ts).
 */
const keyCache = new Map<string, KeyObject>();
function keyObject(pem: string, kind: 'public' | 'private'): KeyObject {
  let k = keyCache.get(pem);
  if (!k) {
    k = kind === 'public' ? createPublicKey(pem) : createPrivateKey(pem);
    keyCache.set(pem, k);
  }
  return k;
}

export function signCanonical(privateKeyPem: string, canonical: string): string {
  return sign(null, Buffer.from(canonical, 'utf8'), keyObject(privateKeyPem, 'private')).toString('base64');
}

export function verifyCanonical(publicKeyPem: string, canonical: string, signatureB64: string): boolean {
  try {
    return verify(
      null,
      Buffer.from(canonical, 'utf8'),
      keyObject(publicKeyPem, 'public'),
      Buffer.from(signatureB64, 'base64'),
    );
  } catch {
    return false;
  }
}

const B32 = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'; // no I, L, O, 0, 1: easy to read aloud and type

/** A short code derived from the signature: 8 characters as XXXX-XXXX. */
export function verificationCode(signatureB64: string, salt = 0): string {
  const h = createHash('sha256').update(signatureB64).update(String(salt)).digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += B32[h[i] % B32.length];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** What a resident types: case and separators do not matter. */
export function normalizeCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (s.length !== 8) return null;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

export const hashText = (s: string) => createHash('sha256').update(normalizeText(s)).digest('hex');

/** Every form of a released text a resident may paste: body, title + body, in each language. */
export function textHashes(f: {
  title: string;
  titleEn: string | null;
  body: string;
  bodyEn: string | null;
}): string[] {
  const forms = [f.body, `${f.title}\n${f.body}`];
  if (f.bodyEn) forms.push(f.bodyEn, `${f.titleEn ?? ''}\n${f.bodyEn}`);
  return [...new Set(forms.map(hashText))];
}
