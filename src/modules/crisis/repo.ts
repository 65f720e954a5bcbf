/** The crisis module's SQL, and only SQL. */
import type { Db } from '../../db/client.js';

export type IncidentType = 'natural' | 'public_order' | 'health' | 'infrastructure' | 'other';
export type Severity = 'minor' | 'moderate' | 'severe' | 'extreme';
export type IncidentStatus = 'active' | 'monitoring' | 'closed';
export type StatementKind = 'notice' | 'update' | 'correction';
export type StatementStatus = 'draft' | 'submitted' | 'released';
export type ListKind = 'press' | 'officials' | 'unit_leaders' | 'network' | 'custom';

export interface IncidentRow {
  id: number;
  title: string;
  title_en: string | null;
  type: IncidentType;
  severity: Severity;
  status: IncidentStatus;
  summary: string;
  summary_en: string | null;
  unit_id: number;
  unit_path: string;
  unit_name: string;
  spokesperson_name: string;
  spokesperson_title: string;
  spokesperson_phone: string;
  spokesperson_email: string;
  hotlines: string;
  public_alert: boolean;
  area_polygon: string | null;
  area_circle: string | null;
  cap_category: CapCategory;
  cap_certainty: CapCertainty;
  alert_instruction: string;
  alert_instruction_en: string | null;
  alert_expires_hours: number;
  version: number;
  opened_at: Date;
  closed_at: Date | null;
  updated_at: Date;
}

export const CAP_CATEGORIES = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const;
export type CapCategory = (typeof CAP_CATEGORIES)[number];
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export type CapCertainty = (typeof CAP_CERTAINTIES)[number];

export interface IncidentFields {
  title: string;
  titleEn: string | null;
  type: IncidentType;
  severity: Severity;
  summary: string;
  summaryEn: string | null;
  unitId: number;
  spokespersonName: string;
  spokespersonTitle: string;
  spokespersonPhone: string;
  spokespersonEmail: string;
  hotlines: string;
  publicAlert: boolean;
  areaPolygon: string | null;
  areaCircle: string | null;
  capCategory: CapCategory;
  capCertainty: CapCertainty;
  alertInstruction: string;
  alertInstructionEn: string | null;
  alertExpiresHours: number;
}

const INCIDENT_COLS = `i.*, u.path::text AS unit_path, u.full_name AS unit_name`;

