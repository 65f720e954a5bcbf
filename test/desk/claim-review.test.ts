import { describe, expect, it } from 'vitest';
import { factcheckJsonLd } from '../../src/modules/desk/views/render.js';
import { fc, unrated } from './claim-review-fixture.js';

// The page's JSON-LD of one fact-check, to the byte (key order included): the shared ClaimReview builder must not
// change what search engines read.
const org = { name: 'Sở', url: 'https://x.vn' };

describe('ClaimReview JSON-LD of a fact-check page', () => {
  it('is the same, byte for byte, for a rated fact-check with appearances', () => {
    expect(JSON.stringify(factcheckJsonLd(fc as never, 'https://x.vn/factchecks/7', org))).toBe(
      '{"@context":"https://schema.org","@type":"ClaimReview","url":"https://x.vn/factchecks/7","datePublished":"2026-10-31T02:00:00.000Z","dateModified":"2026-11-01T03:00:00.000Z","claimReviewed":"Thành phố cắt nước 5 ngày","name":"Không có chuyện cắt nước","author":{"@type":"Organization","name":"Sở","url":"https://x.vn"},"reviewRating":{"@type":"Rating","ratingValue":1,"bestRating":5,"worstRating":1,"alternateName":"Sai"},"itemReviewed":{"@type":"Claim","datePublished":"2026-10-30","appearance":[{"@type":"CreativeWork","url":"https://example.org/p","description":"Bài đăng trong nhóm chat"},{"@type":"CreativeWork","description":"Tin nhắn Zalo"}],"firstAppearance":{"@type":"CreativeWork","url":"https://example.org/p","description":"Bài đăng trong nhóm chat"}}}',
    );
  });

  it('is the same for an imported, unrated fact-check with no appearance', () => {
    const imported = { ...fc, ...unrated, canonical_url: 'https://archive.vn/a' };
    expect(JSON.stringify(factcheckJsonLd(imported as never, 'https://x.vn/factchecks/7', org))).toBe(
      '{"@context":"https://schema.org","@type":"ClaimReview","url":"https://archive.vn/a","datePublished":"2026-10-31T02:00:00.000Z","dateModified":"2026-11-01T03:00:00.000Z","claimReviewed":"Thành phố cắt nước 5 ngày","name":"Không có chuyện cắt nước","author":{"@type":"Organization","name":"Sở","url":"https://x.vn"},"reviewRating":{"@type":"Rating","ratingValue":null,"bestRating":5,"worstRating":1,"alternateName":null},"itemReviewed":{"@type":"Claim","appearance":[]}}',
    );
  });
});
