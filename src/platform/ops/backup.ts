import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { Db } from '../../db/client.js';
import { appliedMigrations } from '../../db/migrate.js';

/**
 * Logical, portable backups: gzip'd JSON lines, one header line, then per table a `{"$table"}` line
 * followed by one `row_to_json` object per row, then a `{"$end"}` line with the row counts. Tables come
 * in foreign-key order. The same file restores into PGlite or PostgreSQL, whichever made it.
 */
export const BACKUP_FORMAT = 'cau-noi-backup';
export const BACKUP_VERSION = 1;

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
  for (const t of tables) if (!SKIP.has(t.name)) byOid.set(t.oid, { name: t.name, columns: [], primaryKey: [], sequenced: [] });
  for (const c of cols) {
    const t = byOid.get(c.rel);
    if (!t || c.generated !== '') continue;
    t.columns.push(c.name);
    if (c.serial || c.identity !== '') t.sequenced.push(c.name);
  }
  for (const p of pks) byOid.get(p.rel)?.primaryKey.push(p.name);
  // Depth-first topological order over foreign keys (a cycle, if any, falls back to name order).
  const parents = new Map<number, number[]>();
  for (const f of fks) if (byOid.has(f.child) && byOid.has(f.parent)) parents.set(f.child, [...(parents.get(f.child) ?? []), f.parent]);
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

export interface BackupResult {
  file: string;
  tables: number;
  rows: number;
  counts: Record<string, number>;
  bytes: number;
}

/** Writes a consistent snapshot of every table (one REPEATABLE READ transaction) to `file`. */
export async function backupDatabase(db: Db, file: string): Promise<BackupResult> {
  const tmp = `${file}.partial-${process.pid}`;
  const gz = createGzip({ level: 6 });
  const sink = createWriteStream(tmp);
  gz.pipe(sink);
  const write = async (line: string) => {
    if (!gz.write(line + '\n')) await once(gz, 'drain');
  };
  const counts: Record<string, number> = {};
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
        await tx.query(`DECLARE caunoi_backup NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS j FROM (SELECT ${t.columns.map(q).join(', ')} FROM ${q(t.name)}${order}) x`);
        let n = 0;
        for (;;) {
          const rows = await tx.query<{ j: string }>(`FETCH 2000 FROM caunoi_backup`);
          // A `json` column keeps its own line breaks inside row_to_json: re-serialise those rows onto one line.
          for (const r of rows) await write(r.j.includes('\n') ? JSON.stringify(JSON.parse(r.j)) : r.j);
          n += rows.length;
          if (rows.length < 2000) break;
        }
        await tx.query(`CLOSE caunoi_backup`);
        counts[t.name] = n;
      }
      await write(JSON.stringify({ $end: true, counts }));
    });
    gz.end();
    await once(sink, 'close');
    await rename(tmp, file);
  } catch (err) {
    gz.destroy();
    sink.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  const { stat } = await import('node:fs/promises');
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  return { file, tables: Object.keys(counts).length, rows, counts, bytes: (await stat(file)).size };
}

export class BackupError extends Error {}

export interface RestoreResult {
  tables: number;
  rows: number;
  counts: Record<string, number>;
  header: BackupHeader;
  /** How audit_log's append-only triggers were held off. */
  triggerBypass: 'session_replication_role' | 'disable trigger';
  warnings: string[];
}

async function* lines(file: string): AsyncGenerator<string> {
  const input = pipeline(createReadStream(file), createGunzip(), () => {});
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) if (line) yield line;
}

/** Reads only the header (to show what a file holds). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of lines(file)) return parseHeader(line);
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
  if (h.version > BACKUP_VERSION) throw new BackupError(`backup format ${h.version} is newer than this version understands (${BACKUP_VERSION}); upgrade first`);
  return h;
}

const BATCH = 500;

/**
 * Replaces every row of every table with the backup's, in one transaction: the database is either
 * fully restored or left as it was. Triggers (audit_log's append-only guard, foreign keys) are held
 * off only inside that transaction; serial and identity sequences are set past the restored ids.
 */
export async function restoreDatabase(db: Db, file: string): Promise<RestoreResult> {
  const it = lines(file)[Symbol.asyncIterator]();
  const first = await it.next().catch((err: Error) => {
    throw new BackupError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' ? 'not a gzip file' : ((err as NodeJS.ErrnoException).code ?? err.message)}`);
  });
  if (first.done) throw new BackupError(`${file} is empty`);
  const header = parseHeader(first.value);
  const here = new Set(await appliedMigrations(db));
  const unknown = header.migrations.filter((m) => !here.has(m));
  if (unknown.length) throw new BackupError(`the backup was made by a newer version (migrations ${unknown.join(', ')} are not applied here); upgrade this installation first`);
  const warnings: string[] = [];
  const older = [...here].filter((m) => !header.migrations.includes(m));
  if (older.length) warnings.push(`the backup predates ${older.length} migration(s); their new columns take their defaults`);

  return db.tx(async (tx) => {
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
      } else if (current) {
        batch.push(line);
        if (batch.length >= BATCH) await flush();
      }
    }
    await flush();
    if (!expected) throw new BackupError('the backup file is truncated (no end marker); nothing was restored');
    for (const [name, n] of Object.entries(expected)) {
      if (byName.has(name) && counts[name] !== n) throw new BackupError(`table ${name}: the backup lists ${n} rows but ${counts[name] ?? 0} were read; nothing was restored`);
    }

    for (const t of tables) {
      for (const col of t.sequenced) {
        await tx.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${q(col)}) FROM ${q(t.name)}), 0) + 1, false)`,
          [q(t.name), col],
        );
      }
    }
    if (triggerBypass === 'disable trigger') for (const t of tables) await tx.query(`ALTER TABLE ${q(t.name)} ENABLE TRIGGER USER`);
    // session_replication_role was SET LOCAL: it ends with this transaction.
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    return { tables: Object.keys(counts).length, rows, counts, header, triggerBypass, warnings };
  });
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
