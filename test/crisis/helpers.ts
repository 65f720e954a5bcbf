import { modules } from '../../src/modules/index.js';
import { seedPlatformDemo } from '../../src/platform/demo/seed.js';
import { seedCrisisDemo } from '../../src/modules/crisis/demo.js';
import type { DemoContext } from '../../src/http/module.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { type Account, makeCityStaff, realCity, type STAFF_ROLES, type Unit } from '../helpers/factories.js';
import { demoCommunes } from '../../src/platform/demo/units.js';

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

export interface City {
  province: Unit;
  provinceId: number;
  communeIds: number[];
  staff: Record<(typeof STAFF_ROLES)[number], Account>;
}

/**
 * The full app from an empty database with Thành phố Huế (its wards, communes and agencies) and its staff only
 * (`editor@crisis.test`, `reviewer@crisis.test`… password demo1234): every incident, list and statement is the test's own.
 */
export async function cityApp(env: Record<string, string> = {}): Promise<TestApp & { city: City }> {
  const t = await testApp({ demo: false, env });
  const units = await realCity(t.db);
  const staff = await makeCityStaff(t.db, 'crisis');
  const city = {
    province: units['46'],
    provinceId: units['46'].id,
    communeIds: demoCommunes.map((c) => units[c.code].id),
    staff,
  };
  return Object.assign(t, { city });
}
