import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter, type Identity } from 'age-encryption';

/**
 * Backups can be encrypted in the age format (age-encryption.org/v1): with a passphrase (scrypt) or
 * for one or more public keys (`age1…`). The encrypted file is an ordinary age file: `age -d` opens it
 * too, and gives the gzip'd backup back.
 */
export interface BackupKeys {
  passphrase?: string;
  /** age secret keys (AGE-SECRET-KEY-1…). */
  identities?: string[];
}

export interface EncryptTo {
  passphrase?: string;
  recipients?: string[];
}

export type Encryption = { encrypted: false } | { encrypted: true; with: 'passphrase' | 'recipients' };

export class BackupKeyError extends Error {}

const AGE_MAGIC = 'age-encryption.org/v1\n';
const ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';

/** Reads the first bytes: age (and which kind of key opens it) or not. */
export async function backupEncryption(file: string): Promise<Encryption & { header?: Uint8Array }> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    const text = head.toString('latin1');
    if (text.startsWith(ARMOR)) return { encrypted: true, with: 'recipients' };
    if (!text.startsWith(AGE_MAGIC)) return { encrypted: false };
    const end = text.indexOf('\n---');
    const macEnd = end < 0 ? -1 : text.indexOf('\n', end + 4);
    const header = macEnd < 0 ? undefined : new Uint8Array(head.subarray(0, macEnd + 1));
    return {
      encrypted: true,
      with: /\n-> scrypt /.test(text.slice(0, end < 0 ? undefined : end)) ? 'passphrase' : 'recipients',
      header,
    };
  } finally {
    await fh.close();
  }
}

export const describeEncryption = (e: Encryption) =>
  !e.encrypted
    ? 'not encrypted'
    : e.with === 'passphrase'
      ? 'encrypted with a passphrase (age format)'
      : 'encrypted for age public keys (age format)';

/** A file key found once (scrypt is slow on purpose), then handed to every later read of the same file. */
class KnownFileKey implements Identity {
  constructor(private readonly key: Uint8Array) {}
  unwrapFileKey(): Uint8Array {
    return this.key;
  }
}

/** What reading an encrypted backup needs: an identity that opens it. Null for a plain file. */
export type Unlocked = Identity | null;

/** Checks the keys against the file's header once; throws BackupKeyError in words an operator can act on. */
export async function unlockBackup(file: string, keys: BackupKeys = {}): Promise<Unlocked> {
  const enc = await backupEncryption(file);
  if (!enc.encrypted) return null;
  const hint = enc.with === 'passphrase' ? '--passphrase-file FILE' : '--identity FILE (the age secret key)';
  if (!keys.passphrase && !keys.identities?.length)
    throw new BackupKeyError(`${describeEncryption(enc)}: give ${hint} to read it`);
  if (!enc.header)
    throw new BackupKeyError(
      'the encrypted backup is ASCII-armored (decode it with age -d first) or its age header is damaged',
    );
  const d = new Decrypter();
  if (keys.passphrase) d.addPassphrase(keys.passphrase);
  for (const id of keys.identities ?? []) {
    try {
      d.addIdentity(id);
    } catch {
      throw new BackupKeyError('the identity file does not hold an age secret key (AGE-SECRET-KEY-1…)');
    }
  }
  try {
    return new KnownFileKey(await d.decryptHeader(enc.header));
  } catch (err) {
    const wrong = enc.with === 'passphrase' ? 'the passphrase is wrong' : 'none of the given identities opens it';
    throw new BackupKeyError(`${describeEncryption(enc)}, and ${wrong} (${(err as Error).message})`);
  }
}

/** The decrypted bytes of an encrypted backup, as a Node stream. */
export async function decryptStream(source: Readable, identity: Identity): Promise<Readable> {
  const d = new Decrypter();
  d.addIdentity(identity);
  const out = await d.decrypt(Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(out as unknown as NodeReadableStream<Uint8Array>);
}

/** Wraps a stream of backup bytes in age encryption. */
export async function encryptStream(source: Readable, to: EncryptTo): Promise<Readable> {
  const e = new Encrypter();
  if (to.passphrase) e.setPassphrase(to.passphrase);
  for (const r of to.recipients ?? []) {
    try {
      e.addRecipient(r);
    } catch {
      throw new BackupKeyError(`not an age public key: ${r.slice(0, 80)} (it starts with age1…)`);
    }
  }
  const out = await e.encrypt(Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(out as unknown as NodeReadableStream<Uint8Array>);
}

/** Checks the keys to encrypt with before any work is done. */
export function checkEncryptTo(to: EncryptTo): void {
  if (to.passphrase !== undefined && to.passphrase.length < 10)
    throw new BackupKeyError('the passphrase needs at least 10 characters (better: 5 random words)');
  if (to.passphrase && to.recipients?.length) throw new BackupKeyError('give a passphrase or recipients, not both');
  const e = new Encrypter();
  for (const r of to.recipients ?? []) {
    try {
      e.addRecipient(r);
    } catch {
      throw new BackupKeyError(`not an age public key: ${r.slice(0, 80)} (it starts with age1…)`);
    }
  }
}

/** A passphrase file: its content without the final line break. */
export async function readPassphraseFile(file: string): Promise<string> {
  const text = await readKeyFile(file);
  return text.replace(/\r?\n$/, '');
}

/** An identity file as `age-keygen` writes it: AGE-SECRET-KEY-1… lines, # comments. */
export async function readIdentityFile(file: string): Promise<string[]> {
  const keys = (await readKeyFile(file))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (!keys.length) throw new BackupKeyError(`${file} holds no age secret key (AGE-SECRET-KEY-1…)`);
  return keys;
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new BackupKeyError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
