/**
 * Crisis's "something changed" hints are per app (deps.state), in the style of test/platform/two-apps.test.ts: two
 * apps on one database (a server and a CLI command, or two tests), a change in one re-renders that app's cached
 * incident page at once and leaves the other app's page alone until its own check of the stored version.
 */
import type { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { boot } from '../../src/bootstrap.js';
import type { Db } from '../../src/db/client.js';
import { createApp } from '../../src/http/app.js';
import type { AppEnv, Deps } from '../../src/http/context.js';
import { createLogger } from '../../src/log.js';
import * as crisis from '../../src/modules/crisis/service.js';
import { modules } from '../../src/modules/index.js';
import { MemoryBlobStore } from '../../src/platform/files/store.js';
import { testConfig } from '../helpers/config.js';
import { testDb, testDbKind } from '../helpers/db.js';
import { actorOf, makeIncident, makeUser, realUnit } from '../helpers/factories.js';

interface App {
  deps: Deps;
  app: Hono<AppEnv>;
}

async function start(db: Db): Promise<App> {
  const config = testConfig({ ORG_NAME: 'Ủy ban E', BASE_URL: 'http://e.test' });
  const deps = await boot({ config, log: createLogger('silent'), modules, db, blobs: new MemoryBlobStore() });
  return { deps, app: createApp(deps, modules) };
}

describe(`crisis: two apps in one process (${testDbKind()})`, () => {
  it("keep each its own 'incident changed' hints: a change in one app renders its incident page again at once, the other app's waits for its own check", async () => {
    const db = await testDb({ demo: false });
    try {
      const one = await start(db);
      const two = await start(db);
      // an active incident of Huế and an admin there
      const city = await realUnit(db, '46');
      const admin = await makeUser(db, { email: 'admin@per-app.test', role: 'admin', unit: city });
      const { id } = await makeIncident(one.deps, { by: admin, unit: city });
      const renders = new Map<App, number>();
      // the clock stands still while a page is read, so only a change can make an app render again
      let clock = Date.now();
      const page = async (x: App) => {
        const still = vi.spyOn(Date, 'now').mockReturnValue(clock);
        try {
          return await crisis.cachedIncidentPage(x.deps, id, 'vi', async (version) => {
            renders.set(x, (renders.get(x) ?? 0) + 1);
            return `v${version}`;
          });
        } finally {
          still.mockRestore();
        }
      };
      await page(one);
      await page(two);
      await crisis.changeStatus(one.deps, await actorOf(db, admin), id, 'monitoring', {
        baseUrl: 'http://e.test',
        orgName: 'Ủy ban E',
      });
      const after = (await page(one))!.body;
      expect(renders.get(one)).toBe(2);
      expect(after).not.toBe((await page(two))!.body);
      expect(renders.get(two)).toBe(1);
      // the other app sees the change at its next check of the stored version, as another process would
      clock += 1001;
      expect((await page(two))!.body).toBe(after);
      expect(renders.get(two)).toBe(2);
      // and the list version is the app's own
      expect(crisis.currentListVersion(one.deps)).toBeGreaterThan(0);
      expect(crisis.currentListVersion(two.deps)).toBe(0);
    } finally {
      await db.close();
    }
  }, 120_000);
});
