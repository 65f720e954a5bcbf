import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline, type Readable } from 'node:stream';
import { pipeline as pipeAll } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Db } from '../../db/client.js';
import { appliedMigrations } from '../../db/migrate.js';
import type { BlobStore } from '../files/store.js';
import {
  BackupKeyError,
  backupEncryption,
  checkEncryptTo,
  decryptStream,
  encryptStream,
  unlockBackup,
  type BackupKeys,
  type EncryptTo,
  type Encryption,
  type Unlocked,
} from './backup-crypto.js';

/**
 * Logical, portable backups: gzip'd JSON lines, one header line, then per table a `{"$table"}` line
 * followed by one `row_to_json` object per row, then (version 2) a `{"$files"}` line followed by one
 * `{"$file": key, size, sha256, data: base64}` line per uploaded file, then a `{"$end"}` line: the
 * manifest (row count and SHA-256 of each table's lines, key, size and SHA-256 of each file) and the
 * SHA-256 of every line before it. Tables come in foreign-key order. The same file restores into
 * PGlite or PostgreSQL, whichever made it. Version 3 adds, after the tables, one `{"$sequences"}` line
 * with the position of every sequence (standalone ones such as mailbox_code_seq too, which no table
 * column would bring back).
 */
export const BACKUP_FORMAT = 'cau-noi-backup';
export const BACKUP_VERSION = 3;

export interface SequenceState {
  name: string;
  last_value: number;
  is_called: boolean;
}

export interface BackupManifest {
  tables: Record<string, { rows: number; sha256: string }>;
  files: { key: string; size: number; sha256: string }[];
  sequences?: SequenceState[];
}

interface FileLine {
  $file: string;
  size: number;
  sha256: string;
  data: string;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  source: Db['kind'];
  migrations: string[];
  tables: string[];
}

interface TableInfo {
  name: string;
  /** Columns that hold data (generated columns left out). */
  columns: string[];
  primaryKey: string[];
  /** Serial / identity columns whose sequence follows max(column). */
  sequenced: string[];
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
const SKIP = new Set(['schema_migrations']);

/** Ordinary tables of the public schema (not extension-owned, not partitions), parents before children. */
export async function listTables(db: Db): Promise<TableInfo[]> {
  const tables = await db.query<{ oid: number; name: string }>(
    `SELECT c.oid::int AS oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname`,
  );
  const cols = await db.query<{ rel: number; name: string; generated: string; identity: string; serial: boolean }>(
    `SELECT a.attrelid::int AS rel, a.attname AS name, a.attgenerated::text AS generated, a.attidentity::text AS identity,
       pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL AS serial
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`,
  );
  const pks = await db.query<{ rel: number; name: string }>(
    `SELECT i.indrelid::int AS rel, a.attname AS name FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND i.indisprimary ORDER BY i.indrelid, array_position(i.indkey::int2[], a.attnum)`,
  );
  const fks = await db.query<{ child: number; parent: number }>(
    `SELECT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid`,
  );
  const byOid = new Map<number, TableInfo>();
  for (const t of tables)
    if (!SKIP.has(t.name)) byOid.set(t.oid, { name: t.name, columns: [], primaryKey: [], sequenced: [] });
  for (const c of cols) {
    const t = byOid.get(c.rel);
    if (!t || c.generated !== '') continue;
    t.columns.push(c.name);
    if (c.serial || c.identity !== '') t.sequenced.push(c.name);
  }
  for (const p of pks) byOid.get(p.rel)?.primaryKey.push(p.name);
  // Depth-first topological order over foreign keys (a cycle, if any, falls back to name order).
  const parents = new Map<number, number[]>();
  for (const f of fks)
    if (byOid.has(f.child) && byOid.has(f.parent)) parents.set(f.child, [...(parents.get(f.child) ?? []), f.parent]);
  const ordered: TableInfo[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (oid: number) => {
    if (state.get(oid)) return;
    state.set(oid, 'visiting');
    for (const p of parents.get(oid) ?? []) if (state.get(p) !== 'visiting') visit(p);
    state.set(oid, 'done');
    ordered.push(byOid.get(oid)!);
  };
  for (const oid of byOid.keys()) visit(oid);
  return ordered;
}

/** Every sequence of the public schema (not extension-owned) and where it stands. */
export async function listSequences(db: Db): Promise<SequenceState[]> {
  const seqs = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'S'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname`,
  );
  const out: SequenceState[] = [];
  for (const s of seqs) {
    const r = await db.one<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text AS last_value, is_called FROM ${q(s.name)}`,
    );
    out.push({ name: s.name, last_value: Number(r!.last_value), is_called: r!.is_called });
  }
  return out;
}

