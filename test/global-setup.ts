import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { boot, seedDemoIfEmpty } from '../src/bootstrap.js';
import { openPglite, openPostgres, type Db } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { createLogger } from '../src/log.js';
import { modules, moduleNames } from '../src/modules/index.js';
import { MemoryBlobStore } from '../src/platform/files/store.js';
import { testConfig } from './helpers/config.js';

/** Loads the demo data the way testApp() used to do in every file, once per run. */
async function seed(db: Db): Promise<void> {
  const deps = await boot({
    config: testConfig(),
    log: createLogger('silent'),
    modules,
    db,
    blobs: new MemoryBlobStore(),
  });
  await seedDemoIfEmpty(deps, modules);
}

/**
 * Migrates once per run and makes two starting points: an empty migrated database and one with the
 * demo data. On PGlite they are data-directory snapshots every test file loads; on PostgreSQL, template
 * databases every test file clones. Files then start in about a second instead of seeding again.
 */
export default async function setup() {
  const dir = path.join(tmpdir(), `caunoi-test-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  if (process.env.TEST_DB === 'pg') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DB=pg needs TEST_DATABASE_URL');
    const empty = `caunoi_tpl_${process.pid}`;
    const demo = `caunoi_tpl_demo_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const dbUrl = (name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
    for (const name of [empty, demo]) await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${empty}`);
    const db = await openPostgres(dbUrl(empty), 2);
    await migrate(db, moduleNames);
    await db.close();
    await admin.query(`CREATE DATABASE ${demo} TEMPLATE ${empty}`);
    const demoDb = await openPostgres(dbUrl(demo), 4);
    await seed(demoDb);
    await demoDb.close();
    process.env.TEST_PG_TEMPLATE = empty;
    process.env.TEST_PG_TEMPLATE_DEMO = demo;
    return async () => {
      for (const name of [empty, demo]) await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const db = await openPglite();
  await migrate(db, moduleNames);
  const emptyFile = path.join(dir, 'pglite-template.tar');
  writeFileSync(emptyFile, new Uint8Array(await (await db.pglite!.dumpDataDir('none')).arrayBuffer()));
  await seed(db);
  const demoFile = path.join(dir, 'pglite-template-demo.tar');
  writeFileSync(demoFile, new Uint8Array(await (await db.pglite!.dumpDataDir('none')).arrayBuffer()));
  await db.close();
  process.env.TEST_PGLITE_TEMPLATE = emptyFile;
  process.env.TEST_PGLITE_TEMPLATE_DEMO = demoFile;
  return () => rmSync(dir, { recursive: true, force: true });
}