export async function insertIncident(db: Db, f: IncidentFields, userId: number | null): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO crisis_incidents (title, title_en, type, severity, summary, summary_en, unit_id, spokesperson_name, spokesperson_title,
       spokesperson_phone, spokesperson_email, hotlines, public_alert, area_polygon, area_circle, created_by,
       cap_category, cap_certainty, alert_instruction, alert_instruction_en, alert_expires_hours)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21) RETURNING id`,
    [
      f.title,
      f.titleEn,
      f.type,
      f.severity,
      f.summary,
      f.summaryEn,
      f.unitId,
      f.spokespersonName,
      f.spokespersonTitle,
      f.spokespersonPhone,
      f.spokespersonEmail,
      f.hotlines,
      f.publicAlert,
      f.areaPolygon,
      f.areaCircle,
      userId,
      f.capCategory,
      f.capCertainty,
      f.alertInstruction,
      f.alertInstructionEn,
      f.alertExpiresHours,
    ],
  );
  return r!.id;
}

export async function updateIncident(db: Db, id: number, f: IncidentFields): Promise<void> {
  await db.query(
    `UPDATE crisis_incidents SET title=$2, title_en=$3, type=$4, severity=$5, summary=$6, summary_en=$7, unit_id=$8, spokesperson_name=$9,
       spokesperson_title=$10, spokesperson_phone=$11, spokesperson_email=$12, hotlines=$13, public_alert=$14, area_polygon=$15, area_circle=$16,
       cap_category=$17, cap_certainty=$18, alert_instruction=$19, alert_instruction_en=$20, alert_expires_hours=$21,
       version = version + 1, updated_at = now()
     WHERE id = $1`,
    [
      id,
      f.title,
      f.titleEn,
      f.type,
      f.severity,
      f.summary,
      f.summaryEn,
      f.unitId,
      f.spokespersonName,
      f.spokespersonTitle,
      f.spokespersonPhone,
      f.spokespersonEmail,
      f.hotlines,
      f.publicAlert,
      f.areaPolygon,
      f.areaCircle,
      f.capCategory,
      f.capCertainty,
      f.alertInstruction,
      f.alertInstructionEn,
      f.alertExpiresHours,
    ],
  );
}

export async function setIncidentStatus(db: Db, id: number, status: IncidentStatus): Promise<void> {
  await db.query(
    `UPDATE crisis_incidents SET status = $2, closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE NULL END, version = version + 1, updated_at = now() WHERE id = $1`,
    [id, status],
  );
}

export const bumpVersion = (db: Db, id: number) =>
  db.query(`UPDATE crisis_incidents SET version = version + 1, updated_at = now() WHERE id = $1`, [id]);

export const incidentVersion = async (db: Db, id: number) =>
  (await db.one<{ version: number }>(`SELECT version FROM crisis_incidents WHERE id = $1`, [id]))?.version ?? null;

export const getIncident = (db: Db, id: number) =>
  db.one<IncidentRow>(
    `SELECT ${INCIDENT_COLS} FROM crisis_incidents i JOIN units u ON u.id = i.unit_id WHERE i.id = $1`,
    [id],
  );

export function listIncidents(
  db: Db,
  opts: { statuses?: IncidentStatus[]; limit?: number } = {},
): Promise<IncidentRow[]> {
  return db.query<IncidentRow>(
    `SELECT ${INCIDENT_COLS} FROM crisis_incidents i JOIN units u ON u.id = i.unit_id
     WHERE ($1::text[] IS NULL OR i.status = ANY($1::text[]))
     ORDER BY (i.status = 'closed'), i.opened_at DESC LIMIT $2`,
    [opts.statuses ?? null, opts.limit ?? 100],
  );
}

export async function setIncidentUnits(db: Db, id: number, unitIds: number[]): Promise<void> {
  await db.query(`DELETE FROM crisis_incident_units WHERE incident_id = $1`, [id]);
  await db.query(
    `INSERT INTO crisis_incident_units (incident_id, unit_id) SELECT $1, x FROM unnest($2::int[]) AS x ON CONFLICT DO NOTHING`,
    [id, unitIds],
  );
}

export interface UnitRef {
  id: number;
  code: string;
  full_name: string;
  name_en: string | null;
  path: string;
}

export const incidentUnits = (db: Db, id: number) =>
  db.query<UnitRef>(
    `SELECT u.id, u.code, u.full_name, u.name_en, u.path::text AS path FROM crisis_incident_units iu JOIN units u ON u.id = iu.unit_id
     WHERE iu.incident_id = $1 ORDER BY u.depth, u.full_name`,
    [id],
  );

export const activeUnits = (db: Db) =>
  db.query<UnitRef>(
    `SELECT id, code, full_name, name_en, path::text AS path FROM units WHERE retired_at IS NULL ORDER BY depth, full_name LIMIT 500`,
  );

export const unitById = (db: Db, id: number) =>
  db.one<UnitRef>(`SELECT id, code, full_name, name_en, path::text AS path FROM units WHERE id = $1`, [id]);

export interface TeamRow {
  user_id: number;
  name: string;
  email: string;
  role: 'drafter' | 'spokesperson';
}

export const listTeam = (db: Db, incidentId: number) =>
  db.query<TeamRow>(
    `SELECT t.user_id, u.name, u.email, t.role FROM crisis_team t JOIN users u ON u.id = t.user_id WHERE t.incident_id = $1 ORDER BY t.added_at`,
    [incidentId],
  );

export const teamRole = async (db: Db, incidentId: number, userId: number) =>
  (
    await db.one<{ role: 'drafter' | 'spokesperson' }>(
      `SELECT role FROM crisis_team WHERE incident_id = $1 AND user_id = $2`,
      [incidentId, userId],
    )
  )?.role ?? null;

export const upsertTeamMember = (db: Db, incidentId: number, userId: number, role: string) =>
  db.query(
    `INSERT INTO crisis_team (incident_id, user_id, role) VALUES ($1,$2,$3) ON CONFLICT (incident_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [incidentId, userId, role],
  );

export const userByEmail = (db: Db, email: string) =>
  db.one<{ id: number; name: string; email: string }>(
    `SELECT id, name, email FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL`,
    [email],
  );

export const teamIncidentIds = async (db: Db, userId: number) =>
  (await db.query<{ incident_id: number }>(`SELECT incident_id FROM crisis_team WHERE user_id = $1`, [userId])).map(
    (r) => r.incident_id,
  );

/** Whether the user holds a staff role (not a network membership) on `unitPath` or a unit below it. */
export const isStaffWithin = async (db: Db, userId: number, unitPath: string) =>
  Boolean(
    await db.one(
      `SELECT 1 FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 AND g.role <> 'member' AND u.path <@ $2::ltree LIMIT 1`,
      [userId, unitPath],
    ),
  );

export const linkFactcheck = (db: Db, incidentId: number, itemId: number) =>
  db.query(`INSERT INTO crisis_incident_factchecks (incident_id, item_id) VALUES ($1,$2) ON CONFLICT DO NOTHING`, [
    incidentId,
    itemId,
  ]);

