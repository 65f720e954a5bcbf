/** The desk's routes by audience: public pages and feeds, residents' claims, the JSON API, staff pages. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { apiRoutes } from './api.js';
import { publicRoutes } from './public.js';
import { residentRoutes } from './resident.js';
import { staffClaimRoutes } from './staff-claims.js';
import { staffItemRoutes } from './staff-items.js';
import { staffPolicyRoutes } from './staff-policies.js';

export function deskRoutes(app: Hono<AppEnv>): void {
  publicRoutes(app);
  residentRoutes(app);
  apiRoutes(app);
  staffItemRoutes(app);
  staffClaimRoutes(app);
  staffPolicyRoutes(app);
}
