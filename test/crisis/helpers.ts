import { modules } from '../../src/modules/index.js';
import { seedPlatformDemo } from '../../src/platform/demo/seed.js';
import { seedCrisisDemo } from '../../src/modules/crisis/demo.js';
import type { DemoContext } from '../../src/http/module.js';
import { testApp, type TestApp } from '../helpers/app.js';

/**
 * The full app with the platform's demo accounts and units and the crisis demo data only, so these
 * tests do not depend on the other modules' demo seeds.
 */
export async function crisisApp(env: Record<string, string> = {}): Promise<TestApp & { demo: DemoContext }> {
  const t = await testApp({ demo: false, env });
  const demo = await seedPlatformDemo(t.db, 'demo1234');
  await seedCrisisDemo(t.deps, demo);
  void modules;
  return Object.assign(t, { demo });
}

/** Jobs retried after a failure wait for their back-off; tests make them due now. */
export async function makeRetriesDue(t: TestApp): Promise<void> {
  await t.db.query(`UPDATE jobs SET run_at = now() WHERE status = 'queued'`);
}
