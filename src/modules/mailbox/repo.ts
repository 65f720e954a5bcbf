/** The mailbox's SQL, and only SQL. */
import type { Db } from '../../db/client.js';
import { type AppState, slot } from '../../platform/app-state.js';
import { installationRoot } from '../../platform/units/picker.js';
import { scopeIsEmpty, type InboxScope } from './service/access.js';
import { OPEN_STATUSES, PUBLIC_STATUSES, type RouteRule, type Status } from './service/rules.js';

export interface Category {
  id: number;
  code: string;
  name: string;
  name_en: string;
  description: string;
  description_en: string;
  handling_days: number;
  active: boolean;
  sort: number;
  /** questions the resident is asked to answer (migration 006) */
  questions?: { vi: string; en: string }[];
  /** its reports start "not for publication" (migration 007) */
  not_public_default?: boolean;
}

export interface ReportRow {
  id: number;
  code: string;
  token_hash: string;
  api_token: string;
  category_id: number;
  category_code: string;
  category_name: string;
  category_name_en: string;
  unit_id: number;
  unit_code: string;
  unit_name: string;
  unit_full_name: string;
  unit_name_en: string | null;
  unit_path: string;
  unit_parent_id: number | null;
  agency_id: number | null;
  agency_name: string | null;
  agency_name_en: string | null;
  assignee_id: number | null;
  title: string;
  description: string;
  address: string | null;
  lat: number | null;
  lon: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  show_name: boolean;
  locale: string;
  source: string;
  status: Status;
  reject_reason: string | null;
  duplicate_of: number | null;
  duplicate_code: string | null;
  answer_draft: string | null;
  answer_draft_by: number | null;
  answer_draft_at: Date | null;
  answer: string | null;
  answered_at: Date | null;
  first_answered_at: Date | null;
  closed_at: Date | null;
  deadline_at: Date | null;
  answered_on_time: boolean | null;
  reopened_count: number;
  rating: number | null;
  rating_comment: string | null;
  rated_at: Date | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
  escalated_unit_id: number | null;
  erased_at: Date | null;
  received_at: Date;
  updated_at: Date;
  /** the category's handling time in working days */
  category_days?: number;
  /** kept out of every public output (migration 007) */
  not_public?: boolean;
  /** how the report ended (migration 007): fixed, not_fixed, not_ours, duplicate */
  outcome?: 'fixed' | 'not_fixed' | 'not_ours' | 'duplicate' | null;
  /** the reason, whom it was passed to, or the original's code */
  outcome_note?: string | null;
  outcome_at?: Date | null;
}

const REPORT_SELECT = `
  SELECT r.id, r.code, r.token_hash, r.api_token, r.category_id, c.code AS category_code, c.name AS category_name, c.name_en AS category_name_en, c.handling_days AS category_days,
    r.unit_id, u.code AS unit_code, u.name AS unit_name, u.full_name AS unit_full_name, u.name_en AS unit_name_en, u.path::text AS unit_path, u.parent_id AS unit_parent_id,
    r.agency_id, a.name AS agency_name, a.name_en AS agency_name_en, r.assignee_id, r.title, r.description, r.address, r.lat, r.lon,
    r.contact_name, r.contact_phone, r.contact_email, r.show_name, r.locale, r.source, r.status, r.reject_reason, r.duplicate_of, (SELECT d.code FROM mailbox_reports d WHERE d.id = r.duplicate_of) AS duplicate_code,
    r.answer_draft, r.answer_draft_by, r.answer_draft_at, r.answer, r.answered_at, r.first_answered_at, r.closed_at, r.deadline_at, r.answered_on_time,
    r.reopened_count, r.rating, r.rating_comment, r.rated_at, r.reminded_at, r.escalated_at, r.escalated_unit_id, r.erased_at, r.received_at, r.updated_at,
    r.not_public, r.outcome, r.outcome_note, r.outcome_at
  FROM mailbox_reports r
  JOIN mailbox_categories c ON c.id = r.category_id
  JOIN units u ON u.id = r.unit_id
  LEFT JOIN agencies a ON a.id = r.agency_id`;

// ---------- configuration ----------

export const listCategories = (db: Db, activeOnly = true) =>
  db.query<Category>(`SELECT * FROM mailbox_categories WHERE ($1::boolean = false OR active) ORDER BY sort, name`, [
    activeOnly,
  ]);

/**
 * The category and the unit of a new report, in one round trip. The unit is a ward or commune inside the
 * installation's root unit, or with `orRoot` the root itself (Open311's "the whole jurisdiction"); any other is not found.
 */
