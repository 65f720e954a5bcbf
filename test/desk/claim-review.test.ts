import { describe, expect, it } from 'vitest';
import { factcheckJsonLd } from '../../src/modules/desk/render.js';

// The page's JSON-LD of one fact-check, to the byte (key order included): the shared ClaimReview builder must not
// change what search engines read.
const fc = {
  kind: 'factcheck',
  canonical_url: null,
  published_at: '2026-10-31T02:00:00.000Z',
  updated_public_at: '2026-11-01T03:00:00.000Z',
  updated_at: '2026-11-01T03:00:00.000Z',
  title: 'Không có chuyện cắt nước',
  claim: 'Thành phố cắt nước 5 ngày',
  summary: 'Sai.',
  verdict_rating: 1,
  verdict_label: 'Sai',
  claim_date: '2026-10-30',
  appearances: [
    { url: 'https://example.org/p', description: 'Bài đăng trong nhóm chat' },
    { description: 'Tin nhắn Zalo' },
  ],
  path: '/factchecks/7-khong-co-chuyen-cat-nuoc',
  unit_names: ['Phường Thuận Hoá'],
  corrections: [{ what: 'Sửa ngày', why: 'Nhầm ngày', at: '2026-11-01T03:00:00.000Z' }],
};
const unrated = { claim_date: null, appearances: [], verdict_rating: null, verdict_label: null };
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
