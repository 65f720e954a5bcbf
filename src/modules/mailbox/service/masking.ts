/**
 * Personal data inside what residents and staff write: Vietnamese phone numbers, CCCD/CMND numbers,
 * e-mail addresses and licence plates are found by pattern; passages staff chose are hidden as written.
 * Pure functions: the public outputs (page, list, feeds, Open311, JSON) pass their text through maskText.
 */

/** What replaces hidden text: the same in every language and output, so clients can recognise it. */
export const MASK = '[***]';

export type PiiKind = 'email' | 'plate' | 'phone' | 'id';

// digits may be grouped with spaces, dots or hyphens: 0912 345 678, 0912.345.678, +84 912-345-678
const SEP = '[\\s.\\-]?';
const digits = (n: number) => `(?:${SEP}\\d){${n}}`;

/** Order matters: an e-mail or a plate holds digits a phone or ID pattern would otherwise take. */
const PATTERNS: { kind: PiiKind; re: RegExp }[] = [
  { kind: 'email', re: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu },
  // 29A-123.45, 51F1-234.56, 59-X1 234.56, 30E-12345, 29A-1234
  {
    kind: 'plate',
    re: /(?<![\p{L}\p{N}])\d{2}[\s-]?[A-Z]{1,2}\d?(?:[\s-]?\d{3}\.\d{2}|[\s-]\d{4,5})(?![\p{L}\p{N}])/gu,
  },
  // mobiles 0[35789] + 8 digits, landlines 02 + 9 digits; +84, (+84) or 0084 instead of the 0
  {
    kind: 'phone',
    re: new RegExp(
      `(?<![\\p{N}+])(?:(?:\\(\\+84\\)|\\+84|0084)${SEP}|0)(?:[35789]${digits(8)}|2${digits(9)})(?![\\p{N}])`,
      'gu',
    ),
  },
  // CCCD (12 digits) and the old CMND (9 digits)
  { kind: 'id', re: /(?<!\p{N})(?:\d{12}|\d{9})(?!\p{N})/gu },
];

/** The personal data found in a text, by kind (for staff: "this text holds a phone number"). */
export function findPersonalData(text: string): { kind: PiiKind; text: string }[] {
  const out: { kind: PiiKind; text: string }[] = [];
  let rest = text;
  for (const { kind, re } of PATTERNS) {
    rest = rest.replace(re, (m) => {
      out.push({ kind, text: m });
      return MASK;
    });
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface MaskSources {
  /** passages staff chose to hide */
  passages: string[];
  /** the resident's name when they did not allow it to be shown */
  hiddenName?: string | null;
}

/** The text as the public sees it: staff's passages, the resident's private name and every pattern masked. */
export function maskText(text: string, src?: MaskSources): string;
export function maskText(text: string | null, src?: MaskSources): string | null;
export function maskText(text: string | null, src: MaskSources = { passages: [] }): string | null {
  if (text == null || text === '') return text;
  let out = text;
  for (const p of [...src.passages].sort((a, b) => b.length - a.length)) {
    if (p.trim().length >= 2) out = out.replace(new RegExp(escape(p), 'giu'), MASK);
  }
  const name = src.hiddenName?.trim();
  if (name && name.length >= 5)
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, 'giu'), MASK);
  for (const { re } of PATTERNS) out = out.replace(re, MASK);
  return out;
}

/** Only the passages staff chose (what staff who may not see personal data get). */
export function maskPassages(text: string | null, passages: string[]): string | null {
  if (text == null || text === '') return text;
  let out = text;
  for (const p of [...passages].sort((a, b) => b.length - a.length))
    if (p.trim().length >= 2) out = out.replace(new RegExp(escape(p), 'giu'), MASK);
  return out;
}

/** A report row's public text fields masked (title, description, answer, outcome note). */
export function maskRow<
  T extends { title: string; description: string; answer: string | null; outcome_note?: string | null },
>(r: T, src: MaskSources): T {
  return {
    ...r,
    title: maskText(r.title, src),
    description: maskText(r.description, src),
    answer: maskText(r.answer, src),
    outcome_note: r.outcome_note == null ? r.outcome_note : maskText(r.outcome_note, src),
  };
}
