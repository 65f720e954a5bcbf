import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../src/db/client.js';

export const testDbKind = (): 'pg' | 'pglite' => (process.env.TEST_DB === 'pg' ? 'pg' : 'pglite');

let counter = 0;

/**
 * A fresh, migrated database for one test file (empty, or with the demo data when demo: true): PGlite loaded from the run's snapshot,
 * or a PostgreSQL database cloned from the run's template (TEST_DB=pg).
 */
export async function testDb(opts: { demo?: boolean } = {}): Promise<Db> {
  if (testDbKind() === 'pg') {
    const url = process.env.TEST_DATABASE_URL!;
    const name = `caunoi_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `CREATE DATABASE ${name} TEMPLATE ${opts.demo ? process.env.TEST_PG_TEMPLATE_DEMO : process.env.TEST_PG_TEMPLATE}`,
    );
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const db = await openPostgres(u.toString(), 5);
    const close = db.close;
    return Object.assign(db, {
      close: async () => {
        await close();
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
        await a.end();
      },
    });
  }
  const file = opts.demo ? process.env.TEST_PGLITE_TEMPLATE_DEMO : process.env.TEST_PGLITE_TEMPLATE;
  if (!file) throw new Error('run tests through vitest (test/global-setup.ts makes the template)');
  return openPglite(undefined, new Blob([readFileSync(file)]));
}

/** An empty database (no migrations) on the test PostgreSQL server, for tests that start a real server on it. */
export async function emptyPgDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL!;
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
