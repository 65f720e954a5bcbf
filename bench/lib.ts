import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import type { Hono } from 'hono';
import { boot, seedDemoIfEmpty } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { openPglite, openPostgres, type Db } from '../src/db/client.js';
import { createApp } from '../src/http/app.js';
import { fastPathServer } from '../src/http/fast-path.js';
import type { AppEnv, Deps } from '../src/http/context.js';
import { createLogger } from '../src/log.js';
import { modules } from '../src/modules/index.js';
import { MemoryBlobStore } from '../src/platform/files/store.js';

export const QUICK = process.env.BENCH_QUICK === '1';

/** PGlite in memory, or a fresh database on BENCH_DATABASE_URL's server. */
export async function benchDb(kind: 'pglite' | 'pg'): Promise<Db> {
  if (kind === 'pglite') return openPglite();
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('set BENCH_DATABASE_URL (or TEST_DATABASE_URL) for the PostgreSQL runs');
  const pg = (await import('pg')).default;
  const name = `caunoi_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return openPostgres(u.toString(), 10);
}

export const hasPg = () => Boolean(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL);

/** The full platform (migrated, demo data, rate limits off as in production benchmarks) on a real port. */
export async function startPlatform(
  db: Db,
  opts: { demo?: boolean; env?: Record<string, string> } = {},
): Promise<{ url: string; deps: Deps; app: Hono<AppEnv>; close(): Promise<void> }> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: '/tmp/caunoi-bench',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_DISABLED: '1',
    ...opts.env,
  });
  const deps = await boot({ config, log: createLogger('silent'), modules, db, blobs: new MemoryBlobStore() });
  if (opts.demo !== false) await seedDemoIfEmpty(deps, modules);
  const app = createApp(deps, modules);
  const server = await new Promise<http.Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', createServer: fastPathServer(app, deps) }, () =>
      resolve(s as http.Server),
    );
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, deps, app, close: () => new Promise((r) => server.close(() => r())) };
}

/** A bare node:http server answering every request with the same bytes: the baseline. */
export async function bareServer(
  body: Uint8Array | string,
  headers: Record<string, string>,
  status = 200,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(
  url: string,
  opts: {
    connections?: number;
    seconds?: number;
    headers?: Record<string, string>;
    method?: string;
    body?: string;
  } = {},
): Promise<LoadResult> {
  const r = await autocannon({
    url,
    connections: opts.connections ?? 10,
    duration: opts.seconds ?? (QUICK ? 2 : 8),
    headers: opts.headers,
    method: (opts.method ?? 'GET') as 'GET',
    body: opts.body,
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : String(n));

/** Prints a table and saves it as bench-output/NAME.json. */
export function report(name: string, rows: Record<string, unknown>[], notes: string[] = []): void {
  console.log(`\n## ${name}`);
  console.table(rows);
  for (const n of notes) console.log(n);
  mkdirSync('bench-output', { recursive: true });
  writeFileSync(
    `bench-output/${name}.json`,
    JSON.stringify({ name, at: new Date().toISOString(), rows, notes }, null, 2),
  );
}
