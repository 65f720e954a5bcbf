import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonLdText, renderMarkdown, xml } from '../../src/modules/desk/views/render.js';
import { fold, ngrams, normalize, prepareQuery, slugify, syllables } from '../../src/modules/desk/service/text.js';

describe('Vietnamese normalisation', () => {
  it('composes to NFC and lower-cases', () => {
    const decomposed = 'Thành Phố Huế'.normalize('NFD');
    expect(decomposed).not.toBe('Thành Phố Huế');
    expect(normalize(decomposed)).toBe('thành phố huế');
  });
  it('folds every diacritic including đ, whatever the input form', () => {
    expect(fold('Đường ĐỖ Quý Ưu')).toBe('duong do quy uu');
    expect(fold('Tiếng Việt có dấu'.normalize('NFD'))).toBe('tieng viet co dau');
    expect(fold('Học phí tăng gấp đôi')).toBe('hoc phi tang gap doi');
  });
  it('splits syllables and builds syllable n-grams', () => {
    expect(syllables('Cắt nước, 5 ngày!')).toEqual(['cắt', 'nước', '5', 'ngày']);
    expect(ngrams(['cắt', 'nước', 'toàn', 'thành'], 2)).toEqual(['cắt nước', 'nước toàn', 'toàn thành']);
  });
  it('prepares a safe tsquery from hostile input', () => {
    const q = prepareQuery("cắt nước'); DROP TABLE x; -- & | ! <->");
    expect(q.tsAny).toBe("'cat' | 'nuoc' | 'drop' | 'table' | 'x'");
    expect(q.tsPairs).toContain("('cat' <-> 'nuoc')");
    expect(q.tsAny).not.toMatch(/[;)(]/);
    expect(prepareQuery('   ').tsAny).toBeNull();
  });
  it('makes ASCII slugs', () => {
    expect(slugify('Cầu Trường Tiền không bị nứt!')).toBe('cau-truong-tien-khong-bi-nut');
    expect(slugify('***')).toBe('bai-viet');
  });
});

describe('safe rendering', () => {
  it('escapes raw HTML in Markdown and keeps only http(s) and local links', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\nXem [a](javascript:alert(1)) [b](https://x.vn/"q) [c](/policies/method) <img src=x onerror=alert(1)> ![i](https://x.vn/i.png)',
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://x.vn/%22q"'); // written out as the browser reads it
    expect(html).toContain('<a href="/policies/method"');
  });
  it('escapes </script> inside JSON-LD and keeps it valid JSON', () => {
    const s = jsonLdText({ claimReviewed: '</script><script>alert(1)</script> & \u2028' });
    expect(s).not.toContain('</script');
    expect(JSON.parse(s).claimReviewed).toBe('</script><script>alert(1)</script> & \u2028');
  });
  it('escapes XML and drops characters XML forbids', () => {
    expect(xml('a<b>&"\u0001')).toBe('a&lt;b&gt;&amp;&quot;');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });
});
