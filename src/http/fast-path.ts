import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Hono } from 'hono';
import { parse } from 'hono/utils/cookie';
import type { AppEnv, Deps } from './context.js';
import { LANG_COOKIE, requestIdFor, requestLocale } from './middleware.js';
import { type PageCache, type PageCacheEntry, pageCacheOf } from './page-cache.js';
import { secureTransport } from './secure-transport.js';

/**
 * Request targets Hono's node adapter takes verbatim as its URL (no percent-decoding, no dot segments, no absolute
 * form, no fragment), so the path and query read here are the ones the page-cache middleware reads. Anything else goes to Hono.
 */
const PLAIN_TARGET = /^\/[!$&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** The route label Hono's `base` gives a page-cache hit: the pattern of the page-cache middleware, app.use('*'). */
export const HIT_ROUTE = '/*';

/** node:http header list for a stored page: its headers, its length and the per-request ones appended per hit. */
const heads = new WeakMap<PageCacheEntry, { ok: string[]; notModified: string[] }>();
function headsOf(e: PageCacheEntry) {
  let h = heads.get(e);
  if (!h) {
    h = {
      ok: [...e.headers.flat(), 'content-length', String(e.body.byteLength), 'x-page-cache', 'hit'],
      notModified: [...e.notModified.flat(), 'x-page-cache', 'hit'],
    };
    heads.set(e, h);
  }
  return h;
}

/**
 * Answers page-cache hits (src/http/page-cache.ts) straight from node:http, before Hono builds a Request, runs its
 * middleware and copies a Response onto the socket: a cached page then costs little more than a bare server sending
 * the same bytes. The decision is the cache's own lookup(), fed what `base` would read (language, request id,
 * transport); every miss, and every request the cache would not answer, goes to `hono` unchanged. The request is
 * counted in /metrics and logged as `base` does it.
 */
export function withFastPath(cache: PageCache, deps: Deps, hono: RequestListener): RequestListener {
  const { config, metrics, log } = deps;
  const counters = new Map<string, { count: () => void; observe: (s: number) => void }>();
  const meter = (method: string, status: number) => {
    const k = `${method} ${status}`;
    let m = counters.get(k);
    if (!m) {
      const c = metrics.requests.labels({ method, route: HIT_ROUTE, status: String(status) });
      const d = metrics.duration.labels({ method, route: HIT_ROUTE });
      m = { count: () => c.inc(), observe: (s) => d.observe(s) };
      counters.set(k, m);
    }
    return m;
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const method = req.method ?? '';
    const url = req.url ?? '';
    const h = req.headers;
    if (
      (method !== 'GET' && method !== 'HEAD') ||
      !h.host ||
      !PLAIN_TARGET.test(url) ||
      DOT_SEGMENT.test(url) ||
      !PLAIN_HOST.test(h.host)
    )
      return hono(req, res);
    const q = url.indexOf('?');
    const search = q >= 0 ? url.slice(q) : '';
    const cookie = h.cookie;
    const found = cache.lookup({
      method,
      path: q >= 0 ? url.slice(0, q) : url,
      search,
      host: h.host,
      authorization: h.authorization,
      cookie,
      acceptEncoding: h['accept-encoding'],
      ifNoneMatch: h['if-none-match'],
      locale: requestLocale(
        search.includes('lang=') ? (new URLSearchParams(search).get('lang') ?? undefined) : undefined,
        cookie ? parse(cookie, LANG_COOKIE)[LANG_COOKIE] : undefined,
      ),
      secure: secureTransport(config, (req.socket as TLSSocket).encrypted === true, header(h['x-forwarded-proto'])),
    });
    if (!found.hit) return hono(req, res);

    const requestId = requestIdFor(header(h['x-request-id']));
    const stored = headsOf(found.hit);
    const status = found.notModified ? 304 : 200;
    res.writeHead(status, [...(found.notModified ? stored.notModified : stored.ok), 'x-request-id', requestId]);
    if (status === 200 && method === 'GET') res.end(found.hit.body);
    else res.end();
    const seconds = (performance.now() - started) / 1000;
    const m = meter(method, status);
    m.count();
    m.observe(seconds);
    if (log.isLevelEnabled('debug'))
      log.debug({ requestId, method, path: url.split('?')[0], status, ms: Math.round(seconds * 1000) }, 'request');
  };
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

/**
 * A `createServer` for @hono/node-server's serve(): the fast path in front of Hono's own listener when the app has a
 * page cache. `serve({ fetch: app.fetch, createServer: fastPathServer(app, deps), ... })`.
 */
export function fastPathServer(app: Hono<AppEnv>, deps: Deps): typeof createServer {
  const cache = pageCacheOf(app);
  return ((options: object, listener: RequestListener) =>
    createServer(options, cache ? withFastPath(cache, deps, listener) : listener)) as typeof createServer;
}
