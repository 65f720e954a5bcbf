/**
 * Two apps in one process, each on its own database (the tests do this; so may a CLI command beside a server): each
 * runs its own job handlers with its own deps, and shows its own menus and settings. Nothing is shared, not even by
 * two apps on one database handle: each keeps its own memory (deps.state).
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
import { adapters } from '../../src/modules/tipline/service/channels/index.js';
import { channelSettings } from '../../src/modules/tipline/service/settings.js';
import { recordAudit } from '../../src/platform/audit/audit.js';
import { MemoryBlobStore } from '../../src/platform/files/store.js';
import { enqueue, Worker } from '../../src/platform/jobs/queue.js';
import { testConfig } from '../helpers/config.js';
import { testDb } from '../helpers/db.js';
import { startTelegram } from '../tipline/fakes/telegram.js';

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

async function start(
  org: string,
  token: string,
  list: readonly AppModule[],
  o: { env?: Record<string, string>; db?: Db } = {},
): Promise<App> {
  const db = o.db ?? (await testDb());
  const config = testConfig({ ORG_NAME: org, TELEGRAM_BOT_TOKEN: token, ...o.env });
  const deps = await boot({ config, log: createLogger('silent'), modules: list, db, blobs: new MemoryBlobStore() });
  return { db, deps, app: createApp(deps, list), worker: new Worker(db, deps.jobs) };
}

const ran = async (db: Db) =>
  (await db.one<{ value: { org: string; ownDb: boolean } }>(`SELECT value FROM settings WHERE key = 'probe.ran'`))
    ?.value ?? null;

let a: App;
let b: App;
/** no crisis centre, so no key to sign audit anchors with; started last */
let c: App;
let tg: Awaited<ReturnType<typeof startTelegram>>;
beforeAll(async () => {
  tg = await startTelegram('token-a');
  // B starts second, without the exchange: with process-wide registries it would take over A's handlers and menus;
  // A's settings differ from B's in what a process-wide setter would have taken from the last app booted
  a = await start('Ủy ban A', 'token-a', [...modules, probe], {
    env: {
      BASE_URL: 'http://a.test',
      MATCH_ANSWER_THRESHOLD: '0.05',
      TELEGRAM_API_BASE: tg.url,
      OUTBOUND_ALLOW_HOSTS: tg.host,
    },
  });
  b = await start('Ủy ban B', 'token-b', [...modules.filter((m) => m.name !== 'exchange'), probe], {
    env: { BASE_URL: 'http://b.test', MATCH_ANSWER_THRESHOLD: '0.99' },
  });
  c = await start('Ủy ban C', 'token-c', [...modules.filter((m) => m.name !== 'exchange' && m.name !== 'crisis')]);
}, 300_000); // three apps boot, each migrating its own database
afterAll(async () => {
  await a?.db.close();
  await b?.db.close();
  await c?.db.close();
  await tg?.close();
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

  it('match with each its own thresholds and link to each its own address', async () => {
    const claim = 'Cầu Trường Tiền bị nứt dầm sắp sập, cấm xe máy';
    for (const x of [a, b])
      await x.db.query(
        `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
         VALUES ('factcheck', 'Cầu Trường Tiền không bị nứt dầm', 'cau-truong-tien', 'Sai.', 'Sở Giao thông xác nhận.', $1,
                 'sai', 'published', now(), '[{"title":"Nguồn"}]')`,
        [claim],
      );
    const match = async (x: App) =>
      (await (await x.app.request(`/api/v1/factchecks/match?text=${encodeURIComponent(claim)}`)).json()) as {
        results: { url: string }[];
        thresholds: { answer: number };
      };
    const [ma, mb] = [await match(a), await match(b)];
    expect(ma.thresholds.answer).toBe(0.05);
    expect(mb.thresholds.answer).toBe(0.99);
    expect(ma.results[0].url).toMatch(/^http:\/\/a\.test\//);
    expect(mb.results[0].url).toMatch(/^http:\/\/b\.test\//);
  });

  it("call out through each its own outbound guard (A lets its local fake through, B's settings do not apply)", async () => {
    const cfg = await channelSettings(a.deps, 'telegram');
    await adapters.telegram.send(cfg, '4242', { text: 'Xin chào từ A' }, { lastInboundAt: new Date(), staff: false });
    expect(tg.sent.map((m) => m.text)).toContain('Xin chào từ A');
  });

  it('sign each its own audit anchors: with the crisis key where the crisis centre runs, unsigned elsewhere', async () => {
    const feed = async (x: App) =>
      (await (await x.app.request('/audit/anchors.json')).json()) as { keys: { keyId: string }[] };
    expect((await feed(a)).keys.length).toBeGreaterThan(0);
    expect((await feed(c)).keys).toEqual([]);
    for (const x of [a, c]) {
      await recordAudit(x.db, { actorLabel: 'test', action: 'test.note', entityType: 'test', entityId: 1 });
      await enqueue(x.db, 'audit.anchor');
      await x.worker.drain();
    }
    const keyOf = async (x: App) =>
      (await x.db.one<{ key_id: string | null }>(`SELECT key_id FROM audit_anchors ORDER BY id DESC LIMIT 1`))?.key_id;
    expect(await keyOf(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(await keyOf(c)).toBeNull();
  });

  it('verify each against its own copy of the signing keys, even on one database (a leak marked meanwhile shows at once in an app that had not read them)', async () => {
    const db = await testDb({ demo: true });
    try {
      const server = await start('Ủy ban D', 'token-d', modules, { db });
      const cli = await start('Ủy ban D', 'token-d', modules, { db });
      const code = (await db.one<{ code: string; key_id: string }>(
        `SELECT code, key_id FROM crisis_statements WHERE status = 'released' AND key_id IS NOT NULL ORDER BY id LIMIT 1`,
      ))!;
      const verify = async (x: App) =>
        (await (await x.app.request(`/api/v1/crisis/verify?code=${code.code}`)).json()) as { signatureValid: boolean };
      expect((await verify(server)).signatureValid).toBe(true);
      // another process marks the key leaked (the server's copy may be up to a second old: that is its business)
      await db.query(
        `UPDATE crisis_signing_keys SET retired_at = coalesce(retired_at, now()), compromised_since = valid_from WHERE key_id = $1`,
        [code.key_id],
      );
      expect((await verify(cli)).signatureValid).toBe(false);
    } finally {
      await db.close();
    }
  }, 120_000);
});
