/**
 * The language of a question, for the per-language calibration (match/calibrate.ts): Vietnamese or English. Words
 * with Vietnamese diacritics and the most frequent Vietnamese syllables (a resident typing without accents still
 * writes "khong", "co", "la", "nguoi") are counted against English function words. A tie is Vietnamese, the
 * residents' language, unless the text is plain ASCII without any Vietnamese clue.
 */
import { hasDiacritic, tokenize } from './tokens.js';

export type MatchLanguage = 'vi' | 'en';

// frequent syllables that are not English words (folded; "the", "can", "may", "an" left out)
const VI = new Set(
  'khong co la cua nguoi duoc cho va nay mot cac nhung da se bi tai thi phai nha tien nhieu ve voi trong khi den nuoc nam ngay thang gia tang giam xa phuong tinh thanh pho hoc sinh benh vien cong chinh quyen that sai dung dong trieu nghin lam sao vi neu cung van chua roi het moi nhu nao gi dau toi chung ta minh vao len xuong lai duong cau cho nghe noi bao tuoi gio xe dien thuoc'.split(
    ' ',
  ),
);
const EN = new Set(
  'the is are was were be been of to and in that for it on with this as at by from or an not have has had will would can could they their there what which who about more than people says said new just after before over into out if no so do does did you your we our he she his her its all one'.split(
    ' ',
  ),
);

export function queryLanguage(text: string): MatchLanguage {
  const tk = tokenize(text, 200);
  let vi = 0;
  let en = 0;
  for (const t of tk.exact) {
    // an accented word counts as one vote, not a verdict: English tweets quote "vía", "café", "Beyoncé"
    if (hasDiacritic(t) || VI.has(t)) vi++;
    if (EN.has(t)) en++;
  }
  if (en !== vi) return en > vi ? 'en' : 'vi';
  // no clue either way: plain ASCII words are taken as English (a Vietnamese sentence almost always has a clue)
  return vi === 0 && tk.exact.length > 0 && tk.exact.every((t) => /^[a-z0-9]+$/.test(t)) ? 'en' : 'vi';
}