/** The value nextval() would give next. */
const nextOf = (s: { last_value: number; is_called: boolean }) => (s.is_called ? s.last_value + 1 : s.last_value);

export interface BackupResult {
  file: string;
  tables: number;
  rows: number;
  counts: Record<string, number>;
  /** Uploaded files written into the backup, and their total size. */
  files: number;
  fileBytes: number;
  /** Files the database lists but the store does not have (or whose bytes no longer match the recorded checksum). */
  missingFiles: string[];
  bytes: number;
  encryption: Encryption;
}

/**
 * Writes a consistent snapshot of every table (one REPEATABLE READ transaction) to `file`, and,
 * with `blobs`, the bytes of every uploaded file the `files` table lists.
 */
export async function backupDatabase(
  db: Db,
  file: string,
  opts: { blobs?: BlobStore; encrypt?: EncryptTo } = {},
): Promise<BackupResult> {
  if (opts.encrypt) checkEncryptTo(opts.encrypt);
  const tmp = `${file}.partial-${process.pid}`;
  const gz = createGzip({ level: 6 });
  // Only its owner may read it: a backup holds password hashes, signing keys and personal data.
  const sink = createWriteStream(tmp, { mode: 0o600 });
  const written = pipeAll(opts.encrypt ? await encryptStream(gz, opts.encrypt) : gz, sink);
  written.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile
  const whole = createHash('sha256');
  const write = async (line: string, hashed = true) => {
    if (hashed) whole.update(line + '\n');
    if (!gz.write(line + '\n')) await once(gz, 'drain');
  };
  const counts: Record<string, number> = {};
  const manifest: BackupManifest = { tables: {}, files: [] };
  const missingFiles: string[] = [];
  let fileBytes = 0;
  try {
    await db.tx(async (tx) => {
      await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
      await tx.query(`SET LOCAL TimeZone = 'UTC'`);
      const tables = await listTables(tx);
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        source: db.kind,
        migrations: await appliedMigrations(tx),
        tables: tables.map((t) => t.name),
      };
      await write(JSON.stringify(header));
      for (const t of tables) {
        await write(JSON.stringify({ $table: t.name, columns: t.columns }));
        const order = t.primaryKey.length ? ` ORDER BY ${t.primaryKey.map(q).join(', ')}` : '';
        await tx.query(
          `DECLARE caunoi_backup NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS j FROM (SELECT ${t.columns.map(q).join(', ')} FROM ${q(t.name)}${order}) x`,
        );
        let n = 0;
        const h = createHash('sha256');
        for (;;) {
          const rows = await tx.query<{ j: string }>(`FETCH 2000 FROM caunoi_backup`);
          // A `json` column keeps its own line breaks inside row_to_json: re-serialise those rows onto one line.
          for (const r of rows) {
            const line = r.j.includes('\n') ? JSON.stringify(JSON.parse(r.j)) : r.j;
            h.update(line + '\n');
            await write(line);
          }
          n += rows.length;
          if (rows.length < 2000) break;
        }
        await tx.query(`CLOSE caunoi_backup`);
        counts[t.name] = n;
        manifest.tables[t.name] = { rows: n, sha256: h.digest('hex') };
      }
      manifest.sequences = await listSequences(tx);
      await write(JSON.stringify({ $sequences: manifest.sequences }));
      if (opts.blobs && tables.some((t) => t.name === 'files')) {
        await write(JSON.stringify({ $files: true }));
        const keys = await tx.query<{ storage_key: string; sha256: string }>(
          `SELECT DISTINCT ON (storage_key) storage_key, sha256 FROM files ORDER BY storage_key`,
        );
        for (const k of keys) {
          const bytes = await opts.blobs.get(k.storage_key);
          if (!bytes) {
            missingFiles.push(k.storage_key);
            continue;
          }
          const sum = sha256(bytes);
          if (sum !== k.sha256)
            missingFiles.push(`${k.storage_key} (its bytes no longer match the checksum recorded at upload)`);
          const line: FileLine = {
            $file: k.storage_key,
            size: bytes.byteLength,
            sha256: sum,
            data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
          };
          await write(JSON.stringify(line));
          manifest.files.push({ key: k.storage_key, size: bytes.byteLength, sha256: sum });
          fileBytes += bytes.byteLength;
        }
      }
      const digest = whole.digest('hex');
      await write(JSON.stringify({ $end: true, counts, manifest, sha256: digest }), false);
    });
    gz.end();
    await written;
    await rename(tmp, file);
    await chmod(file, 0o600);
  } catch (err) {
    gz.destroy();
    sink.destroy();
    await written.catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
  const { stat } = await import('node:fs/promises');
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const encryption: Encryption = opts.encrypt
    ? { encrypted: true, with: opts.encrypt.passphrase ? 'passphrase' : 'recipients' }
    : { encrypted: false };
  return {
    file,
    tables: Object.keys(counts).length,
    rows,
    counts,
    files: manifest.files.length,
    fileBytes,
    missingFiles,
    bytes: (await stat(file)).size,
    encryption,
  };
}

