/**
 * `npm run bench [-- NAME …]`: runs bench/*.bench.ts one after another in fresh processes
 * (or only those whose name contains NAME). BENCH_QUICK=1 shortens every run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const filters = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const r = spawnSync('npx', ['tsx', `bench/${f}`], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed++;
}
console.log(`\n${files.length - failed} benchmarks finished, ${failed} failed; tables saved under bench-output/`);
process.exit(failed ? 1 : 0);
