/** The desk's SQL for the fact-check exchange feed (read only): published and withdrawn fact-checks by change time. */
import type { Db } from '../../../db/client.js';

export interface FactcheckChangeRow {
  id: number;
  slug: string;
  status: 'published' | 'unpublished';
  title: string;
  summary: string;
  claim: string | null;
  appearances: { url?: string | null; description: string }[];
  claim_date: string | null;
  verdict_label: string | null;
  verdict_label_en: string | null;
  verdict_rating: number | null;
  published_at: Date;
  updated_public_at: Date | null;
  unpublished_at: Date | null;
  unpublish_reason: string | null;
  version: number;
  changed_at: Date;
  unit_names: string[];
  corrections: { what: string; why: string; at: string }[];
}

const CHANGED = `CASE WHEN i.status = 'unpublished' THEN coalesce(i.unpublished_at, i.updated_at) ELSE coalesce(i.updated_public_at, i.published_at) END`;

/**
 * Fact-checks the public has seen (published, or withdrawn after publication), newest change first; `since`
 * keeps changes at or after that time, `before` continues after the last row of the previous page.
 */
export async function factcheckChangeRows(
  db: Db,
  f: { since: Date | null; before: { at: Date; id: number } | null; limit: number },
): Promise<FactcheckChangeRow[]> {
  return db.query<FactcheckChangeRow>(
    `SELECT * FROM (
       SELECT i.id, i.slug, i.status, i.title, i.summary, i.claim, i.appearances, i.claim_date::text AS claim_date,
         v.label AS verdict_label, v.label_en AS verdict_label_en, v.rating AS verdict_rating,
         i.published_at, i.updated_public_at, i.unpublished_at, i.unpublish_reason, i.version, ${CHANGED} AS changed_at,
         COALESCE((SELECT array_agg(u.name ORDER BY u.name) FROM desk_item_units du JOIN units u ON u.id = du.unit_id WHERE du.item_id = i.id), '{}') AS unit_names,
         COALESCE((SELECT json_agg(json_build_object('what', c.what, 'why', c.why, 'at', c.created_at) ORDER BY c.created_at) FROM desk_corrections c WHERE c.item_id = i.id), '[]') AS corrections
       FROM desk_items i LEFT JOIN desk_verdicts v ON v.code = i.verdict
       WHERE i.kind = 'factcheck' AND i.published_at IS NOT NULL AND i.status IN ('published', 'unpublished')
     ) x
     WHERE ($1::timestamptz IS NULL OR x.changed_at >= $1) AND ($2::timestamptz IS NULL OR (x.changed_at, x.id) < ($2, $3::int))
     ORDER BY x.changed_at DESC, x.id DESC LIMIT $4`,
    [f.since, f.before?.at ?? null, f.before?.id ?? 0, f.limit],
  );
}

export interface OpenClusterRow {
  id: number;
  title: string;
  size: number;
  first_seen: Date;
  last_seen: Date;
}

/** Clusters of residents' questions not answered yet (new or being checked), most recently asked first; never who asked. */
export async function openClusterRows(db: Db, limit: number): Promise<OpenClusterRow[]> {
  return db.query<OpenClusterRow>(
    `SELECT c.id, c.title, c.size, c.created_at AS first_seen, COALESCE(max(q.created_at), c.updated_at) AS last_seen
     FROM desk_clusters c LEFT JOIN desk_claims q ON q.cluster_id = c.id
     WHERE c.status IN ('new', 'checking') AND c.size > 0
     GROUP BY c.id ORDER BY last_seen DESC, c.id DESC LIMIT $1`,
    [limit],
  );
}
