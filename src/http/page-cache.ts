import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { parse } from 'hono/utils/cookie';
import type { AppState } from '../platform/app-state.js';
import { type ContentVersion, publicContentVersion } from '../platform/public-content.js';
import { compressible, pickEncoding } from './compress.js';
import type { AppEnv } from './context.js';
import { SESSION_COOKIE } from './middleware.js';
import { isSecureRequest } from './secure-transport.js';

export interface PageCacheOptions {
  /** Longest time a page is kept (a route's own shorter max-age wins); 0 turns the cache off. */
  ttlMs: number;
  /** Entries kept (each one page in one language and encoding); the oldest go first. */
  maxEntries?: number;
  /** A body larger than this (on the wire) is not kept. */
  maxBodyBytes?: number;
  /** The app's state: its public-content version (src/platform/public-content.ts) says when its pages go stale. */
  state: AppState;
}

/** Headers that belong to one exchange, never to a stored page. */
const PER_REQUEST = new Set([
  'date',
  'x-request-id',
  'set-cookie',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'x-page-cache',
]);

/** What a 304 carries of the stored page's headers. */
const NOT_MODIFIED = new Set(['etag', 'cache-control', 'vary', 'content-location']);

/** Paths served fast already (precompressed static files) or never public. */
const SKIP = /^\/(static|api|open311|s|staff|health|metrics)(\/|$)/;

