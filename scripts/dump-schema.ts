/** `npm run schema`: migrates an empty in-memory PGlite database and writes docs/schema.sql from it. */
import { writeFileSync } from 'node:fs';
import { openPglite } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { dumpSchema } from '../src/db/schema-dump.js';
import { moduleNames } from '../src/modules/index.js';

const db = await openPglite();
await migrate(db, moduleNames);
writeFileSync('docs/schema.sql', await dumpSchema(db));
await db.close();
console.log('docs/schema.sql written');
