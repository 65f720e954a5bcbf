/**
 * Tokenising for claim matching. A token is a run of letters and digits (a Vietnamese syllable, an English word, a
 * number); numbers keep their digits ("5.000.000" and "5000000" are one token). Each token has an exact form (NFC,
 * lower case) and a folded form (diacritics dropped, đ → d, English plural and -ing/-ed endings cut), so a resident
 * typing without accents still matches while an exact match can count for more.
 */

/** NFC, lower case (Đ → đ). */
export function normalize(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

const MARKS = /[\u0300-\u036f]/g;
const HAS_MARK = /[\u0300-\u036f]/;

/** Diacritics dropped, đ → d, lower case. */
export function fold(text: string): string {
  return normalize(text).normalize('NFD').replace(MARKS, '').replace(/đ/g, 'd');
}

/** Links, @handles, pic.twitter.com addresses and pasted HTML tags say nothing about the claim. */
const NOISE = /\b(?:https?:\/\/|www\.)\S+|\bpic\.twitter\.com\/\S+|(?:^|\s)@\w+|<\/?[a-z][^<>]{0,300}>/giu;
/** 5.000.000 / 5,000,000 → 5000000; otherwise letters (with their marks) and digits. */
const TOKEN = /\p{N}+(?:[.,]\p{N}{3})+(?!\p{N})|[\p{L}\p{M}\p{N}]+/gu;

/** #PizzaGate → Pizza Gate: a hashtag's words, as they are written elsewhere. */
const HASHTAG = /#(\p{L}[\p{L}\p{N}]*)/gu;

/** Exact tokens (NFC, lower case) of a text. */
export function exactTokens(text: string): string[] {
  const clean = text
    .normalize('NFC')
    .replace(HASHTAG, (_, w: string) => ' ' + w.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2') + ' ');
  const out = normalize(clean).replace(NOISE, ' ').match(TOKEN) ?? [];
  for (let i = 0; i < out.length; i++)
    if (/^\p{N}/u.test(out[i]) && /[.,]/.test(out[i])) out[i] = out[i].replace(/[.,]/g, '');
  return out;
}

/**
 * A light English stemmer for plain ASCII words (Vietnamese syllables never end in -s, -ed or -ing once folded,
 * so it never touches them): plurals, -ing, -ed.
 */
export function stem(w: string): string {
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length > 5) return w.slice(0, -3);
  if (w.endsWith('ed') && w.length > 4) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** The folded form of one exact token. */
export function foldToken(t: string): string {
  const f =
    HAS_MARK.test(t.normalize('NFD')) || t.includes('đ') ? t.normalize('NFD').replace(MARKS, '').replace(/đ/g, 'd') : t;
  return stem(f);
}

/** True when the token carries a diacritic (so its exact form says more than its folded one). */
export const hasDiacritic = (t: string) => t.includes('đ') || HAS_MARK.test(t.normalize('NFD'));

export interface Tokens {
  exact: string[];
  folded: string[];
}

export function tokenize(text: string, max = Infinity): Tokens {
  let exact = exactTokens(text);
  if (exact.length > max) exact = exact.slice(0, max);
  return { exact, folded: exact.map(foldToken) };
}

/** Term keys: 'f' folded token, 'e' exact token with diacritics, 'b' folded adjacent pair. */
export const termF = (f: string) => 'f' + f;
export const termE = (e: string) => 'e' + e;
/** 'h' folded token in the short fields (claim, title, short answer) only */
export const termH = (f: string) => 'h' + f;
export const termB = (a: string, b: string) => 'b' + a + ' ' + b;

/** True when the text has any Vietnamese diacritic: then exact forms are meaningful on the query side. */
export function typedWithDiacritics(tokens: Tokens): boolean {
  let n = 0;
  for (const t of tokens.exact) if (hasDiacritic(t)) n++;
  return n > 0;
}
