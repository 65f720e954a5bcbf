/** What several desk route files use: public caching, no caching of residents' forms, an id typed in a form. */
import { PRIVATE_NO_STORE } from '../../../http/private-by-default.js';
import type { MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv } from '../../../http/context.js';

/** Public pages: cacheable by anyone for anonymous visitors, private once signed in; ETag + 304. */
const publicCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status !== 200) return;
  c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
  c.header('vary', 'Cookie');
};
export const cached = [etag(), publicCache] as const;

/** Residents' forms are never cached, signed in or not. */
export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header('cache-control', PRIVATE_NO_STORE);
  await next();
};

/** An id typed in a form (a select or hidden field), or null. */
export const formId = (v: unknown): number | null => (/^\d{1,9}$/.test(String(v ?? '')) ? Number(v) : null);
