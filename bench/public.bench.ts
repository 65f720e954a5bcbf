/**
 * Public pages, light and fast (issue 16):
 * 1. bytes on the wire of every public page: plain, gzip and brotli (goal: under 15 KB compressed, before images);
 * 2. throughput and p99 of the home, mailbox list, a fact-check and an incident page (anonymous, `Accept-Encoding:
 *    br, gzip`) at 50 and 1,000 connections, beside a bare node:http server sending the very same bytes and headers
 *    (already compressed) in the same run. Server under test, bare server and autocannon each run in their own process.
 *    The same app is also measured without its fast path (src/http/fast-path.ts): page-cache hits answered by Hono.
 * BENCH_QUICK=1: 2 s per load run instead of 8. PAGE_CACHE_TTL_SECONDS=0: the app without its page cache, for comparison.
 * Roles (internal): `public.bench.ts server` | `bare SPEC.json` | `load JOBS.json`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import os from 'node:os';
import path from 'node:path';
import { benchDb, fmt, load, QUICK, report, startPlatform } from './lib.js';

const role = process.argv[2] ?? 'main';
const SELF = path.resolve('bench/public.bench.ts');
const TSX = path.resolve('node_modules/.bin/tsx');
const ENC = 'br, gzip';
const ROUNDS = QUICK ? 2 : 3;

interface Raw {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
          resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

/** Starts a child in ROLE and waits for its first stdout line (JSON). */
function child(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ proc: ChildProcess; first: any; lines: AsyncIterable<string> }> {
  const proc = spawn(TSX, [SELF, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line.startsWith('{')) queue.push(line);
      wake?.();
    }
  });
  let ended = false;
  proc.on('exit', () => {
    ended = true;
    wake?.();
  });
  const next = async (): Promise<string | null> => {
    while (queue.length === 0) {
      if (ended) return null;
      await new Promise<void>((r) => (wake = r));
    }
    return queue.shift()!;
  };
  const lines = {
    async *[Symbol.asyncIterator]() {
      for (let l = await next(); l !== null; l = await next()) yield l;
    },
  };
  return next().then((l) => {
    if (l === null) throw new Error(`child ${args[0]} ended without answering`);
    return { proc, first: JSON.parse(l), lines };
  });
}