export const factcheckIds = async (db: Db, incidentId: number) =>
  (
    await db.query<{ item_id: number }>(
      `SELECT item_id FROM crisis_incident_factchecks WHERE incident_id = $1 ORDER BY added_at DESC`,
      [incidentId],
    )
  ).map((r) => r.item_id);

// ---------- statements ----------

export interface StatementRow {
  id: number;
  incident_id: number | null;
  unit_id: number;
  unit_path: string;
  refers_to: number | null;
  refers_number: string | null;
  kind: StatementKind;
  title: string;
  title_en: string | null;
  body: string;
  body_en: string | null;
  status: StatementStatus;
  seq: number | null;
  number: string | null;
  drafted_by: number | null;
  drafter_name: string | null;
  approved_by: number | null;
  approver_name: string | null;
  return_note: string | null;
  released_at: Date | null;
  code: string | null;
  signature: string | null;
  key_id: string | null;
  created_at: Date;
  updated_at: Date;
  /** Which version of the text this is (1 = as first drafted), and who made it: they may not approve it. */
  text_version: number;
  text_edited_by: number | null;
  text_editor_name: string | null;
}

const STMT_COLS = `s.id, s.incident_id, s.unit_id, u.path::text AS unit_path, s.refers_to, r.number AS refers_number, s.kind, s.title, s.title_en, s.body, s.body_en,
  s.status, s.seq, s.number, s.drafted_by, d.name AS drafter_name, s.approved_by, a.name AS approver_name, s.return_note, s.released_at, s.code,
  s.signature, s.key_id, s.created_at, s.updated_at, s.text_version, s.text_edited_by, e.name AS text_editor_name`;
const STMT_FROM = `crisis_statements s JOIN units u ON u.id = s.unit_id LEFT JOIN crisis_statements r ON r.id = s.refers_to
  LEFT JOIN users d ON d.id = s.drafted_by LEFT JOIN users a ON a.id = s.approved_by LEFT JOIN users e ON e.id = s.text_edited_by`;

export interface StatementFields {
  incidentId: number | null;
  unitId: number;
  refersTo: number | null;
  kind: StatementKind;
  title: string;
  titleEn: string | null;
  body: string;
  bodyEn: string | null;
}

