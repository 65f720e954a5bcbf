/**
 * Personal data removed from residents' words before they leave the office (early warning between partners):
 * phone numbers, CCCD/CMND numbers, e-mail addresses and licence plates are masked. Names cannot be found reliably;
 * that is why only open clusters' texts are shared, and only with partners the admin chose.
 */
const RULES: [RegExp, string][] = [
  [/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, '[email]'],
  // licence plates: 75A-123.45, 29B1 12345, 43-C1 234.56
  [/\b\d{2}\s?-?\s?[A-Z]{1,2}\d?\s?-?\s?\d{3}\.?\d{2}\b/giu, '[biển số]'],
  // Vietnamese phone numbers: 0912 345 678, +84 912.345.678, 84-234-3822-123
  [/(?<![\p{N}])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\p{N}])/gu, '[SĐT]'],
  // CCCD (12 digits) and CMND (9 digits), also in groups of spaces; amounts written with dots (100.000.000) stay
  [/(?<![\p{N}.,])(?:\d{12}|\d{9}|\d{4} \d{4} \d{4}|\d{3} \d{3} \d{3}(?: \d{3})?)(?![\p{N}]|[.,]\d)/gu, '[CCCD]'],
];

export function redactPersonalData(text: string): string {
  let s = text;
  for (const [re, mask] of RULES) s = s.replace(re, mask);
  return s;
}
