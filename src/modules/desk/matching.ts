/**
 * Matching a text against published fact-checks. Callers use `matchItems()` only; the scores come from a list
 * of rankers, each returning its own candidates with a score in [0, 1], fused by weight. The lexical ranker
 * (full-text + trigram + syllable n-grams, with exact-diacritic matches ranked higher) is the default; an
 * embedding ranker can be added with `registerRanker()` without changing any caller.
 */
import type { Db } from '../../db/client.js';
import { lexicalCandidates, type Kind } from './repo.js';
import { coverage, fold, isStopword, ngrams, normalize, prepareQuery, syllables, type PreparedQuery } from './text.js';

export interface Scored {
  id: number;
  score: number;
}

export interface Ranker {
  name: string;
  weight: number;
  /** Up to `limit` candidates with scores in [0, 1], best first. */
  rank(db: Db, q: PreparedQuery, opts: { kinds: Kind[]; limit: number }): Promise<Scored[]>;
}

/** Combines the lexical features of one candidate into a score in [0, 1]. Exported for unit tests. */
export function lexicalScore(q: PreparedQuery, doc: { claim: string | null; title: string; summary: string }, sql: { r_any: number; r_pairs: number; ws: number }): number {
  const text = `${doc.claim ?? ''} ${doc.title} ${doc.summary}`;
  const exactSyl = syllables(text);
  const foldedSyl = exactSyl.map(fold);
  const foldedSet = new Set(foldedSyl);
  const pairSet = new Set(ngrams(foldedSyl, 2));
  const exactSet = new Set(exactSyl);
  const qPairs = ngrams(q.foldedSyllables, 2).filter((p) => !p.split(' ').every(isStopword));
  const qExact = q.exactSyllables.filter((s) => !isStopword(fold(s)));
  const termCov = coverage(q.terms, foldedSet);
  const pairCov = qPairs.length ? coverage(qPairs, pairSet) : termCov;
  const exactCov = qExact.length ? coverage(qExact, exactSet) : 0;
  const fts = Math.min(1, (sql.r_any + sql.r_pairs) * 2.5);
  const s = 0.28 * termCov + 0.22 * pairCov + 0.22 * sql.ws + 0.13 * fts + 0.15 * exactCov * termCov;
  return Math.max(0, Math.min(1, s));
}

export const lexicalRanker: Ranker = {
  name: 'lexical',
  weight: 1,
  async rank(db, q, { kinds, limit }) {
    if (!q.tsAny && q.folded.length < 3) return [];
    const rows = await lexicalCandidates(db, q, kinds, Math.max(limit * 3, 30));
    return rows
      .map((r) => ({ id: r.id, score: lexicalScore(q, r, r) }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, limit);
  },
};

const rankers: Ranker[] = [lexicalRanker];

/** Adds a ranker (e.g. embeddings); its scores are fused with the others by weight. */
export function registerRanker(r: Ranker): void {
  const i = rankers.findIndex((x) => x.name === r.name);
  if (i >= 0) rankers[i] = r;
  else rankers.push(r);
}

export function activeRankers(): readonly Ranker[] {
  return rankers;
}

export const MAX_QUERY = 2000;

/** The best published items for a text, best first, with fused scores in [0, 1]. */
export async function matchItems(db: Db, text: string, opts: { kinds?: Kind[]; limit?: number; minScore?: number } = {}): Promise<Scored[]> {
  const limit = Math.max(1, Math.min(50, opts.limit ?? 5));
  const q = prepareQuery(normalize(text).slice(0, MAX_QUERY));
  const kinds = opts.kinds ?? ['factcheck'];
  const totalWeight = rankers.reduce((s, r) => s + r.weight, 0) || 1;
  const fused = new Map<number, number>();
  const lists = await Promise.all(rankers.map((r) => r.rank(db, q, { kinds, limit: limit * 3 }).then((l) => ({ r, l }))));
  for (const { r, l } of lists) for (const c of l) fused.set(c.id, (fused.get(c.id) ?? 0) + (c.score * r.weight) / totalWeight);
  return [...fused]
    .map(([id, score]) => ({ id, score: Math.round(score * 1000) / 1000 }))
    .filter((c) => c.score >= (opts.minScore ?? 0))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, limit);
}

/** Score from which a match is shown to a resident as "already checked". */
export const SHOW_THRESHOLD = 0.3;
