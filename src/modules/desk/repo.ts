/** The desk's SQL, and only SQL. */
import type { Db } from '../../db/client.js';

export type Kind = 'article' | 'video' | 'factcheck';
export type ItemStatus = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'published' | 'unpublished';
export type ClusterStatus = 'new' | 'answered_existing' | 'checking' | 'answered' | 'not_checkable';

export interface Source {
  title: string;
  publisher?: string | null;
  date?: string | null;
  url?: string | null;
  reference?: string | null;
}

export interface Appearance {
  url?: string | null;
  description: string;
}

export interface ItemRow {
  id: number;
  kind: Kind;
  external_id: string | null;
  slug: string;
  status: ItemStatus;
  title: string;
  summary: string;
  body: string;
  claim: string | null;
  appearances: Appearance[];
  claim_date: string | null;
  verdict: string | null;
  method: string;
  video_url: string | null;
  poster_url: string | null;
  transcript: string | null;
  sources: Source[];
  author_id: number | null;
  approved_by: number | null;
  approved_at: Date | null;
  publish_at: Date | null;
  published_at: Date | null;
  updated_public_at: Date | null;
  unpublished_at: Date | null;
  unpublish_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** the unit the piece belongs to (null: the root unit) and that unit's path (the root's when null) */
  unit_id: number | null;
  unit_path: string;
  /** the version the reviewer approved */
  approved_version: number | null;
  /** the fact-check's own canonical address (imported archives) */
  canonical_url: string | null;
  images: ItemImage[];
}

/** An image a piece carries: a cleaned upload served from /desk/media/ID, with caption and credit. */
export interface ItemImage {
  id: string;
  caption: string;
  credit: string;
}

export interface ItemView extends ItemRow {
  verdict_label: string | null;
  verdict_label_en: string | null;
  verdict_rating: number | null;
  verdict_tone: string | null;
  author_name: string | null;
  approver_name: string | null;
  topic_ids: number[];
  unit_ids: number[];
}

/** What a list item shows (cards, feeds, sitemap, pickers): no body, transcript, sources or tags. */
export type ItemSummary = Pick<
  ItemView,
  | 'id'
  | 'kind'
  | 'external_id'
  | 'slug'
  | 'status'
  | 'title'
  | 'summary'
  | 'verdict'
  | 'published_at'
  | 'updated_public_at'
  | 'updated_at'
  | 'author_id'
  | 'verdict_label'
  | 'verdict_label_en'
  | 'verdict_rating'
  | 'verdict_tone'
>;

/** A row of the staff list: a list item and who wrote it. */
export type StaffListRow = ItemSummary &
  Pick<ItemView, 'author_name'> & { revision_status?: 'draft' | 'in_review' | null };

export interface VerdictRow {
  code: string;
  label: string;
  label_en: string;
  rating: number;
  tone: string;
  position: number;
  /** what the verdict means, shown on /desk/verdicts ('' until written) */
  meaning: string;
  meaning_en: string;
}

export interface TopicRow {
  id: number;
  slug: string;
  name: string;
  name_en: string;
}

export interface Correction {
  id: number;
  item_id: number;
  version: number;
  what: string;
  why: string;
  created_at: Date;
}

/** The path of a row's unit, the root unit's when it has none (content written before units were recorded). */
const ROOT_PATH = `(SELECT path::text FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1)`;
const UNIT_PATH = (alias: string) =>
  `COALESCE((SELECT path::text FROM units WHERE id = ${alias}.unit_id), ${ROOT_PATH})`;

const ITEM_COLS = `i.id, i.kind, i.external_id, i.slug, i.status, i.title, i.summary, i.body, i.claim, i.appearances, i.claim_date::text AS claim_date,
  i.verdict, i.method, i.video_url, i.poster_url, i.transcript, i.sources, i.author_id, i.approved_by, i.approved_at, i.publish_at,
  i.published_at, i.updated_public_at, i.unpublished_at, i.unpublish_reason, i.version, i.created_at, i.updated_at,
  i.unit_id, ${UNIT_PATH('i')} AS unit_path, i.approved_version, i.canonical_url, i.images`;

const VIEW_SELECT = `SELECT ${ITEM_COLS}, v.label AS verdict_label, v.label_en AS verdict_label_en, v.rating AS verdict_rating, v.tone AS verdict_tone,
  au.name AS author_name, ap.name AS approver_name,
  COALESCE((SELECT array_agg(topic_id ORDER BY topic_id) FROM desk_item_topics t WHERE t.item_id = i.id), '{}') AS topic_ids,
  COALESCE((SELECT array_agg(unit_id ORDER BY unit_id) FROM desk_item_units u WHERE u.item_id = i.id), '{}') AS unit_ids
  FROM desk_items i LEFT JOIN desk_verdicts v ON v.code = i.verdict LEFT JOIN users au ON au.id = i.author_id LEFT JOIN users ap ON ap.id = i.approved_by`;

const SUMMARY_COLS = `i.id, i.kind, i.external_id, i.slug, i.status, i.title, i.summary, i.verdict, i.published_at, i.updated_public_at, i.updated_at, i.author_id,
  v.label AS verdict_label, v.label_en AS verdict_label_en, v.rating AS verdict_rating, v.tone AS verdict_tone`;
