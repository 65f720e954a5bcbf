/**
 * Turns a BM25F score into a confidence in [0, 1] that the document answers the query. The raw score depends on the
 * query (its length, how rare its words are), so the features are scale-free: the score divided by the query's own
 * maximum (every term matched and saturated, words no document has counted as unmatched), the lead of this result over the best other one relative to the top
 * score (a match that stands out), and the share of the query's weight no document has (unknown words: links,
 * names the desk never wrote about). A logistic curve over these is fitted per language (the text's language,
 * match/language.ts), with the thresholds that decide "already checked" and "related" (CALIBRATION below).
 */
import type { QueryResult } from './index.js';
import type { MatchLanguage } from './language.js';

export interface Calibration {
  a: number;
  m: number;
  u: number;
  c: number;
}

export interface LanguageCalibration {
  coef: Calibration;
  /** the score from which the best result answers the question ("already checked") */
  answer: number;
  /** the score from which a result is shown at all, as a related fact-check */
  related: number;
}

/**
 * Measured with `npx tsx bench/desk-calibrate.ts` (development sets outside the project, read at bench time only).
 * Each language's curve is fitted by logistic regression on the top three results of its fitting questions, over the
 * whole corpus with a fixed 20% of the target documents removed and over small corpora (60 and 300 documents, half
 * the questions' items absent, as unchecked rumours: a desk's corpus is small, where a weak match stands out more).
 * - `answer`: the lowest score from which the answered fitting questions were right ≥ 90% of the time in every scenario;
 * - `related`: the lowest score from which the results shown were the question's own item ≥ 50% of the time.
 * English: fitted on CheckThat! 2020 train (800 tweets); held out on dev (197): precision 0.85 at `answer` on the
 * whole corpus (38% answered), 0.95 on small corpora.
 * Vietnamese: fitted on one half of ViFactCheck (typed and without diacritics), held out on the other half:
 * precision 0.94 (typed and without diacritics, 81% answered), 0.89 on small corpora. Refit after a ranking change.
 */
export const CALIBRATION: Record<MatchLanguage, LanguageCalibration> = {
  vi: { coef: { a: 11.12, m: 8.77, u: 6.98, c: -5.76 }, answer: 0.4, related: 0.02 },
  en: { coef: { a: 12, m: 7.48, u: 3.26, c: -2.11 }, answer: 0.69, related: 0.08 },
};

export const DEFAULT_CALIBRATION: Calibration = CALIBRATION.vi.coef;

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
  // the share of the whole query's weight matched, words no document has included: an unknown word is unmatched
  return {
    ratio: r.selfScore > 0 ? (s / r.selfScore) * (1 - r.unknownShare) : 0,
    lead: top > 0 ? (s - other) / top : 0,
    unknown: r.unknownShare,
  };
}

export function confidence(f: Features, k: Calibration = DEFAULT_CALIBRATION): number {
  const z = k.a * f.ratio + k.m * f.lead - k.u * f.unknown + k.c;
  return 1 / (1 + Math.exp(-z));
}
