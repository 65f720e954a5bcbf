/**
 * Full stack vs a bare node:http server returning the same bytes: the home page and /healthz.
 * Also reports the process's memory: before the platform starts (node + the bench harness), after boot with
 * the demo data, and after each load run (RSS and V8 heap), so that a leak under load shows as growth.
 */
import { bareServer, benchDb, fmt, load, report, startPlatform } from './lib.js';

const mb = (n: number) => fmt(n / 1024 / 1024, 1);
const gc = () => (globalThis as { gc?: () => void }).gc?.();
gc();
const before = process.memoryUsage();
const db = await benchDb('pglite');
const platform = await startPlatform(db);
gc();
const booted = process.memoryUsage();
const rows = [];
for (const path of ['/healthz', '/']) {
  const sample = await fetch(platform.url + path);
  const bytes = new Uint8Array(await sample.arrayBuffer());
  const bare = await bareServer(bytes, { 'content-type': sample.headers.get('content-type') ?? 'text/html' });
  await load(bare.url, { seconds: 1 });
  const base = await load(bare.url);
  await load(platform.url + path, { seconds: 1 }); // warm-up, as for the bare server
  const full = await load(platform.url + path);
  await bare.close();
  gc();
  const after = process.memoryUsage();
  rows.push({
    path,
    bytes: bytes.byteLength,
    'bare rps': fmt(base.rps, 0),
    'full rps': fmt(full.rps, 0),
    'rps ratio full/bare': fmt(full.rps / base.rps, 3),
    'bare p50 ms': base.p50,
    'full p50 ms': full.p50,
    'bare p99 ms': base.p99,
    'full p99 ms': full.p99,
    errors: full.errors + full.non2xx,
    'rss after MB': mb(after.rss),
    'heap used after MB': mb(after.heapUsed),
  });
}
report('http-foundation', rows, [
  '10 connections, PGlite in memory, demo data, rate limits off; platform, bare server and load generator share one process.',
  `memory: before boot rss ${mb(before.rss)} MB / heap ${mb(before.heapUsed)} MB; after boot + demo data rss ${mb(booted.rss)} MB / heap ${mb(booted.heapUsed)} MB` +
    ` (PGlite's WebAssembly memory is in rss, not in the heap)${(globalThis as { gc?: unknown }).gc ? '' : '; run with NODE_OPTIONS=--expose-gc for settled figures'}.`,
]);
await platform.close();
await db.close();
process.exit(0);