export class BackupError extends Error {}

export interface RestoreResult {
  tables: number;
  rows: number;
  counts: Record<string, number>;
  header: BackupHeader;
  /** How audit_log's append-only triggers were held off. */
  triggerBypass: 'session_replication_role' | 'disable trigger';
  /** Uploaded files written back into the store, and files of the replaced data removed from it. */
  files: number;
  fileBytes: number;
  removedFiles: number;
  warnings: string[];
}

async function* lines(file: string, unlocked: Unlocked = null): AsyncGenerator<string> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  const plain: Readable = unlocked ? await decryptStream(source, unlocked) : source;
  // Errors reach the reader through readline; the callback only keeps pipeline from throwing them again.
  const input = pipeline(plain, gunzip, () => {});
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) if (line) yield line;
  } finally {
    // A reader that stops early (a damaged line, only the header wanted): no decompression left running.
    rl.close();
    gunzip.on('error', () => {});
    plain.on('error', () => {});
    source.destroy();
    if (plain !== source) plain.destroy();
    gunzip.destroy();
  }
}

/** What went wrong reading the file, in words an operator can act on. */
function readError(file: string, err: unknown): BackupError {
  if (err instanceof BackupError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'Z_DATA_ERROR')
    return new BackupError(
      `cannot read ${file}: not a gzip file, or its compressed data is damaged (${(err as Error).message})`,
    );
  if (code === 'Z_BUF_ERROR')
    return new BackupError(`cannot read ${file}: the file is truncated (the compressed data ends early)`);
  if (err instanceof BackupKeyError) return new BackupError(err.message);
  if (!code && /decrypt|chunk|stream|invalid tag|tag/i.test((err as Error).message ?? ''))
    return new BackupError(
      `the encrypted backup is damaged, truncated or was altered (${(err as Error).message}); nothing was restored`,
    );
  return new BackupError(`cannot read ${file}: ${code ?? (err as Error).message}`);
}