const stripWeak = (t: string) => t.trim().replace(/^W\//, '');
const matches = (etag: string, inm: string) =>
  inm.trim() === '*' || inm.split(',').some((t) => stripWeak(t) === stripWeak(etag));

/** Pages the route marked `public, no-cache` (always revalidate) are kept this long at most: a 1 s micro-cache. */
const REVALIDATE_MS = 1000;

/**
 * How long a response may be kept here: the route's public max-age (capped by the TTL), a second for one any cache
 * must revalidate (public, no-cache: the incident page), or null when it is not for everyone.
 */
export function keepMs(cacheControl: string | null, ttlMs: number): number | null {
  if (!cacheControl) return null;
  const cc = cacheControl.toLowerCase();
  if (!/\bpublic\b/.test(cc) || /\b(private|no-store)\b/.test(cc)) return null;
  const m = /\b(?:s-maxage|max-age)=(\d+)/.exec(cc);
  const declared = /\bno-cache\b/.test(cc) || !m ? REVALIDATE_MS : Number(m[1]) * 1000;
  return Math.min(ttlMs, declared);
}

function addVary(h: Headers, name: string): void {
  const v = h.get('vary');
  if (!v) h.set('vary', name);
  else if (!new RegExp(`(^|,)\\s*(${name}|\\*)\\s*(,|$)`, 'i').test(v)) h.set('vary', `${v}, ${name}`);
}

function plainBody(body: Uint8Array, encoding: string | null): Buffer | null {
  try {
    if (!encoding) return Buffer.from(body);
    if (encoding === 'br') return brotliDecompressSync(body);
    if (encoding === 'gzip') return gunzipSync(body);
  } catch {
    // unreadable: not kept
  }
  return null;
}

/** What the cache needs to know of a request, read the same way by the Hono middleware and the node:http fast path. */
export interface PageRequest {
  method: string;
  /** The path as Hono's c.req.path reads it, and the query with its "?" (or ""). */
  path: string;
  search: string;
  host: string | undefined;
  authorization: string | undefined;
  /** The raw Cookie header. */
  cookie: string | undefined;
  acceptEncoding: string | undefined;
  ifNoneMatch: string | undefined;
  /** requestLocale() of the query and the language cookie (src/http/middleware.ts). */
  locale: string;
  /** secureTransport() (src/http/secure-transport.ts). */
  secure: boolean;
}

export interface PageCacheEntry {
  /** The app's content version the page was rendered under (src/platform/public-content.ts). */
  version: ContentVersion;
  expires: number;
  etag: string;
  /** Every header of the page but the per-exchange ones. */
  headers: [string, string][];
  /** The headers a 304 carries. */
  notModified: [string, string][];
  body: Uint8Array<ArrayBuffer>;
}

/** A stored page for this request, or the key to store the route's answer under (null: not for the cache). */
export type PageLookup =
  | { hit: PageCacheEntry; notModified: boolean }
  | { hit: null; key: string | null; version: ContentVersion; now: number };

export interface PageCache {
  /** The one decision of what a request gets from the cache, for the middleware and the fast path alike. */
  lookup(r: PageRequest): PageLookup;
  middleware: MiddlewareHandler<AppEnv>;
}

const pass = (now: number): PageLookup => ({ hit: null, key: null, version: {}, now });

/**
 * A rendered-page cache for anonymous visitors, one per app (its entries live in this closure, never in module
 * state). It sits outside compression, so it keeps the exact bytes sent: per host, path with query, language and
 * encoding. A visitor without a session cookie or bearer token gets a stored page (or a 304 for its ETag) without
 * the route, the session lookup or the compressor running. A page is stored only when the route itself declared it
 * public (Cache-Control public, not private or no-store), it sets no cookie and it does not carry
 * the visitor's CSRF token; it is kept for the shorter of the TTL and its max-age (a second when
 * it must be revalidated), and dropped at the app's next change
 * of public content. Signed-in visitors always go to the route and never receive a stored page.
 * A HEAD gets a stored page's headers; only a GET stores one. src/http/fast-path.ts answers hits before Hono.
 */
export function createPageCache(opts: PageCacheOptions): PageCache {
  const maxEntries = opts.maxEntries ?? 1000;
  const maxBody = opts.maxBodyBytes ?? 512 * 1024;
  const entries = new Map<string, PageCacheEntry>();

  const lookup = (r: PageRequest): PageLookup => {
    const now = Date.now();
    if (opts.ttlMs <= 0 || (r.method !== 'GET' && r.method !== 'HEAD')) return pass(now);
    if (SKIP.test(r.path) || r.authorization || (r.cookie && parse(r.cookie, SESSION_COOKIE)[SESSION_COOKIE]))
      return pass(now);
    const enc = pickEncoding(r.acceptEncoding) ?? 'identity';
    const key = `${r.secure ? 's' : 'p'}|${r.host ?? ''}|${r.locale}|${enc}|${r.path}${r.search}`;
    const version = publicContentVersion(opts);
    const hit = entries.get(key);
    if (hit && hit.version === version && hit.expires > now)
      return { hit, notModified: Boolean(r.ifNoneMatch && matches(hit.etag, r.ifNoneMatch)) };
    if (hit) entries.delete(key);
    return { hit: null, key, version, now };
  };

  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (opts.ttlMs <= 0) return next();
    const url = c.req.url;
    const q = url.indexOf('?');
    const found = lookup({
      method: c.req.method,
      path: c.req.path,
      search: q >= 0 ? url.slice(q) : '',
      host: c.req.header('host'),
      authorization: c.req.header('authorization'),
      cookie: c.req.header('cookie'),
      acceptEncoding: c.req.header('accept-encoding'),
      ifNoneMatch: c.req.header('if-none-match'),
      locale: c.get('locale'),
      secure: isSecureRequest(c),
    });
    if (found.hit) {
      const h = new Headers(found.notModified ? found.hit.notModified : found.hit.headers);
      h.set('x-page-cache', 'hit');
      return new Response(found.notModified ? null : found.hit.body, {
        status: found.notModified ? 304 : 200,
        headers: h,
      });
    }
    const { key, version, now } = found;
    if (key === null || c.req.method !== 'GET') return next();

    await next();
    const res = c.res;
    const keep = keepMs(res.headers.get('cache-control'), opts.ttlMs);
    if (keep === null) return;
    // The page is public for anonymous visitors, and its words follow the language cookie.
    addVary(res.headers, 'Cookie');
    if (
      res.status !== 200 ||
      keep <= 0 ||
      res.headers.has('set-cookie') ||
      !compressible(res.headers.get('content-type'))
    )
      return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    c.res = undefined as unknown as Response; // Hono would copy the old headers onto the new response
    c.res = new Response(body, { status: 200, headers });
    if (body.byteLength > maxBody || publicContentVersion(opts) !== version) return; // rendered while something changed
    const token = c.get('csrf');
    if (token && token.length >= 16) {
      const plain = plainBody(body, headers.get('content-encoding'));
      if (!plain || plain.includes(token)) return; // the page carries this visitor's token
    }
    let etag = headers.get('etag');
    if (!etag) {
      etag = `W/"pc-${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
      c.res.headers.set('etag', etag);
    }
    const stored: [string, string][] = [];
    c.res.headers.forEach((v, k) => {
      if (!PER_REQUEST.has(k)) stored.push([k, v]);
    });
    const notModified = stored.filter(([k]) => NOT_MODIFIED.has(k));
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, { version, expires: now + keep, etag, headers: stored, notModified, body });
    c.res.headers.set('x-page-cache', 'miss');
  };

  return { lookup, middleware };
}

const caches = new WeakMap<object, PageCache>();

/** The page cache an app was built with (createApp), for the fast path in front of it. */
export function pageCacheOf(app: object): PageCache | undefined {
  return caches.get(app);
}

/** The cache's middleware, remembered as this app's cache. */
export function pageCache(app: object, opts: PageCacheOptions): MiddlewareHandler<AppEnv> {
  const cache = createPageCache(opts);
  caches.set(app, cache);
  return cache.middleware;
}
