/**
 * Matching a text against published fact-checks. Callers use `rankAll()` / `matchItems()` only; the scores come from
 * a list of rankers, each returning its own candidates with a confidence in [0, 1], fused by weight. The BM25F
 * ranker over the whole fact-check (match/) is the default; an embedding ranker can be added with
 * `registerRanker()` without changing any caller.
 */
import type { Config } from '../../../../config.js';
import type { Deps } from '../../../../http/context.js';
import { CALIBRATION, calibrationFeatures, confidence } from './calibrate.js';
import { queryLanguage, type MatchLanguage } from './language.js';
import { freshIndexes, type DocKind, type FactMeta } from './sync.js';
import { tokenize } from './tokens.js';

export type { DocKind } from './sync.js';

/** What matching reads: the app's database, its memory (the indexes) and its settings (thresholds, base URL). */
export type MatchDeps = Pick<Deps, 'db' | 'state'> & {
  config: Pick<Config, 'MATCH_ANSWER_THRESHOLD' | 'MATCH_CLUSTER_THRESHOLD' | 'baseUrl'>;
};

export interface MatchQuery {
  /** as typed (trimmed, at most MAX_QUERY characters) */
  text: string;
}

export interface Candidate {
  /** 'i:<desk item id>' or 'x:<source>:<id>' */
  ref: string;
  /** confidence in [0, 1] that this document answers the query */
  score: number;
  meta: FactMeta;
}

export interface Ranker {
  name: string;
  weight: number;
  /** Up to `limit` candidates with confidences in [0, 1], best first. */
  rank(deps: MatchDeps, q: MatchQuery, opts: { kinds: DocKind[]; limit: number }): Promise<Candidate[]>;
}

export const bm25fRanker: Ranker = {
  name: 'bm25f',
  weight: 1,
  async rank(deps, q, { kinds, limit }) {
    // while the start-up build runs, nothing matches rather than the question waiting for it
    const ix = await freshIndexes(deps, { wait: false });
    if (!ix) return [];
    const want = new Set(kinds);
    const r = ix.facts.search(q.text, {
      limit: limit + 1,
      accept: (m) => want.has(m.kind),
      maxDfShare: ix.facts.size > 20_000 ? 0.3 : 1,
    });
    if (r.selfScore <= 0) return [];
    // a partner's fact-check counts for less: its score is scaled by its source's weight before the features are read
    const hits = r.hits.map((h) => ({ ...h, score: h.score * h.meta.weight })).sort((a, b) => b.score - a.score);
    const weighted = { ...r, hits };
    const k = CALIBRATION[queryLanguage(q.text)].coef;
    return hits.slice(0, limit).map((h, i) => ({
      ref: h.ref,
      meta: h.meta,
      score: confidence(calibrationFeatures(weighted, i), k) * h.meta.weight,
    }));
  },
};

const rankers: Ranker[] = [bm25fRanker];

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

export interface Fused {
  ref: string;
  score: number;
  meta: FactMeta;
}

/** The best documents for a text (own pieces and partners' fact-checks), best first, with fused confidences. */
export async function rankAll(
  deps: MatchDeps,
  text: string,
  opts: { kinds?: DocKind[]; limit?: number; minScore?: number } = {},
): Promise<Fused[]> {
  const limit = Math.max(1, Math.min(50, opts.limit ?? 5));
  const q: MatchQuery = { text: text.normalize('NFC').trim().slice(0, MAX_QUERY) };
  if (tokenize(q.text).exact.length === 0) return [];
  const kinds = opts.kinds ?? ['factcheck', 'external'];
  const totalWeight = rankers.reduce((s, r) => s + r.weight, 0) || 1;
  const fused = new Map<string, Fused>();
  const lists = await Promise.all(
    rankers.map((r) => r.rank(deps, q, { kinds, limit: limit * 2 }).then((l) => ({ r, l }))),
  );
  for (const { r, l } of lists) {
    for (const c of l) {
      const f = fused.get(c.ref) ?? { ref: c.ref, score: 0, meta: c.meta };
      f.score += (c.score * r.weight) / totalWeight;
      fused.set(c.ref, f);
    }
  }
  return [...fused.values()]
    .map((f) => ({ ...f, score: Math.round(Math.min(1, Math.max(0, f.score)) * 1000) / 1000 }))
    .filter((c) => c.score >= (opts.minScore ?? 0))
    .sort((a, b) => b.score - a.score || a.ref.localeCompare(b.ref))
    .slice(0, limit);
}