export async function insertStatement(db: Db, f: StatementFields, userId: number): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO crisis_statements (incident_id, unit_id, refers_to, kind, title, title_en, body, body_en, drafted_by, text_edited_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING id`,
    [f.incidentId, f.unitId, f.refersTo, f.kind, f.title, f.titleEn, f.body, f.bodyEn, userId],
  );
  return r!.id;
}

/** Saves a new version of a draft's text, made by `userId`; null when it is no longer a draft. */
export async function updateDraft(db: Db, id: number, f: StatementFields, userId: number): Promise<number | null> {
  const r = await db.one<{ text_version: number }>(
    `UPDATE crisis_statements SET refers_to=$2, kind=$3, title=$4, title_en=$5, body=$6, body_en=$7, unit_id=$8, updated_at=now(),
       text_version = text_version + 1, text_edited_by = $9
     WHERE id=$1 AND status='draft' RETURNING text_version`,
    [id, f.refersTo, f.kind, f.title, f.titleEn, f.body, f.bodyEn, f.unitId, userId],
  );
  return r?.text_version ?? null;
}

export const insertStatementVersion = (
  db: Db,
  id: number,
  version: number,
  f: Omit<StatementFields, 'incidentId'>,
  listIds: number[],
  userId: number,
) =>
  db.query(
    `INSERT INTO crisis_statement_versions (statement_id, version, kind, refers_to, unit_id, title, title_en, body, body_en, list_ids, edited_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [
      id,
      version,
      f.kind,
      f.refersTo,
      f.unitId,
      f.title,
      f.titleEn,
      f.body,
      f.bodyEn,
      [...listIds].sort((a, b) => a - b),
      userId,
    ],
  );

export interface StatementVersionRow {
  version: number;
  edited_by: number | null;
  editor_name: string | null;
  edited_at: Date;
}

export const statementVersions = (db: Db, id: number) =>
  db.query<StatementVersionRow>(
    `SELECT v.version, v.edited_by, u.name AS editor_name, v.edited_at FROM crisis_statement_versions v LEFT JOIN users u ON u.id = v.edited_by
     WHERE v.statement_id = $1 ORDER BY v.version`,
    [id],
  );

export const setStatementStatus = async (
  db: Db,
  id: number,
  from: StatementStatus,
  to: StatementStatus,
  note: string | null = null,
) =>
  (
    await db.query(
      `UPDATE crisis_statements SET status=$3, return_note=$4, updated_at=now() WHERE id=$1 AND status=$2 RETURNING id`,
      [id, from, to, note],
    )
  ).length > 0;

export const getStatement = (db: Db, id: number) =>
  db.one<StatementRow>(`SELECT ${STMT_COLS} FROM ${STMT_FROM} WHERE s.id = $1`, [id]);
export const getStatementForUpdate = (db: Db, id: number) =>
  db.one<{ id: number; status: StatementStatus; drafted_by: number | null; text_edited_by: number | null }>(
    `SELECT id, status, drafted_by, text_edited_by FROM crisis_statements WHERE id = $1 FOR UPDATE`,
    [id],
  );
export const statementByNumber = (db: Db, number: string) =>
  db.one<StatementRow>(`SELECT ${STMT_COLS} FROM ${STMT_FROM} WHERE s.number = $1 AND s.status = 'released'`, [number]);
export const statementByCode = (db: Db, code: string) =>
  db.one<StatementRow>(`SELECT ${STMT_COLS} FROM ${STMT_FROM} WHERE s.code = $1 AND s.status = 'released'`, [code]);
export const statementByTextHash = (db: Db, hash: string) =>
  db.one<StatementRow>(
    `SELECT ${STMT_COLS} FROM ${STMT_FROM} WHERE s.status = 'released' AND s.text_hashes @> ARRAY[$1]::text[] ORDER BY s.released_at DESC LIMIT 1`,
    [hash],
  );

/** The released statement whose text is most like `text` (to show residents the real one). */
export const closestStatement = (db: Db, text: string) =>
  db.one<StatementRow & { sim: number }>(
    `SELECT ${STMT_COLS}, greatest(similarity(s.body, $1), similarity(coalesce(s.body_en, ''), $1)) AS sim FROM ${STMT_FROM}
     WHERE s.status = 'released' ORDER BY sim DESC, s.released_at DESC LIMIT 1`,
    [text],
  );

export function listStatements(
  db: Db,
  opts: { incidentId?: number | null; status?: StatementStatus; limit?: number; outsideIncidents?: boolean },
): Promise<StatementRow[]> {
  return db.query<StatementRow>(
    `SELECT ${STMT_COLS} FROM ${STMT_FROM}
     WHERE ($1::int IS NULL OR s.incident_id = $1) AND ($2::text IS NULL OR s.status = $2) AND (NOT $4 OR s.incident_id IS NULL)
     ORDER BY s.released_at DESC NULLS FIRST, s.id DESC LIMIT $3`,
    [opts.incidentId ?? null, opts.status ?? null, opts.limit ?? 200, opts.outsideIncidents ?? false],
  );
}

export const laterStatements = (db: Db, id: number) =>
  db.query<StatementRow>(
    `SELECT ${STMT_COLS} FROM ${STMT_FROM} WHERE s.refers_to = $1 AND s.status = 'released' ORDER BY s.released_at`,
    [id],
  );

/** The next number in the year; the advisory lock serialises numbering across processes. */
export async function nextSeq(db: Db, year: number): Promise<number> {
  await db.query(`SELECT pg_advisory_xact_lock(7412050)`);
  const r = await db.one<{ n: number }>(
    `SELECT coalesce(max(seq), 0) + 1 AS n FROM crisis_statements WHERE number LIKE $1`,
    [`${year}-%`],
  );
  return r!.n;
}

export async function markReleased(
  db: Db,
  id: number,
  f: {
    seq: number;
    number: string;
    releasedAt: Date;
    approvedBy: number;
    code: string;
    signature: string;
    keyId: string;
    hashes: string[];
  },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE crisis_statements SET status='released', seq=$2, number=$3, released_at=$4, approved_by=$5, code=$6, signature=$7, key_id=$8, text_hashes=$9, updated_at=now()
     WHERE id=$1 AND status='submitted' RETURNING id`,
    [id, f.seq, f.number, f.releasedAt, f.approvedBy, f.code, f.signature, f.keyId, f.hashes],
  );
  return r.length > 0;
}

export const codeTaken = async (db: Db, code: string) =>
  Boolean(await db.one(`SELECT 1 FROM crisis_statements WHERE code = $1`, [code]));

export async function setStatementLists(db: Db, id: number, listIds: number[]): Promise<void> {
  await db.query(`DELETE FROM crisis_statement_lists WHERE statement_id = $1`, [id]);
  await db.query(
    `INSERT INTO crisis_statement_lists (statement_id, list_id) SELECT $1, x FROM unnest($2::int[]) AS x ON CONFLICT DO NOTHING`,
    [id, listIds],
  );
}

export const statementListIds = async (db: Db, id: number) =>
  (await db.query<{ list_id: number }>(`SELECT list_id FROM crisis_statement_lists WHERE statement_id = $1`, [id])).map(
    (r) => r.list_id,
  );

// ---------- distribution ----------

export interface ListRow {
  id: number;
  name: string;
  kind: ListKind;
  unit_id: number;
  unit_path: string;
  contacts: number;
}

export const listLists = (db: Db) =>
  db.query<ListRow>(
    `SELECT l.id, l.name, l.kind, l.unit_id, u.path::text AS unit_path, (SELECT count(*)::int FROM crisis_contacts c WHERE c.list_id = l.id) AS contacts
     FROM crisis_lists l JOIN units u ON u.id = l.unit_id ORDER BY l.kind, l.name`,
  );

export const getList = (db: Db, id: number) =>
  db.one<ListRow>(
    `SELECT l.id, l.name, l.kind, l.unit_id, u.path::text AS unit_path, (SELECT count(*)::int FROM crisis_contacts c WHERE c.list_id = l.id) AS contacts
     FROM crisis_lists l JOIN units u ON u.id = l.unit_id WHERE l.id = $1`,
    [id],
  );

export const insertList = async (db: Db, name: string, kind: ListKind, unitId: number) =>
  (await db.one<{ id: number }>(`INSERT INTO crisis_lists (name, kind, unit_id) VALUES ($1,$2,$3) RETURNING id`, [
    name,
    kind,
    unitId,
  ]))!.id;

export interface ContactRow {
  id: number;
  list_id: number;
  name: string;
  organisation: string;
  channel: 'email' | 'webhook';
  address: string;
  locale: 'vi' | 'en';
  webhook_url: string | null;
}

export const listContacts = (db: Db, listId: number) =>
  db.query<ContactRow>(
    `SELECT c.*, w.url AS webhook_url FROM crisis_contacts c LEFT JOIN webhook_endpoints w ON c.channel = 'webhook' AND w.id::text = c.address
     WHERE c.list_id = $1 ORDER BY c.name`,
    [listId],
  );

export const insertContact = async (
  db: Db,
  c: {
    listId: number;
    name: string;
    organisation: string;
    channel: 'email' | 'webhook';
    address: string;
    locale: string;
  },
) =>
  (await db.one<{ id: number }>(
    `INSERT INTO crisis_contacts (list_id, name, organisation, channel, address, locale) VALUES ($1,$2,$3,$4,$5,$6)
     ON CONFLICT (list_id, channel, address) DO UPDATE SET name = EXCLUDED.name, organisation = EXCLUDED.organisation RETURNING id`,
    [c.listId, c.name, c.organisation, c.channel, c.address, c.locale],
  ))!.id;

export const getContact = (db: Db, listId: number, id: number) =>
  db.one<ContactRow>(
    `SELECT c.*, w.url AS webhook_url FROM crisis_contacts c LEFT JOIN webhook_endpoints w ON c.channel = 'webhook' AND w.id::text = c.address
     WHERE c.list_id = $1 AND c.id = $2`,
    [listId, id],
  );

/** Changes a contact; false when another contact of the list already has that address. */
export async function updateContact(
  db: Db,
  id: number,
  c: { name: string; organisation: string; address: string; locale: string },
): Promise<boolean> {
  const clash = await db.one(
    `SELECT 1 FROM crisis_contacts o, crisis_contacts c WHERE c.id = $1 AND o.list_id = c.list_id AND o.channel = c.channel AND o.id <> c.id AND lower(o.address) = lower($2)`,
    [id, c.address],
  );
  if (clash) return false;
  await db.query(`UPDATE crisis_contacts SET name = $2, organisation = $3, address = $4, locale = $5 WHERE id = $1`, [
    id,
    c.name,
    c.organisation,
    c.address,
    c.locale,
  ]);
  return true;
}

export const deleteContact = (db: Db, id: number) => db.query(`DELETE FROM crisis_contacts WHERE id = $1`, [id]);

export const updateWebhookEndpoint = (db: Db, id: number, name: string, url: string, secret: string | null) =>
  db.query(`UPDATE webhook_endpoints SET name = $2, url = $3, secret = coalesce($4, secret) WHERE id = $1`, [
    id,
    name,
    url,
    secret,
  ]);

export const deactivateWebhookEndpoint = (db: Db, id: number) =>
  db.query(`UPDATE webhook_endpoints SET active = false WHERE id = $1`, [id]);

export const contactExists = async (db: Db, listId: number, channel: string, address: string) =>
  Boolean(
    await db.one(`SELECT 1 FROM crisis_contacts WHERE list_id = $1 AND channel = $2 AND lower(address) = lower($3)`, [
      listId,
      channel,
      address,
    ]),
  );

/** Bulk contacts (benchmarks, imports): one statement. */
export const insertContactsBulk = (
  db: Db,
  listId: number,
  rows: { name: string; channel: 'email' | 'webhook'; address: string }[],
) =>
  db.query(
    `INSERT INTO crisis_contacts (list_id, name, channel, address) SELECT $1, x.name, x.channel, x.address
     FROM jsonb_to_recordset($2::jsonb) AS x(name text, channel text, address text) ON CONFLICT DO NOTHING`,
    [listId, JSON.stringify(rows)],
  );

/** Webhook gateways are platform webhook endpoints subscribed only to crisis statements. */
export const insertWebhookEndpoint = async (db: Db, name: string, url: string, secret: string) =>
  (await db.one<{ id: number }>(
    `INSERT INTO webhook_endpoints (name, url, secret, events) VALUES ($1,$2,$3,ARRAY['crisis.statement']) RETURNING id`,
    [name, url, secret],
  ))!.id;

export const contactsOfLists = (db: Db, listIds: number[]) =>
  db.query<{ channel: 'email' | 'webhook'; address: string; locale: 'vi' | 'en' }>(
    `SELECT DISTINCT ON (channel, lower(address)) channel, address, locale FROM crisis_contacts WHERE list_id = ANY($1::int[]) ORDER BY channel, lower(address), id`,
    [listIds],
  );

export const pushSubscriptionsOf = (db: Db, userIds: number[]) =>
  db.query<{ id: number }>(`SELECT id FROM push_subscriptions WHERE user_id = ANY($1::int[])`, [userIds]);

export const deliveriesStarted = async (db: Db, statementId: number) =>
  Boolean(
    await db.one(`SELECT 1 FROM notifications WHERE ref_type = 'crisis.statement' AND ref_id = $1 LIMIT 1`, [
      String(statementId),
    ]),
  );

export interface DeliveryCounts {
  total: number;
  queued: number;
  sent: number;
  failed: number;
  retrying: number;
}

export async function deliveryCounts(db: Db, statementIds: number[]): Promise<DeliveryCounts> {
  const r = await db.one<DeliveryCounts>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE status='queued')::int AS queued, count(*) FILTER (WHERE status='sent')::int AS sent,
       count(*) FILTER (WHERE status='failed')::int AS failed, count(*) FILTER (WHERE status='retrying')::int AS retrying
     FROM notifications WHERE ref_type = 'crisis.statement' AND ref_id = ANY($1::text[])`,
    [statementIds.map(String)],
  );
  return r!;
}

