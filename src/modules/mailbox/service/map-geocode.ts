/**
 * Address search for the report form through the installation's own geocoder (MAP_GEOCODER_URL: a self-hosted
 * Nominatim or Photon). The server asks on the resident's behalf, so the resident's address never reaches a third
 * party from the browser and the page's CSP stays `connect-src 'self'`. Off (null) when not configured.
 */
import type { Config } from '../../../config.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { outboundOptions, safeFetch } from '../../../platform/net/outbound.js';

export interface Place {
  label: string;
  lat: number;
  lon: number;
}

export class GeocoderUnavailable extends Error {}

/** `{q}` in the setting is a template; a Photon base ends in /api; anything else is Nominatim (…/search). */
export function geocoderRequest(setting: string, q: string, locale: Locale, limit = 5): URL {
  if (setting.includes('{q}')) return new URL(setting.replace('{q}', encodeURIComponent(q)));
  const url = new URL(setting);
  const base = url.pathname.replace(/\/+$/, '');
  if (/\/api$/.test(base)) {
    url.pathname = base;
    url.searchParams.set('q', q);
    url.searchParams.set('limit', String(limit));
    if (locale === 'en') url.searchParams.set('lang', 'en');
    return url;
  }
  url.pathname = /\/search$/.test(base) ? base : `${base}/search`;
  url.searchParams.set('q', q);
  url.searchParams.set('format', 'jsonv2');
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('accept-language', locale);
  return url;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN);
const valid = (p: Place) =>
  Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && p.label !== '';

/** Nominatim answers an array of `{display_name, lat, lon}`; Photon a GeoJSON FeatureCollection. */
export function parsePlaces(json: unknown, limit = 5): Place[] {
  const out: Place[] = [];
  if (Array.isArray(json)) {
    for (const x of json as Record<string, unknown>[])
      out.push({ label: String(x?.display_name ?? x?.name ?? '').slice(0, 300), lat: num(x?.lat), lon: num(x?.lon) });
  } else if (json && typeof json === 'object' && Array.isArray((json as { features?: unknown }).features)) {
    for (const f of (
      json as { features: { geometry?: { coordinates?: unknown[] }; properties?: Record<string, unknown> }[] }
    ).features) {
      const p = f?.properties ?? {};
      const parts = [
        p.name,
        [p.housenumber, p.street].filter(Boolean).join(' '),
        p.district,
        p.city,
        p.state,
        p.country,
      ].filter((s) => typeof s === 'string' && s !== '');
      const c = f?.geometry?.coordinates ?? [];
      out.push({ label: [...new Set(parts as string[])].join(', ').slice(0, 300), lat: num(c[1]), lon: num(c[0]) });
    }
  }
  return out.filter(valid).slice(0, limit);
}

/** Places matching `q`, or null when no geocoder is configured. Throws GeocoderUnavailable when it cannot be reached. */
export async function geocode(config: Config, q: string, locale: Locale): Promise<Place[] | null> {
  if (!config.MAP_GEOCODER_URL) return null;
  let res: Response;
  try {
    res = await safeFetch(
      geocoderRequest(config.MAP_GEOCODER_URL, q, locale),
      { headers: { accept: 'application/json', 'user-agent': 'CauNoi/1 (mailbox address search)' } },
      { ...outboundOptions(config), timeoutMs: 6000 },
    );
  } catch (err) {
    throw new GeocoderUnavailable(String(err));
  }
  if (!res.ok) {
    await res.arrayBuffer().catch(() => undefined);
    throw new GeocoderUnavailable(`geocoder answered ${res.status}`);
  }
  try {
    return parsePlaces(await res.json());
  } catch {
    throw new GeocoderUnavailable('geocoder answered something that is not JSON');
  }
}
