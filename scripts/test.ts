/**
 * `npm test`: unit and integration tests on PGlite; again on PostgreSQL when TEST_DATABASE_URL is
 * set; then the real-browser tests in Chromium. Prints one closing line with the totals.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

interface Run {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  ok: boolean;
}
const runs: Run[] = [];
const extra = process.argv.slice(2);

function vitest(name: string, args: string[], env: Record<string, string>): void {
  mkdirSync('test-output', { recursive: true });
  const report = `test-output/vitest-${name}.json`;
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  let passed = 0,
    failed = 0,
    skipped = 0;
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    passed = j.numPassedTests;
    failed = j.numFailedTests;
    skipped = j.numPendingTests + (j.numTodoTests ?? 0);
  }
  runs.push({ name, passed, failed, skipped, ok: r.status === 0 });
}

vitest('pglite', [], { TEST_DB: 'pglite' });
if (process.env.TEST_DATABASE_URL) {
  console.log(`\nTEST_DATABASE_URL is set: running the suite again on PostgreSQL.`);
  vitest('postgres', [], { TEST_DB: 'pg' });
} else {
  console.log('\nTEST_DATABASE_URL is not set: the PostgreSQL run is skipped (.ci/run sets it).');
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) vitest('browser', ['--config', 'vitest.e2e.config.ts'], { TEST_DB: 'pglite' });
else if (process.env.CI) {
  console.error(`${chromium} is missing: CI must run the browser tests (.ci/run installs Debian's chromium).`);
  runs.push({ name: 'browser', passed: 0, failed: 1, skipped: 0, ok: false });
} else console.log(`\n${chromium} not found: browser tests skipped (apt-get install chromium).`);

console.log('\n=== summary ===');
for (const r of runs)
  console.log(
    `${r.name.padEnd(9)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.ok ? '' : '  <- FAILED'}`,
  );
const total = runs.reduce(
  (a, r) => ({
    passed: a.passed + r.passed,
    failed: a.failed + r.failed + (r.ok || r.failed ? 0 : 1),
    skipped: a.skipped + r.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(runs.every((r) => r.ok) ? 0 : 1);
