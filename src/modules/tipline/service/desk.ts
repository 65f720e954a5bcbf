/** The desk, through its public functions only: the matcher, filing a claim, and a filed claim's answer. */
import type { Deps } from '../../../http/context.js';
import * as desk from '../../desk/public.js';

export interface MatchResult {
  title: string;
  url: string;
  verdict?: string | null;
  verdictLabel?: string | null;
  summary?: string | null;
  score?: number;
}

/**
 * Does a published fact-check answer this text? (the desk's `matchClaim`: results best first, verdict in the reader's
 * language). `related`: the others worth showing (at or above the desk's related threshold for the text's language),
 * never as a verdict on the text.
 */
export async function matchClaim(
  deps: Deps,
  text: string,
  locale: 'vi' | 'en' = 'vi',
): Promise<{ answered: boolean; results: MatchResult[]; related: MatchResult[] }> {
  const r = await desk.matchClaim(deps, text, { limit: 3, locale });
  const answered = r.answered && r.results.length > 0;
  return {
    answered,
    results: r.results,
    related: r.results.slice(answered ? 1 : 0).filter((x) => x.score >= r.thresholds.related),
  };
}

export const submitClaim = desk.submitClaim;
export const claimAnswer = desk.claimAnswer;