const SUMMARY_SELECT = `SELECT ${SUMMARY_COLS} FROM desk_items i LEFT JOIN desk_verdicts v ON v.code = i.verdict`;
const STAFF_LIST_SELECT = `SELECT ${SUMMARY_COLS}, au.name AS author_name, (SELECT r.status FROM desk_revisions r WHERE r.item_id = i.id) AS revision_status FROM desk_items i LEFT JOIN desk_verdicts v ON v.code = i.verdict LEFT JOIN users au ON au.id = i.author_id`;

export const getItem = (db: Db, id: number) => db.one<ItemView>(`${VIEW_SELECT} WHERE i.id = $1`, [id]);
export const getItemForUpdate = (db: Db, id: number) =>
  db.one<ItemRow>(`SELECT ${ITEM_COLS} FROM desk_items i WHERE i.id = $1 FOR UPDATE`, [id]);
export const getItemByExternalId = (db: Db, ext: string) =>
  db.one<ItemRow>(`SELECT ${ITEM_COLS} FROM desk_items i WHERE i.external_id = $1`, [ext]);

export interface ItemFields {
  kind: Kind;
  title: string;
  slug: string;
  summary: string;
  body: string;
  claim: string | null;
  appearances: Appearance[];
  claimDate: string | null;
  verdict: string | null;
  method: string;
  videoUrl: string | null;
  posterUrl: string | null;
  transcript: string | null;
  sources: Source[];
  /** images with captions and credits (none when left out) */
  images?: ItemImage[];
}

