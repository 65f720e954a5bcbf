/**
 * The mailbox's pages and APIs, one registrar per audience. Hono matches routes in the order they are
 * registered, so mailboxRoutes keeps this order.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { open311Routes } from './open311.js';
import { apiRoutes } from './api.js';
import { photoSizeRoutes } from './photo-sizes.js';
import { publicRoutes } from './public.js';
import { mapRoutes } from './public-map.js';
import { residentRoutes } from './resident.js';
import { setupRoutes } from './setup.js';
import { staffRoutes } from './staff.js';

export function mailboxRoutes(app: Hono<AppEnv>): void {
  publicRoutes(app); // /mailbox, look-up, /mailbox/r/CODE, feeds, photos, assets
  residentRoutes(app); // /mailbox/new, /mailbox/s/TOKEN
  staffRoutes(app); // /staff/mailbox…
  apiRoutes(app); // /api/v1/mailbox/…
  mapRoutes(app); // /mailbox/map, /staff/mailbox/map, nearby.json, geocode.json
  photoSizeRoutes(app);
  open311Routes(app); // /open311/v2/…
  setupRoutes(app); // /staff/mailbox/setup…
}
