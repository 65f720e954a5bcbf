// A second app process for match-freshness.test.ts: answers one JSON line per text line read, from its own index.
import { createInterface } from 'node:readline';
import { openPostgres } from '../../src/db/client.js';
import { matchClaim } from '../../src/modules/desk/public.js';
import { AppState } from '../../src/platform/app-state.js';
import { testConfig } from '../helpers/config.js';

const db = await openPostgres(process.argv[2], 2);
// its own app: its own memory (the index), its own settings
const deps = { db, state: new AppState(), config: testConfig() };
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'quit') break;
  const t0 = performance.now();
  const r = await matchClaim(deps, line, { limit: 3 });
  process.stdout.write(JSON.stringify({ ...r, ms: performance.now() - t0 }) + '\n');
}
await db.close();