export async function insertItem(
  db: Db,
  f: ItemFields,
  extra: {
    authorId: number | null;
    externalId?: string | null;
    status?: ItemStatus;
    publishedAt?: Date | null;
    createdAt?: Date | null;
    unitId?: number | null;
  },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO desk_items (kind, title, slug, summary, body, claim, appearances, claim_date, verdict, method, video_url, poster_url, transcript, sources,
       author_id, external_id, status, published_at, updated_public_at, created_at, updated_at, unit_id, images)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$18,COALESCE($19, now()),COALESCE($19, now()),$20,$21) RETURNING id`,
    [
      f.kind,
      f.title,
      f.slug,
      f.summary,
      f.body,
      f.claim,
      JSON.stringify(f.appearances),
      f.claimDate,
      f.verdict,
      f.method,
      f.videoUrl,
      f.posterUrl,
      f.transcript,
      JSON.stringify(f.sources),
      extra.authorId,
      extra.externalId ?? null,
      extra.status ?? 'draft',
      extra.publishedAt ?? null,
      extra.createdAt ?? null,
      extra.unitId ?? null,
      JSON.stringify(f.images ?? []),
    ],
  );
  return row!.id;
}

export async function updateItemFields(db: Db, id: number, f: ItemFields, version: number): Promise<void> {
  await db.query(
    `UPDATE desk_items SET title=$2, slug=$3, summary=$4, body=$5, claim=$6, appearances=$7, claim_date=$8, verdict=$9, method=$10, video_url=$11,
       poster_url=$12, transcript=$13, sources=$14, version=$15, images=$16, updated_at=now() WHERE id=$1`,
    [
      id,
      f.title,
      f.slug,
      f.summary,
      f.body,
      f.claim,
      JSON.stringify(f.appearances),
      f.claimDate,
      f.verdict,
      f.method,
      f.videoUrl,
      f.posterUrl,
      f.transcript,
      JSON.stringify(f.sources),
      version,
      JSON.stringify(f.images ?? []),
    ],
  );
}

export async function setItemUnit(db: Db, id: number, unitId: number | null): Promise<void> {
  await db.query(`UPDATE desk_items SET unit_id = $2 WHERE id = $1`, [id, unitId]);
}

export async function setCanonicalUrl(db: Db, id: number, url: string | null): Promise<void> {
  await db.query(`UPDATE desk_items SET canonical_url = $2 WHERE id = $1`, [id, url]);
}

// ---------- revisions: a change to a published piece, in review while the published version stays live ----------

export interface RevisionRow {
  item_id: number;
  version: number;
  status: 'draft' | 'in_review';
  data: ItemFields & { topicIds: number[]; unitIds: number[] };
  correction_what: string;
  correction_why: string;
  edited_by: number | null;
  editor_name: string | null;
  updated_at: Date;
}

export const getRevision = (db: Db, itemId: number) =>
  db.one<RevisionRow>(
    `SELECT r.item_id, r.version, r.status, r.data, r.correction_what, r.correction_why, r.edited_by, u.name AS editor_name, r.updated_at
     FROM desk_revisions r LEFT JOIN users u ON u.id = r.edited_by WHERE r.item_id = $1`,
    [itemId],
  );

export async function saveRevision(
  db: Db,
  r: { itemId: number; version: number; data: unknown; what: string; why: string; editedBy: number },
): Promise<void> {
  await db.query(
    `INSERT INTO desk_revisions (item_id, version, status, data, correction_what, correction_why, edited_by) VALUES ($1,$2,'draft',$3,$4,$5,$6)
     ON CONFLICT (item_id) DO UPDATE SET version = EXCLUDED.version, status = 'draft', data = EXCLUDED.data, correction_what = EXCLUDED.correction_what,
       correction_why = EXCLUDED.correction_why, edited_by = EXCLUDED.edited_by, updated_at = now()`,
    [r.itemId, r.version, JSON.stringify(r.data), r.what, r.why, r.editedBy],
  );
}

export async function setRevisionStatus(db: Db, itemId: number, status: 'draft' | 'in_review'): Promise<void> {
  await db.query(`UPDATE desk_revisions SET status = $2, updated_at = now() WHERE item_id = $1`, [itemId, status]);
}

export async function deleteRevision(db: Db, itemId: number): Promise<void> {
  await db.query(`DELETE FROM desk_revisions WHERE item_id = $1`, [itemId]);
}

export const maxVersion = async (db: Db, itemId: number) =>
  (await db.one<{ v: number }>(
    `SELECT COALESCE(max(version), 0)::int AS v FROM desk_item_versions WHERE item_id = $1`,
    [itemId],
  ))!.v;

/** Who wrote the versions after `afterVersion` (they may not approve them). */
export const versionEditors = async (db: Db, itemId: number, afterVersion: number) =>
  (
    await db.query<{ actor_id: number }>(
      `SELECT DISTINCT actor_id FROM desk_item_versions WHERE item_id = $1 AND version > $2 AND actor_id IS NOT NULL`,
      [itemId, afterVersion],
    )
  ).map((r) => r.actor_id);

/** Pieces that use an uploaded file (poster or image), in their live fields or in a pending change, with their unit. */
export const mediaUses = (db: Db, fileId: string) =>
  db.query<{ status: ItemStatus; unit_path: string; live: boolean }>(
    `SELECT i.status, ${UNIT_PATH('i')} AS unit_path,
       (i.poster_url = $1 OR i.images @> jsonb_build_array(jsonb_build_object('id', $2::text))) AS live
     FROM desk_items i LEFT JOIN desk_revisions r ON r.item_id = i.id
     WHERE i.poster_url = $1 OR i.images @> jsonb_build_array(jsonb_build_object('id', $2::text))
        OR r.data->>'posterUrl' = $1 OR r.data->'images' @> jsonb_build_array(jsonb_build_object('id', $2::text))`,
    [`/desk/media/${fileId}`, fileId],
  );

export const unitById = (db: Db, id: number) =>
  db.one<{ id: number; path: string; full_name: string }>(
    `SELECT id, path::text AS path, full_name FROM units WHERE id = $1 AND retired_at IS NULL`,
    [id],
  );

export const unitPathsByIds = (db: Db, ids: number[]) =>
  db.query<{ id: number; path: string }>(`SELECT id, path::text AS path FROM units WHERE id = ANY($1::int[])`, [ids]);

/** Units inside the given subtrees, shallowest first (the owner picker of a piece). */
export const unitsWithin = (db: Db, paths: string[], limit = 300) =>
  db.query<{ id: number; code: string; full_name: string; name_en: string | null; path: string }>(
    `SELECT id, code, full_name, name_en, path::text AS path FROM units WHERE retired_at IS NULL AND path <@ ANY($1::ltree[]) ORDER BY depth, full_name LIMIT $2`,
    [paths, limit],
  );

export async function setStatus(
  db: Db,
  id: number,
  status: ItemStatus,
  extra: Partial<{
    approvedBy: number | null;
    approvedAt: Date | null;
    approvedVersion: number | null;
    publishAt: Date | null;
    publishedAt: Date | null;
    unpublishReason: string | null;
    unpublishedAt: Date | null;
    updatedPublicAt: Date | null;
  }> = {},
): Promise<void> {
  const sets = ['status = $2', 'updated_at = now()'];
  const params: unknown[] = [id, status];
  const map: Record<string, string> = {
    approvedBy: 'approved_by',
    approvedAt: 'approved_at',
    approvedVersion: 'approved_version',
    publishAt: 'publish_at',
    publishedAt: 'published_at',
    unpublishReason: 'unpublish_reason',
    unpublishedAt: 'unpublished_at',
    updatedPublicAt: 'updated_public_at',
  };
  for (const [k, col] of Object.entries(map)) {
    if (k in extra) {
      params.push((extra as Record<string, unknown>)[k]);
      sets.push(`${col} = $${params.length}`);
    }
  }
  await db.query(`UPDATE desk_items SET ${sets.join(', ')} WHERE id = $1`, params);
}

export async function insertVersion(
  db: Db,
  itemId: number,
  version: number,
  data: unknown,
  actorId: number | null,
  note: string | null,
): Promise<void> {
  await db.query(`INSERT INTO desk_item_versions (item_id, version, data, actor_id, note) VALUES ($1,$2,$3,$4,$5)`, [
    itemId,
    version,
    JSON.stringify(data),
    actorId,
    note,
  ]);
}

export const listVersions = (db: Db, itemId: number) =>
  db.query<{
    version: number;
    note: string | null;
    created_at: Date;
    actor_name: string | null;
    data: Record<string, unknown>;
  }>(
    `SELECT v.version, v.note, v.created_at, u.name AS actor_name, v.data FROM desk_item_versions v LEFT JOIN users u ON u.id = v.actor_id WHERE v.item_id = $1 ORDER BY v.version DESC`,
    [itemId],
  );

export interface ReturnNote {
  id: number;
  version: number;
  from_status: ItemStatus;
  note: string;
  actor_name: string | null;
  created_at: Date;
}

export async function insertReturnNote(
  db: Db,
  itemId: number,
  version: number,
  fromStatus: ItemStatus,
  note: string,
  actorId: number | null,
): Promise<void> {
  await db.query(
    `INSERT INTO desk_item_notes (item_id, version, from_status, note, actor_id) VALUES ($1,$2,$3,$4,$5)`,
    [itemId, version, fromStatus, note, actorId],
  );
}

/** The notes a piece was sent back with, newest first. */
export const listReturnNotes = (db: Db, itemId: number) =>
  db.query<ReturnNote>(
    `SELECT n.id, n.version, n.from_status, n.note, u.name AS actor_name, n.created_at FROM desk_item_notes n LEFT JOIN users u ON u.id = n.actor_id
     WHERE n.item_id = $1 ORDER BY n.created_at DESC, n.id DESC`,
    [itemId],
  );

export async function insertCorrection(
  db: Db,
  itemId: number,
  version: number,
  what: string,
  why: string,
  actorId: number | null,
): Promise<void> {
  await db.query(`INSERT INTO desk_corrections (item_id, version, what, why, actor_id) VALUES ($1,$2,$3,$4,$5)`, [
    itemId,
    version,
    what,
    why,
    actorId,
  ]);
}

export const listCorrections = (db: Db, itemId: number) =>
  db.query<Correction>(
    `SELECT id, item_id, version, what, why, created_at FROM desk_corrections WHERE item_id = $1 ORDER BY created_at, id`,
    [itemId],
  );

export async function setItemTags(db: Db, itemId: number, topicIds: number[], unitIds: number[]): Promise<void> {
  await db.query(`DELETE FROM desk_item_topics WHERE item_id = $1`, [itemId]);
  await db.query(`DELETE FROM desk_item_units WHERE item_id = $1`, [itemId]);
  if (topicIds.length)
    await db.query(
      `INSERT INTO desk_item_topics (item_id, topic_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`,
      [itemId, topicIds],
    );
  if (unitIds.length)
    await db.query(
      `INSERT INTO desk_item_units (item_id, unit_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`,
      [itemId, unitIds],
    );
}

export const listVerdicts = (db: Db) => db.query<VerdictRow>(`SELECT * FROM desk_verdicts ORDER BY position, code`);
/** Adds or changes a verdict; an empty meaning keeps the one already written. */
export async function upsertVerdict(db: Db, v: VerdictRow): Promise<void> {
  await db.query(
    `INSERT INTO desk_verdicts (code, label, label_en, rating, tone, position, meaning, meaning_en) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
     ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, label_en = EXCLUDED.label_en, rating = EXCLUDED.rating, tone = EXCLUDED.tone, position = EXCLUDED.position,
       meaning = CASE WHEN EXCLUDED.meaning <> '' THEN EXCLUDED.meaning ELSE desk_verdicts.meaning END,
       meaning_en = CASE WHEN EXCLUDED.meaning_en <> '' THEN EXCLUDED.meaning_en ELSE desk_verdicts.meaning_en END`,
    [v.code, v.label, v.label_en, v.rating, v.tone, v.position, v.meaning, v.meaning_en],
  );
}

export const listTopics = (db: Db) =>
  db.query<TopicRow>(`SELECT id, slug, name, name_en FROM desk_topics ORDER BY name`);
export const getTopicBySlug = (db: Db, slug: string) =>
  db.one<TopicRow>(`SELECT id, slug, name, name_en FROM desk_topics WHERE slug = $1`, [slug]);
export async function upsertTopic(db: Db, t: { slug: string; name: string; nameEn: string }): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO desk_topics (slug, name, name_en) VALUES ($1,$2,$3) ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en RETURNING id`,
    [t.slug, t.name, t.nameEn],
  );
  return r!.id;
}

