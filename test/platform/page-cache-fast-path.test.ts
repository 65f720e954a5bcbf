/**
 * Page-cache hits answered before Hono (src/http/fast-path.ts), over real sockets: the same status, headers and
 * bytes as Hono's own page-cache answer, a 304 for the ETag, the request counted in /metrics, and everything the
 * cache would not answer (a session, a POST, a stale page, a content change) handed to Hono.
 */
import http, { type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { getRequestListener } from '@hono/node-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fastPathServer, HIT_ROUTE } from '../../src/http/fast-path.js';
import { publicContentChanged } from '../../src/platform/public-content.js';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let fast: http.Server;
let plain: http.Server;
/** Requests that reached Hono through the fast-path server. */
let toHono = 0;

const listen = (s: http.Server) =>
  new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(String((s.address() as AddressInfo).port))));
let fastPort: string;
let plainPort: string;

beforeAll(async () => {
  t = await testApp({ env: { PAGE_CACHE_TTL_SECONDS: '60' } });
  const hono = getRequestListener(t.app.fetch);
  const counting: RequestListener = (req, res) => {
    toHono++;
    return hono(req, res);
  };
  fast = fastPathServer(t.app, t.deps)({}, counting);
  plain = http.createServer(hono);
  fastPort = await listen(fast);
  plainPort = await listen(plain);
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await new Promise((r) => fast?.close(r));
  await new Promise((r) => plain?.close(r));
  await t?.close();
});

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An anonymous browser; both servers are reached under one host name, so they share the cache's keys. */
function send(port: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: { host: 'caunoi.test', 'accept-encoding': 'br, gzip', 'x-test-ip': '203.0.113.61', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '_csrf=x' : undefined);
  });
}
const viaFast = (path: string, headers?: Record<string, string>, method?: string) =>
  send(fastPort, path, headers, method);
const viaHono = (path: string, headers?: Record<string, string>) => send(plainPort, path, headers);

/** Hono's page-cache answer for PATH (rendered first if need be). */
async function honoHit(path: string, headers?: Record<string, string>): Promise<Raw> {
  await viaHono(path, headers);
  const r = await viaHono(path, headers);
  expect(r.headers['x-page-cache']).toBe('hit');
  return r;
}

const PER_EXCHANGE = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);
const stable = (h: IncomingHttpHeaders) =>
  Object.fromEntries(
    Object.entries(h)
      .filter(([k]) => !PER_EXCHANGE.has(k))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

async function hits(status: string): Promise<number> {
  const m = await t.deps.metrics.requests.get();
  return (
    m.values.find((v) => v.labels.route === HIT_ROUTE && v.labels.method === 'GET' && v.labels.status === status)
      ?.value ?? 0
  );
}

describe('a page-cache hit answered before Hono', () => {
  it('has the status, headers and bytes of Hono’s own answer, and never reaches Hono', async () => {
    for (const [path, headers] of [
      ['/', {}],
      ['/mailbox', {}],
      ['/desk', { cookie: 'lang=en' }],
      ['/desk?lang=en', {}],
      ['/', { 'accept-encoding': 'gzip' }],
      ['/', { 'accept-encoding': 'identity' }],
    ] as [string, Record<string, string>][]) {
      const hono = await honoHit(path, headers);
      const before = toHono;
      const fastHit = await viaFast(path, headers);
      expect(toHono, path).toBe(before);
      expect(fastHit.status).toBe(200);
      expect(stable(fastHit.headers), `${path} ${JSON.stringify(headers)}`).toEqual(stable(hono.headers));
      expect(fastHit.body.equals(hono.body)).toBe(true);
      expect(fastHit.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
      expect(fastHit.headers['x-request-id']).not.toBe(hono.headers['x-request-id']);
      expect(fastHit.headers.date).toBeTruthy();
    }
    const en = await viaFast('/desk', { cookie: 'lang=en' });
    expect(brotliDecompressSync(en.body).toString()).toContain('lang="en"');
    // the caller's own request id is kept, as Hono keeps it
    expect((await viaFast('/', { 'x-request-id': 'trace-1234' })).headers['x-request-id']).toBe('trace-1234');
  });

  it('answers 304 for its ETag and HEAD with the headers only', async () => {
    const hono = await honoHit('/mailbox');
    const etag = String(hono.headers.etag);
    const honoNotModified = await viaHono('/mailbox', { 'if-none-match': etag });
    const before = toHono;
    const r = await viaFast('/mailbox', { 'if-none-match': etag });
    expect(r.status).toBe(304);
    expect(r.body.length).toBe(0);
    expect(stable(r.headers)).toEqual(stable(honoNotModified.headers));
    const head = await viaFast('/mailbox', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(etag);
    expect(head.headers['content-length']).toBe(String(hono.body.length));
    expect(toHono).toBe(before);
  });

  it('is counted in the request metrics as Hono counts a hit', async () => {
    await viaHono('/');
    const start = await hits('200');
    expect((await viaHono('/')).headers['x-page-cache']).toBe('hit');
    const afterHono = await hits('200');
    expect(afterHono).toBe(start + 1); // the label Hono gives its hit is the one the fast path uses
    const before = toHono;
    await viaFast('/');
    await viaFast('/');
    expect(toHono).toBe(before);
    expect(await hits('200')).toBe(afterHono + 2);
  });
});

describe('what goes to Hono unchanged', () => {
  const goesToHono = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
    const before = toHono;
    const r = await viaFast(path, headers, method);
    expect(toHono, `${method} ${path} ${JSON.stringify(headers)}`).toBe(before + 1);
    return r;
  };

  it('a visitor with a session cookie or a token, a POST, a path the cache skips, an unusual target', async () => {
    await honoHit('/desk');
    expect((await goesToHono('/desk', { cookie: 'sid=not-a-session' })).headers['x-page-cache']).toBeUndefined();
    expect((await goesToHono('/desk', { authorization: 'Bearer nope' })).headers['x-page-cache']).toBeUndefined();
    expect((await goesToHono('/desk', { 'content-type': 'application/x-www-form-urlencoded' }, 'POST')).status).toBe(
      403,
    );
    await goesToHono('/health');
    await goesToHono('/d%65sk');
    await goesToHono('/x/../desk');
    const before = toHono;
    expect((await viaFast('/desk')).headers['x-page-cache']).toBe('hit'); // and the plain anonymous GET does not
    expect(toHono).toBe(before);
  });

  it('a stale page and a change of public content', async () => {
    await honoHit('/mailbox');
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    expect((await goesToHono('/mailbox')).headers['x-page-cache']).toBe('miss');
    const before = toHono;
    expect((await viaFast('/mailbox')).headers['x-page-cache']).toBe('hit'); // stored again, from the fast path
    expect(toHono).toBe(before);
    publicContentChanged(t.deps);
    expect((await goesToHono('/mailbox')).headers['x-page-cache']).toBe('miss');
  });
});
