/** What several desk route files use: public caching, a refused step's field messages. */
import type { MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv, Ctx } from '../../../http/context.js';
import type { FieldErrors } from '../../../http/forms.js';
import { DeskError } from '../service.js';

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
  c.header('cache-control', 'private, no-store');
  await next();
};

/** A rule the service refused, as messages beside the form's fields; any other error goes on to the error page. */
export function refused(c: Ctx, e: unknown): FieldErrors {
  if (e instanceof DeskError) return e.fieldMessages(c.get('locale'));
  throw e;
}

/** An id typed in a form (a select or hidden field), or null. */
export const formId = (v: unknown): number | null => (/^\d{1,9}$/.test(String(v ?? '')) ? Number(v) : null);