export interface PublicFilter {
  kind?: Kind | null;
  topicId?: number | null;
  /** ltree path: items tagged with a unit in this subtree */
  unitPath?: string | null;
  ids?: number[] | null;
  q?: string | null;
  limit: number;
  offset?: number;
}

/** Published items, newest first: the columns a list item shows (the full piece: getItem). */
export async function listPublished(db: Db, f: PublicFilter): Promise<ItemSummary[]> {
  const where = [`i.status = 'published'`];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.kind) where.push(`i.kind = ${p(f.kind)}`);
  if (f.topicId)
    where.push(`EXISTS (SELECT 1 FROM desk_item_topics t WHERE t.item_id = i.id AND t.topic_id = ${p(f.topicId)})`);
  if (f.unitPath)
    where.push(
      `EXISTS (SELECT 1 FROM desk_item_units du JOIN units un ON un.id = du.unit_id WHERE du.item_id = i.id AND un.path <@ ${p(f.unitPath)}::ltree)`,
    );
  if (f.ids) where.push(`i.id = ANY(${p(f.ids)}::int[])`);
  if (f.q) where.push(`(vn_fold(i.title) LIKE '%' || vn_fold(${p(f.q)}) || '%')`);
  return db.query<ItemSummary>(
    `${SUMMARY_SELECT} WHERE ${where.join(' AND ')} ORDER BY i.published_at DESC, i.id DESC LIMIT ${p(f.limit)} OFFSET ${p(f.offset ?? 0)}`,
    params,
  );
}

