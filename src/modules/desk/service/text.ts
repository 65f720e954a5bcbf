/**
 * Vietnamese text helpers for matching: Unicode normalisation, case and diacritic folding, syllables and
 * syllable n-grams. Pure functions; the database side uses vn_fold() and the 'vietnamese' text search config,
 * which fold the same way (unaccent: đ -> d).
 */

/** NFC and lower case, whitespace collapsed: the "exact diacritics" form. */
export function normalize(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Diacritics folded (đ -> d), lower case: the same as SQL vn_fold(). */
export function fold(text: string): string {
  return normalize(text)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .normalize('NFC');
}

/** Syllables (Vietnamese writes one syllable per space-separated token), letters and digits only. */
export function syllables(text: string): string[] {
  return normalize(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Very frequent function words that say nothing about a claim (folded). */
const STOP = new Set(
  'la va cua co cac nhung mot nay do thi ma de duoc cho voi tu tai trong khi se da dang bi rang nhu ve theo con hay hoac o ra vao len tren duoi nguoi viec cung lai nen vi neu thi chi moi it nhieu nhat rat the nao gi ai dau sao khong chua phai dung sai tin that is the a an of to and or in on for it this that be are was with by at as from true false'.split(
    ' ',
  ),
);

export function isStopword(foldedSyllable: string): boolean {
  return STOP.has(foldedSyllable);
}

/** Syllable n-grams (n = 1 or 2) of already split syllables, joined by a space. */
export function ngrams(sylls: string[], n: number): string[] {
  if (n === 1) return sylls.slice();
  const out: string[] = [];
  for (let i = 0; i + n <= sylls.length; i++) out.push(sylls.slice(i, i + n).join(' '));
  return out;
}

/** Share of the query's items found in the document's (0..1). */
export function coverage(query: string[], doc: Set<string>): number {
  const q = [...new Set(query)];
  if (q.length === 0) return 0;
  let hit = 0;
  for (const x of q) if (doc.has(x)) hit++;
  return hit / q.length;
}

export interface PreparedQuery {
  raw: string;
  /** NFC, lower case */
  exact: string;
  folded: string;
  /** content syllables, folded, stop words removed (or all, if that would leave nothing) */
  terms: string[];
  exactSyllables: string[];
  foldedSyllables: string[];
  /** to_tsquery text: any content syllable */
  tsAny: string | null;
  /** to_tsquery text: any adjacent syllable pair as a phrase */
  tsPairs: string | null;
  /** to_tsquery text: any two content syllables together (the only one, for a one-word query) */
  tsTwo: string | null;
  /** to_tsquery text: any three content syllables together (null under three) */
  tsThree: string | null;
}

function twoOf(terms: string[]): string | null {
  if (terms.length === 0) return null;
  if (terms.length === 1) return `'${terms[0]}'`;
  const out: string[] = [];
  for (let i = 0; i < terms.length; i++)
    for (let j = i + 1; j < terms.length; j++) out.push(`('${terms[i]}' & '${terms[j]}')`);
  return out.join(' | ');
}

function threeOf(terms: string[]): string | null {
  if (terms.length < 3) return null;
  const out: string[] = [];
  for (let i = 0; i < terms.length; i++)
    for (let j = i + 1; j < terms.length; j++)
      for (let k = j + 1; k < terms.length; k++) out.push(`('${terms[i]}' & '${terms[j]}' & '${terms[k]}')`);
  return out.join(' | ');
}

const tsTerm = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');

export function prepareQuery(text: string): PreparedQuery {
  const exactSyllables = syllables(text).slice(0, 64);
  const foldedSyllables = exactSyllables.map(fold);
  let terms = [...new Set(foldedSyllables.filter((s) => !isStopword(s)))];
  if (terms.length === 0) terms = [...new Set(foldedSyllables)];
  terms = terms.map(tsTerm).filter(Boolean);
  const pairs = [...new Set(ngrams(foldedSyllables, 2))]
    .map((p) => p.split(' ').map(tsTerm))
    .filter((p) => p.every(Boolean) && !p.every(isStopword));
  return {
    raw: text,
    exact: normalize(text),
    folded: fold(text),
    terms,
    exactSyllables,
    foldedSyllables,
    tsAny: terms.length ? terms.map((t) => `'${t}'`).join(' | ') : null,
    tsPairs: pairs.length ? pairs.map(([a, b]) => `('${a}' <-> '${b}')`).join(' | ') : null,
    tsTwo: twoOf(terms.slice(0, 10)),
    tsThree: threeOf(terms.slice(0, 7)),
  };
}

/** A URL-safe slug from a Vietnamese title. */
export function slugify(text: string, max = 80): string {
  const s = fold(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, max).replace(/-+$/, '') || 'bai-viet';
}
