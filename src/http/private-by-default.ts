import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.js';

export const PRIVATE_NO_STORE = 'private, no-store';

/**
 * Whatever is answered to a signed-in person or an API token is theirs alone: no shared cache keeps it and no browser
 * stores it, unless the route chose its own Cache-Control (an immutable photo, a public feed). Routes therefore never
 * repeat the header; a public page for anonymous visitors says what it allows itself.
 */
export function privateByDefault(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.headers.has('cache-control')) return;
    if (c.get('principal')) c.res.headers.set('cache-control', PRIVATE_NO_STORE);
  };
}