export interface BackupCheck {
  header: BackupHeader;
  tables: number;
  rows: number;
  files: number;
  fileBytes: number;
  /** False for a version 1 backup, which carries no checksums (and no files). */
  checksums: boolean;
  /** Positions of every sequence (version 3 on), null before. */
  sequences: SequenceState[] | null;
  encryption: Encryption;
}

/** The identity that opens an encrypted backup (checked against its header once), or null for a plain one. */
export async function openBackup(file: string, keys?: BackupKeys): Promise<Unlocked> {
  try {
    return await unlockBackup(file, keys);
  } catch (err) {
    throw readError(file, err);
  }
}

/** Whether a file is encrypted, without any key. */
export async function backupFileEncryption(file: string): Promise<Encryption> {
  try {
    const e = await backupEncryption(file);
    return e.encrypted ? { encrypted: true, with: e.with } : { encrypted: false };
  } catch (err) {
    throw readError(file, err);
  }
}

/**
 * Reads the whole backup and checks it against its manifest: every table's row count and SHA-256,
 * every file's size and SHA-256, and the SHA-256 of every line. Throws a BackupError naming what does
 * not match; changes nothing. `restoreDatabase` calls it before it touches anything.
 */
export async function verifyBackup(
  file: string,
  opts: { keys?: BackupKeys; unlocked?: Unlocked } = {},
): Promise<BackupCheck> {
  const encryption = await backupFileEncryption(file);
  const unlocked = opts.unlocked !== undefined ? opts.unlocked : await openBackup(file, opts.keys);
  const whole = createHash('sha256');
  const tables = new Map<string, { rows: number; hash: ReturnType<typeof createHash> }>();
  const files: BackupManifest['files'] = [];
  let header: BackupHeader | null = null;
  let current: { rows: number; hash: ReturnType<typeof createHash> } | null = null;
  let end: { counts?: Record<string, number>; manifest?: BackupManifest; sha256?: string } | null = null;
  let sequences: SequenceState[] | null = null;
  let n = 0;
  const parse = <T>(line: string): T => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new BackupError(`the backup is damaged: line ${n} is not valid JSON`);
    }
  };
  try {
    for await (const line of lines(file, unlocked)) {
      n++;
      if (!header) {
        header = parseHeader(line);
        whole.update(line + '\n');
        continue;
      }
      if (end) throw new BackupError(`the backup is damaged: line ${n} comes after the end marker`);
      if (line.startsWith('{"$end"')) {
        end = parse(line);
        continue;
      }
      whole.update(line + '\n');
      if (line.startsWith('{"$table"')) {
        const t = parse<{ $table: string }>(line);
        current = { rows: 0, hash: createHash('sha256') };
        tables.set(t.$table, current);
      } else if (line.startsWith('{"$sequences"')) {
        sequences = parse<{ $sequences: SequenceState[] }>(line).$sequences;
        current = null;
      } else if (line.startsWith('{"$files"')) {
        current = null;
      } else if (line.startsWith('{"$file"')) {
        const f = parse<FileLine>(line);
        const bytes = Buffer.from(String(f.data ?? ''), 'base64');
        if (bytes.byteLength !== f.size || sha256(bytes) !== f.sha256)
          throw new BackupError(
            `the backup is damaged: file ${f.$file} does not match its checksum; nothing was restored`,
          );
        files.push({ key: f.$file, size: f.size, sha256: f.sha256 });
      } else if (current) {
        current.hash.update(line + '\n');
        current.rows++;
      }
    }
  } catch (err) {
    throw readError(file, err);
  }
  if (!header) throw new BackupError(`${file} is empty`);
  if (!end) throw new BackupError('the backup file is truncated (no end marker); nothing was restored');
  const rows = [...tables.values()].reduce((a, t) => a + t.rows, 0);
  const fileBytes = files.reduce((a, f) => a + f.size, 0);
  const result = { header, tables: tables.size, rows, files: files.length, fileBytes, encryption };
  if (header.version < 2) return { ...result, checksums: false, sequences: null };
  const m = end.manifest;
  if (!m || typeof end.sha256 !== 'string')
    throw new BackupError(
      'the backup is damaged: its manifest (the end line) is missing or incomplete; nothing was restored',
    );
  for (const [name, t] of tables) {
    const want = m.tables[name];
    if (!want)
      throw new BackupError(`the backup is damaged: table ${name} is not in its manifest; nothing was restored`);
    if (want.rows !== t.rows)
      throw new BackupError(
        `table ${name}: the manifest lists ${want.rows} rows but ${t.rows} were read; nothing was restored`,
      );
    if (want.sha256 !== t.hash.digest('hex'))
      throw new BackupError(
        `the backup is damaged or was altered: table ${name} does not match its checksum; nothing was restored`,
      );
  }
  for (const name of Object.keys(m.tables))
    if (!tables.has(name))
      throw new BackupError(`the backup is damaged: table ${name} of its manifest is missing; nothing was restored`);
  const got = new Map(files.map((f) => [f.key, f]));
  for (const f of m.files) {
    const g = got.get(f.key);
    if (!g)
      throw new BackupError(`the backup is damaged: file ${f.key} of its manifest is missing; nothing was restored`);
    if (g.sha256 !== f.sha256 || g.size !== f.size)
      throw new BackupError(
        `the backup is damaged or was altered: file ${f.key} does not match its checksum; nothing was restored`,
      );
  }
  if (files.length !== m.files.length)
    throw new BackupError('the backup is damaged: it holds files its manifest does not list; nothing was restored');
  if (header.version >= 3 && (!sequences || JSON.stringify(sequences) !== JSON.stringify(m.sequences ?? null))) {
    throw new BackupError(
      'the backup is damaged: its sequence positions are missing or do not match its manifest; nothing was restored',
    );
  }
  if (whole.digest('hex') !== end.sha256)
    throw new BackupError(
      'the backup is damaged or was altered: its contents do not match the checksum in its manifest; nothing was restored',
    );
  return { ...result, checksums: true, sequences: header.version >= 3 ? sequences : null };
}