export interface DeliveryRow {
  id: number;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
  contact_name: string | null;
  webhook_name: string | null;
}

export const undelivered = (db: Db, statementId: number, limit = 500) =>
  db.query<DeliveryRow>(
    `SELECT n.id, n.channel, n.recipient, n.status, n.attempts, n.last_error,
       (SELECT c.name FROM crisis_contacts c WHERE c.channel = n.channel AND lower(c.address) = lower(n.recipient) LIMIT 1) AS contact_name,
       (SELECT w.name FROM webhook_endpoints w WHERE n.channel = 'webhook' AND w.id::text = n.recipient) AS webhook_name
     FROM notifications n WHERE n.ref_type = 'crisis.statement' AND n.ref_id = $1 AND n.status <> 'sent' ORDER BY n.status, n.id LIMIT $2`,
    [String(statementId), limit],
  );

export const failedNotificationIds = async (db: Db, statementId: number) =>
  (
    await db.query<{ id: number }>(
      `SELECT n.id FROM notifications n WHERE n.ref_type = 'crisis.statement' AND n.ref_id = $1 AND n.status = 'failed'
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.type = 'notify.deliver' AND j.status IN ('queued','running') AND (j.payload->>'notificationId')::bigint = n.id)`,
      [String(statementId)],
    )
  ).map((r) => r.id);

