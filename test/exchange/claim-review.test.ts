import { describe, expect, it } from 'vitest';
import { claimReviewOf } from '../../src/modules/exchange/service/publish.js';
import { fc, unrated } from '../desk/claim-review-fixture.js';

// One feed item, to the byte (key order included): partners verify the signature over these bytes.
const site = { baseUrl: 'https://x.vn', orgName: 'Sở' };

describe('ClaimReview of the exchange feed', () => {
  it('is the same, byte for byte, for a rated fact-check with places and corrections', () => {
    expect(JSON.stringify(claimReviewOf(fc as never, site))).toBe(
      '{"@type":"ClaimReview","@id":"https://x.vn/factchecks/7-khong-co-chuyen-cat-nuoc","url":"https://x.vn/factchecks/7-khong-co-chuyen-cat-nuoc","name":"Không có chuyện cắt nước","claimReviewed":"Thành phố cắt nước 5 ngày","description":"Sai.","datePublished":"2026-10-31T02:00:00.000Z","dateModified":"2026-11-01T03:00:00.000Z","inLanguage":"vi","author":{"@type":"Organization","name":"Sở","url":"https://x.vn"},"reviewRating":{"@type":"Rating","ratingValue":1,"bestRating":5,"worstRating":1,"alternateName":"Sai"},"itemReviewed":{"@type":"Claim","datePublished":"2026-10-30","appearance":[{"@type":"CreativeWork","url":"https://example.org/p","description":"Bài đăng trong nhóm chat"},{"@type":"CreativeWork","description":"Tin nhắn Zalo"}]},"spatialCoverage":[{"@type":"Place","name":"Phường Thuận Hoá"}],"correction":[{"@type":"CorrectionComment","text":"Sửa ngày — Nhầm ngày","datePublished":"2026-11-01T03:00:00.000Z"}]}',
    );
  });

  it('is the same for an unrated fact-check with no claim, appearance, place or correction', () => {
    const bare = { ...fc, ...unrated, claim: null, unit_names: [], corrections: [] };
    expect(JSON.stringify(claimReviewOf(bare as never, site))).toBe(
      '{"@type":"ClaimReview","@id":"https://x.vn/factchecks/7-khong-co-chuyen-cat-nuoc","url":"https://x.vn/factchecks/7-khong-co-chuyen-cat-nuoc","name":"Không có chuyện cắt nước","claimReviewed":"Không có chuyện cắt nước","description":"Sai.","datePublished":"2026-10-31T02:00:00.000Z","dateModified":"2026-11-01T03:00:00.000Z","inLanguage":"vi","author":{"@type":"Organization","name":"Sở","url":"https://x.vn"},"reviewRating":{"@type":"Rating","ratingValue":null,"bestRating":5,"worstRating":1,"alternateName":null},"itemReviewed":{"@type":"Claim","appearance":[]},"spatialCoverage":[],"correction":[]}',
    );
  });
});
