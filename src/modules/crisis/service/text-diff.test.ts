import { describe, expect, it } from 'vitest';
import { changedWords, wordDiff } from './text-diff.js';

describe('wordDiff', () => {
  it('marks the changed words and keeps the rest', () => {
    const parts = wordDiff(
      'Sơ tán khẩn cấp trước 17 giờ tại phường Phú Xuân.',
      'Sơ tán khẩn cấp trước 12 giờ tại phường Phú Xuân và Thuận Hoá.',
    );
    expect(parts).toEqual([
      { op: 'same', text: 'Sơ tán khẩn cấp trước ' },
      { op: 'removed', text: '17 ' },
      { op: 'added', text: '12 ' },
      { op: 'same', text: 'giờ tại phường Phú ' },
      { op: 'removed', text: 'Xuân.' },
      { op: 'added', text: 'Xuân và Thuận Hoá.' },
    ]);
    expect(changedWords(parts)).toBe(7);
  });
  it('identical texts have no changes; a very long rewrite is shown whole instead of building a huge table', () => {
    expect(changedWords(wordDiff('a b c', 'a  b c'))).toBe(0);
    const long = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
    const other = Array.from({ length: 3000 }, (_, i) => `x${i}`).join(' ');
    expect(changedWords(wordDiff(long, other))).toBe(6000);
  });
});