export async function categoryAndUnit(
  db: Db,
  categoryId: number,
  unitId: number,
  orRoot = false,
): Promise<{ category: Category | null; unit: { id: number; path: string } | null }> {
  const root = await installationRoot(db);
  const row = await db.one<{ category: Category | null; unit: { id: number; path: string } | null }>(
    `SELECT (SELECT row_to_json(c) FROM mailbox_categories c WHERE c.id = $1) AS category,
            (SELECT json_build_object('id', u.id, 'path', u.path::text) FROM units u
             WHERE u.id = $2 AND $3::text IS NOT NULL AND u.path <@ $3::ltree AND (u.id = $4 OR ${LEAF})) AS unit`,
    [categoryId, unitId, root?.path ?? null, orRoot ? (root?.id ?? 0) : 0],
  );
  return { category: row?.category ?? null, unit: row?.unit ?? null };
}

export const findCategory = (db: Db, id: number) =>
  db.one<Category>(`SELECT * FROM mailbox_categories WHERE id = $1`, [id]);
export const findCategoryByCode = (db: Db, code: string) =>
  db.one<Category>(`SELECT * FROM mailbox_categories WHERE code = $1`, [code]);

export async function upsertCategory(
  db: Db,
  c: {
    code: string;
    name: string;
    nameEn: string;
    description?: string;
    descriptionEn?: string;
    handlingDays: number;
    sort?: number;
  },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO mailbox_categories (code, name, name_en, description, description_en, handling_days, sort) VALUES ($1,$2,$3,$4,$5,$6,$7)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, description = EXCLUDED.description,
       description_en = EXCLUDED.description_en, handling_days = EXCLUDED.handling_days, sort = EXCLUDED.sort, active = true
     RETURNING id`,
    [c.code, c.name, c.nameEn, c.description ?? '', c.descriptionEn ?? '', c.handlingDays, c.sort ?? 0],
  );
  return row!.id;
}

export async function upsertRoutingRule(
  db: Db,
  r: { categoryId: number | null; unitId: number; agencyId: number },
): Promise<void> {
  await db.query(
    `INSERT INTO mailbox_routing_rules (category_id, unit_id, agency_id) VALUES ($1,$2,$3)
     ON CONFLICT (COALESCE(category_id, 0), unit_id) DO UPDATE SET agency_id = EXCLUDED.agency_id`,
    [r.categoryId, r.unitId, r.agencyId],
  );
}

export async function listRoutingRules(db: Db): Promise<RouteRule[]> {
  const rows = await db.query<{ category_id: number | null; path: string; agency_id: number }>(
    `SELECT r.category_id, u.path::text AS path, r.agency_id FROM mailbox_routing_rules r JOIN units u ON u.id = r.unit_id
     JOIN agencies a ON a.id = r.agency_id WHERE a.retired_at IS NULL`,
  );
  return rows.map((r) => ({ categoryId: r.category_id, unitPath: r.path, agencyId: r.agency_id }));
}

export async function listHolidays(db: Db): Promise<string[]> {
  return (await db.query<{ day: string }>(`SELECT day::text AS day FROM mailbox_holidays ORDER BY day`)).map(
    (r) => r.day,
  );
}

export async function addHoliday(db: Db, day: string, name: string): Promise<void> {
  await db.query(
    `INSERT INTO mailbox_holidays (day, name) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET name = EXCLUDED.name`,
    [day, name],
  );
}

export async function getSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const row = await db.one<{ value: T }>(`SELECT value FROM settings WHERE key = $1`, [key]);
  return row ? row.value : fallback;
}

export async function setSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}

type PickerLists = {
  at: number;
  version: number;
  categories: Category[];
  units: Awaited<ReturnType<typeof listLeafUnits>>;
};
/** The app's copy, and its version: bumped by a change made through this app, which then reads the lists again. */
const PICKER_LISTS = slot('mailbox.pickerLists', () => ({ value: null as PickerLists | null, version: 0 }));

/** Categories and wards for pickers and filters, read at most every 30 s per app (in deps.state). */
export async function pickerLists(deps: { db: Db; state: AppState }): Promise<PickerLists> {
  const cache = deps.state.get(PICKER_LISTS);
  const hit = cache.value;
  if (hit && hit.version === cache.version && Date.now() - hit.at < 30_000) return hit;
  const version = cache.version;
  const [categories, units] = await Promise.all([listCategories(deps.db), listLeafUnits(deps.db)]);
  cache.value = { at: Date.now(), version, categories, units };
  return cache.value;
}

/** After a change to categories or units through this app: it reads them again at once (another app within 30 s). */
export function forgetPickerLists(state: AppState): void {
  state.get(PICKER_LISTS).version++;
}

/** A ward or commune of the installation, as lists and filters name it. */
export interface LeafUnit {
  id: number;
  code: string;
  name: string;
  full_name: string;
  name_en: string | null;
  path: string;
}

const UNIT_COLS = `u.id, u.code, u.name, u.full_name, u.name_en, u.path::text AS path`;
const LEAF = `u.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM units c WHERE c.parent_id = u.id AND c.retired_at IS NULL)`;

/**
 * Units a report may be filed for: the active units with no active children (wards and communes) inside the
 * installation's root unit (a national import puts the whole country in the table; an office serves only its part).
 */
export async function listLeafUnits(db: Db): Promise<LeafUnit[]> {
  const root = await installationRoot(db);
  if (!root) return [];
  return db.query<LeafUnit>(
    `SELECT ${UNIT_COLS} FROM units u
     WHERE ${LEAF} AND u.path <@ $1::ltree
     ORDER BY vn_fold(u.name)`,
    [root.path],
  );
}

/**
 * One ward or commune a form or a filter may name: live, without live children, inside the installation's root unit
 * and, when `within` is given (a person's reach), inside one of those subtrees. Anything else: undefined.
 */
export async function leafUnitInRoot(db: Db, id: number, within?: string[]): Promise<LeafUnit | undefined> {
  const root = await installationRoot(db);
  if (!root) return undefined;
  return db.one<LeafUnit>(
    `SELECT ${UNIT_COLS} FROM units u
     WHERE u.id = $1 AND ${LEAF} AND u.path <@ $2::ltree
       AND ($3::text[] IS NULL OR u.path <@ ANY($3::ltree[]))`,
    [id, root.path, within ?? null],
  );
}

/** A live unit with its parent, found by id or by code. */
type Unit = LeafUnit & { parent_id: number | null };

export const findUnit = (db: Db, id: number) =>
  db.one<Unit>(`SELECT ${UNIT_COLS}, u.parent_id FROM units u WHERE u.id = $1 AND u.retired_at IS NULL`, [id]);

export const findUnitByCode = (db: Db, code: string) =>
  db.one<Unit>(`SELECT ${UNIT_COLS}, u.parent_id FROM units u WHERE u.code = $1 AND u.retired_at IS NULL`, [code]);

/** The installation's root unit (the `units.root` setting, else the first top-level unit): the jurisdiction. */
export async function rootUnit(
  db: Db,
): Promise<{ id: number; code: string; full_name: string; path: string } | undefined> {
  const root = await installationRoot(db);
  if (!root) return undefined;
  return db.one(`SELECT id, code, full_name, path::text AS path FROM units WHERE id = $1`, [root.id]);
}

export const findAgency = (db: Db, id: number) =>
  db.one<{ id: number; name: string; name_en: string | null; email: string | null; unit_path: string }>(
    `SELECT a.id, a.name, a.name_en, a.email, u.path::text AS unit_path FROM agencies a JOIN units u ON u.id = a.unit_id WHERE a.id = $1 AND a.retired_at IS NULL`,
    [id],
  );

// ---------- reports ----------

/** The next number of the year's counter (row-locked, so codes never repeat). */
export async function nextNumber(db: Db, year: number): Promise<number> {
  const row = await db.one<{ n: number }>(
    `INSERT INTO mailbox_counters (year, n) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET n = mailbox_counters.n + 1 RETURNING n`,
    [year],
  );
  return row!.n;
}

export interface InsertReport {
  code: string;
  tokenHash: string;
  apiToken: string;
  categoryId: number;
  unitId: number;
  agencyId: number | null;
  title: string;
  description: string;
  address: string | null;
  lat: number | null;
  lon: number | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  showName: boolean;
  locale: string;
  source: string;
  deadlineAt: Date;
  receivedAt?: Date;
}

/** The columns token_hash … deadline_at of a new report, in the order both inserts name them. */
const reportValues = (r: Omit<InsertReport, 'code'>) => [
  r.tokenHash,
  r.apiToken,
  r.categoryId,
  r.unitId,
  r.agencyId,
  r.title,
  r.description,
  r.address,
  r.lat,
  r.lon,
  r.contactName,
  r.contactPhone,
  r.contactEmail,
  r.showName,
  r.locale,
  r.source,
  r.deadlineAt,
];

/**
 * Takes the next number, inserts the report with its tracking code (PA-YYYY-NNNNNN) and its
 * first timeline entry, in one statement.
 */
export async function insertNumberedReport(
  db: Db,
  year: number,
  r: Omit<InsertReport, 'code'>,
): Promise<{ id: number; code: string }> {
  const row = await db.one<{ id: number; code: string }>(
    `WITH n AS (SELECT nextval('mailbox_code_seq') AS n), r AS (
       INSERT INTO mailbox_reports (code, token_hash, api_token, category_id, unit_id, agency_id, title, description, address, lat, lon,
         contact_name, contact_phone, contact_email, show_name, locale, source, deadline_at, received_at)
       SELECT 'PA-' || $20::int || '-' || lpad(n.n::text, 6, '0'), $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17, COALESCE($18, now()) FROM n
       RETURNING id, code, received_at
     ), e AS (
       INSERT INTO mailbox_events (report_id, kind, visibility, actor_label, at) SELECT id, 'received', 'public', $19, received_at FROM r
     )
     SELECT id, code FROM r`,
    [...reportValues(r), r.receivedAt ?? null, 'resident', year],
  );
  return row!;
}

export async function insertReport(db: Db, r: InsertReport): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO mailbox_reports (code, token_hash, api_token, category_id, unit_id, agency_id, title, description, address, lat, lon,
       contact_name, contact_phone, contact_email, show_name, locale, source, deadline_at, received_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18, COALESCE($19, now())) RETURNING id`,
    [r.code, ...reportValues(r), r.receivedAt ?? null],
  );
  return row!.id;
}

