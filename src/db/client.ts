import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import pg from 'pg';

/** One PostgreSQL dialect over two drivers. Only repos and db/ call it. */
export interface Db {
  readonly kind: 'pglite' | 'pg';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  one<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction; nested calls join the outer one. */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Only for the PGlite driver: the underlying instance (backup, socket). */
  readonly pglite?: PGlite;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Same JS types from both drivers: bigint counts as numbers, dates as 'YYYY-MM-DD' strings.
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

const pgliteParsers = {
  [INT8]: (v: string) => Number(v),
  [NUMERIC]: (v: string) => Number(v),
  [DATE]: (v: string) => v,
};

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> };

function makeDb(
  kind: Db['kind'],
  q: Queryable,
  execFn: (sql: string) => Promise<void>,
  txFn: Db['tx'],
  close: () => Promise<void>,
  pglite?: PGlite,
): Db {
  return {
    kind,
    pglite,
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query(sql, params)).rows as T[];
    },
    async one<T>(sql: string, params: unknown[] = []) {
      return (await q.query(sql, params)).rows[0] as T | undefined;
    },
    exec: execFn,
    tx: txFn,
    close,
  };
}

export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Db> {
  const lite = await PGlite.create({
    dataDir,
    loadDataDir,
    extensions: { ltree, unaccent, pg_trgm },
    parsers: pgliteParsers,
  });
  return wrapPglite(lite);
}

function wrapPglite(lite: PGlite): Db {
  const db: Db = makeDb(
    'pglite',
    lite as unknown as Queryable,
    async (sql) => {
      await lite.exec(sql);
    },
    (fn) =>
      lite.transaction(async (tx) => {
        const inner = makeDb(
          'pglite',
          tx as unknown as Queryable,
          async (sql) => void (await tx.exec(sql)),
          (f) => f(inner),
          async () => {},
          lite,
        );
        return fn(inner);
      }),
    () => lite.close(),
    lite,
  );
  return db;
}

export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // idle client errors surface on the next query
  const db: Db = makeDb(
    'pg',
    pool,
    async (sql) => {
      await pool.query(sql);
    },
    async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inner = makeDb(
          'pg',
          client,
          async (sql) => void (await client.query(sql)),
          (f) => f(inner),
          async () => {},
        );
        const result = await fn(inner);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    () => pool.end(),
  );
  return db;
}

export async function openDb(opts: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(opts.dataDir, { recursive: true });
  return openPglite(`${opts.dataDir}/pg`);
}

export { pgliteTypes };
