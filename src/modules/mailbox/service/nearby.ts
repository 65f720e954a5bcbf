/**
 * "Is this already reported?" — before filing, the resident sees open public reports near the pin (or, without a
 * pin, in the chosen ward) of the same category, and may follow one instead of filing a duplicate.
 */
import type { Db } from '../../../db/client.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { nearbyOpen, openInUnit, type PlaceRow } from '../repo/nearby.js';

export const NEARBY_RADIUS_M = 300;
export const NEARBY_LIMIT = 5;

export interface NearbyItem {
  code: string;
  title: string;
  status: string;
  category: string;
  unit: string;
  distance_m: number | null;
  url: string;
}

export const nearbyItem = (locale: Locale, r: PlaceRow): NearbyItem => ({
  code: r.code,
  title: r.title,
  status: r.status,
  category: locale === 'en' ? r.category_name_en : r.category_name,
  unit: locale === 'en' ? (r.unit_name_en ?? r.unit_full_name) : r.unit_full_name,
  distance_m: r.distance_m == null ? null : Math.round(Number(r.distance_m)),
  url: `/mailbox/r/${r.code}`,
});

const coord = (v: string | undefined, max: number): number | null => {
  if (v === undefined || !/^\s*-?\d{1,3}(\.\d{1,12})?\s*$/.test(v)) return null;
  const n = Number(v);
  return Math.abs(n) <= max ? n : null;
};
const id = (v: string | undefined): number | undefined => (v && /^\d{1,9}$/.test(v) ? Number(v) : undefined);

/** Parses `lat`, `lon`, `category`; null when the point is missing or not a place on Earth. */
export function parseNearbyQuery(
  q: Record<string, string | undefined>,
): { lat: number; lon: number; categoryId?: number } | null {
  const lat = coord(q.lat, 90);
  const lon = coord(q.lon, 180);
  if (lat === null || lon === null) return null;
  return { lat, lon, categoryId: id(q.category) };
}

export async function nearbyReports(
  db: Db,
  locale: Locale,
  q: { lat: number; lon: number; categoryId?: number },
): Promise<NearbyItem[]> {
  return (await nearbyOpen(db, { ...q, radiusM: NEARBY_RADIUS_M, limit: NEARBY_LIMIT })).map((r) =>
    nearbyItem(locale, r),
  );
}

/**
 * The hint on the form as the server renders it (JavaScript off, or the form coming back): near the pin when the
 * form carries one, else in the chosen ward; nothing before a ward or a pin is chosen.
 */
export async function nearbyForForm(
  db: Db,
  locale: Locale,
  values: Record<string, string | undefined>,
): Promise<{ items: NearbyItem[]; byUnit: boolean } | null> {
  const categoryId = id(values.category);
  const point = parseNearbyQuery({ lat: values.lat, lon: values.lon, category: values.category });
  if (point) return { items: await nearbyReports(db, locale, point), byUnit: false };
  const unitId = id(values.unit);
  if (!unitId) return null;
  return {
    items: (await openInUnit(db, { unitId, categoryId, limit: NEARBY_LIMIT })).map((r) => nearbyItem(locale, r)),
    byUnit: true,
  };
}
