import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { tableChecksums } from '../../src/platform/ops/backup.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';

const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-enc-'));
let t: TestApp;
let before: Awaited<ReturnType<typeof tableChecksums>>;
let identity = '';
let recipient = '';

async function cli(...argv: string[]) {
  const lines: string[] = [];
  const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

beforeAll(async () => {
  t = await testApp();
  before = await tableChecksums(t.db);
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
afterAll(() => t?.close());

describe(`backup files: owner-only, and encrypted when asked (${testDbKind()})`, () => {
  it('a plain backup is readable by its owner only, and verify-backup says it is not encrypted', async () => {
    const f = path.join(dir, 'plain.jsonl.gz');
    const r = await cli('backup', f);
    expect(r.code).toBe(0);
    expect(r.out).toContain('not encrypted, readable by its owner only');
    expect(r.out).toContain('--passphrase-file F or --recipient age1…');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    const v = await cli('verify-backup', f);
    expect(v.out).toMatch(/backup intact: .*, not encrypted$/);
  });

  it('for an age public key: unreadable without the secret key, verified and restored with it', async () => {
    const f = path.join(dir, 'for-key.jsonl.gz.age');
    const r = await cli('backup', f, '--recipient', recipient);
    expect(r.code).toBe(0);
    expect(r.out).toContain('encrypted for age public keys (age format), readable by its owner only');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(f);
    expect(bytes.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    expect(bytes.includes(Buffer.from('admin@demo.local'))).toBe(false);
    expect(() => gunzipSync(bytes)).toThrow();

    const noKey = await cli('verify-backup', f);
    expect(noKey.code).toBe(1);
    expect(noKey.out).toBe(
      `${f}: encrypted for age public keys (age format): give --identity FILE (the age secret key) to read it`,
    );
    const other = write('other.key', `# created: elsewhere\n${await generateIdentity()}\n`);
    const wrong = await cli('verify-backup', f, '--identity', other);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('none of the given identities opens it');
    const key = write('backup.key', `# public key: ${recipient}\n${identity}\n`);
    const ok = await cli('verify-backup', f, '--identity', key);
    expect(ok.out).toMatch(/^backup intact: \d+ rows in \d+ tables, .*, encrypted for age public keys \(age format\)$/);
    expect(ok.code).toBe(0);

    // One byte of the ciphertext changed: refused, nothing restored.
    const bad = Buffer.from(bytes);
    bad[Math.floor(bad.length / 2)] ^= 1;
    const badFile = path.join(dir, 'bad.age');
    writeFileSync(badFile, bad);
    const tampered = await cli('restore', badFile, '--yes', '--identity', key);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toMatch(/damaged|altered/);

    await t.db.query(`UPDATE users SET name = 'đã đổi sau bản sao'`);
    const restored = await cli('restore', f, '--yes', '--identity', key);
    expect(restored.out).toMatch(/restored \d+ rows into \d+ tables/);
    expect(restored.code).toBe(0);
    expect(await tableChecksums(t.db)).toEqual(before);
  });

  it('with a passphrase: restored with the right one, refused with a wrong one', async () => {
    const f = path.join(dir, 'pass.jsonl.gz.age');
    const pass = write('pass.txt', 'ngựa-đúng pin kẹp-ghim\n');
    expect((await cli('backup', f, '--passphrase-file', write('short.txt', 'ngắn\n'))).out).toContain(
      'at least 10 characters',
    );
    const r = await cli('backup', f, '--passphrase-file', pass);
    expect(r.code).toBe(0);
    expect(r.out).toContain('encrypted with a passphrase (age format)');
    expect(readFileSync(f).subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    const noKey = await cli('verify-backup', f);
    expect(noKey.out).toContain('encrypted with a passphrase (age format): give --passphrase-file FILE to read it');
    const wrong = await cli('restore', f, '--yes', '--passphrase-file', write('wrong.txt', 'một câu sai hoàn toàn'));
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('the passphrase is wrong');
    await t.db.query(`UPDATE users SET name = 'đổi lần nữa'`);
    const restored = await cli('restore', f, '--yes', '--passphrase-file', pass);
    expect(restored.code).toBe(0);
    expect(await tableChecksums(t.db)).toEqual(before);
  }, 120_000);

  it('refuses a key that is not an age public key before writing anything', async () => {
    const r = await cli('backup', path.join(dir, 'x.age'), '--recipient', 'ssh-rsa AAAA');
    expect(r.code).toBe(2);
    expect(r.out).toContain('not an age public key');
  });
});
