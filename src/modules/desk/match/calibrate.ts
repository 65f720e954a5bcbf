/**
 * Turns a BM25F score into a confidence in [0, 1] that the document answers the query. The raw score depends on the
 * query (its length, how rare its words are), so the features are scale-free: the score divided by the query's own
 * maximum (every term matched and saturated), the lead of this result over the best other one relative to the top
 * score (a match that stands out), and the share of the query's weight no document has (unknown words: links,
 * names the desk never wrote about). A logistic curve over these was fitted on the development sets
 * (bench/desk-match-quality.ts; English CheckThat! train, Vietnamese ViFactCheck).
 */
import type { QueryResult } from './index.js';

export interface Calibration {
  a: number;
  m: number;
  u: number;
  c: number;
}

export const DEFAULT_CALIBRATION: Calibration = { a: 10, m: 8, u: 1, c: -4 };

export interface Features {
  ratio: number;
  lead: number;
  unknown: number;
}

/** The features of the i-th hit of a result. */
export function calibrationFeatures(r: QueryResult<unknown>, i: number): Features {
  const top = r.hits[0]?.score ?? 0;
  const s = r.hits[i]?.score ?? 0;
  const other = i === 0 ? (r.hits[1]?.score ?? 0) : top;
  return { ratio: r.selfScore > 0 ? s / r.selfScore : 0, lead: top > 0 ? (s - other) / top : 0, unknown: r.unknownShare };
}

export function confidence(f: Features, k: Calibration = DEFAULT_CALIBRATION): number {
  const z = k.a * f.ratio + k.m * f.lead - k.u * f.unknown + k.c;
  return 1 / (1 + Math.exp(-z));
}