/** The newest published pieces of each kind, in one query: { factcheck: 8, article: 4 } → up to 8 + 4 rows, newest first. */
export async function latestByKind(db: Db, counts: Partial<Record<Kind, number>>): Promise<ItemSummary[]> {
  const params: unknown[] = [];
  const parts = Object.entries(counts).map(([kind, n]) => {
    params.push(kind, n);
    return `(${SUMMARY_SELECT} WHERE i.status = 'published' AND i.kind = $${params.length - 1} ORDER BY i.published_at DESC, i.id DESC LIMIT $${params.length})`;
  });
  if (parts.length === 0) return [];
  const rows = await db.query<ItemSummary>(parts.join(' UNION ALL '), params);
  return rows.sort((a, b) => +new Date(b.published_at!) - +new Date(a.published_at!) || b.id - a.id);
}

export const countPublished = async (db: Db) =>
  (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM desk_items WHERE status = 'published'`))!.n;

/** Staff list: only pieces whose unit lies inside one of `paths` (the reader's scope) when given. */
export async function listItems(
  db: Db,
  f: { status?: ItemStatus | null; kind?: Kind | null; limit: number; paths?: string[] },
): Promise<StaffListRow[]> {
  const where = ['true'];
  const params: unknown[] = [];
  if (f.paths) {
    params.push(f.paths);
    where.push(`${UNIT_PATH('i')}::ltree <@ ANY($${params.length}::ltree[])`);
  }
  if (f.status) {
    params.push(f.status);
    // "in review" also lists published pieces whose pending change is in review
    where.push(
      f.status === 'in_review'
        ? `(i.status = $${params.length} OR EXISTS (SELECT 1 FROM desk_revisions r WHERE r.item_id = i.id AND r.status = 'in_review'))`
        : `i.status = $${params.length}`,
    );
  }
  if (f.kind) {
    params.push(f.kind);
    where.push(`i.kind = $${params.length}`);
  }
  params.push(f.limit);
  return db.query<StaffListRow>(
    `${STAFF_LIST_SELECT} WHERE ${where.join(' AND ')} ORDER BY i.updated_at DESC, i.id DESC LIMIT $${params.length}`,
    params,
  );
}

/** Pieces by status; "in_review" also counts published pieces whose pending change is in review. */
export const countByStatus = (db: Db, paths?: string[]) =>
  db.query<{ status: ItemStatus; n: number }>(
    `SELECT s AS status, count(*)::int AS n FROM (
       SELECT CASE WHEN EXISTS (SELECT 1 FROM desk_revisions r WHERE r.item_id = i.id AND r.status = 'in_review') THEN 'in_review' ELSE i.status END AS s
       FROM desk_items i ${paths ? `WHERE ${UNIT_PATH('i')}::ltree <@ ANY($1::ltree[])` : ''}) x GROUP BY s`,
    paths ? [paths] : [],
  );

/** Scheduled items whose time has come. */
export const dueScheduled = (db: Db) =>
  db.query<{ id: number }>(
    `SELECT id FROM desk_items WHERE status = 'scheduled' AND publish_at <= now() ORDER BY publish_at`,
  );

export const lastPublishedAt = async (db: Db) =>
  (
    await db.one<{ at: Date | null }>(
      `SELECT max(greatest(published_at, updated_public_at, unpublished_at)) AS at FROM desk_items`,
    )
  )?.at ?? null;

// ---------- policies ----------

export interface PolicyRow {
  slug: string;
  title: string;
  title_en: string;
  body: string;
  body_en: string;
  updated_at: Date;
}

/** A policy to link to: no body. */
export type PolicyLink = Pick<PolicyRow, 'slug' | 'title' | 'title_en' | 'updated_at'>;
export const listPolicyLinks = (db: Db) =>
  db.query<PolicyLink>(`SELECT slug, title, title_en, updated_at FROM desk_policies ORDER BY slug`);
export const listPolicies = (db: Db) =>
  db.query<PolicyRow>(`SELECT slug, title, title_en, body, body_en, updated_at FROM desk_policies ORDER BY slug`);
export const getPolicy = (db: Db, slug: string) =>
  db.one<PolicyRow>(`SELECT slug, title, title_en, body, body_en, updated_at FROM desk_policies WHERE slug = $1`, [
    slug,
  ]);
export async function upsertPolicy(
  db: Db,
  p: { slug: string; title: string; titleEn: string; body: string; bodyEn: string },
  actorId: number | null,
): Promise<void> {
  await db.query(
    `INSERT INTO desk_policies (slug, title, title_en, body, body_en, updated_by) VALUES ($1,$2,$3,$4,$5,$6)
     ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, title_en = EXCLUDED.title_en, body = EXCLUDED.body, body_en = EXCLUDED.body_en,
       updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [p.slug, p.title, p.titleEn, p.body, p.bodyEn, actorId],
  );
}

// ---------- claims ----------

export interface ClusterRow {
  id: number;
  title: string;
  status: ClusterStatus;
  reason: string | null;
  factcheck_id: number | null;
  size: number;
  created_at: Date;
  updated_at: Date;
  answered_at: Date | null;
  factcheck_title?: string | null;
  factcheck_slug?: string | null;
  factcheck_status?: ItemStatus | null;
}

