import type { Db } from '../../db/client.js';
import { installationRoot } from './picker.js';

export interface Unit {
  id: number;
  code: string;
  name: string;
  full_name: string;
  name_en: string | null;
  type: string;
  parent_id: number | null;
  path: string;
  depth: number;
  retired_at: Date | null;
}

const COLS = `id, code, name, full_name, name_en, type, parent_id, path::text AS path, depth, retired_at`;

export const findUnitById = (db: Db, id: number) => db.one<Unit>(`SELECT ${COLS} FROM units WHERE id = $1`, [id]);
export const findUnitByCode = (db: Db, code: string) =>
  db.one<Unit>(`SELECT ${COLS} FROM units WHERE code = $1`, [code]);

/** Inserts or updates a unit by code; its path follows its parent's. Returns the unit id. */
export async function upsertUnit(
  db: Db,
  u: { code: string; name: string; fullName: string; nameEn?: string | null; type: string; parentId: number | null },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `WITH parent AS (SELECT path, depth FROM units WHERE id = $6)
     INSERT INTO units (code, name, full_name, name_en, type, parent_id, path, depth)
     VALUES ($1, $2, $3, $4, $5, $6, '0', COALESCE((SELECT depth FROM parent), -1) + 1)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, full_name = EXCLUDED.full_name, name_en = EXCLUDED.name_en,
       type = EXCLUDED.type, parent_id = EXCLUDED.parent_id, depth = EXCLUDED.depth, retired_at = NULL, updated_at = now()
     RETURNING id`,
    [u.code, u.name, u.fullName, u.nameEn ?? null, u.type, u.parentId],
  );
  const id = row!.id;
  await db.query(
    `UPDATE units SET path = COALESCE((SELECT p.path FROM units p WHERE p.id = units.parent_id), ''::ltree) || text2ltree($1::text) WHERE id = $2`,
    [String(id), id],
  );
  return id;
}

/** Units whose name matches, with or without diacritics. */
export async function searchUnits(db: Db, q: string, limit = 20, withinPath?: string): Promise<Unit[]> {
  return db.query<Unit>(
    `SELECT ${COLS} FROM units
     WHERE retired_at IS NULL AND ($3::ltree IS NULL OR path <@ $3::ltree)
       AND (vn_fold(full_name) LIKE '%' || vn_fold($1) || '%' OR vn_fold(full_name) % vn_fold($1))
     ORDER BY (vn_fold(full_name) LIKE '%' || vn_fold($1) || '%') DESC, similarity(vn_fold(full_name), vn_fold($1)) DESC, depth, full_name
     LIMIT $2`,
    [q, limit, withinPath ?? null],
  );
}

export const listChildren = (db: Db, parentId: number) =>
  db.query<Unit>(`SELECT ${COLS} FROM units WHERE parent_id = $1 AND retired_at IS NULL ORDER BY full_name`, [
    parentId,
  ]);

/** Active units in the subtree at `path` (itself included). */
export const listSubtree = (db: Db, path: string) =>
  db.query<Unit>(`SELECT ${COLS} FROM units WHERE path <@ $1::ltree AND retired_at IS NULL ORDER BY depth, full_name`, [
    path,
  ]);

/** The installation's top unit (the `units.root` setting, else the first top-level unit); what installation-wide settings belong to. */
export const rootUnitPath = async (db: Db): Promise<string | null> => (await installationRoot(db))?.path ?? null;

export interface Agency {
  id: number;
  unit_id: number;
  code: string;
  name: string;
  name_en: string | null;
  email: string | null;
}

export async function upsertAgency(
  db: Db,
  a: { unitId: number; code: string; name: string; nameEn?: string | null; email?: string | null },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO agencies (unit_id, code, name, name_en, email) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (code) DO UPDATE SET unit_id = EXCLUDED.unit_id, name = EXCLUDED.name, name_en = EXCLUDED.name_en, email = EXCLUDED.email, retired_at = NULL
     RETURNING id`,
    [a.unitId, a.code, a.name, a.nameEn ?? null, a.email ?? null],
  );
  return row!.id;
}

export const listAgencies = (db: Db, withinPath?: string) =>
  db.query<Agency & { unit_path: string }>(
    `SELECT a.id, a.unit_id, a.code, a.name, a.name_en, a.email, u.path::text AS unit_path FROM agencies a JOIN units u ON u.id = a.unit_id
     WHERE a.retired_at IS NULL AND ($1::ltree IS NULL OR u.path <@ $1::ltree) ORDER BY a.name`,
    [withinPath ?? null],
  );