export interface EventRow {
  id: number;
  report_id: number;
  at: Date;
  kind: string;
  visibility: 'public' | 'resident' | 'internal';
  actor_id: number | null;
  actor_label: string;
  body: string | null;
  data: Record<string, string | number | null>;
}

export async function insertEvent(
  db: Db,
  e: {
    reportId: number;
    kind: string;
    visibility: EventRow['visibility'];
    actorId?: number | null;
    actorLabel: string;
    body?: string | null;
    data?: Record<string, unknown>;
    at?: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO mailbox_events (report_id, kind, visibility, actor_id, actor_label, body, data, at) VALUES ($1,$2,$3,$4,$5,$6,$7, COALESCE($8, now()))`,
    [
      e.reportId,
      e.kind,
      e.visibility,
      e.actorId ?? null,
      e.actorLabel,
      e.body ?? null,
      JSON.stringify(e.data ?? {}),
      e.at ?? null,
    ],
  );
}

export const listEvents = (db: Db, reportId: number, visibilities: EventRow['visibility'][]) =>
  db.query<EventRow>(
    `SELECT * FROM mailbox_events WHERE report_id = $1 AND visibility = ANY($2::text[]) ORDER BY at, id`,
    [reportId, visibilities],
  );

/** Marks stored files as the mailbox's own uploads (so they may be attached and previewed); already clean unless said otherwise. */
export async function recordUploads(db: Db, fileIds: string[], state: PhotoState = 'ready'): Promise<void> {
  if (fileIds.length)
    await db.query(
      `INSERT INTO mailbox_uploads (file_id, state) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING`,
      [fileIds, state],
    );
}

export type PhotoState = 'pending' | 'ready' | 'failed';

/** An upload with its file row, for the cleaning job (locked when asked). */
export const uploadForCleaning = (db: Db, fileId: string, lock = false) =>
  db.one<{ file_id: string; state: PhotoState; storage_key: string }>(
    `SELECT m.file_id, m.state, f.storage_key FROM mailbox_uploads m JOIN files f ON f.id = m.file_id WHERE m.file_id = $1${lock ? ' FOR UPDATE OF m' : ''}`,
    [fileId],
  );

/** The cleaned image replaces the original in the files row; the upload becomes ready. */
export async function markPhotoReady(
  db: Db,
  fileId: string,
  f: { storageKey: string; size: number; width: number; height: number; sha256: string },
): Promise<void> {
  await db.query(
    `UPDATE files SET storage_key = $2, mime = 'image/jpeg', size = $3, width = $4, height = $5, sha256 = $6 WHERE id = $1`,
    [fileId, f.storageKey, f.size, f.width, f.height, f.sha256],
  );
  await db.query(`UPDATE mailbox_uploads SET state = 'ready' WHERE file_id = $1`, [fileId]);
}

/**
 * The image could not be decoded: its bytes are gone (the row points at an empty file, so backups
 * find what the row says), the upload says failed and stays attached, so staff see a note of it.
 */
export async function markPhotoFailed(db: Db, fileId: string, emptyKey: string, emptySha256: string): Promise<void> {
  await db.query(
    `UPDATE files SET storage_key = $2, size = 0, width = NULL, height = NULL, sha256 = $3, original_name = NULL WHERE id = $1`,
    [fileId, emptyKey, emptySha256],
  );
  await db.query(`UPDATE mailbox_uploads SET state = 'failed' WHERE file_id = $1`, [fileId]);
}

/** Uploads older than `before` that no report holds. */
export const orphanUploads = (db: Db, before: Date) =>
  db.query<{ file_id: string }>(
    `SELECT m.file_id FROM mailbox_uploads m WHERE m.created_at < $1 AND NOT EXISTS (SELECT 1 FROM mailbox_photos p WHERE p.file_id = m.file_id)
     ORDER BY m.created_at LIMIT 1000`,
    [before],
  );

/** Deletes an unattached upload's files row (its mailbox_uploads row follows); its storage key, or null if it got attached. */
export async function deleteOrphanUpload(db: Db, fileId: string): Promise<string | null> {
  const row = await db.one<{ storage_key: string }>(
    `DELETE FROM files f USING mailbox_uploads m WHERE f.id = $1 AND m.file_id = f.id
       AND NOT EXISTS (SELECT 1 FROM mailbox_photos p WHERE p.file_id = f.id) RETURNING f.storage_key`,
    [fileId],
  );
  return row?.storage_key ?? null;
}

export const uploadStates = (db: Db, fileIds: string[]) =>
  fileIds.length
    ? db.query<{ file_id: string; state: PhotoState }>(
        `SELECT file_id, state FROM mailbox_uploads WHERE file_id = ANY($1::uuid[])`,
        [fileIds],
      )
    : Promise.resolve([]);

export async function attachPhotos(db: Db, reportId: number, fileIds: string[], addedBy: string): Promise<number> {
  if (fileIds.length === 0) return 0;
  const rows = await db.query(
    `INSERT INTO mailbox_photos (report_id, file_id, added_by)
     SELECT $1, f.id, $3 FROM files f JOIN mailbox_uploads m ON m.file_id = f.id WHERE f.id = ANY($2::uuid[]) AND f.mime LIKE 'image/%'
       AND NOT EXISTS (SELECT 1 FROM mailbox_photos p WHERE p.file_id = f.id)
     ON CONFLICT DO NOTHING RETURNING file_id`,
    [reportId, fileIds, addedBy],
  );
  return rows.length;
}

export const listPhotos = (db: Db, reportId: number) =>
  db.query<{ file_id: string; added_by: string; created_at: Date; state: PhotoState }>(
    `SELECT p.file_id, p.added_by, p.created_at, COALESCE(m.state, 'ready') AS state FROM mailbox_photos p LEFT JOIN mailbox_uploads m ON m.file_id = p.file_id
     WHERE p.report_id = $1 ORDER BY p.created_at, p.file_id`,
    [reportId],
  );

/** Where a stored file belongs: a report's photo (with the report's status and unit), or nothing yet. */
export const photoOwner = (db: Db, fileId: string) =>
  db.one<{
    report_id: number | null;
    status: Status | null;
    unit_path: string | null;
    agency_id: number | null;
    shared_agency_ids: number[] | null;
    created_at: Date;
    token_hash: string | null;
    state: PhotoState;
    not_public: boolean | null;
  }>(
    `SELECT p.report_id, r.status, r.not_public, u.path::text AS unit_path, r.agency_id, (SELECT array_agg(x.agency_id) FROM (SELECT s.agency_id FROM mailbox_report_shares s WHERE s.report_id = r.id
       UNION SELECT k.agency_id FROM mailbox_consultations k WHERE k.report_id = r.id AND k.answered_at IS NULL) x) AS shared_agency_ids,
       m.created_at, r.token_hash, m.state FROM mailbox_uploads m
     LEFT JOIN mailbox_photos p ON p.file_id = m.file_id LEFT JOIN mailbox_reports r ON r.id = p.report_id LEFT JOIN units u ON u.id = r.unit_id
     WHERE m.file_id = $1`,
    [fileId],
  );

/** Agencies a report is shared with; `withConsultations` adds those asked for an opinion still open (they may only look). */
export const sharedAgencyIds = async (db: Db, reportId: number, withConsultations = false) =>
  (
    await db.query<{ agency_id: number }>(
      `SELECT agency_id FROM mailbox_report_shares WHERE report_id = $1${withConsultations ? ' UNION SELECT agency_id FROM mailbox_consultations WHERE report_id = $1 AND answered_at IS NULL' : ''}`,
      [reportId],
    )
  ).map((x) => x.agency_id);

export const shareReport = (db: Db, reportId: number, agencyId: number, by: number) =>
  db.query(
    `INSERT INTO mailbox_report_shares (report_id, agency_id, shared_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [reportId, agencyId, by],
  );

export const reportById = (db: Db, id: number, lock = false) =>
  db.one<ReportRow>(`${REPORT_SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
export const reportByCode = (db: Db, code: string) => db.one<ReportRow>(`${REPORT_SELECT} WHERE r.code = $1`, [code]);
export const reportByTokenHash = (db: Db, hash: string) =>
  db.one<ReportRow>(`${REPORT_SELECT} WHERE r.token_hash = $1`, [hash]);
export const reportByApiToken = (db: Db, token: string) =>
  db.one<{ code: string }>(`SELECT code FROM mailbox_reports WHERE api_token = $1`, [token]);

const UPDATABLE = new Set([
  'category_id',
  'unit_id',
  'agency_id',
  'assignee_id',
  'status',
  'reject_reason',
  'duplicate_of',
  'answer_draft',
  'answer_draft_by',
  'answer_draft_at',
  'answer',
  'answered_by',
  'approved_by',
  'accepted_at',
  'assigned_at',
  'answered_at',
  'first_answered_at',
  'closed_at',
  'deadline_at',
  'answered_on_time',
  'reopened_count',
  'rating',
  'rating_comment',
  'rated_at',
  'reminded_at',
  'escalated_at',
  'escalated_unit_id',
  'erased_at',
  'contact_name',
  'contact_phone',
  'contact_email',
  'show_name',
]);

export async function updateReport(db: Db, id: number, fields: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(fields).filter((k) => fields[k] !== undefined);
  for (const k of keys) if (!UPDATABLE.has(k)) throw new Error(`not an updatable column: ${k}`);
  if (keys.length === 0) return;
  const sets = keys.map((k, i) => `${k} = $${i + 2}`).join(', ');
  await db.query(`UPDATE mailbox_reports SET ${sets}, updated_at = now() WHERE id = $1`, [
    id,
    ...keys.map((k) => fields[k]),
  ]);
}

export interface PublicFilter {
  q?: string;
  categoryId?: number;
  unitPath?: string;
  status?: 'answered' | 'open' | '';
  ids?: string[];
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

const LIST_SELECT = `
  SELECT r.id, r.code, r.category_id, c.code AS category_code, c.name AS category_name, c.name_en AS category_name_en,
    r.unit_id, u.code AS unit_code, u.full_name AS unit_full_name, u.name_en AS unit_name_en, u.path::text AS unit_path,
    r.agency_id, a.name AS agency_name, a.name_en AS agency_name_en, r.title, %DESC% AS description, r.address, r.lat, r.lon,
    CASE WHEN r.show_name THEN r.contact_name END AS contact_name, r.show_name, r.status, left(r.answer, %ANS%) AS answer,
    r.answered_at, r.deadline_at, r.rating, r.received_at, r.updated_at, r.outcome, r.outcome_note, r.outcome_at, count(*) OVER () AS total_count
  FROM mailbox_reports r
  JOIN mailbox_categories c ON c.id = r.category_id
  JOIN units u ON u.id = r.unit_id
  LEFT JOIN agencies a ON a.id = r.agency_id`;

/**
 * Public reports (never received, rejected, spam or merged), newest answer first, with the total
 * count in the same query. List rows carry an excerpt of the answer and no description unless `full`.
 */
export async function listPublic(
  db: Db,
  f: PublicFilter & { full?: boolean },
): Promise<{ rows: ReportRow[]; total: number }> {
  const where = [`r.status = ANY($1::text[])`, 'NOT r.not_public'];
  const params: unknown[] = [
    f.status === 'answered'
      ? ['answered', 'closed']
      : f.status === 'open'
        ? PUBLIC_STATUSES.filter((s) => s !== 'answered' && s !== 'closed')
        : PUBLIC_STATUSES,
  ];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  let rank = '';
  if (f.q && f.q.trim()) {
    // Vietnamese words are several syllables: match the syllables as a phrase, with or without diacritics
    params.push(f.q.trim());
    const n = params.length;
    where.push(
      `(r.search_tsv @@ phraseto_tsquery('vietnamese', $${n}) OR vn_fold(r.title) LIKE '%' || vn_fold($${n}) || '%' OR vn_fold(r.title) % vn_fold($${n}))`,
    );
    rank = `ts_rank(r.search_tsv, phraseto_tsquery('vietnamese', $${n})) + similarity(vn_fold(r.title), vn_fold($${n})) DESC, `;
  }
  if (f.categoryId) add(`r.category_id = ?`, f.categoryId);
  if (f.unitPath) add(`u.path <@ ?::ltree`, f.unitPath);
  if (f.ids && f.ids.length) add(`r.code = ANY(?::text[])`, f.ids);
  if (f.from) add(`r.received_at >= ?`, f.from);
  if (f.to) add(`r.received_at < ?`, f.to);
  params.push(f.limit, f.offset);
  const select = LIST_SELECT.replace('%DESC%', f.full ? 'r.description' : "''").replace(
    '%ANS%',
    f.full ? '100000' : '240',
  );
  const rows = await db.query<ReportRow & { total_count: number }>(
    `${select} WHERE ${where.join(' AND ')} ORDER BY ${rank}COALESCE(r.answered_at, r.received_at) DESC, r.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  let total = rows[0]?.total_count ?? 0;
  if (rows.length === 0 && f.offset > 0) {
    total = (await db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM mailbox_reports r JOIN units u ON u.id = r.unit_id WHERE ${where.join(' AND ')}`,
      params.slice(0, -2),
    ))!.n;
  }
  return { rows, total };
}

/** SQL for "the report r (units u) is within the scope": params $a (ltree[]), $b (ltree[]), $c (int[]). */
function scopeSql(a: number): string {
  return `(u.path <@ ANY($${a}::ltree[]) OR EXISTS (SELECT 1 FROM unnest($${a + 1}::ltree[], $${a + 2}::int[]) AS t(p, ag)
    WHERE u.path <@ t.p AND (r.agency_id = t.ag OR EXISTS (SELECT 1 FROM mailbox_report_shares s WHERE s.report_id = r.id AND s.agency_id = t.ag))))`;
}
const scopeParams = (s: InboxScope) => [s.paths, s.tied.map((x) => x.path), s.tied.map((x) => x.agencyId)];

export interface InboxFilter {
  scope: InboxScope;
  status?: 'open' | 'new' | 'approve' | 'overdue' | 'all' | Status;
  agencyId?: number;
  q?: string;
  limit: number;
}

/** Staff inbox: reports in the scope's subtrees, overdue first, then by deadline. */
export async function inbox(db: Db, f: InboxFilter): Promise<ReportRow[]> {
  if (scopeIsEmpty(f.scope)) return [];
  const where = [scopeSql(1)];
  const params: unknown[] = scopeParams(f.scope);
  const s = f.status ?? 'open';
  if (s === 'open') where.push(`r.status = ANY('{${OPEN_STATUSES.join(',')}}'::text[])`);
  else if (s === 'new') where.push(`r.status = 'received'`);
  else if (s === 'approve')
    where.push(`r.answer_draft IS NOT NULL AND r.status = ANY('{${OPEN_STATUSES.join(',')}}'::text[])`);
  else if (s === 'overdue')
    where.push(`r.status = ANY('{${OPEN_STATUSES.join(',')}}'::text[]) AND r.deadline_at < now()`);
  else if (s !== 'all') {
    params.push(s);
    where.push(`r.status = $${params.length}`);
  }
  if (f.agencyId) {
    params.push(f.agencyId);
    where.push(`r.agency_id = $${params.length}`);
  }
  if (f.q && f.q.trim()) {
    params.push(f.q.trim());
    where.push(
      `(r.code = upper($${params.length}) OR vn_fold(r.title || ' ' || r.description) LIKE '%' || vn_fold($${params.length}) || '%')`,
    );
  }
  params.push(f.limit);
  return db.query<ReportRow>(
    `${REPORT_SELECT} WHERE ${where.join(' AND ')}
     ORDER BY (r.status = ANY('{${OPEN_STATUSES.join(',')}}'::text[]) AND r.deadline_at < now()) DESC, r.deadline_at NULLS LAST, r.id DESC LIMIT $${params.length}`,
    params,
  );
}

export async function inboxCounts(
  db: Db,
  scope: InboxScope,
  agencyId?: number | null,
): Promise<{ open: number; overdue: number; fresh: number; approve: number }> {
  if (scopeIsEmpty(scope)) return { open: 0, overdue: 0, fresh: 0, approve: 0 };
  const open = `r.status = ANY('{${OPEN_STATUSES.join(',')}}'::text[])`;
  const row = await db.one<{ open: number; overdue: number; fresh: number; approve: number }>(
    `SELECT count(*) FILTER (WHERE ${open})::int AS open,
            count(*) FILTER (WHERE ${open} AND r.deadline_at < now())::int AS overdue,
            count(*) FILTER (WHERE r.status = 'received')::int AS fresh,
            count(*) FILTER (WHERE ${open} AND r.answer_draft IS NOT NULL)::int AS approve
     FROM mailbox_reports r JOIN units u ON u.id = r.unit_id WHERE ${scopeSql(2)} AND ($1::int IS NULL OR r.agency_id = $1)`,
    [agencyId ?? null, ...scopeParams(scope)],
  );
  return row!;
}

/** Likely duplicates: same category and unit, similar title or within ~300 m, in the last 90 days. */
export const duplicates = (db: Db, r: ReportRow) =>
  db
    .query<{ id: number; code: string; title: string; status: Status; received_at: Date; score: number }>(
      `SELECT o.id, o.code, o.title, o.status, o.received_at,
       greatest(similarity(vn_fold(o.title), vn_fold($2)), similarity(vn_fold(o.description), vn_fold($3)),
         CASE WHEN o.lat IS NOT NULL AND $4::float8 IS NOT NULL AND abs(o.lat - $4) < 0.003 AND abs(o.lon - $5) < 0.003 THEN 0.6 ELSE 0 END) AS score
     FROM mailbox_reports o
     WHERE o.id <> $1 AND o.category_id = $6 AND o.unit_id = $7 AND o.status NOT IN ('spam', 'merged', 'rejected')
       AND o.received_at > $8::timestamptz - interval '90 days'
     ORDER BY score DESC, o.received_at DESC LIMIT 5`,
      [r.id, r.title, r.description, r.lat, r.lon, r.category_id, r.unit_id, r.received_at],
    )
    .then((rows) => rows.filter((x) => x.score >= 0.3));

/** Staff who handle reports of a unit: handlers (and admins) whose grant reaches it. */
export const handlersOf = (db: Db, unitPath: string, agencyId: number | null = null) =>
  db.query<{ email: string; locale: string }>(
    `SELECT DISTINCT us.email, us.locale FROM role_grants g JOIN units u ON u.id = g.unit_id JOIN users us ON us.id = g.user_id
     WHERE g.role IN ('handler') AND $1::ltree <@ u.path AND us.disabled_at IS NULL AND (g.agency_id IS NULL OR g.agency_id = $2)`,
    [unitPath, agencyId],
  );

// ---------- jobs ----------

export const dueForReminder = (db: Db, before: Date) =>
  db.query<{ id: number }>(
    `SELECT id FROM mailbox_reports WHERE status = ANY('{${OPEN_STATUSES.join(',')}}'::text[]) AND reminded_at IS NULL AND deadline_at > now() AND deadline_at <= $1 LIMIT 500`,
    [before],
  );

export const dueForEscalation = (db: Db) =>
  db.query<{ id: number }>(
    `SELECT id FROM mailbox_reports WHERE status = ANY('{${OPEN_STATUSES.join(',')}}'::text[]) AND escalated_at IS NULL AND deadline_at < now() LIMIT 500`,
  );

export const dueForPurge = (db: Db, days: number) =>
  db.query<{ id: number }>(
    `SELECT id FROM mailbox_reports WHERE closed_at IS NOT NULL AND closed_at < now() - make_interval(days => $1) AND erased_at IS NULL
       AND (contact_name IS NOT NULL OR contact_phone IS NOT NULL OR contact_email IS NOT NULL) LIMIT 1000`,
    [days],
  );

export const dueForAutoClose = (db: Db, days: number) =>
  db.query<{ id: number }>(
    `SELECT id FROM mailbox_reports WHERE status = 'answered' AND answered_at < now() - make_interval(days => $1) LIMIT 1000`,
    [days],
  );

// ---------- Open311 API keys ----------

export async function insertApiKey(db: Db, name: string, hash: string, prefix: string): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO mailbox_api_keys (name, key_hash, prefix) VALUES ($1,$2,$3) RETURNING id`,
    [name, hash, prefix],
  ))!.id;
}
export const findApiKey = (db: Db, hash: string) =>
  db.one<{ id: number; name: string }>(
    `SELECT id, name FROM mailbox_api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
    [hash],
  );
export async function revokeApiKey(db: Db, nameOrPrefix: string): Promise<number> {
  return (
    await db.query(
      `UPDATE mailbox_api_keys SET revoked_at = now() WHERE (name = $1 OR prefix = $1) AND revoked_at IS NULL RETURNING id`,
      [nameOrPrefix],
    )
  ).length;
}
export const listApiKeys = (db: Db) =>
  db.query<{
    id: number;
    name: string;
    prefix: string;
    created_at: Date;
    last_used_at: Date | null;
    revoked_at: Date | null;
  }>(`SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM mailbox_api_keys ORDER BY id`);
export async function touchApiKey(db: Db, id: number): Promise<void> {
  await db.query(
    `UPDATE mailbox_api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}

// ---------- figures: see figures-repo.ts ----------

export { figures } from './repo/figures.js';

/**
 * The active webhook endpoints that receive `event` (by name, or all events), each saying whether it also receives
 * `personalEvent`: the event made to carry a resident's contact details, so the only endpoints allowed them.
 */
export const webhookEndpointsFor = (db: Db, event: string, personalEvent: string) =>
  db.query<{ id: number; personal: boolean }>(
    `SELECT id, (cardinality(events) = 0 OR $2 = ANY(events)) AS personal
     FROM webhook_endpoints WHERE active AND (cardinality(events) = 0 OR $1 = ANY(events)) ORDER BY id`,
    [event, personalEvent],
  );
