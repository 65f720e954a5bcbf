/** SQL of the mailbox's set-up pages and commands: agencies, categories, routing rules, holidays. */
import type { Db } from '../../../db/client.js';
import type { Category } from '../repo.js';

export interface AgencyRow {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  emails: string[];
  unit_id: number;
  unit_code: string;
  unit_name: string;
  unit_path: string;
  active: boolean;
}

const AGENCY = `SELECT a.id, a.code, a.name, a.name_en, a.emails, a.unit_id, u.code AS unit_code, u.full_name AS unit_name, u.path::text AS unit_path,
  (a.retired_at IS NULL) AS active FROM agencies a JOIN units u ON u.id = a.unit_id`;

export const listAgencies = (db: Db) =>
  db.query<AgencyRow>(`${AGENCY} ORDER BY a.retired_at IS NOT NULL, u.depth, a.name`);
export const agencyById = (db: Db, id: number) => db.one<AgencyRow>(`${AGENCY} WHERE a.id = $1`, [id]);
export const agencyByCode = (db: Db, code: string) => db.one<AgencyRow>(`${AGENCY} WHERE a.code = $1`, [code]);

export interface AgencyInput {
  code: string;
  name: string;
  nameEn: string | null;
  unitId: number;
  emails: string[];
  active: boolean;
}

export async function saveAgency(db: Db, id: number | null, a: AgencyInput): Promise<number> {
  const params = [a.unitId, a.code, a.name, a.nameEn, a.emails[0] ?? null, a.emails, a.active];
  if (id) {
    await db.query(
      `UPDATE agencies SET unit_id = $1, code = $2, name = $3, name_en = $4, email = $5, emails = $6,
         retired_at = CASE WHEN $7 THEN NULL ELSE coalesce(retired_at, now()) END WHERE id = $8`,
      [...params, id],
    );
    return id;
  }
  const row = await db.one<{ id: number }>(
    `INSERT INTO agencies (unit_id, code, name, name_en, email, emails, retired_at) VALUES ($1,$2,$3,$4,$5,$6, CASE WHEN $7 THEN NULL ELSE now() END) RETURNING id`,
    params,
  );
  return row!.id;
}

export const categoryById = (db: Db, id: number) =>
  db.one<Category>(`SELECT * FROM mailbox_categories WHERE id = $1`, [id]);
export const listAllCategories = (db: Db) =>
  db.query<Category>(`SELECT * FROM mailbox_categories ORDER BY NOT active, sort, name`);

export interface CategoryInput {
  code: string;
  name: string;
  nameEn: string;
  handlingDays: number;
  questions: { vi: string; en: string }[];
  active: boolean;
  /** undefined: unchanged */
  notPublicDefault?: boolean;
}

export async function saveCategory(db: Db, id: number | null, c: CategoryInput): Promise<number> {
  const params = [c.code, c.name, c.nameEn, c.handlingDays, JSON.stringify(c.questions), c.active];
  if (id) {
    await db.query(
      `UPDATE mailbox_categories SET code = $1, name = $2, name_en = $3, handling_days = $4, questions = $5::jsonb, active = $6, not_public_default = COALESCE($8, not_public_default) WHERE id = $7`,
      [...params, id, c.notPublicDefault ?? null],
    );
    return id;
  }
  const row = await db.one<{ id: number }>(
    `INSERT INTO mailbox_categories (code, name, name_en, handling_days, questions, active, sort, not_public_default)
     VALUES ($1,$2,$3,$4,$5::jsonb,$6, (SELECT coalesce(max(sort), 0) + 1 FROM mailbox_categories), COALESCE($7, false)) RETURNING id`,
    [...params, c.notPublicDefault ?? null],
  );
  return row!.id;
}

export interface RuleRow {
  id: number;
  category_id: number | null;
  category_name: string | null;
  category_name_en: string | null;
  unit_id: number;
  unit_name: string;
  unit_path: string;
  agency_id: number;
  agency_name: string;
  agency_code: string;
}

const RULE = `SELECT r.id, r.category_id, c.name AS category_name, c.name_en AS category_name_en, r.unit_id, u.full_name AS unit_name, u.path::text AS unit_path,
  r.agency_id, a.name AS agency_name, a.code AS agency_code
  FROM mailbox_routing_rules r JOIN units u ON u.id = r.unit_id JOIN agencies a ON a.id = r.agency_id LEFT JOIN mailbox_categories c ON c.id = r.category_id`;

export const listRules = (db: Db) => db.query<RuleRow>(`${RULE} ORDER BY u.depth, u.full_name, c.sort NULLS FIRST`);
export const ruleById = (db: Db, id: number) => db.one<RuleRow>(`${RULE} WHERE r.id = $1`, [id]);
export const ruleFor = (db: Db, categoryId: number | null, unitId: number) =>
  db.one<RuleRow>(`${RULE} WHERE coalesce(r.category_id, 0) = coalesce($1::int, 0) AND r.unit_id = $2`, [
    categoryId,
    unitId,
  ]);
export const deleteRule = (db: Db, id: number) => db.query(`DELETE FROM mailbox_routing_rules WHERE id = $1`, [id]);

export const holidaysOfYear = (db: Db, year: number) =>
  db.query<{ day: string; name: string }>(
    `SELECT day::text AS day, name FROM mailbox_holidays WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`,
    [year],
  );
export const holiday = (db: Db, day: string) =>
  db.one<{ day: string; name: string }>(`SELECT day::text AS day, name FROM mailbox_holidays WHERE day = $1::date`, [
    day,
  ]);
export const deleteHoliday = (db: Db, day: string) =>
  db.query(`DELETE FROM mailbox_holidays WHERE day = $1::date`, [day]);
/** Adds the days not already listed (a day staff renamed or moved stays as they left it). */
export const insertHolidays = (db: Db, days: { day: string; name: string }[]) =>
  db.query<{ day: string }>(
    `INSERT INTO mailbox_holidays (day, name) SELECT d::date, n FROM unnest($1::text[], $2::text[]) AS t(d, n) ON CONFLICT (day) DO NOTHING RETURNING day::text AS day`,
    [days.map((d) => d.day), days.map((d) => d.name)],
  );
