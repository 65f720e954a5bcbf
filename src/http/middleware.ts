import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { serialize } from 'hono/utils/cookie';
import { principalFromToken, resumeSession } from '../platform/auth/service.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../platform/i18n/index.js';
import { hit } from '../platform/ratelimit/ratelimit.js';
import { clientIp } from './client-ip.js';
import type { AppEnv, Deps } from './context.js';
import { HttpError } from './errors.js';
import { isSecureRequest } from './secure-transport.js';

export const SESSION_COOKIE = 'sid';
export const CSRF_COOKIE = 'csrf';
export const LANG_COOKIE = 'lang';

const isApi = (path: string) => path.startsWith('/api/') || path.startsWith('/open311/');

let idPool = Buffer.alloc(0);
let idAt = 0;
/** 16 hex digits, from random bytes drawn 4 KB at a time (one getrandom per 512 requests, not one per request). */
function newRequestId(): string {
  if (idAt + 8 > idPool.length) {
    idPool = randomBytes(4096);
    idAt = 0;
  }
  idAt += 8;
  return idPool.toString('hex', idAt - 8, idAt);
}

/** The caller's X-Request-Id when it looks like one, else a new one. */
export const requestIdFor = (incoming: string | undefined): string =>
  incoming && /^[\w-]{6,64}$/.test(incoming) ? incoming : newRequestId();

/** ?lang=, else the language cookie, else the default (a signed-in visitor's own language comes later). */
export const requestLocale = (query: string | undefined, cookie: string | undefined): Locale =>
  isLocale(query) ? query : isLocale(cookie) ? cookie : DEFAULT_LOCALE;

export function base(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFor(c.req.header('x-request-id'));
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.set('ip', clientIp(c, deps.config.TRUST_PROXY));
    c.set('principal', null);
    c.set('sessionId', null);
    c.set('locale', requestLocale(c.req.query('lang'), getCookie(c, LANG_COOKIE)));
    await next();
    c.header('x-request-id', requestId);
    const route = c.req.routePath || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    deps.metrics.duration.observe({ method: c.req.method, route }, seconds);
    if (c.res.status >= 500) deps.log.error({ requestId, path: c.req.path, status: c.res.status }, 'request failed');
    else
      deps.log.debug(
        { requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) },
        'request',
      );
  };
}

