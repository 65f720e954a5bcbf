/**
 * Turns a BM25F score into a confidence in [0, 1] that the document answers the query. The raw score depends on the
 * query (its length, how rare its words are), so it is first divided by the query's own maximum (every term matched
 * and saturated); the margin over the best other candidate says whether the match stands out; a query whose words
 * the corpus has never seen is less likely to be answered. A logistic curve over these was fitted on the
 * development sets (bench/desk.bench.ts prints the fit).
 */
export interface Calibration {
  a: number;
  m: number;
  u: number;
  c: number;
}

export const DEFAULT_CALIBRATION: Calibration = { a: 9, m: 6, u: 2, c: -3.2 };

export function confidence(ratio: number, margin: number, unknownShare: number, k: Calibration = DEFAULT_CALIBRATION): number {
  const z = k.a * ratio + k.m * margin - k.u * unknownShare + k.c;
  return 1 / (1 + Math.exp(-z));
}
