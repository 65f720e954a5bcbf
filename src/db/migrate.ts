import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './client.js';
import { projectRoot } from './paths.js';

export interface Migration {
  id: string; // "platform/001_init.sql", "mailbox/001_reports.sql"
  sql: string;
  checksum: string;
}

function readDir(scope: string, dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const sql = readFileSync(path.join(dir, f), 'utf8');
      return { id: `${scope}/${f}`, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Platform migrations first, then each module's in the order modules are listed. */
export function listMigrations(moduleNames: readonly string[]): Migration[] {
  const root = projectRoot();
  const all = readDir('platform', path.join(root, 'src/db/migrations'));
  for (const name of moduleNames) all.push(...readDir(name, path.join(root, 'src/modules', name, 'migrations')));
  return all;
}

/**
 * Applies pending migrations in one transaction, under an advisory lock: several processes started
 * at once (two app servers on one PostgreSQL) wait for each other, and the later ones find nothing to do.
 */
export async function migrate(
  db: Db,
  moduleNames: readonly string[],
  log: (msg: string) => void = () => {},
): Promise<string[]> {
  const applied: string[] = [];
  await db.tx(async (tx) => {
    // The lock comes first: even CREATE TABLE IF NOT EXISTS collides when two sessions run it at once.
    await tx.query(`SELECT pg_advisory_xact_lock(7412001)`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map(
      (await tx.query<{ id: string; checksum: string }>(`SELECT id, checksum FROM schema_migrations`)).map((r) => [
        r.id,
        r.checksum,
      ]),
    );
    for (const m of listMigrations(moduleNames)) {
      const prev = done.get(m.id);
      if (prev) {
        if (prev !== m.checksum) log(`warning: migration ${m.id} changed after it was applied`);
        continue;
      }
      await tx.exec(m.sql);
      await tx.query(`INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)`, [m.id, m.checksum]);
      applied.push(m.id);
      log(`applied migration ${m.id}`);
    }
  });
  // PGlite learns the array types (ltree[] …) when it opens; types a migration created are unknown to its
  // parameter serialiser until it is told, and `$1::ltree[]` would fail on the first start's connection.
  if (applied.length && db.pglite) await db.pglite.refreshArrayTypes();
  return applied;
}

/** Migration ids recorded in the database. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const exists = await db.one<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!exists?.t) return [];
  return (await db.query<{ id: string }>(`SELECT id FROM schema_migrations ORDER BY id`)).map((r) => r.id);
}
