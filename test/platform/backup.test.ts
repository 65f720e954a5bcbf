import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { openPglite, openPostgres, type Db } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { moduleNames, modules } from '../../src/modules/index.js';
import { recordAudit, verifyAudit } from '../../src/platform/audit/audit.js';
import { loadFile, saveFile, type StoredFile } from '../../src/platform/files/files.js';
import { FsBlobStore } from '../../src/platform/files/store.js';
import { enqueue } from '../../src/platform/jobs/queue.js';
import { backupDatabase, listTables, restoreDatabase, tableChecksums } from '../../src/platform/ops/backup.js';
import { importUnits, parseUnitsFile } from '../../src/platform/units/import.js';
import { upsertUnit } from '../../src/platform/units/repo.js';
import { testDb, testDbKind } from '../helpers/db.js';
import { testApp, type TestApp } from '../helpers/app.js';

const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-backup-'));
const CSV4 = path.join(import.meta.dirname, 'fixtures', 'units-4-levels.csv');

async function cli(t: TestApp, ...argv: string[]) {
  const lines: string[] = [];
  const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

let t: TestApp;
let before: Awaited<ReturnType<typeof tableChecksums>>;
const file = path.join(dir, 'one.jsonl.gz');
/** An uploaded photo: every byte value, so that any encoding slip shows. */
const photoBytes = new Uint8Array(
  Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(60_000)]),
);
let photo: StoredFile;

beforeAll(async () => {
  t = await testApp(); // every module's demo data
  await importUnits(t.db, parseUnitsFile(readFileSync(CSV4, 'utf8'), 'x.csv'), { root: 'T' });
  await enqueue(t.db, 'platform.housekeeping', { note: 'Nội dung có dấu\nvà xuống dòng' });
  await t.db.query(`INSERT INTO settings (key, value) VALUES ('backup.test', $1)`, [
    JSON.stringify({ list: [1, 2.5, 'ba'], nested: { đ: true } }),
  ]);
  photo = await saveFile(t.db, t.blobs, {
    bytes: photoBytes,
    mime: 'image/jpeg',
    width: 4,
    height: 3,
    name: 'ảnh-ổ-gà.jpg',
  });
});
afterAll(async () => {
  await t?.close();
});