async function serverRole() {
  // the page cache as in production (PAGE_CACHE_TTL_SECONDS=0 measures the pages rendered for every request)
  const ttl = process.env.PAGE_CACHE_TTL_SECONDS;
  const platform = await startPlatform(await benchDb('pglite'), {
    env: ttl === undefined ? {} : { PAGE_CACHE_TTL_SECONDS: ttl },
  });
  // the same app (same cache, same bytes) on a second port without the fast path: page-cache hits answered by Hono
  const honoUrl = await new Promise<string>((resolve) => {
    const s = serve({ fetch: platform.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`),
    );
  });
  console.log(JSON.stringify({ url: platform.url, honoUrl }));
}

async function bareRole(specFile: string) {
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as Record<
    string,
    { headers: Record<string, string>; body: string }
  >;
  const pages = new Map(
    Object.entries(spec).map(([p, s]) => [p, { headers: s.headers, body: Buffer.from(s.body, 'base64') }]),
  );
  const server = http.createServer((req, res) => {
    const p = pages.get(req.url ?? '');
    if (!p) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, p.headers);
    res.end(p.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
}

async function loadRole(jobsFile: string) {
  const jobs = JSON.parse(readFileSync(jobsFile, 'utf8')) as { url: string; connections: number }[];
  console.log(JSON.stringify({ ready: true }));
  // untimed warm-up of every URL: a server that has just started is still compiling its code for a few seconds
  for (const url of [...new Set(jobs.map((j) => j.url))])
    await load(url, { connections: 50, seconds: QUICK ? 1 : 3, headers: { 'accept-encoding': ENC } });
  for (const j of jobs) {
    await get(j.url, { 'accept-encoding': ENC }); // the previous run's backlog is served before this one is timed
    const r = await load(j.url, { connections: j.connections, headers: { 'accept-encoding': ENC } });
    console.log(JSON.stringify({ ...j, ...r }));
  }
}

const KB = (n: number) => fmt(n / 1024, 1);

async function main() {
  const started = Date.now();
  const server = await child(['server'], { NODE_ENV: 'production' });
  const base = server.first.url as string;
  const honoBase = server.first.honoUrl as string;
  try {
    // find one of each kind of page from the lists a resident would click through
    const link = async (list: string, re: RegExp) => (await get(base + list)).body.toString().match(re)?.[1] ?? null;
    const report1 = await link('/mailbox', /href="(\/mailbox\/r\/[A-Z0-9-]+)"/);
    const factCheck = await link('/desk', /href="(\/factchecks\/\d+[a-z0-9-]*)"/);
    const incident = await link('/incidents', /href="(\/incidents\/\d+)"/);
    const pages: [string, string | null][] = [
      ['home', '/'],
      ['mailbox list', '/mailbox'],
      ['report', report1],
      ['fact-check list', '/desk'],
      ['fact-check', factCheck],
      ['incidents', '/incidents'],
      ['incident', incident],
      ['verify', '/verify'],
      ['feed rss', '/feed.rss'],
      ['feed atom', '/feed.atom'],
      ['feed json', '/feed.json'],
    ];
    const sizeRows: Record<string, unknown>[] = [];
    const bodies: Record<string, Raw> = {};
    const plainBytes: Record<string, number> = {};
    for (const [name, p] of pages) {
      if (!p) {
        sizeRows.push({ page: name, path: '(none found)' });
        continue;
      }
      const plain = await get(base + p);
      const gz = await get(base + p, { 'accept-encoding': 'gzip' });
      const br = await get(base + p, { 'accept-encoding': ENC });
      bodies[p] = br;
      plainBytes[p] = plain.body.length;
      sizeRows.push({
        page: name,
        path: p,
        status: plain.status,
        'plain KB': KB(plain.body.length),
        'gzip KB': KB(gz.body.length),
        'br KB': KB(br.body.length),
        encoding: br.headers['content-encoding'] ?? 'none',
        'under 15 KB': br.body.length < 15 * 1024 ? 'yes' : 'NO',
        cached: (await get(base + p, { 'accept-encoding': ENC })).headers['x-page-cache'] ?? 'no',
      });
    }
    report('public-bytes', sizeRows, [
      'Bytes of the HTML/feed body only (no images, CSS or JS); CSS/JS are hashed, immutable and fetched once.',
    ]);

    // load: the platform vs a bare server sending the same compressed bytes
    const loadPages: [string, string | null][] = [
      ['home', '/'],
      ['mailbox list', '/mailbox'],
      ['fact-check', factCheck],
      ['incident', incident],
    ];
    const spec: Record<string, { headers: Record<string, string>; body: string }> = {};
    for (const [, p] of loadPages) {
      if (!p) continue;
      const r = bodies[p];
      const headers = Object.fromEntries(
        Object.entries(r.headers).filter(
          ([k]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k),
        ),
      );
      spec[p] = { headers, body: r.body.toString('base64') };
    }
    const specFile = path.join(os.tmpdir(), `public-bench-spec-${process.pid}.json`);
    writeFileSync(specFile, JSON.stringify(spec));
    const bare = await child(['bare', specFile]);
    try {
      const conns = [50, 1000];
      // app and bare take turns, ROUNDS times each, and the best run of each counts: on a shared machine a burst of
      // someone else's work then lands on one run, not on one side of the comparison
      const once = loadPages
        .filter(([, p]) => p)
        .flatMap(([, p]) =>
          conns.flatMap((c) => [
            { url: base + p, connections: c },
            { url: honoBase + p, connections: c },
            { url: bare.first.url + p, connections: c },
          ]),
        );
      const jobs = Array.from({ length: ROUNDS }, () => once).flat(); // round after round, so no page is only measured first
      const jobsFile = path.join(os.tmpdir(), `public-bench-jobs-${process.pid}.json`);
      writeFileSync(jobsFile, JSON.stringify(jobs));
      const gen = await child(['load', jobsFile]);
      const results: any[] = [];
      for await (const l of gen.lines) results.push(JSON.parse(l));
      const rows: Record<string, unknown>[] = [];
      for (const [name, p] of loadPages) {
        if (!p) continue;
        for (const c of conns) {
          const best = (url: string) =>
            results.filter((r) => r.url === url && r.connections === c).sort((x, y) => y.rps - x.rps)[0];
          const app = best(base + p);
          const hono = best(honoBase + p);
          const b = best(bare.first.url + p);
          if (!app || !b || !hono) continue;
          rows.push({
            page: name,
            'plain KB': KB(plainBytes[p]),
            'br KB': KB(bodies[p].body.length),
            connections: c,
            'app req/s': fmt(app.rps, 0),
            'Hono-path req/s': fmt(hono.rps, 0),
            'bare req/s': fmt(b.rps, 0),
            ratio: fmt(app.rps / b.rps, 2),
            'Hono-path ratio': fmt(hono.rps / b.rps, 2),
            'app p99 ms': app.p99,
            'Hono-path p99 ms': hono.p99,
            'bare p99 ms': b.p99,
            'p99 ratio': fmt(app.p99 / b.p99, 2),
            'app errors': app.errors + app.non2xx,
          });
        }
      }
      report('public-load', rows, [
        `Anonymous GET with Accept-Encoding: ${ENC}; bare = node:http sending the same (already compressed) bytes and headers; ${QUICK ? 2 : 8} s per run, best of ${ROUNDS} alternating runs each;`,
        'app, bare server and autocannon each in their own process; PGlite with the demo data; 2-core machine shared with others.',
        'app = page-cache hits answered before Hono (src/http/fast-path.ts); Hono path = the same app and cache on a second port without the fast path.',
        `page cache: ${process.env.PAGE_CACHE_TTL_SECONDS === '0' ? 'off (PAGE_CACHE_TTL_SECONDS=0): every request rendered' : 'on (anonymous pages kept rendered and compressed, src/http/page-cache.ts)'}.`,
        `total ${fmt((Date.now() - started) / 1000, 0)} s`,
      ]);
    } finally {
      bare.proc.kill();
    }
  } finally {
    server.proc.kill();
  }
}

const run =
  role === 'server'
    ? serverRole()
    : role === 'bare'
      ? bareRole(process.argv[3])
      : role === 'load'
        ? loadRole(process.argv[3])
        : main();
run.then(
  () => {
    if (role === 'main' || role === 'load') process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