/** Reads only the header (to show what a file holds). */
export async function readBackupHeader(file: string, keys?: BackupKeys): Promise<BackupHeader> {
  for await (const line of lines(file, await openBackup(file, keys))) return parseHeader(line);
  throw new BackupError(`${file} is empty`);
}

function parseHeader(line: string): BackupHeader {
  let h: BackupHeader;
  try {
    h = JSON.parse(line);
  } catch {
    throw new BackupError('not a Cầu Nối backup (the first line is not JSON)');
  }
  if (h.format !== BACKUP_FORMAT) throw new BackupError('not a Cầu Nối backup');
  if (h.version > BACKUP_VERSION)
    throw new BackupError(
      `backup format ${h.version} is newer than this version understands (${BACKUP_VERSION}); upgrade first`,
    );
  return h;
}

const BATCH = 500;

/**
 * Replaces every row of every table with the backup's, in one transaction: the database is either
 * fully restored or left as it was. Triggers (audit_log's append-only guard, foreign keys) are held
 * off only inside that transaction; serial and identity sequences are set past the restored ids.
 */
export async function restoreDatabase(
  db: Db,
  file: string,
  opts: { blobs?: BlobStore; keys?: BackupKeys } = {},
): Promise<RestoreResult> {
  // The key once (a passphrase costs seconds of scrypt on purpose), then every checksum: a damaged or
  // altered archive is refused before anything changes.
  const unlocked = await openBackup(file, opts.keys);
  const check = await verifyBackup(file, { unlocked });
  const it = lines(file, unlocked)[Symbol.asyncIterator]();
  const first = await it.next().catch((err: Error) => {
    throw readError(file, err);
  });
  if (first.done) throw new BackupError(`${file} is empty`);
  const header = parseHeader(first.value);
  const here = new Set(await appliedMigrations(db));
  const unknown = header.migrations.filter((m) => !here.has(m));
  if (unknown.length)
    throw new BackupError(
      `the backup was made by a newer version (migrations ${unknown.join(', ')} are not applied here); upgrade this installation first`,
    );
  const warnings: string[] = [];
  const older = [...here].filter((m) => !header.migrations.includes(m));
  if (older.length)
    warnings.push(`the backup predates ${older.length} migration(s); their new columns take their defaults`);
  if (!check.checksums)
    warnings.push(
      'a version 1 backup: it carries no checksums and no uploaded files; copy DATA_DIR/files back by hand',
    );
  const withFiles = Boolean(opts.blobs) && check.checksums;
  // The files of the data being replaced: those the backup does not have are removed from the store afterwards.
  const oldKeys = withFiles
    ? (await db.query<{ k: string }>(`SELECT storage_key AS k FROM files`).catch(() => [])).map((r) => r.k)
    : [];
  const restoredKeys = new Set<string>();
  let fileBytes = 0;

  const result = await db.tx(async (tx) => {
    await tx.query(`SET LOCAL TimeZone = 'UTC'`);
    const tables = await listTables(tx);
    const byName = new Map(tables.map((t) => [t.name, t]));
    let triggerBypass: RestoreResult['triggerBypass'] = 'session_replication_role';
    await tx.query(`SAVEPOINT bypass`);
    try {
      // Superuser (PGlite always; PostgreSQL as postgres): no user triggers and no FK checks while loading.
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`RELEASE SAVEPOINT bypass`);
    } catch {
      await tx.query(`ROLLBACK TO SAVEPOINT bypass`);
      triggerBypass = 'disable trigger';
      for (const t of tables) await tx.query(`ALTER TABLE ${q(t.name)} DISABLE TRIGGER USER`);
    }
    await tx.query(`TRUNCATE ${tables.map((t) => q(t.name)).join(', ')} RESTART IDENTITY CASCADE`);

    const counts: Record<string, number> = {};
    let current: { info: TableInfo; columns: string[] } | null = null;
    let batch: string[] = [];
    let expected: Record<string, number> | null = null;
    const flush = async () => {
      if (!current || batch.length === 0) return;
      const cols = current.columns.map(q).join(', ');
      await tx.query(
        `INSERT INTO ${q(current.info.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM json_populate_recordset(NULL::${q(current.info.name)}, $1::json)`,
        [`[${batch.join(',')}]`],
      );
      counts[current.info.name] = (counts[current.info.name] ?? 0) + batch.length;
      batch = [];
    };
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      const line = next.value;
      if (line.startsWith('{"$table"')) {
        await flush();
        const h = JSON.parse(line) as { $table: string; columns: string[] };
        const info = byName.get(h.$table);
        if (!info) {
          warnings.push(`table ${h.$table} does not exist here; its rows were skipped`);
          current = null;
          continue;
        }
        const columns = h.columns.filter((c) => info.columns.includes(c));
        const dropped = h.columns.filter((c) => !info.columns.includes(c));
        if (dropped.length) warnings.push(`${h.$table}: columns ${dropped.join(', ')} no longer exist; skipped`);
        current = { info, columns };
        counts[info.name] = 0;
      } else if (line.startsWith('{"$end"')) {
        await flush();
        expected = (JSON.parse(line) as { counts: Record<string, number> }).counts;
        current = null;
      } else if (line.startsWith('{"$files"') || line.startsWith('{"$sequences"')) {
        await flush();
        current = null;
      } else if (line.startsWith('{"$file"')) {
        if (!withFiles) continue;
        const f = JSON.parse(line) as FileLine;
        const bytes = new Uint8Array(Buffer.from(f.data, 'base64'));
        // Checked again: the file could have changed since verifyBackup read it.
        if (sha256(bytes) !== f.sha256)
          throw new BackupError(
            `the backup is damaged: file ${f.$file} does not match its checksum; nothing was restored`,
          );
        await opts.blobs!.put(f.$file, bytes);
        restoredKeys.add(f.$file);
        fileBytes += bytes.byteLength;
      } else if (current) {
        batch.push(line);
        if (batch.length >= BATCH) await flush();
      }
    }
    await flush();
    if (!expected) throw new BackupError('the backup file is truncated (no end marker); nothing was restored');
    for (const [name, n] of Object.entries(expected)) {
      if (byName.has(name) && counts[name] !== n)
        throw new BackupError(
          `table ${name}: the backup lists ${n} rows but ${counts[name] ?? 0} were read; nothing was restored`,
        );
    }

    // Every sequence back where it stood when the backup was made (ids are never handed out twice, and
    // standalone sequences such as mailbox_code_seq go on from their last number)…
    const here = new Set((await listSequences(tx)).map((x) => x.name));
    if (check.sequences) {
      for (const sq of check.sequences) {
        if (!here.has(sq.name)) {
          warnings.push(`sequence ${sq.name} does not exist here; skipped`);
          continue;
        }
        if (sq.last_value >= 1)
          await tx.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [q(sq.name), sq.last_value, sq.is_called]);
      }
    } else {
      const owned = new Set<string>();
      for (const t of tables)
        for (const col of t.sequenced) {
          const r = await tx.one<{ s: string | null }>(`SELECT pg_get_serial_sequence($1, $2) AS s`, [q(t.name), col]);
          if (r?.s) owned.add(r.s.replace(/^public\./, '').replace(/^"|"$/g, ''));
        }
      const loose = [...here].filter((name) => !owned.has(name));
      if (loose.length)
        warnings.push(
          `a backup older than version 3 carries no sequence positions: ${loose.join(', ')} kept their current value here`,
        );
    }
    // …and never behind the largest restored id.
    for (const t of tables) {
      for (const col of t.sequenced) {
        const seq = (await tx.one<{ s: string }>(`SELECT pg_get_serial_sequence($1, $2) AS s`, [q(t.name), col]))!.s;
        const now = (await tx.one<{ last_value: string; is_called: boolean }>(
          `SELECT last_value::text AS last_value, is_called FROM ${seq}`,
        ))!;
        const max = Number(
          (await tx.one<{ m: string | null }>(`SELECT max(${q(col)})::text AS m FROM ${q(t.name)}`))!.m ?? 0,
        );
        if (max + 1 > nextOf({ last_value: Number(now.last_value), is_called: now.is_called })) {
          await tx.query(`SELECT setval($1::regclass, $2::bigint, false)`, [seq, max + 1]);
        }
      }
    }
    if (triggerBypass === 'disable trigger')
      for (const t of tables) await tx.query(`ALTER TABLE ${q(t.name)} ENABLE TRIGGER USER`);
    // session_replication_role was SET LOCAL: it ends with this transaction.
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    return { tables: Object.keys(counts).length, rows, counts, header, triggerBypass, warnings };
  });
  let removedFiles = 0;
  for (const k of new Set(oldKeys)) {
    if (restoredKeys.has(k)) continue;
    await opts.blobs!.delete(k);
    removedFiles++;
  }
  return { ...result, files: restoredKeys.size, fileBytes, removedFiles };
}

/** Row count and an order-independent checksum of each table's contents (tests, and `backup --verify`). */
export async function tableChecksums(db: Db): Promise<Record<string, { rows: number; md5: string }>> {
  return db.tx(async (tx) => {
    await tx.query(`SET LOCAL TimeZone = 'UTC'`);
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const t of await listTables(tx)) {
      const r = await tx.one<{ rows: number; md5: string | null }>(
        `SELECT count(*)::int AS rows, md5(COALESCE(string_agg(j, E'\\n' ORDER BY j COLLATE "C"), '')) AS md5
         FROM (SELECT row_to_json(x)::text AS j FROM (SELECT ${t.columns.map(q).join(', ')} FROM ${q(t.name)}) x) s`,
      );
      out[t.name] = { rows: r!.rows, md5: r!.md5 ?? '' };
    }
    return out;
  });
}