export function securityHeaders(tileOrigin: string): MiddlewareHandler<AppEnv> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${tileOrigin}`.trim(),
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' https://www.facebook.com https://sp.zalo.me https://x.com https://twitter.com",
    "frame-ancestors 'none'",
  ].join('; ');
  return async (c, next) => {
    await next();
    c.header('content-security-policy', csp);
    c.header('x-content-type-options', 'nosniff');
    c.header('x-frame-options', 'DENY');
    if (!c.res.headers.has('referrer-policy')) c.header('referrer-policy', 'strict-origin-when-cross-origin'); // a page may be stricter
    c.header('permissions-policy', 'camera=(), microphone=(), geolocation=(self)');
    c.header('cross-origin-opener-policy', 'same-origin');
    if (isSecureRequest(c)) {
      c.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
  };
}

const secure = isSecureRequest;

/** Session cookie for staff; bearer tokens for the API. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Personal short links (/s/CODE) are visited by the public: no session, no cookie set on the visitor.
    if (c.req.path.startsWith('/s/')) return next();
    const { db, config } = c.get('deps');
    const settings = {
      sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
      sessionMaxDays: config.SESSION_MAX_DAYS,
      loginMaxFailures: config.LOGIN_MAX_FAILURES,
      loginLockMinutes: config.LOGIN_LOCK_MINUTES,
    };
    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (bearer) {
      const p = await principalFromToken(db, bearer);
      if (!p) throw new HttpError(401, 'invalid_token', 'error.unauthorized');
      // A token opens the machine interfaces only, never a staff page; it reads with 'read' and writes only
      // through the actions named in its scopes.
      if (!isApi(c.req.path)) throw new HttpError(403, 'token_not_for_pages', 'error.tokenPages');
      const scopes = p.token?.scopes ?? [];
      const m = c.req.method;
      if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') {
        if (!scopes.includes('read')) throw new HttpError(403, 'token_scope', 'error.tokenScope');
      } else {
        const writes = scopes.filter((x) => x !== 'read');
        if (!writes.length) throw new HttpError(403, 'token_scope', 'error.tokenScope');
        p.writeScopes = writes;
      }
      c.set('principal', p);
      c.set('csrf', '');
      return next();
    }
    const sid = getCookie(c, SESSION_COOKIE);
    if (sid) {
      const s = await resumeSession(db, settings, sid);
      if (s) {
        c.set('principal', s.principal);
        c.set('sessionId', sid);
        c.set('csrf', s.csrf);
        if (!c.req.query('lang') && !getCookie(c, LANG_COOKIE) && isLocale(s.principal.locale))
          c.set('locale', s.principal.locale);
      }
    }
    let fresh: string | null = null;
    if (!c.get('principal')) {
      let token = getCookie(c, CSRF_COOKIE);
      if (!token || !/^[\w-]{16,64}$/.test(token)) token = fresh = randomBytes(18).toString('base64url');
      c.set('csrf', token);
    }
    await next();
    if (fresh && (await needsCsrfCookie(c.res, fresh))) {
      c.res.headers.append(
        'set-cookie',
        serialize(CSRF_COOKIE, fresh, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(c) }),
      );
    }
  };
}

/**
 * A public page that any HTTP cache may keep must not set a cookie, or no cache will keep it. So a new
 * visitor gets the CSRF cookie only with a response that is private or carries the token in a form.
 */
async function needsCsrfCookie(res: Response, token: string): Promise<boolean> {
  const cc = res.headers.get('cache-control') ?? '';
  if (!/\bpublic\b/.test(cc)) return true;
  if (!(res.headers.get('content-type') ?? '').includes('html') || !res.body) return false;
  return (await res.clone().text()).includes(token);
}

/** Webhooks a platform calls (they prove themselves by a signature, and no session acts through them). */
export const csrfExemptPaths = new Set<string>();

/**
 * Every form POST must carry the token: the session's for staff, a double-submit cookie for residents.
 * API calls authenticate with bearer tokens or API keys and carry no cookies' authority, so they are exempt.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const m = c.req.method;
    if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS' || c.req.path.startsWith('/s/')) return next();
    if (csrfExemptPaths.has(c.req.path)) return next();
    // API calls carry a bearer token or nothing; one riding on a session cookie must prove it came from our page.
    if (isApi(c.req.path) && !c.get('sessionId')) return next();
    const expected = c.get('csrf');
    let sent = c.req.header('x-csrf-token');
    if (!sent) {
      const ct = c.req.header('content-type') ?? '';
      if (ct.includes('form')) {
        const body = await c.req.parseBody({ all: true });
        const v = body['_csrf'];
        sent = typeof v === 'string' ? v : undefined;
      }
    }
    if (!expected || !sent || sent !== expected) throw new HttpError(403, 'csrf', 'error.csrf');
    return next();
  };
}

/** A PostgreSQL-backed limit per client address; RATE_LIMIT_DISABLED=1 turns every limit off. */
export function rateLimit(name: string, limit: (deps: Deps) => number, windowSeconds = 60): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    if (deps.config.RATE_LIMIT_DISABLED) return next();
    const r = await hit(deps.db, `${name}:ip:${c.get('ip')}`, limit(deps), windowSeconds);
    if (!r.allowed) {
      c.header('retry-after', String(r.retryAfterSeconds));
      throw new HttpError(429, 'rate_limited', 'error.rateLimited', { seconds: r.retryAfterSeconds });
    }
    return next();
  };
}

export { isApi };
