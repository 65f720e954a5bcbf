/** The SQL of claim matching: what the in-process index reads, the change log, and partners' fact-checks. */
import type { Db } from '../../../../db/client.js';

/** One matchable document as the index reads it. */
export interface MatchDocRow {
  ref: string;
  kind: string;
  claim: string;
  title: string;
  short_answer: string;
  explanation: string;
}

export interface ExternalDocRow extends MatchDocRow {
  source_key: string;
  source_name: string;
  source_url: string;
  weight: number;
  ext_id: string;
  verdict: string | null;
  url: string;
}

export interface ClaimDocRow {
  ref: string;
  cluster_id: number;
  text: string;
}

const ITEM_DOC = `SELECT 'i:' || id AS ref, kind, coalesce(claim, '') AS claim, title, summary AS short_answer, left(body, 20000) AS explanation FROM desk_items`;
const EXT_DOC = `SELECT 'x:' || f.source_key || ':' || f.ext_id AS ref, 'external' AS kind, f.claim, f.title, f.short_answer, left(f.explanation, 20000) AS explanation,
  f.source_key, s.name AS source_name, s.url AS source_url, s.weight::float8 AS weight, f.ext_id, f.verdict, f.url
  FROM desk_external_factchecks f JOIN desk_external_sources s ON s.key = f.source_key`;

export const matchVersion = async (db: Db) =>
  (await db.one<{ version: number }>(`SELECT version FROM desk_match_state WHERE id = 1`))?.version ?? 0;

/** Changes after `version`, oldest first (one statement: the state and the log seen in the same snapshot). */
export const changesSince = (db: Db, version: number, limit: number) =>
  db.query<{ version: number; ref: string }>(
    `SELECT version, ref FROM desk_match_log WHERE version > $1 ORDER BY version LIMIT $2`,
    [version, limit],
  );

export const publishedDocs = (db: Db, afterId: number, limit: number) =>
  db.query<MatchDocRow & { id: number }>(
    `${ITEM_DOC.replace('SELECT ', 'SELECT id, ')} WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2`,
    [afterId, limit],
  );

export const publishedDocsByIds = (db: Db, ids: number[]) =>
  db.query<MatchDocRow>(`${ITEM_DOC} WHERE status = 'published' AND id = ANY($1::int[])`, [ids]);

export const externalDocs = (db: Db) => db.query<ExternalDocRow>(EXT_DOC);

export const externalDocsByRefs = (db: Db, refs: string[]) =>
  db.query<ExternalDocRow>(`${EXT_DOC} WHERE 'x:' || f.source_key || ':' || f.ext_id = ANY($1::text[])`, [refs]);

export const claimDocs = (db: Db) =>
  db.query<ClaimDocRow>(`SELECT 'k:' || id AS ref, cluster_id, text FROM desk_claims`);
export const claimDocsByIds = (db: Db, ids: number[]) =>
  db.query<ClaimDocRow>(`SELECT 'k:' || id AS ref, cluster_id, text FROM desk_claims WHERE id = ANY($1::int[])`, [ids]);

/** Clusters a new claim may join: not closed as not checkable (merged clusters are closed that way). */
export const openClusters = (db: Db, ids: number[]) =>
  db.query<{ id: number }>(`SELECT id FROM desk_clusters WHERE id = ANY($1::int[]) AND status <> 'not_checkable'`, [
    ids,
  ]);

export interface ExternalSource {
  key: string;
  name: string;
  url: string;
  weight: number;
}

export interface ExternalDoc {
  id: string;
  claim: string;
  title: string;
  shortAnswer: string;
  explanation: string;
  verdict: string | null;
  url: string;
  lang: string;
}

export async function upsertSource(db: Db, s: ExternalSource): Promise<void> {
  await db.query(
    `INSERT INTO desk_external_sources (key, name, url, weight) VALUES ($1,$2,$3,$4)
     ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, url = EXCLUDED.url, weight = EXCLUDED.weight, updated_at = now()
     WHERE (desk_external_sources.name, desk_external_sources.url, desk_external_sources.weight) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.url, EXCLUDED.weight)`,
    [s.key, s.name, s.url, s.weight],
  );
}

export async function upsertExternalDocs(db: Db, sourceKey: string, docs: ExternalDoc[]): Promise<void> {
  if (docs.length === 0) return;
  await db.query(
    `INSERT INTO desk_external_factchecks (source_key, ext_id, claim, title, short_answer, explanation, verdict, url, lang)
     SELECT $1, d.id, d.claim, d.title, d.short_answer, d.explanation, d.verdict, d.url, d.lang
     FROM jsonb_to_recordset($2::jsonb) AS d(id text, claim text, title text, short_answer text, explanation text, verdict text, url text, lang text)
     ON CONFLICT (source_key, ext_id) DO UPDATE SET claim = EXCLUDED.claim, title = EXCLUDED.title, short_answer = EXCLUDED.short_answer,
       explanation = EXCLUDED.explanation, verdict = EXCLUDED.verdict, url = EXCLUDED.url, lang = EXCLUDED.lang, updated_at = now()`,
    [
      sourceKey,
      JSON.stringify(
        docs.map((d) => ({
          id: d.id,
          claim: d.claim,
          title: d.title,
          short_answer: d.shortAnswer,
          explanation: d.explanation,
          verdict: d.verdict,
          url: d.url,
          lang: d.lang,
        })),
      ),
    ],
  );
}

export async function removeExternalDocs(db: Db, sourceKey: string, ids: string[] | null): Promise<number> {
  if (ids === null)
    return (await db.query(`DELETE FROM desk_external_factchecks WHERE source_key = $1 RETURNING 1`, [sourceKey]))
      .length;
  if (ids.length === 0) return 0;
  return (
    await db.query(
      `DELETE FROM desk_external_factchecks WHERE source_key = $1 AND ext_id = ANY($2::text[]) RETURNING 1`,
      [sourceKey, ids],
    )
  ).length;
}
