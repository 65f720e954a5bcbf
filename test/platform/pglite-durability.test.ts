import { describe, expect, it } from 'vitest';
import { testDb, testDbKind } from '../helpers/db.js';

/**
 * What docs/deploy.md ("What each database guarantees") says about PGlite, checked against the PGlite in use: it runs
 * with fsync off (and its file layer has no fsync either; measured with strace: 0 fsync/fdatasync calls over 200
 * commits). If an upgrade changes this, this test fails and the documentation and the start banner must follow.
 * (Not on the PostgreSQL run: the throw-away test server runs with fsync off on purpose, for speed.)
 */
describe('PGlite durability', () => {
  it.skipIf(testDbKind() === 'pg')(
    'PGlite runs with fsync off: commits reach the operating system, never forced to disk',
    async () => {
      const db = await testDb();
      try {
        expect((await db.one<{ fsync: string }>(`SHOW fsync`))!.fsync).toBe('off');
      } finally {
        await db.close();
      }
    },
    60_000,
  );
});
