import type { MiddlewareHandler } from 'hono';
import { type Actor, assertCan, type Principal } from '../platform/auth/permissions.js';
import type { AppEnv, Ctx } from './context.js';
import { unauthorized } from './errors.js';

/**
 * Coarse permission at the router: a signed-in staff member who may perform `action` somewhere.
 * Whether they may perform it on this report, item or unit is the service's question; it knows the
 * thing's unit and state. `app.use('/staff/x/*', need('x.read'))`, or per route before the handler.
 */
export function need(action = 'staff.enter'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    if (!p) throw unauthorized();
    assertCan(p, 'staff.enter');
    if (action !== 'staff.enter') assertCan(p, action);
    await next();
  };
}

/** The signed-in staff member, in a route behind need(). */
export function staff(c: Ctx): Principal {
  const p = c.get('principal');
  if (!p) throw unauthorized();
  return p;
}

/** The staff member and their address, as services take them. */
export const actor = (c: Ctx): Actor => ({ principal: staff(c), ip: c.get('ip') ?? null });