// ---------- alerts ----------

export interface AlertRow {
  id: number;
  incident_id: number;
  statement_id: number | null;
  identifier: string;
  msg_type: 'Alert' | 'Update' | 'Cancel';
  refs: string;
  sent_at: Date;
  data: Record<string, unknown>;
}

export const insertAlert = async (
  db: Db,
  a: {
    incidentId: number;
    statementId: number | null;
    identifier: string;
    msgType: string;
    refs: string;
    sentAt: Date;
    data: unknown;
  },
) =>
  (await db.one<{ id: number }>(
    `INSERT INTO crisis_alerts (incident_id, statement_id, identifier, msg_type, refs, sent_at, data) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [a.incidentId, a.statementId, a.identifier, a.msgType, a.refs, a.sentAt, JSON.stringify(a.data)],
  ))!.id;

export const alertsOfIncident = (db: Db, incidentId: number) =>
  db.query<AlertRow>(`SELECT * FROM crisis_alerts WHERE incident_id = $1 ORDER BY id`, [incidentId]);
export const getAlert = (db: Db, id: number) => db.one<AlertRow>(`SELECT * FROM crisis_alerts WHERE id = $1`, [id]);

/** The latest alert of each open incident, and the closing message of incidents closed within `keepClosedHours`. */
export const activeAlerts = (db: Db, keepClosedHours: number) =>
  db.query<AlertRow & { title: string }>(
    `SELECT DISTINCT ON (a.incident_id) a.*, i.title FROM crisis_alerts a JOIN crisis_incidents i ON i.id = a.incident_id
     WHERE i.public_alert AND (i.status <> 'closed' OR i.closed_at > now() - make_interval(hours => $1))
       AND (a.msg_type <> 'Cancel' OR i.status = 'closed')
     ORDER BY a.incident_id, a.id DESC`,
    [keepClosedHours],
  );

// ---------- events ----------

export interface EventRow {
  id: number;
  incident_id: number | null;
  statement_id: number | null;
  at: Date;
  kind: string;
  public: boolean;
  actor_label: string;
  data: Record<string, string | number>;
}

export const insertEvent = (
  db: Db,
  e: {
    incidentId: number | null;
    statementId?: number | null;
    kind: string;
    public: boolean;
    actorLabel: string;
    data?: Record<string, unknown>;
  },
) =>
  db.query(
    `INSERT INTO crisis_events (incident_id, statement_id, kind, public, actor_label, data) VALUES ($1,$2,$3,$4,$5,$6)`,
    [e.incidentId, e.statementId ?? null, e.kind, e.public, e.actorLabel, JSON.stringify(e.data ?? {})],
  );

export const eventsOf = (db: Db, incidentId: number, publicOnly: boolean) =>
  db.query<EventRow>(`SELECT * FROM crisis_events WHERE incident_id = $1 AND ($2 = false OR public) ORDER BY at, id`, [
    incidentId,
    publicOnly,
  ]);

// ---------- signing keys ----------

export interface SigningKeyRow {
  id: number;
  key_id: string;
  algorithm: string;
  public_key_pem: string;
  created_at: Date;
  valid_from: Date;
  retired_at: Date | null;
  reason: string | null;
  compromised_since: Date | null;
  created_by_name: string | null;
  retired_by_name: string | null;
}

const KEY_COLS = `k.id, k.key_id, k.algorithm, k.public_key_pem, k.created_at, k.valid_from, k.retired_at, k.reason, k.compromised_since,
  cu.name AS created_by_name, ru.name AS retired_by_name`;
const KEY_FROM = `crisis_signing_keys k LEFT JOIN users cu ON cu.id = k.created_by LEFT JOIN users ru ON ru.id = k.retired_by`;

/** Every key, the current one first, then the most recently retired. */
export const listSigningKeys = (db: Db) =>
  db.query<SigningKeyRow>(
    `SELECT ${KEY_COLS} FROM ${KEY_FROM} ORDER BY (k.retired_at IS NULL) DESC, k.retired_at DESC, k.id DESC`,
  );

/** The staff list: with how many released statements each key signed. */
export const listSigningKeysWithCounts = (db: Db) =>
  db.query<SigningKeyRow & { signed: number }>(
    `SELECT ${KEY_COLS}, (SELECT count(*)::int FROM crisis_statements s WHERE s.key_id = k.key_id AND s.status = 'released') AS signed
     FROM ${KEY_FROM} ORDER BY (k.retired_at IS NULL) DESC, k.retired_at DESC, k.id DESC`,
  );

export const signingKeyById = (db: Db, keyId: string) =>
  db.one<SigningKeyRow>(`SELECT ${KEY_COLS} FROM ${KEY_FROM} WHERE k.key_id = $1`, [keyId]);

/** The current key with its private half (signing only). */
export const currentSigningKey = (db: Db) =>
  db.one<{
    id: number;
    key_id: string;
    public_key_pem: string;
    private_key_pem: string;
    created_at: Date;
    valid_from: Date;
  }>(
    `SELECT id, key_id, public_key_pem, private_key_pem, created_at, valid_from FROM crisis_signing_keys WHERE retired_at IS NULL`,
  );

/** Inserts a key unless one is already current (two processes starting at once make one key). */
export async function insertFirstSigningKey(
  db: Db,
  k: { keyId: string; publicKeyPem: string; privateKeyPem: string; at: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO crisis_signing_keys (key_id, public_key_pem, private_key_pem, created_at, valid_from) VALUES ($1,$2,$3,$4,$4)
     ON CONFLICT DO NOTHING`,
    [k.keyId, k.publicKeyPem, k.privateKeyPem, k.at],
  );
}

