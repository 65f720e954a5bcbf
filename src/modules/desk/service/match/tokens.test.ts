import { describe, expect, it } from 'vitest';
import { exactTokens, fold, foldToken, hasDiacritic, stem, tokenize, typedWithDiacritics } from './tokens.js';

describe('tokenising for matching', () => {
  it('splits Vietnamese into syllables, lower case, NFC whatever the input form', () => {
    const nfd = 'Cầu Trường Tiền BỊ NỨT'.normalize('NFD');
    expect(exactTokens(nfd)).toEqual(['cầu', 'trường', 'tiền', 'bị', 'nứt']);
    expect(exactTokens(nfd).every((t) => t === t.normalize('NFC'))).toBe(true);
  });
  it('folds diacritics and đ/Đ to the same form as text typed without them', () => {
    expect(fold('Đường ĐỖ Quý Ưu')).toBe('duong do quy uu');
    expect(tokenize('Đắk Lắk đổ mưa').folded).toEqual(['dak', 'lak', 'do', 'mua']);
    expect(tokenize('dak lak do mua').folded).toEqual(tokenize('Đắk Lắk đổ mưa'.normalize('NFD')).folded);
    expect(foldToken('đ')).toBe('d');
  });
  it('keeps exact forms apart where the accents differ', () => {
    const a = tokenize('bán nhà');
    const b = tokenize('bạn nhà');
    expect(a.folded).toEqual(b.folded);
    expect(a.exact[0]).not.toBe(b.exact[0]);
    expect(hasDiacritic('bán')).toBe(true);
    expect(hasDiacritic('ban')).toBe(false);
    expect(typedWithDiacritics(tokenize('cat nuoc toan thanh pho'))).toBe(false);
    expect(typedWithDiacritics(tokenize('cắt nước'))).toBe(true);
  });
  it('keeps numbers whole, with their thousands separators dropped, and names', () => {
    expect(exactTokens('Phạt 5.000.000 đồng, không phải 5,000,000 hay 20/3; 2027 COVID-19')).toEqual([
      'phạt',
      '5000000',
      'đồng',
      'không',
      'phải',
      '5000000',
      'hay',
      '20',
      '3',
      '2027',
      'covid',
      '19',
    ]);
    expect(exactTokens('tăng 20% từ 1.5 triệu')).toEqual(['tăng', '20', 'từ', '1', '5', 'triệu']);
  });
  it('handles English: lower case, light stemming on the folded form only', () => {
    const t = tokenize('Vaccines contain microchips, Bill Gates says');
    expect(t.exact).toEqual(['vaccines', 'contain', 'microchips', 'bill', 'gates', 'says']);
    expect(t.folded).toEqual(['vaccine', 'contain', 'microchip', 'bill', 'gate', 'say']);
    expect(stem('cities')).toBe('city');
    expect(stem('running')).toBe('runn');
    expect(stem('virus')).toBe('virus');
  });
  it('drops links, handles, pasted HTML tags', () => {
    expect(
      exactTokens('Xem https://t.co/abc?x=1 và pic.twitter.com/xyz của @someone <script>alert(1)</script>'),
    ).toEqual(['xem', 'và', 'của', 'alert', '1']);
  });
});

describe('pasted social-media posts', () => {
  it('splits hashtags into their words', () => {
    expect(exactTokens('Cháy rừng #AustralianFires pic.twitter.com/x')).toEqual([
      'cháy',
      'rừng',
      'australian',
      'fires',
    ]);
    expect(exactTokens('#CắtNước cả tuần')).toEqual(['cắt', 'nước', 'cả', 'tuần']);
  });
});
