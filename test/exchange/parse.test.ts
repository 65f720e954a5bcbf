import { describe, expect, it } from 'vitest';
import { claimReviewsInHtml, cleanText, parseDataFeed } from '../../src/modules/exchange/service/claimreview.js';
import { fingerprintOf, normalizeFingerprint } from '../../src/modules/exchange/service/keys.js';
import { redactPersonalData } from '../../src/modules/exchange/service/redact.js';
import { generateKeyPairSync } from 'node:crypto';

describe('exchange: what leaves and what arrives', () => {
  it('masks phone numbers, CCCD/CMND numbers, e-mail addresses and licence plates, and leaves amounts and dates', () => {
    expect(redactPersonalData('Gọi 0912 345 678 hoặc +84 912.345.678 để nhận 100.000.000 đồng ngày 12/3/2026')).toBe(
      'Gọi [SĐT] hoặc [SĐT] để nhận 100.000.000 đồng ngày 12/3/2026',
    );
    expect(redactPersonalData('CCCD 079095001234, CMND 123456789, số 0790 9500 1234, mail Ng.Van-A@gmail.com')).toBe(
      'CCCD [CCCD], CMND [CCCD], số [CCCD], mail [email]',
    );
    expect(redactPersonalData('Xe 75A-123.45 và 29B1 12345 đâm xe 43C-234.56')).toBe(
      'Xe [biển số] và [biển số] đâm xe [biển số]',
    );
  });

  it('sanitises every text: markup, entities, control and bidi characters gone, length capped', () => {
    expect(cleanText('<b>Tin</b> &amp; <script>alert(1)</script>đồn\u202e\u0000 &lt;i&gt;x', 100)).toBe('Tin & đồn x');
    expect(cleanText('a'.repeat(50), 10)).toBe('a'.repeat(10));
    expect(cleanText(42, 10)).toBe('');
  });

  it('reads a DataFeed with tombstones and refuses the whole page for one malformed item', () => {
    const ok = parseDataFeed({
      '@type': 'DataFeed',
      publisher: { name: 'Sở A', url: 'https://a.example' },
      dataFeedElement: [
        {
          '@type': 'DataFeedItem',
          item: {
            '@type': 'ClaimReview',
            url: 'https://a.example/f/1',
            claimReviewed: 'X',
            reviewRating: { ratingValue: 2, bestRating: 3, worstRating: 1, alternateName: 'Nửa đúng' },
          },
        },
        {
          '@type': 'DataFeedItem',
          dateDeleted: '2026-11-02T00:00:00Z',
          description: 'Trùng bài',
          item: { '@id': 'https://a.example/f/2' },
        },
      ],
    });
    expect(ok.name).toBe('Sở A');
    expect(ok.items[0]).toMatchObject({
      url: 'https://a.example/f/1',
      claim: 'X',
      ratingValue: 3,
      ratingName: 'Nửa đúng',
    });
    expect(ok.tombstones).toEqual([
      { remoteId: 'https://a.example/f/2', reason: 'Trùng bài', dateDeleted: new Date('2026-11-02T00:00:00Z') },
    ]);
    expect(() =>
      parseDataFeed({
        '@type': 'DataFeed',
        dataFeedElement: [{ '@type': 'ClaimReview', url: 'javascript:alert(1)', claimReviewed: 'x' }],
      }),
    ).toThrow('item 1: no http(s) url');
    expect(() =>
      parseDataFeed({
        '@type': 'DataFeed',
        dataFeedElement: [
          {
            '@type': 'ClaimReview',
            url: 'https://a.example/1',
            claimReviewed: 'x',
            reviewRating: { ratingValue: 'sai' },
          },
        ],
      }),
    ).toThrow('ratingValue is not a number');
    expect(() => parseDataFeed('nope')).toThrow('not a JSON object');
  });

  it("finds ClaimReview in a page's JSON-LD (also in @graph), skipping broken blocks", () => {
    const html = `<script type="application/ld+json">{broken</script>
      <script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":["ClaimReview"],"claimReviewed":"Y","name":"Tiêu đề"}]}</script>`;
    const items = claimReviewsInHtml(html, 'https://b.example/bai/1');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ url: 'https://b.example/bai/1', claim: 'Y', title: 'Tiêu đề' });
  });

  it('prints a key fingerprint in groups and reads one typed in any case or spacing', () => {
    const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const fp = fingerprintOf(pem);
    expect(fp).toMatch(/^([0-9a-f]{4}:){15}[0-9a-f]{4}$/);
    expect(normalizeFingerprint(`SHA256: ${fp.toUpperCase().replace(/:/g, ' ')}`)).toBe(fp);
    expect(normalizeFingerprint('abc')).toBeNull();
  });
});
