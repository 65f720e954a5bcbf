/** The exchange's SQL, and only SQL. */
import type { Db } from '../../db/client.js';
import type { ParsedItem, ParsedTombstone } from './service/claimreview.js';

export type SourceKind = 'partner' | 'feed' | 'pages';

export interface SourceRow {
  id: number;
  kind: SourceKind;
  url: string;
  name: string;
  home_url: string | null;
  page_urls: string[];
  fingerprint: string | null;
  public_key_pem: string | null;
  key_id: string | null;
  share_clusters: boolean;
  receive_clusters: boolean;
  status: 'active' | 'paused';
  problem: string | null;
  problem_detail: string | null;
  problem_at: Date | null;
  cursor: Date | null;
  etag: string | null;
  failures: number;
  next_pull_at: Date;
  last_pull_at: Date | null;
  last_ok_at: Date | null;
  created_at: Date;
  items: number;
}

const SOURCE_SELECT = `SELECT s.*, (SELECT count(*)::int FROM exchange_items i WHERE i.source_id = s.id AND i.removed_at IS NULL) AS items FROM exchange_sources s`;

export const listSources = (db: Db) => db.query<SourceRow>(`${SOURCE_SELECT} ORDER BY s.kind, s.name, s.id`);
export const getSource = (db: Db, id: number) => db.one<SourceRow>(`${SOURCE_SELECT} WHERE s.id = $1`, [id]);
export const getSourceByUrl = (db: Db, url: string) => db.one<SourceRow>(`${SOURCE_SELECT} WHERE s.url = $1`, [url]);
export const lockSource = (db: Db, id: number) =>
  db.one<{ id: number }>(`SELECT id FROM exchange_sources WHERE id = $1 FOR UPDATE`, [id]);

