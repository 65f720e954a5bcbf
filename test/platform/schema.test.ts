import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dumpSchema } from '../../src/db/schema-dump.js';
import { testDb, testDbKind } from '../helpers/db.js';

describe(`docs/schema.sql matches a freshly migrated database (${testDbKind()})`, () => {
  it('is current: after adding a migration, run `npm run schema` and commit docs/schema.sql', async () => {
    const db = await testDb();
    try {
      const fresh = await dumpSchema(db);
      expect(fresh).toContain('CREATE TABLE audit_log (');
      expect(fresh.split('\n')).toEqual(readFileSync('docs/schema.sql', 'utf8').split('\n'));
    } finally {
      await db.close();
    }
  });
});
