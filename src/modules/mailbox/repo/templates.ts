/** SQL of response templates (migration 007). */
import type { Db } from '../../../db/client.js';

export interface TemplateRow {
  id: number;
  unit_id: number;
  unit_path: string;
  category_id: number | null;
  category_name: string | null;
  category_name_en: string | null;
  agency_id: number | null;
  agency_name: string | null;
  name: string;
  body: string;
  active: boolean;
  updated_at: Date;
}

const SELECT = `SELECT t.id, t.unit_id, u.path::text AS unit_path, t.category_id, c.name AS category_name, c.name_en AS category_name_en,
    t.agency_id, a.name AS agency_name, t.name, t.body, t.active, t.updated_at
  FROM mailbox_templates t JOIN units u ON u.id = t.unit_id
  LEFT JOIN mailbox_categories c ON c.id = t.category_id LEFT JOIN agencies a ON a.id = t.agency_id`;

/** Templates kept in these unit subtrees (the reviewer's), active first. */
export const listInScope = (db: Db, paths: string[]) =>
  paths.length
    ? db.query<TemplateRow>(
        `${SELECT} WHERE u.path <@ ANY($1::ltree[]) ORDER BY t.active DESC, c.name NULLS FIRST, t.name, t.id`,
        [paths],
      )
    : Promise.resolve([]);

export const findTemplate = (db: Db, id: number) => db.one<TemplateRow>(`${SELECT} WHERE t.id = $1`, [id]);

/** Active templates that fit a report: its category or any, its agency or any, kept by a unit above or at the report's. */
export const forReport = (db: Db, r: { category_id: number; agency_id: number | null; unit_path: string }) =>
  db.query<TemplateRow>(
    `${SELECT} WHERE t.active AND (t.category_id IS NULL OR t.category_id = $1) AND (t.agency_id IS NULL OR t.agency_id = $2) AND $3::ltree <@ u.path
     ORDER BY (t.category_id IS NOT NULL) DESC, (t.agency_id IS NOT NULL) DESC, t.name, t.id`,
    [r.category_id, r.agency_id, r.unit_path],
  );

export interface TemplateWrite {
  unitId: number;
  categoryId: number | null;
  agencyId: number | null;
  name: string;
  body: string;
  active: boolean;
}

export async function insertTemplate(db: Db, t: TemplateWrite, by: number): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO mailbox_templates (unit_id, category_id, agency_id, name, body, active, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [t.unitId, t.categoryId, t.agencyId, t.name, t.body, t.active, by],
  ))!.id;
}

export async function updateTemplate(db: Db, id: number, t: TemplateWrite): Promise<void> {
  await db.query(
    `UPDATE mailbox_templates SET unit_id = $2, category_id = $3, agency_id = $4, name = $5, body = $6, active = $7, updated_at = now() WHERE id = $1`,
    [id, t.unitId, t.categoryId, t.agencyId, t.name, t.body, t.active],
  );
}

export const agencyUnit = (db: Db, agencyId: number) =>
  db.one<{ id: number; unit_id: number; path: string; name: string }>(
    `SELECT a.id, a.unit_id, u.path::text AS path, a.name FROM agencies a JOIN units u ON u.id = a.unit_id WHERE a.id = $1 AND a.retired_at IS NULL`,
    [agencyId],
  );

export const unitByPath = (db: Db, path: string) =>
  db.one<{ id: number; path: string }>(`SELECT id, path::text AS path FROM units WHERE path = $1::ltree`, [path]);
