/**
 * Two apps in one process (two-apps.test.ts has more): each has its own public-content version
 * (src/platform/public-content.ts), so a publish in one drops that app's stored pages at once (the page cache, which
 * the node:http fast path asks too, and the home page) and leaves the other app's alone.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { boot } from '../../src/bootstrap.js';
import type { Db } from '../../src/db/client.js';
import { createApp } from '../../src/http/app.js';
import type { AppEnv, Deps } from '../../src/http/context.js';
import { createLogger } from '../../src/log.js';
import { modules } from '../../src/modules/index.js';
import { MemoryBlobStore } from '../../src/platform/files/store.js';
import { testConfig } from '../helpers/config.js';
import { testDb, testDbKind } from '../helpers/db.js';
import { makeCityStaff, makeFactcheck } from '../helpers/factories.js';

interface App {
  db: Db;
  deps: Deps;
  app: Hono<AppEnv>;
}

async function start(org: string): Promise<App> {
  const db = await testDb();
  const deps = await boot({
    config: testConfig({ ORG_NAME: org }),
    log: createLogger('silent'),
    modules,
    db,
    blobs: new MemoryBlobStore(),
  });
  return { db, deps, app: createApp(deps, modules) };
}

let a: App;
let b: App;
beforeAll(async () => {
  a = await start('Ủy ban A');
  b = await start('Ủy ban B');
}, 300_000);
afterAll(async () => {
  await a?.db.close();
  await b?.db.close();
});

describe(`two apps in one process (${testDbKind()})`, () => {
  it('keep each its own public-content version: a publish in one app drops its cached pages at once, not the other’s', async () => {
    const staff = await makeCityStaff(a.db, 'pages');
    // each app once more with its page cache on, over the same deps (the same memory), as the server runs it
    const cachedApp = (x: App) =>
      createApp({ ...x.deps, config: { ...x.deps.config, PAGE_CACHE_TTL_SECONDS: 60 } }, modules);
    const cached = new Map([
      [a, cachedApp(a)],
      [b, cachedApp(b)],
    ]);
    // the clock stands still while pages are read, so only a change can make an app render again
    const clock = Date.now();
    const read = async (x: App) => {
      const still = vi.spyOn(Date, 'now').mockReturnValue(clock);
      try {
        const desk = await cached.get(x)!.request('/desk');
        return {
          home: await (await x.app.request('/')).text(),
          desk: await desk.text(),
          hit: desk.headers.get('x-page-cache'),
        };
      } finally {
        still.mockRestore();
      }
    };
    for (const x of [a, b]) {
      await read(x);
      expect((await read(x)).hit).toBe('hit');
    }
    // a piece written straight into each database: only a page rendered again shows it
    for (const x of [a, b])
      await x.db.query(
        `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
         VALUES ('factcheck', 'Tin chưa ai báo', 'tin-chua-ai-bao', 'Sai.', 'Nội dung.', 'Tin đồn', 'sai', 'published',
                 now(), '[{"title":"Nguồn"}]')`,
      );
    await makeFactcheck(a.deps, { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' });
    const [inA, inB] = [await read(a), await read(b)];
    expect(inA.hit).not.toBe('hit');
    expect(inA.desk).toContain('Tin chưa ai báo');
    expect(inA.home).toContain('Tin chưa ai báo');
    expect(inB.hit).toBe('hit');
    expect(inB.desk).not.toContain('Tin chưa ai báo');
    expect(inB.home).not.toContain('Tin chưa ai báo');
  });
});
