import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { moduleNames } from '../src/modules/index.js';

/**
 * Migrates once per run: a PGlite data directory snapshot that every test file loads, and on
 * PostgreSQL a template database that every test file clones. Files then start in well under a second.
 */
export default async function setup() {
  const dir = path.join(tmpdir(), `caunoi-test-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  if (process.env.TEST_DB === 'pg') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DB=pg needs TEST_DATABASE_URL');
    const template = `caunoi_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const u = new URL(url);
    u.pathname = `/${template}`;
    const db = await openPostgres(u.toString(), 2);
    await migrate(db, moduleNames);
    await db.close();
    process.env.TEST_PG_TEMPLATE = template;
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template}`).catch(() => {});
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const db = await openPglite();
  await migrate(db, moduleNames);
  const dump = await db.pglite!.dumpDataDir('none');
  const file = path.join(dir, 'pglite-template.tar');
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  await db.close();
  process.env.TEST_PGLITE_TEMPLATE = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