export interface Scored {
  id: number;
  score: number;
}

/** Our own published pieces for a text (search, staff suggestions), best first. */
export async function matchItems(
  deps: MatchDeps,
  text: string,
  opts: { kinds?: Exclude<DocKind, 'external'>[]; limit?: number; minScore?: number } = {},
): Promise<Scored[]> {
  const r = await rankAll(deps, text, { ...opts, kinds: opts.kinds ?? ['factcheck'] });
  return r.map((f) => ({ id: f.meta.id, score: f.score }));
}

// ---------- settings ----------

export interface MatchSettings {
  /** MATCH_ANSWER_THRESHOLD: one confidence from which the best match answers, for every language (unset: measured per language) */
  answerThreshold: number | null;
  /** similarity from which a new claim joins an existing cluster */
  clusterThreshold: number;
}

/** This app's matching settings, from its configuration. */
export function matchSettings(deps: Pick<MatchDeps, 'config'>): MatchSettings {
  return {
    answerThreshold: deps.config.MATCH_ANSWER_THRESHOLD ?? null,
    clusterThreshold: deps.config.MATCH_CLUSTER_THRESHOLD,
  };
}

export interface Thresholds {
  language: MatchLanguage;
  /** the best result at or above it answers the text ("already checked") */
  answer: number;
  /** results below it are not shown at all; between the two they are only related fact-checks */
  related: number;
}

/** The thresholds that apply to a text: its language's calibrated ones, unless MATCH_ANSWER_THRESHOLD replaces the answer one. */
export function thresholdsFor(deps: Pick<MatchDeps, 'config'>, text: string): Thresholds {
  const language = queryLanguage(text);
  const c = CALIBRATION[language];
  const answer = matchSettings(deps).answerThreshold ?? c.answer;
  return { language, answer, related: Math.min(c.related, answer) };
}

/** How many related fact-checks are shown beside "not checked yet" (never as a verdict on the claim). */
export const RELATED_MAX = 3;

// ---------- clustering ----------

/**
 * Similarity of a new claim to the claims already filed, with the same index: BM25F finds the candidates, then an
 * idf-weighted cosine over folded syllables and syllable pairs (symmetric, so a short claim is not "the same" as a
 * long one that merely contains it) scores them. Returns the best open cluster's id and similarity.
 */
export async function nearestClaimCluster(
  deps: MatchDeps,
  text: string,
  isOpen: (clusterIds: number[]) => Promise<Set<number>>,
): Promise<{ clusterId: number; similarity: number } | null> {
  const ix = await freshIndexes(deps);
  if (ix.claims.size === 0) return null;
  const q = text.normalize('NFC').trim().slice(0, MAX_QUERY);
  const hits = ix.claims.search(q, { limit: 20 }).hits;
  if (hits.length === 0) return null;
  const open = await isOpen([...new Set(hits.map((h) => h.meta.clusterId))]);
  const qv = foldedTerms(q);
  let best: { clusterId: number; similarity: number } | null = null;
  for (const h of hits) {
    if (!open.has(h.meta.clusterId)) continue;
    const sim = cosine(qv, foldedTerms(h.meta.text), (t) => ix.claims.idf(t));
    if (!best || sim > best.similarity) best = { clusterId: h.meta.clusterId, similarity: sim };
  }
  return best;
}

function foldedTerms(text: string): Set<string> {
  const tk = tokenize(text, 256);
  const out = new Set<string>();
  for (let i = 0; i < tk.folded.length; i++) {
    out.add('f' + tk.folded[i]);
    if (i > 0) out.add('b' + tk.folded[i - 1] + ' ' + tk.folded[i]);
  }
  return out;
}

function cosine(a: Set<string>, b: Set<string>, idf: (t: string) => number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const t of a) {
    const w = idf(t) ** 2;
    na += w;
    if (b.has(t)) dot += w;
  }
  for (const t of b) nb += idf(t) ** 2;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