export interface ClaimRow {
  id: number;
  code: string;
  cluster_id: number;
  text: string;
  link: string | null;
  seen_where: string | null;
  screenshot_id: string | null;
  unit_id: number | null;
  unit_name: string | null;
  member_user_id: number | null;
  contact_email: string | null;
  locale: string;
  source: 'public' | 'member' | 'api';
  created_at: Date;
  answered_at: Date | null;
}

export async function insertCluster(db: Db, title: string, folded: string, createdAt?: Date | null): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO desk_clusters (title, fold_text, created_at, updated_at) VALUES ($1,$2,COALESCE($3, now()),COALESCE($3, now())) RETURNING id`,
    [title, folded, createdAt ?? null],
  );
  return r!.id;
}

/** A claim filed into a cluster already answered: the answer is on its status page at once, no e-mail. */
export async function markClaimAnswered(db: Db, code: string): Promise<void> {
  await db.query(`UPDATE desk_claims SET answered_at = now(), notified_at = now() WHERE code = $1`, [code]);
}

/** The cluster whose claim carries this screenshot (a screenshot is shown only to staff who handle it). */
export async function clusterOfScreenshot(db: Db, fileId: string): Promise<number | null> {
  const row = await db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE screenshot_id = $1`, [
    fileId,
  ]);
  return row?.cluster_id ?? null;
}

export async function insertClaim(
  db: Db,
  c: {
    code: string;
    clusterId: number;
    text: string;
    link: string | null;
    seenWhere: string | null;
    screenshotId: string | null;
    unitId: number | null;
    memberUserId: number | null;
    contactEmail: string | null;
    locale: string;
    source: string;
    createdAt?: Date | null;
  },
): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO desk_claims (code, cluster_id, text, link, seen_where, screenshot_id, unit_id, member_user_id, contact_email, locale, source, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,COALESCE($12, now())) RETURNING id`,
    [
      c.code,
      c.clusterId,
      c.text,
      c.link,
      c.seenWhere,
      c.screenshotId,
      c.unitId,
      c.memberUserId,
      c.contactEmail,
      c.locale,
      c.source,
      c.createdAt ?? null,
    ],
  );
  await db.query(`UPDATE desk_clusters SET size = size + 1, updated_at = now() WHERE id = $1`, [c.clusterId]);
  return r!.id;
}

const CLUSTER_SELECT = `SELECT c.id, c.title, c.status, c.reason, c.factcheck_id, c.size, c.created_at, c.updated_at, c.answered_at,
  i.title AS factcheck_title, i.slug AS factcheck_slug, i.status AS factcheck_status FROM desk_clusters c LEFT JOIN desk_items i ON i.id = c.factcheck_id`;

export const getCluster = (db: Db, id: number) => db.one<ClusterRow>(`${CLUSTER_SELECT} WHERE c.id = $1`, [id]);
export async function listClusters(db: Db, f: { status?: ClusterStatus | null; limit: number }): Promise<ClusterRow[]> {
  if (f.status)
    return db.query<ClusterRow>(
      `${CLUSTER_SELECT} WHERE c.status = $1 ORDER BY c.size DESC, c.updated_at DESC LIMIT $2`,
      [f.status, f.limit],
    );
  return db.query<ClusterRow>(
    `${CLUSTER_SELECT} ORDER BY (c.status IN ('new', 'checking')) DESC, c.size DESC, c.updated_at DESC LIMIT $1`,
    [f.limit],
  );
}

// ---------- claim handling: unit scope, assignment, priority, replies ----------

/**
 * A cluster lies in a scope when every claim in it comes from inside the scope (a claim without a unit counts as the
 * root's); an empty cluster (merged away) counts as the root's. `param` is an ltree[] parameter.
 */
export const clusterInScopeSql = (alias: string, param: string) =>
  `(NOT EXISTS (SELECT 1 FROM desk_claims cc LEFT JOIN units cu ON cu.id = cc.unit_id
      WHERE cc.cluster_id = ${alias}.id AND NOT (COALESCE(cu.path, ${ROOT_PATH}::ltree) <@ ANY(${param})))
    AND (EXISTS (SELECT 1 FROM desk_claims ce WHERE ce.cluster_id = ${alias}.id) OR ${ROOT_PATH}::ltree <@ ANY(${param})))`;

export const clusterInScope = async (db: Db, clusterId: number, paths: string[]) =>
  paths.length > 0 &&
  Boolean(
    await db.one(`SELECT 1 FROM desk_clusters c WHERE c.id = $1 AND ${clusterInScopeSql('c', '$2::ltree[]')}`, [
      clusterId,
      paths,
    ]),
  );

export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];

export interface ClusterHandling {
  assignee_id: number | null;
  assignee_name: string | null;
  priority: Priority;
}

export const clusterHandling = (db: Db, ids: number[]) =>
  db.query<ClusterHandling & { id: number }>(
    `SELECT c.id, c.assignee_id, u.name AS assignee_name, c.priority FROM desk_clusters c LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = ANY($1::int[])`,
    [ids],
  );

export async function setClusterHandling(
  db: Db,
  id: number,
  assigneeId: number | null,
  priority: Priority,
): Promise<void> {
  await db.query(`UPDATE desk_clusters SET assignee_id = $2, priority = $3, updated_at = now() WHERE id = $1`, [
    id,
    assigneeId,
    priority,
  ]);
}

/** Staff who may handle the cluster (desk roles on a unit whose subtree holds all its claims). */
export const possibleAssignees = (db: Db, clusterId: number) =>
  db.query<{ id: number; name: string; email: string }>(
    `SELECT DISTINCT u.id, u.name, u.email FROM users u JOIN role_grants g ON g.user_id = u.id JOIN units gu ON gu.id = g.unit_id, desk_clusters c
     WHERE c.id = $1 AND g.role IN ('admin', 'editor', 'reviewer') AND ${clusterInScopeSql('c', 'ARRAY[gu.path]')}
     ORDER BY u.name LIMIT 200`,
    [clusterId],
  );

export interface ClusterReply {
  id: number;
  cluster_id: number;
  body: string;
  actor_name: string | null;
  created_at: Date;
}

export async function insertClusterReply(
  db: Db,
  clusterId: number,
  body: string,
  actorId: number | null,
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO desk_cluster_replies (cluster_id, body, actor_id) VALUES ($1,$2,$3) RETURNING id`,
    [clusterId, body, actorId],
  ))!.id;
}

