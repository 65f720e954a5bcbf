/**
 * Two apps in one process, each on its own database (the tests do this; so may a CLI command beside a server): each
 * runs its own job handlers with its own deps, and shows its own menus and settings. Nothing is shared.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/bootstrap.js';
import type { Db } from '../../src/db/client.js';
import { createApp } from '../../src/http/app.js';
import type { AppEnv, Deps } from '../../src/http/context.js';
import type { AppModule } from '../../src/http/module.js';
import { createLogger } from '../../src/log.js';
import { modules } from '../../src/modules/index.js';
import { channelSettings } from '../../src/modules/tipline/service/settings.js';
import { MemoryBlobStore } from '../../src/platform/files/store.js';
import { enqueue, Worker } from '../../src/platform/jobs/queue.js';
import { testConfig } from '../helpers/config.js';
import { testDb } from '../helpers/db.js';

/** A module whose job records, in the database of the deps it was given, which app ran it. */
const probe: AppModule = {
  name: 'probe',
  jobs: (deps) => ({
    handlers: {
      'probe.whoami': async (_p, { db }) => {
        await deps.db.query(`INSERT INTO settings (key, value) VALUES ('probe.ran', $1)`, [
          JSON.stringify({ org: deps.config.ORG_NAME, ownDb: db === deps.db }),
        ]);
      },
    },
  }),
};

interface App {
  db: Db;
  deps: Deps;
  app: Hono<AppEnv>;
  worker: Worker;
}

async function start(org: string, token: string, list: readonly AppModule[]): Promise<App> {
  const db = await testDb();
  const config = testConfig({ ORG_NAME: org, TELEGRAM_BOT_TOKEN: token });
  const deps = await boot({ config, log: createLogger('silent'), modules: list, db, blobs: new MemoryBlobStore() });
  return { db, deps, app: createApp(deps, list), worker: new Worker(db, deps.jobs) };
}

const ran = async (db: Db) =>
  (await db.one<{ value: { org: string; ownDb: boolean } }>(`SELECT value FROM settings WHERE key = 'probe.ran'`))
    ?.value ?? null;

let a: App;
let b: App;
beforeAll(async () => {
  // B starts second, without the exchange: with process-wide registries it would take over A's handlers and menus
  a = await start('Ủy ban A', 'token-a', [...modules, probe]);
  b = await start('Ủy ban B', 'token-b', [...modules.filter((m) => m.name !== 'exchange'), probe]);
});
afterAll(async () => {
  await a?.db.close();
  await b?.db.close();
});

describe('two apps in one process', () => {
  it('run each its own job handlers, with its own deps, on its own database', async () => {
    await enqueue(a.db, 'probe.whoami');
    expect(await a.worker.drain()).toBeGreaterThanOrEqual(1);
    expect(await ran(a.db)).toEqual({ org: 'Ủy ban A', ownDb: true });
    expect(await ran(b.db)).toBeNull();

    await enqueue(b.db, 'probe.whoami');
    await b.worker.drain();
    expect(await ran(b.db)).toEqual({ org: 'Ủy ban B', ownDb: true });
    // each app schedules only its own modules' work
    expect(a.deps.jobs.schedules().map((s) => s.name)).toContain('exchange.pull-due');
    expect(b.deps.jobs.schedules().map((s) => s.name)).not.toContain('exchange.pull-due');
  });

  it('show each its own menus', async () => {
    const home = async (x: App) =>
      (await (await x.app.request('/')).text()).match(/<nav class="wrap main-nav"[^]*?<\/nav>/)![0];
    expect(await home(a)).toContain('href="/exchange"');
    expect(await home(b)).not.toContain('href="/exchange"');
    expect(await home(b)).toContain('href="/mailbox"');
    expect(a.deps.menus.staff.some((m) => m.href === '/staff/exchange')).toBe(true);
    expect(b.deps.menus.staff.some((m) => m.href === '/staff/exchange')).toBe(false);
  });

  it('read each its own settings and keep its own caches', async () => {
    expect((await channelSettings(a.deps, 'telegram')).token).toBe('token-a');
    expect((await channelSettings(b.deps, 'telegram')).token).toBe('token-b');
    expect(a.deps.state).not.toBe(b.deps.state);
    expect(a.deps.templates).not.toBe(b.deps.templates);
  });
});
