/**
 * What a matched text shows: `answered` when the best result's confidence passes the answer threshold, and the
 * results with their confidences. Own pieces link to their page; partners' fact-checks carry their source.
 */
import { type MatchDeps, rankAll, thresholdsFor, type Fused, type Thresholds } from './matching.js';
import * as repo from '../../repo.js';
import { itemPath } from '../../service.js';

export interface MatchResult {
  /** the import id for imported fact-checks, else the desk id; a partner's own id for theirs */
  id: string;
  title: string;
  verdict: string | null;
  url: string;
  /** confidence in [0, 1] that this fact-check answers the text */
  score: number;
  /** a partner installation's fact-check */
  source?: { key: string; name: string; url: string };
}

export interface MatchAnswer {
  answered: boolean;
  results: MatchResult[];
  /** the thresholds that applied (the text's language) */
  thresholds: Thresholds;
}

/** Fused results turned into what the API and pages show (pieces unpublished meanwhile are left out). */
export async function describe(
  deps: MatchDeps,
  fused: Fused[],
  th: Thresholds,
  locale: 'vi' | 'en' = 'vi',
): Promise<MatchAnswer> {
  const { db } = deps;
  // own pieces' links are absolute, on this app's address
  const baseUrl = deps.config.baseUrl.replace(/\/$/, '');
  const ids = fused.filter((f) => f.meta.kind !== 'external').map((f) => f.meta.id);
  const rows = ids.length ? await repo.listPublished(db, { ids, limit: ids.length }) : [];
  const byId = new Map(rows.map((i) => [i.id, i]));
  const results: MatchResult[] = [];
  for (const f of fused) {
    if (f.meta.ext) {
      const e = f.meta.ext;
      results.push({
        id: e.extId,
        title: e.title,
        verdict: e.verdict,
        url: e.url,
        score: f.score,
        source: { key: e.sourceKey, name: e.sourceName, url: e.sourceUrl },
      });
      continue;
    }
    const i = byId.get(f.meta.id);
    if (!i) continue;
    results.push({
      id: i.external_id ?? String(i.id),
      title: i.title,
      verdict: (locale === 'en' ? i.verdict_label_en : i.verdict_label) ?? i.verdict,
      url: `${baseUrl}${itemPath(i)}`,
      score: f.score,
    });
  }
  return { answered: results.length > 0 && results[0].score >= th.answer, results, thresholds: th };
}

/** `GET /api/v1/factchecks/match` and other modules (tipline): does a published fact-check answer this text? */
export async function matchClaimText(
  deps: MatchDeps,
  text: string,
  opts: { limit?: number; locale?: 'vi' | 'en' } = {},
): Promise<MatchAnswer> {
  const limit = Math.max(1, Math.min(20, opts.limit ?? 5));
  return describe(deps, await rankAll(deps, text, { limit }), thresholdsFor(deps, text), opts.locale);
}