export const clusterReplies = (db: Db, clusterId: number) =>
  db.query<ClusterReply>(
    `SELECT r.id, r.cluster_id, r.body, u.name AS actor_name, r.created_at FROM desk_cluster_replies r LEFT JOIN users u ON u.id = r.actor_id
     WHERE r.cluster_id = $1 ORDER BY r.created_at, r.id`,
    [clusterId],
  );

export async function moveClusterReplies(db: Db, intoId: number, fromId: number): Promise<void> {
  await db.query(`UPDATE desk_cluster_replies SET cluster_id = $1 WHERE cluster_id = $2`, [intoId, fromId]);
}

/** Residents of a cluster who left an address (every reply is sent to them). */
export const clusterContacts = (db: Db, clusterId: number) =>
  db.query<{ id: number; code: string; contact_email: string; locale: string }>(
    `SELECT id, code, contact_email, locale FROM desk_claims WHERE cluster_id = $1 AND contact_email IS NOT NULL ORDER BY id`,
    [clusterId],
  );

/** Clusters in scope for the staff list, with handling, most urgent first. */
export async function listClustersInScope(
  db: Db,
  f: { status?: ClusterStatus | null; limit: number; paths: string[]; assigneeId?: number | null },
): Promise<(ClusterRow & ClusterHandling)[]> {
  const params: unknown[] = [f.paths];
  const where = [clusterInScopeSql('c', '$1::ltree[]')];
  if (f.status) {
    params.push(f.status);
    where.push(`c.status = $${params.length}`);
  }
  if (f.assigneeId) {
    params.push(f.assigneeId);
    where.push(`c.assignee_id = $${params.length}`);
  }
  params.push(f.limit);
  return db.query(
    `SELECT c.id, c.title, c.status, c.reason, c.factcheck_id, c.size, c.created_at, c.updated_at, c.answered_at,
       i.title AS factcheck_title, i.slug AS factcheck_slug, i.status AS factcheck_status, c.assignee_id, au.name AS assignee_name, c.priority
     FROM desk_clusters c LEFT JOIN desk_items i ON i.id = c.factcheck_id LEFT JOIN users au ON au.id = c.assignee_id
     WHERE ${where.join(' AND ')}
     ORDER BY (c.status IN ('new', 'checking')) DESC, array_position(ARRAY['urgent','high','normal','low'], c.priority), c.size DESC, c.updated_at DESC
     LIMIT $${params.length}`,
    params,
  );
}

