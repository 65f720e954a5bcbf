import type { Appearance } from '../repo.js';

/** What a fact-check needs for the ClaimReview blocks: the page's item row and the exchange feed's row both have it. */
export interface ClaimReviewSource {
  verdict_rating: number | null;
  verdict_label: string | null;
  claim_date: string | null;
  appearances: Appearance[];
}

/**
 * The author, rating and claim blocks of a fact-check's ClaimReview, the same on its page (JSON-LD) and in the
 * exchange feed; each caller adds its own fields around them (the page also names the first appearance).
 */
export function claimReviewCore(r: ClaimReviewSource, org: { name: string; url: string }) {
  return {
    author: { '@type': 'Organization', name: org.name, url: org.url },
    reviewRating: {
      '@type': 'Rating',
      ratingValue: r.verdict_rating,
      bestRating: 5,
      worstRating: 1,
      alternateName: r.verdict_label,
    },
    itemReviewed: {
      '@type': 'Claim',
      datePublished: r.claim_date ?? undefined,
      appearance: r.appearances.map((a) => ({
        '@type': 'CreativeWork',
        url: a.url ?? undefined,
        description: a.description,
      })),
    },
  };
}