/** Rotation and signing exclude each other: a release holds the shared lock while it signs, rotation the exclusive one. */
export const lockKeysShared = (db: Db) => db.query(`SELECT pg_advisory_xact_lock_shared(7412051)`);
export const lockKeysExclusive = (db: Db) => db.query(`SELECT pg_advisory_xact_lock(7412051)`);

/** The latest release time signed with a key (a retirement never predates what the key already signed). */
export const lastSignedAt = async (db: Db, keyId: string) =>
  (
    await db.one<{ at: Date | null }>(
      `SELECT max(released_at) AS at FROM crisis_statements WHERE key_id = $1 AND status = 'released'`,
      [keyId],
    )
  )?.at ?? null;

export const countSignedWith = async (db: Db, keyId: string, since: Date | null = null) =>
  (await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM crisis_statements WHERE key_id = $1 AND status = 'released' AND ($2::timestamptz IS NULL OR released_at >= $2)`,
    [keyId, since],
  ))!.n;

export async function retireSigningKey(
  db: Db,
  id: number,
  f: { at: Date; reason: string; compromisedSince: Date | null; userId: number | null },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE crisis_signing_keys SET retired_at = $2, reason = $3, compromised_since = $4, retired_by = $5 WHERE id = $1 AND retired_at IS NULL RETURNING id`,
    [id, f.at, f.reason, f.compromisedSince, f.userId],
  );
  return r.length > 0;
}