/** Clusters waiting for an answer (new or checking) within the scope. */
export const countWaitingClusters = async (db: Db, paths: string[]) =>
  paths.length === 0
    ? 0
    : (await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM desk_clusters c WHERE c.status IN ('new', 'checking') AND ${clusterInScopeSql('c', '$1::ltree[]')}`,
        [paths],
      ))!.n;

export const countClustersByStatus = (db: Db) =>
  db.query<{ status: ClusterStatus; n: number; claims: number }>(
    `SELECT status, count(*)::int AS n, COALESCE(sum(size), 0)::int AS claims FROM desk_clusters GROUP BY status`,
  );

const CLAIM_SELECT = `SELECT c.id, c.code, c.cluster_id, c.text, c.link, c.seen_where, c.screenshot_id::text AS screenshot_id, c.unit_id, u.full_name AS unit_name,
  c.member_user_id, c.contact_email, c.locale, c.source, c.created_at, c.answered_at FROM desk_claims c LEFT JOIN units u ON u.id = c.unit_id`;

export const claimsOfCluster = (db: Db, clusterId: number) =>
  db.query<ClaimRow>(`${CLAIM_SELECT} WHERE c.cluster_id = $1 ORDER BY c.created_at`, [clusterId]);
export const getClaimByCode = (db: Db, code: string) => db.one<ClaimRow>(`${CLAIM_SELECT} WHERE c.code = $1`, [code]);

export async function setClusterStatus(
  db: Db,
  id: number,
  status: ClusterStatus,
  factcheckId: number | null,
  reason: string | null,
): Promise<void> {
  const answered = status === 'answered' || status === 'answered_existing';
  await db.query(
    `UPDATE desk_clusters SET status = $2, factcheck_id = $3, reason = $4, updated_at = now(), answered_at = CASE WHEN $5 THEN COALESCE(answered_at, now()) ELSE NULL END WHERE id = $1`,
    [id, status, factcheckId, reason, answered],
  );
  if (answered)
    await db.query(`UPDATE desk_claims SET answered_at = COALESCE(answered_at, now()) WHERE cluster_id = $1`, [id]);
  else await db.query(`UPDATE desk_claims SET answered_at = NULL WHERE cluster_id = $1`, [id]);
}

export const clustersWaitingFor = (db: Db, factcheckId: number) =>
  db.query<{ id: number }>(`SELECT id FROM desk_clusters WHERE factcheck_id = $1 AND status IN ('new', 'checking')`, [
    factcheckId,
  ]);

/** Claims to notify (have a contact, not yet told), marked as notified. */
export async function takeClaimsToNotify(
  db: Db,
  clusterIds: number[],
): Promise<{ id: number; code: string; contact_email: string; locale: string; text: string }[]> {
  if (clusterIds.length === 0) return [];
  return db.query(
    `UPDATE desk_claims SET notified_at = now() WHERE cluster_id = ANY($1::int[]) AND contact_email IS NOT NULL AND notified_at IS NULL
     RETURNING id, code, contact_email, locale, text`,
    [clusterIds],
  );
}

export async function mergeClusters(db: Db, intoId: number, fromId: number): Promise<void> {
  await db.query(`UPDATE desk_claims SET cluster_id = $1 WHERE cluster_id = $2`, [intoId, fromId]);
  await db.query(
    `UPDATE desk_clusters SET size = (SELECT count(*) FROM desk_claims WHERE cluster_id = $1), updated_at = now() WHERE id = $1`,
    [intoId],
  );
  await db.query(
    `UPDATE desk_clusters SET size = 0, status = 'not_checkable', reason = 'merged', updated_at = now() WHERE id = $1`,
    [fromId],
  );
}

// ---------- figures ----------

export async function deskFigures(db: Db, unitPath: string, from: Date, to: Date) {
  const items = await db.one<{ articles: number; videos: number; factchecks: number }>(
    `WITH root AS (SELECT nlevel($1::ltree) = 1 AS is_root)
     SELECT count(*) FILTER (WHERE kind = 'article')::int AS articles, count(*) FILTER (WHERE kind = 'video')::int AS videos,
            count(*) FILTER (WHERE kind = 'factcheck')::int AS factchecks
     FROM desk_items i, root
     WHERE i.published_at >= $2 AND i.published_at < $3 AND i.status IN ('published', 'unpublished')
       AND (EXISTS (SELECT 1 FROM desk_item_units du JOIN units un ON un.id = du.unit_id WHERE du.item_id = i.id AND un.path <@ $1::ltree)
            OR (root.is_root AND NOT EXISTS (SELECT 1 FROM desk_item_units du WHERE du.item_id = i.id)))`,
    [unitPath, from, to],
  );
  const claims = await db.one<{ received: number; clusters: number; from_members: number }>(
    `WITH root AS (SELECT nlevel($1::ltree) = 1 AS is_root),
     c AS (SELECT c.* FROM desk_claims c LEFT JOIN units un ON un.id = c.unit_id, root
           WHERE (un.path <@ $1::ltree OR (c.unit_id IS NULL AND root.is_root)))
     SELECT count(*) FILTER (WHERE created_at >= $2 AND created_at < $3)::int AS received,
            count(DISTINCT cluster_id) FILTER (WHERE created_at >= $2 AND created_at < $3)::int AS clusters,
            count(*) FILTER (WHERE created_at >= $2 AND created_at < $3 AND source = 'member')::int AS from_members
     FROM c`,
    [unitPath, from, to],
  );
  const answered = await db.one<{ n: number; median: number | null }>(
    `WITH root AS (SELECT nlevel($1::ltree) = 1 AS is_root)
     SELECT count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (c.answered_at - c.created_at)) / 3600.0)::float8 AS median
     FROM desk_claims c LEFT JOIN units un ON un.id = c.unit_id, root
     WHERE c.answered_at >= $2 AND c.answered_at < $3 AND (un.path <@ $1::ltree OR (c.unit_id IS NULL AND root.is_root))`,
    [unitPath, from, to],
  );
  return { ...items!, ...claims!, answered: answered!.n, median: answered!.median };
}

export const unitByCode = (db: Db, code: string) =>
  db.one<{ id: number; code: string; name: string; full_name: string; name_en: string | null; path: string }>(
    `SELECT id, code, name, full_name, name_en, path::text AS path FROM units WHERE code = $1 AND retired_at IS NULL`,
    [code],
  );

export const unitsByIds = (db: Db, ids: number[]) =>
  db.query<{ id: number; code: string; full_name: string; name_en: string | null }>(
    `SELECT id, code, full_name, name_en FROM units WHERE id = ANY($1::int[]) ORDER BY full_name`,
    [ids],
  );
