/** Full stack vs a bare node:http server returning the same bytes: the home page and /healthz. */
import { bareServer, benchDb, fmt, load, report, startPlatform } from './lib.js';

const db = await benchDb('pglite');
const platform = await startPlatform(db);
const rows = [];
for (const path of ['/healthz', '/']) {
  const sample = await fetch(platform.url + path);
  const bytes = new Uint8Array(await sample.arrayBuffer());
  const bare = await bareServer(bytes, { 'content-type': sample.headers.get('content-type') ?? 'text/html' });
  await load(bare.url, { seconds: 1 });
  const base = await load(bare.url);
  const full = await load(platform.url + path);
  await bare.close();
  rows.push({ path, bytes: bytes.byteLength, 'bare rps': fmt(base.rps, 0), 'full rps': fmt(full.rps, 0), 'rps ratio full/bare': fmt(full.rps / base.rps, 3), 'bare p50 ms': base.p50, 'full p50 ms': full.p50, 'bare p99 ms': base.p99, 'full p99 ms': full.p99, errors: full.errors + full.non2xx });
}
report('http-foundation', rows, ['10 connections, PGlite in memory, demo data, rate limits off.']);
await platform.close();
await db.close();
process.exit(0);
