import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { need, staff } from '../../../http/guard.js';
import { hit } from '../../../platform/ratelimit/ratelimit.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { geocode, GeocoderUnavailable } from '../service/map-geocode.js';
import { nearbyForForm, parseNearbyQuery } from '../service/nearby.js';
import { publicPlaces } from '../repo/nearby.js';
import { mapText, type MapKey } from '../views/map-i18n.js';
import { mapSettings, MapPage } from '../views/map.js';

const jsonError = (c: Ctx, status: 404 | 422 | 429 | 503, code: string, key: MapKey) =>
  c.json({ error: { code, message: mapText.t(c.get('locale'))(key), fields: {} } }, status);

/** Address search, the nearby-reports hint, and the report maps (public and staff). */
export function mapRoutes(app: Hono<AppEnv>): void {
  /** `GET /mailbox/geocode.json?q=` → `{ results: [{ label, lat, lon }] }` through the configured geocoder; 404 when none is. */
  app.get('/mailbox/geocode.json', async (c) => {
    const deps = c.get('deps');
    if (!deps.config.MAP_GEOCODER_URL) return jsonError(c, 404, 'geocoder_off', 'map.geocoderDown');
    const q = (c.req.query('q') ?? '').trim();
    if (q.length < 3 || q.length > 200) return jsonError(c, 422, 'validation', 'map.badQuery');
    if (!deps.config.RATE_LIMIT_DISABLED) {
      const r = await hit(deps.db, `mailbox:geocode:${c.get('ip')}`, 30, 60);
      if (!r.allowed) {
        c.header('retry-after', String(r.retryAfterSeconds));
        return jsonError(c, 429, 'rate_limited', 'map.geocoderDown');
      }
    }
    try {
      const results = (await geocode(deps.config, q, c.get('locale'))) ?? [];
      c.header('cache-control', 'private, max-age=300');
      return c.json({ results });
    } catch (err) {
      if (!(err instanceof GeocoderUnavailable)) throw err;
      deps.log.warn({ err: err.message }, 'geocoder unavailable');
      return jsonError(c, 503, 'geocoder_unavailable', 'map.geocoderDown');
    }
  });

  /** `GET /mailbox/nearby.json?lat=&lon=[&category=]` (or `?unit=ID`) → `{ items: [{ code, title, status, category, unit, distance_m, url }], by_unit }`. */
  app.get('/mailbox/nearby.json', async (c) => {
    const query = c.req.query();
    const hasPoint = query.lat !== undefined || query.lon !== undefined;
    const q = parseNearbyQuery(query);
    if (hasPoint && !q) return jsonError(c, 422, 'validation', 'map.badPlace');
    const found = await nearbyForForm(c.get('deps').db, c.get('locale'), {
      lat: query.lat,
      lon: query.lon,
      unit: query.unit,
      category: query.category,
    });
    if (!found) return jsonError(c, 422, 'validation', 'map.badPlace');
    c.header('cache-control', 'public, max-age=60');
    return c.json({ items: found.items, by_unit: found.byUnit });
  });

  /** Public reports with a place, on the map and as a list; never contact details. */
  app.get('/mailbox/map', async (c) => {
    const deps = c.get('deps');
    const places = await publicPlaces(deps.db, { limit: 500 });
    c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
    c.header('vary', 'Cookie');
    return c.html(
      <MapPage ctx={pageCtx(c)} map={mapSettings(deps.config)} places={places} href={(p) => `/mailbox/r/${p.code}`} />,
    );
  });

  /** Open reports of the inbox's scope that have a place. */
  app.get('/staff/mailbox/map', need('mailbox.view'), async (c) => {
    const p = staff(c);
    const deps = c.get('deps');
    const rows = await repo.inbox(deps.db, { scope: svc.inboxScope(p), status: 'open', limit: 500 });
    const places = rows.filter((r) => r.lat != null && r.lon != null);
    return c.html(
      <MapPage
        ctx={pageCtx(c)}
        map={mapSettings(deps.config)}
        places={places}
        staff
        href={(x) => `/staff/mailbox/${(x as { id?: number }).id}`}
      />,
    );
  });
}