export async function insertSource(
  db: Db,
  s: {
    kind: SourceKind;
    url: string;
    name: string;
    homeUrl: string | null;
    pageUrls: string[];
    fingerprint: string | null;
    publicKeyPem: string | null;
    keyId: string | null;
    userId: number | null;
  },
): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO exchange_sources (kind, url, name, home_url, page_urls, fingerprint, public_key_pem, key_id, created_by) VALUES ($1,$2,$3,$4,$5::jsonb,$6,$7,$8,$9) RETURNING id`,
    [s.kind, s.url, s.name, s.homeUrl, JSON.stringify(s.pageUrls), s.fingerprint, s.publicKeyPem, s.keyId, s.userId],
  );
  return r!.id;
}

/** A new pin (after the partner changed its key): the partner is resumed and pulled soon. */
export async function repinSource(
  db: Db,
  id: number,
  k: { fingerprint: string; publicKeyPem: string; keyId: string; name: string },
): Promise<void> {
  await db.query(
    `UPDATE exchange_sources SET fingerprint = $2, public_key_pem = $3, key_id = $4, name = CASE WHEN $5 = '' THEN name ELSE $5 END,
       status = 'active', problem = NULL, problem_detail = NULL, problem_at = NULL, failures = 0, next_pull_at = now() WHERE id = $1`,
    [id, k.fingerprint, k.publicKeyPem, k.keyId, k.name],
  );
}

export async function resumeSource(db: Db, id: number): Promise<void> {
  await db.query(
    `UPDATE exchange_sources SET status = 'active', problem = NULL, problem_detail = NULL, problem_at = NULL, failures = 0, next_pull_at = now() WHERE id = $1`,
    [id],
  );
}

export async function setSharing(db: Db, id: number, share: boolean, receive: boolean): Promise<void> {
  await db.query(`UPDATE exchange_sources SET share_clusters = $2, receive_clusters = $3 WHERE id = $1`, [
    id,
    share,
    receive,
  ]);
}

export const deleteSource = (db: Db, id: number) => db.query(`DELETE FROM exchange_sources WHERE id = $1`, [id]);

/** A pull that failed: paused (needs an admin) or retried later (back-off), the reason kept for the admin page. */
export async function recordProblem(
  db: Db,
  id: number,
  p: { pause: boolean; problem: string; detail: string; nextPullAt: Date },
): Promise<void> {
  await db.query(
    `UPDATE exchange_sources SET status = CASE WHEN $2 THEN 'paused' ELSE status END, problem = $3, problem_detail = $4, problem_at = now(),
       failures = failures + 1, next_pull_at = $5, last_pull_at = now() WHERE id = $1`,
    [id, p.pause, p.problem, p.detail.slice(0, 1000), p.nextPullAt],
  );
}

export async function recordSuccess(
  db: Db,
  id: number,
  s: { cursor: Date | null; etag: string | null; name: string | null; homeUrl: string | null; nextPullAt: Date },
): Promise<void> {
  await db.query(
    `UPDATE exchange_sources SET cursor = COALESCE($2, cursor), etag = $3, name = COALESCE(NULLIF($4, ''), name), home_url = COALESCE($5, home_url),
       problem = NULL, problem_detail = NULL, problem_at = NULL, failures = 0, next_pull_at = $6, last_pull_at = now(), last_ok_at = now() WHERE id = $1`,
    [id, s.cursor, s.etag, s.name, s.homeUrl, s.nextPullAt],
  );
}

export const dueSources = (db: Db, now: Date) =>
  db.query<{ id: number }>(
    `SELECT id FROM exchange_sources WHERE status = 'active' AND next_pull_at <= $1 ORDER BY next_pull_at, id`,
    [now],
  );

/** Inserts or updates pulled items; an item changed earlier than what we hold is left alone; a re-published one comes back. */
export async function upsertItems(db: Db, sourceId: number, items: ParsedItem[]): Promise<string[]> {
  if (!items.length) return [];
  const rows = await db.query<{ remote_id: string }>(
    `INSERT INTO exchange_items AS e (source_id, remote_id, url, claim, title, summary, rating_value, rating_name, appearances, corrections, places,
       author_name, author_url, language, date_published, date_modified, fetched_at)
     SELECT $1, d.remote_id, d.url, d.claim, d.title, d.summary, d.rating_value, d.rating_name, d.appearances, d.corrections,
       ARRAY(SELECT jsonb_array_elements_text(d.places)), d.author_name, d.author_url, d.language, d.date_published, d.date_modified, now()
     FROM jsonb_to_recordset($2::jsonb) AS d(remote_id text, url text, claim text, title text, summary text, rating_value int, rating_name text,
       appearances jsonb, corrections jsonb, places jsonb, author_name text, author_url text, language text, date_published timestamptz, date_modified timestamptz)
     ON CONFLICT (source_id, remote_id) DO UPDATE SET url = EXCLUDED.url, claim = EXCLUDED.claim, title = EXCLUDED.title, summary = EXCLUDED.summary,
       rating_value = EXCLUDED.rating_value, rating_name = EXCLUDED.rating_name, appearances = EXCLUDED.appearances, corrections = EXCLUDED.corrections,
       places = EXCLUDED.places, author_name = EXCLUDED.author_name, author_url = EXCLUDED.author_url, language = EXCLUDED.language,
       date_published = EXCLUDED.date_published, date_modified = EXCLUDED.date_modified, removed_at = NULL, removed_reason = NULL, fetched_at = now()
     WHERE e.removed_at IS NOT NULL OR e.date_modified IS NULL OR EXCLUDED.date_modified IS NULL OR EXCLUDED.date_modified >= e.date_modified
     RETURNING remote_id`,
    [
      sourceId,
      JSON.stringify(
        items.map((i) => ({
          remote_id: i.remoteId,
          url: i.url,
          claim: i.claim,
          title: i.title,
          summary: i.summary,
          rating_value: i.ratingValue,
          rating_name: i.ratingName,
          appearances: i.appearances,
          corrections: i.corrections,
          places: i.places,
          author_name: i.authorName,
          author_url: i.authorUrl,
          language: i.language,
          date_published: i.datePublished?.toISOString() ?? null,
          date_modified: i.dateModified?.toISOString() ?? null,
        })),
      ),
    ],
  );
  return rows.map((r) => r.remote_id);
}

/** Tombstones: the item stays, marked removed with the publisher's reason, and leaves every list and the matcher. */
export async function removeItems(db: Db, sourceId: number, t: ParsedTombstone[]): Promise<string[]> {
  if (!t.length) return [];
  const rows = await db.query<{ remote_id: string }>(
    `UPDATE exchange_items e SET removed_at = COALESCE(d.date_deleted, now()), removed_reason = d.reason
     FROM jsonb_to_recordset($2::jsonb) AS d(remote_id text, reason text, date_deleted timestamptz)
     WHERE e.source_id = $1 AND e.remote_id = d.remote_id RETURNING e.remote_id`,
    [
      sourceId,
      JSON.stringify(
        t.map((x) => ({ remote_id: x.remoteId, reason: x.reason, date_deleted: x.dateDeleted?.toISOString() ?? null })),
      ),
    ],
  );
  return rows.map((r) => r.remote_id);
}

export interface ItemRow {
  id: number;
  source_id: number;
  remote_id: string;
  url: string;
  claim: string;
  title: string;
  summary: string;
  rating_value: number | null;
  rating_name: string | null;
  appearances: { url: string | null; description: string }[];
  corrections: { text: string; date: string | null }[];
  places: string[];
  author_name: string;
  date_published: Date | null;
  date_modified: Date | null;
  removed_at: Date | null;
  removed_reason: string | null;
  source_name: string;
  source_kind: SourceKind;
  source_home: string | null;
}

const ITEM_SELECT = `SELECT i.id, i.source_id, i.remote_id, i.url, i.claim, i.title, i.summary, i.rating_value, i.rating_name, i.appearances, i.corrections,
  i.places, i.author_name, i.date_published, i.date_modified, i.removed_at, i.removed_reason, s.name AS source_name, s.kind AS source_kind, s.home_url AS source_home
  FROM exchange_items i JOIN exchange_sources s ON s.id = i.source_id`;

export const listItems = (db: Db, f: { limit: number; offset: number }) =>
  db.query<ItemRow>(
    `${ITEM_SELECT} WHERE i.removed_at IS NULL ORDER BY i.date_modified DESC NULLS LAST, i.id DESC LIMIT $1 OFFSET $2`,
    [f.limit, f.offset],
  );
export const getItem = (db: Db, id: number) => db.one<ItemRow>(`${ITEM_SELECT} WHERE i.id = $1`, [id]);
export const itemIdsByRemote = (db: Db, sourceId: number, remoteIds: string[]) =>
  db.query<{ id: number; remote_id: string }>(
    `SELECT id, remote_id FROM exchange_items WHERE source_id = $1 AND remote_id = ANY($2::text[])`,
    [sourceId, remoteIds],
  );
export const itemsByIds = (db: Db, ids: number[]) =>
  db.query<ItemRow>(`${ITEM_SELECT} WHERE i.id = ANY($1::int[])`, [ids]);

export interface ClusterIn {
  remoteId: string;
  text: string;
  size: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** A partner's open clusters, replaced as a whole: a cluster it no longer lists was answered or closed there. */
export async function replaceClusters(db: Db, sourceId: number, clusters: ClusterIn[]): Promise<void> {
  await db.query(`DELETE FROM exchange_clusters WHERE source_id = $1`, [sourceId]);
  if (!clusters.length) return;
  await db.query(
    `INSERT INTO exchange_clusters (source_id, remote_id, text, size, first_seen, last_seen)
     SELECT $1, d.remote_id, d.text, d.size, d.first_seen, d.last_seen FROM jsonb_to_recordset($2::jsonb) AS d(remote_id text, text text, size int, first_seen timestamptz, last_seen timestamptz)
     ON CONFLICT (source_id, remote_id) DO NOTHING`,
    [
      sourceId,
      JSON.stringify(
        clusters.map((c) => ({
          remote_id: c.remoteId,
          text: c.text,
          size: c.size,
          first_seen: c.firstSeen.toISOString(),
          last_seen: c.lastSeen.toISOString(),
        })),
      ),
    ],
  );
}

export const clearClusters = (db: Db, sourceId: number) =>
  db.query(`DELETE FROM exchange_clusters WHERE source_id = $1`, [sourceId]);

export interface WarningRow {
  id: number;
  text: string;
  size: number;
  first_seen: Date;
  last_seen: Date;
  source_name: string;
}

export const listWarnings = (db: Db, limit: number) =>
  db.query<WarningRow>(
    `SELECT c.id, c.text, c.size, c.first_seen, c.last_seen, s.name AS source_name FROM exchange_clusters c JOIN exchange_sources s ON s.id = c.source_id
     WHERE s.receive_clusters ORDER BY c.last_seen DESC, c.id DESC LIMIT $1`,
    [limit],
  );

/** A pinned partner we chose to show our open clusters to, found by the key it signs its request with. */
export const sharingPartnerByKey = (db: Db, keyId: string) =>
  db.one<{ id: number; public_key_pem: string }>(
    `SELECT id, public_key_pem FROM exchange_sources WHERE kind = 'partner' AND key_id = $1 AND share_clusters AND public_key_pem IS NOT NULL ORDER BY id LIMIT 1`,
    [keyId],
  );
