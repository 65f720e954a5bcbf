/** SQL of the nearby-reports hint and the report maps: public columns only, never contact details. */
import type { Db } from '../../../db/client.js';
import { PUBLIC_STATUSES } from '../service/rules.js';

/** Public and still being handled: what a resident may follow instead of filing the same thing again. */
export const FOLLOWABLE = PUBLIC_STATUSES.filter((s) => s !== 'answered' && s !== 'closed');

export interface PlaceRow {
  code: string;
  title: string;
  status: string;
  category_name: string;
  category_name_en: string;
  unit_full_name: string;
  unit_name_en: string | null;
  received_at: Date;
  lat: number | null;
  lon: number | null;
  distance_m?: number;
}

const SELECT = `SELECT r.code, r.title, r.status, c.name AS category_name, c.name_en AS category_name_en, u.full_name AS unit_full_name, u.name_en AS unit_name_en,
  r.received_at, r.lat, r.lon`;
const FROM = `FROM mailbox_reports r JOIN mailbox_categories c ON c.id = r.category_id JOIN units u ON u.id = r.unit_id`;

/**
 * Open public reports within `radiusM` metres of a point (equirectangular distance: exact enough at a few hundred
 * metres, and the same on PGlite and PostgreSQL without PostGIS), nearest first; a bounding box narrows the rows first.
 */
export function nearbyOpen(
  db: Db,
  q: { lat: number; lon: number; radiusM: number; categoryId?: number; limit: number },
): Promise<PlaceRow[]> {
  const dLat = q.radiusM / 111_320;
  const dLon = q.radiusM / (111_320 * Math.max(0.01, Math.cos((q.lat * Math.PI) / 180)));
  const params: unknown[] = [q.lat, q.lon, FOLLOWABLE, dLat, dLon, q.radiusM, q.limit];
  const dist = `6371000 * sqrt(power(radians(r.lat - $1), 2) + power(radians(r.lon - $2) * cos(radians($1)), 2))`;
  let cat = '';
  if (q.categoryId) {
    params.push(q.categoryId);
    cat = ` AND r.category_id = $${params.length}`;
  }
  return db.query<PlaceRow>(
    `SELECT * FROM (${SELECT}, ${dist} AS distance_m ${FROM}
       WHERE r.status = ANY($3::text[]) AND r.lat BETWEEN $1 - $4 AND $1 + $4 AND r.lon BETWEEN $2 - $5 AND $2 + $5${cat}) x
     WHERE x.distance_m <= $6 ORDER BY x.distance_m, x.code LIMIT $7`,
    params,
  );
}

/** Open public reports of a ward (and category): the hint without a pin (JavaScript off). */
export function openInUnit(db: Db, q: { unitId: number; categoryId?: number; limit: number }): Promise<PlaceRow[]> {
  const params: unknown[] = [q.unitId, FOLLOWABLE, q.limit];
  let cat = '';
  if (q.categoryId) {
    params.push(q.categoryId);
    cat = ` AND r.category_id = $${params.length}`;
  }
  return db.query<PlaceRow>(
    `${SELECT} ${FROM} JOIN units w ON w.id = $1 WHERE r.status = ANY($2::text[]) AND u.path <@ w.path${cat} ORDER BY r.received_at DESC, r.code LIMIT $3`,
    params,
  );
}

/** Public reports with a pinned place, newest first (the public map). */
export function publicPlaces(db: Db, q: { categoryId?: number; open?: boolean; limit: number }): Promise<PlaceRow[]> {
  const params: unknown[] = [q.open ? FOLLOWABLE : PUBLIC_STATUSES, q.limit];
  let cat = '';
  if (q.categoryId) {
    params.push(q.categoryId);
    cat = ` AND r.category_id = $${params.length}`;
  }
  return db.query<PlaceRow>(
    `${SELECT} ${FROM} WHERE r.status = ANY($1::text[]) AND r.lat IS NOT NULL AND r.lon IS NOT NULL${cat} ORDER BY r.received_at DESC, r.code LIMIT $2`,
    params,
  );
}