/** A key already retired is found leaked later: statements it signed since `since` get the warning. */
export async function markKeyCompromised(db: Db, id: number, since: Date, reason: string): Promise<void> {
  await db.query(
    `UPDATE crisis_signing_keys SET compromised_since = LEAST(coalesce(compromised_since, $2), $2), reason = concat_ws(' — ', reason, $3::text) WHERE id = $1 AND retired_at IS NOT NULL`,
    [id, since, reason],
  );
}

export async function insertSigningKey(
  db: Db,
  k: { keyId: string; publicKeyPem: string; privateKeyPem: string; at: Date; userId: number | null },
): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO crisis_signing_keys (key_id, public_key_pem, private_key_pem, created_at, valid_from, created_by) VALUES ($1,$2,$3,$4,$4,$5) RETURNING id`,
    [k.keyId, k.publicKeyPem, k.privateKeyPem, k.at, k.userId],
  );
  return r!.id;
}

export const rootUnit = (db: Db) =>
  db.one<{ id: number; path: string }>(
    `SELECT id, path::text AS path FROM units WHERE parent_id IS NULL AND retired_at IS NULL ORDER BY id LIMIT 1`,
  );

// ---------- figures ----------

export async function figureCounts(db: Db, unitPath: string, from: Date, to: Date) {
  const r = await db.one<{ incidents: number; statements: number }>(
    `SELECT (SELECT count(*)::int FROM crisis_incidents i JOIN units u ON u.id = i.unit_id WHERE u.path <@ $1::ltree AND i.opened_at >= $2 AND i.opened_at < $3) AS incidents,
            (SELECT count(*)::int FROM crisis_statements s JOIN units u ON u.id = s.unit_id WHERE u.path <@ $1::ltree AND s.status = 'released' AND s.released_at >= $2 AND s.released_at < $3) AS statements`,
    [unitPath, from, to],
  );
  const d = await db.one<{ deliveries: number; delivered: number }>(
    `SELECT count(*)::int AS deliveries, count(*) FILTER (WHERE n.status = 'sent')::int AS delivered
     FROM notifications n JOIN crisis_statements s ON n.ref_type = 'crisis.statement' AND n.ref_id = s.id::text JOIN units u ON u.id = s.unit_id
     WHERE u.path <@ $1::ltree AND n.created_at >= $2 AND n.created_at < $3`,
    [unitPath, from, to],
  );
  return { ...r!, ...d! };
}

export const releasedSummaries = (db: Db, ids: number[] | null, limit: number) =>
  db.query<{ id: number; number: string; title: string; released_at: Date }>(
    `SELECT id, number, title, released_at FROM crisis_statements WHERE status = 'released' AND ($1::int[] IS NULL OR id = ANY($1::int[]))
     ORDER BY released_at DESC LIMIT $2`,
    [ids, limit],
  );

export const awaitingCount = async (db: Db) =>
  (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM crisis_statements WHERE status = 'submitted'`))!.n;