describe(`backup and restore on ${testDbKind()}`, () => {
  it('backup writes every table in foreign-key order with the migration list', async () => {
    before = await tableChecksums(t.db);
    const r = await cli(t, 'backup', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/backup written to .*one\.jsonl\.gz: \d+ tables, \d+ rows, [1-9]\d* files/);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]);
    expect(header).toMatchObject({ format: 'cau-noi-backup', version: 3, source: t.db.kind });
    expect(header.migrations).toContain('platform/001_platform.sql');
    const order: string[] = header.tables;
    expect(order.indexOf('units')).toBeLessThan(order.indexOf('agencies'));
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('role_grants'));
    expect(order).not.toContain('schema_migrations');
    const end = JSON.parse(lines[lines.length - 1]);
    for (const [table, { rows }] of Object.entries(before)) expect(end.counts[table]).toBe(rows);
    // The manifest: every table's row count and checksum, every file's key, size and checksum.
    for (const [table, { rows }] of Object.entries(before))
      expect(end.manifest.tables[table]).toEqual({ rows, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const key = `${photo.id.slice(0, 2)}/${photo.id}.jpg`;
    expect(end.manifest.files).toContainEqual({
      key,
      size: photoBytes.byteLength,
      sha256: createHash('sha256').update(photoBytes).digest('hex'),
    });
    expect(end.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(lines.some((l) => l.startsWith('{"$file"') && l.includes(key))).toBe(true);
    expect(before.units.rows).toBeGreaterThan(10);
    expect(before.audit_log.rows).toBeGreaterThan(0);
  });

  it('restore refuses to overwrite data without --yes', async () => {
    const r = await cli(t, 'restore', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('run again with --yes');
  });

  it('a round trip restores every row of every table, and sequences and audit guards work after it', async () => {
    // Change things after the backup: all of it must be gone after the restore.
    await upsertUnit(t.db, { code: 'AFTER', name: 'Sau', fullName: 'Xã Sau', type: 'commune', parentId: null });
    await recordAudit(t.db, { actorLabel: 'test', action: 'after.backup', entityType: 'test' });
    await t.db.query(`UPDATE users SET name = 'changed'`);
    await t.db.query(`DELETE FROM role_grants`);
    expect(await tableChecksums(t.db)).not.toEqual(before);

    const r = await cli(t, 'restore', file, '--yes');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/restored \d+ rows into \d+ tables/);
    expect(r.out).toMatch(/audit log intact: \d+ entries/);
    expect(await tableChecksums(t.db)).toEqual(before);

    // Sequences continue after the restored ids; the audit log is append-only again and still chains.
    const maxUnit = (await t.db.one<{ m: number }>(`SELECT max(id) AS m FROM units`))!.m;
    expect(
      await upsertUnit(t.db, { code: 'NEW', name: 'Mới', fullName: 'Xã Mới', type: 'commune', parentId: null }),
    ).toBe(maxUnit + 1);
    await recordAudit(t.db, { actorLabel: 'test', action: 'after.restore', entityType: 'test' });
    expect((await verifyAudit(t.db)).ok).toBe(true);
    await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`UPDATE audit_log SET actor_label = 'x'`)).rejects.toThrow(/append-only/);
    expect(await enqueue(t.db, 'platform.housekeeping', {})).toBeGreaterThan(before.jobs.rows);
  });

  it('a damaged or foreign file is refused and the data stays', async () => {
    const sums = await tableChecksums(t.db);
    writeFileSync(path.join(dir, 'plain.txt'), 'hello');
    const r1 = await cli(t, 'restore', path.join(dir, 'plain.txt'), '--yes');
    expect(r1).toMatchObject({ code: 1 });
    expect(r1.out).toContain('not a gzip file');
    // A truncated backup (no end marker) rolls back completely.
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const { gzipSync } = await import('node:zlib');
    writeFileSync(path.join(dir, 'cut.jsonl.gz'), gzipSync(lines.slice(0, -5).join('\n')));
    const r2 = await cli(t, 'restore', path.join(dir, 'cut.jsonl.gz'), '--yes');
    expect(r2).toMatchObject({ code: 1 });
    expect(r2.out).toContain('truncated');
    expect(await tableChecksums(t.db)).toEqual(sums);
  });

  it('restore into an empty place gives back the data and the uploaded files, byte for byte', async () => {
    const fresh = await testDb({ demo: false });
    await migrate(fresh, moduleNames);
    const filesDir = path.join(dir, 'fresh-data', 'files');
    const store = new FsBlobStore(filesDir);
    try {
      const deps = { ...t.deps, db: fresh, blobs: store };
      const lines: string[] = [];
      const code = await runCommand(deps, modules, ['restore', file], (l) => lines.push(l));
      expect(lines.join('\n')).toMatch(
        /restored \d+ rows into \d+ tables from a \w+ backup.*\nrestored [1-9]\d* uploaded files \([\d.]+ (B|KiB|MiB)\), every checksum verified/,
      );
      expect(code).toBe(0);
      expect(await tableChecksums(fresh)).toEqual(before);
      expect(existsSync(path.join(filesDir, photo.id.slice(0, 2), `${photo.id}.jpg`))).toBe(true);
      const back = await loadFile(fresh, store, photo.id);
      expect(back?.mime).toBe('image/jpeg');
      expect(Buffer.compare(Buffer.from(back!.bytes), Buffer.from(photoBytes))).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('a tampered archive is refused with a message naming what does not match, and nothing changes', async () => {
    const sums = await tableChecksums(t.db);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const tamper = async (name: string, edit: (l: string[]) => string[]) => {
      const f = path.join(dir, name);
      writeFileSync(f, gzipSync(edit([...lines]).join('\n') + '\n'));
      const v = await cli(t, 'verify-backup', f);
      const r = await cli(t, 'restore', f, '--yes');
      expect(r.code).toBe(1);
      expect(v.code).toBe(1);
      expect(v.out).toBe(r.out);
      return r.out;
    };
    // One byte of the photo changed.
    const fileLine = lines.findIndex((l) => l.startsWith('{"$file"'));
    const key = JSON.parse(lines[fileLine]).$file as string;
    const flipped = await tamper('photo.jsonl.gz', (l) => {
      const o = JSON.parse(l[fileLine]);
      const b = Buffer.from(o.data, 'base64');
      b[300] ^= 1;
      o.data = b.toString('base64');
      l[fileLine] = JSON.stringify(o);
      return l;
    });
    expect(flipped).toContain(`file ${key} does not match its checksum`);
    // The photo and its recorded checksum both replaced: the manifest still tells.
    const swapped = await tamper('photo2.jsonl.gz', (l) => {
      const o = JSON.parse(l[fileLine]);
      const b = Buffer.from('not the photo');
      Object.assign(o, {
        data: b.toString('base64'),
        size: b.byteLength,
        sha256: createHash('sha256').update(b).digest('hex'),
      });
      l[fileLine] = JSON.stringify(o);
      return l;
    });
    expect(swapped).toContain(`file ${key} does not match its checksum`);
    // A row edited (an account's name).
    const userLine = lines.findIndex(
      (l, i) => i > lines.indexOf(lines.find((x) => x.startsWith('{"$table":"users"'))!) && l.includes('"email"'),
    );
    const edited = await tamper('row.jsonl.gz', (l) => {
      l[userLine] = l[userLine].replace(/"name":"[^"]*"/, '"name":"Kẻ mạo danh"');
      return l;
    });
    expect(edited).toContain('table users does not match its checksum');
    // The header changed (only the whole-file checksum covers it).
    const header = await tamper('header.jsonl.gz', (l) => {
      l[0] = l[0].replace(/"createdAt":"[^"]*"/, '"createdAt":"2020-01-01T00:00:00.000Z"');
      return l;
    });
    expect(header).toContain('do not match the checksum in its manifest');
    // Damaged compressed bytes.
    const raw = readFileSync(file);
    raw[Math.floor(raw.length / 2)] ^= 0xff;
    writeFileSync(path.join(dir, 'bits.jsonl.gz'), raw);
    const bits = await cli(t, 'restore', path.join(dir, 'bits.jsonl.gz'), '--yes');
    expect(bits.code).toBe(1);
    expect(bits.out).toMatch(/damaged|not valid JSON|does not match/);

    expect(await tableChecksums(t.db)).toEqual(sums);
    const ok = await cli(t, 'verify-backup', file);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toMatch(/backup intact: \d+ rows in \d+ tables, [1-9]\d* files/);
  });

  it('a version 1 backup (no files, no checksums) still restores, with a warning', async () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const header = { ...JSON.parse(lines[0]), version: 1 };
    const end = JSON.parse(lines[lines.length - 1]);
    const v1 = [
      JSON.stringify(header),
      ...lines.slice(1, -1).filter((l) => !l.startsWith('{"$file')),
      JSON.stringify({ $end: true, counts: end.counts }),
    ];
    const f = path.join(dir, 'v1.jsonl.gz');
    writeFileSync(f, gzipSync(v1.join('\n') + '\n'));
    const v = await cli(t, 'verify-backup', f);
    expect(v.code).toBe(0);
    expect(v.out).toContain('a version 1 backup');
    const r = await cli(t, 'restore', f, '--yes');
    expect(r.code).toBe(0);
    expect(r.out).toContain('warning: a version 1 backup: it carries no checksums and no uploaded files');
    expect(r.out).not.toContain('uploaded files (');
    expect(await tableChecksums(t.db)).toEqual(before);
    // The store keeps what it had: a version 1 restore never removes files.
    expect(await t.blobs.get(`${photo.id.slice(0, 2)}/${photo.id}.jpg`)).not.toBeNull();
    // Leave a change after the backup for the cross-database test below (it checks that its restore replaces it).
    await recordAudit(t.db, { actorLabel: 'test', action: 'after.v1', entityType: 'test' });
  });

  it('every table the migrations create is in the backup', async () => {
    const tables = (await listTables(t.db)).map((x) => x.name);
    const all = await t.db.query<{ n: string }>(
      `SELECT tablename AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
    );
    expect([...tables].sort()).toEqual(all.map((r) => r.n).sort());
  });
});

/** A fresh, migrated database of the other kind than this run's. */
async function otherDb(): Promise<{ db: Db; drop(): Promise<void> } | null> {
  if (testDbKind() === 'pg') {
    const db = await openPglite();
    await migrate(db, moduleNames);
    return { db, drop: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const name = `caunoi_bk_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString(), 2);
  await migrate(db, moduleNames);
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe('backups move between PGlite and PostgreSQL', () => {
  it.skipIf(testDbKind() === 'pglite' && !process.env.TEST_DATABASE_URL)(
    `a ${testDbKind()} backup restores into the other database and back, row for row`,
    async () => {
      const other = (await otherDb())!;
      try {
        const sums = await tableChecksums(t.db);
        const there = await restoreDatabase(other.db, file);
        expect(there.header.source).toBe(t.db.kind);
        expect(await tableChecksums(other.db)).toEqual(before);
        const back = path.join(dir, 'back.jsonl.gz');
        await backupDatabase(other.db, back);
        await restoreDatabase(t.db, back);
        expect(await tableChecksums(t.db)).toEqual(before);
        expect(sums).not.toEqual(before); // (the round trip really replaced what the earlier test added)
        expect((await verifyAudit(other.db)).ok).toBe(true);
      } finally {
        await other.drop();
      }
    },
  );
});

describe('restore as a database owner who is not a superuser (PostgreSQL)', () => {
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'holds off the audit triggers with ALTER TABLE … DISABLE TRIGGER inside the transaction',
    async () => {
      const url = process.env.TEST_DATABASE_URL!;
      const suffix = `${process.pid}_${Date.now().toString(36)}`;
      const role = `caunoi_owner_${suffix}`;
      const name = `caunoi_nosu_${suffix}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER`);
      await admin.query(`CREATE DATABASE ${name} OWNER ${role}`);
      const u = new URL(url);
      u.pathname = `/${name}`;
      u.username = role;
      const db = await openPostgres(u.toString(), 2);
      try {
        await migrate(db, moduleNames); // the owner creates the (trusted) extensions and every table
        const r = await restoreDatabase(db, file);
        expect(r.triggerBypass).toBe('disable trigger');
        expect(await tableChecksums(db)).toEqual(before);
        // The triggers are back on once the restore committed.
        await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
        expect((await verifyAudit(db)).ok).toBe(true);
      } finally {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.query(`DROP ROLE IF EXISTS ${role}`);
        await admin.end();
      }
    },
  );
});
