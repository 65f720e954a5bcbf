/**
 * Word-level differences between a pasted text and the genuine statement, for showing a resident what was altered.
 * Longest common subsequence over words, after trimming the common start and end (an altered notice usually keeps
 * most of the text); the middle is capped so a request cannot make the server build a huge table.
 */
export type DiffPart = { op: 'same' | 'added' | 'removed'; text: string };

const MAX_MIDDLE = 1500;

export function wordDiff(genuine: string, pasted: string): DiffPart[] {
  const a = words(genuine);
  const b = words(pasted);
  let start = 0;
  while (start < a.length && start < b.length && same(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && same(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  const out: DiffPart[] = [];
  const push = (op: DiffPart['op'], text: string) => {
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  a.slice(0, start).forEach((w) => push('same', w));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length > MAX_MIDDLE || midB.length > MAX_MIDDLE) {
    midA.forEach((w) => push('removed', w));
    midB.forEach((w) => push('added', w));
  } else {
    const n = midA.length;
    const m = midB.length;
    // lcs[i][j] = length of the LCS of midA[i..] and midB[j..]
    const lcs = new Uint16Array((n + 1) * (m + 1));
    const at = (i: number, j: number) => i * (m + 1) + j;
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[at(i, j)] = same(midA[i], midB[j])
          ? lcs[at(i + 1, j + 1)] + 1
          : Math.max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (same(midA[i], midB[j])) {
        push('same', midB[j]);
        i++;
        j++;
      } else if (lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) push('removed', midA[i++]);
      else push('added', midB[j++]);
    }
    while (i < n) push('removed', midA[i++]);
    while (j < m) push('added', midB[j++]);
  }
  a.slice(endA).forEach((w) => push('same', w));
  return out;
}

/** Words with the space after them, so the parts join back into readable text. */
function words(s: string): string[] {
  return s.normalize('NFC').match(/\S+\s*/g) ?? [];
}

const same = (x: string, y: string) => x.trim() === y.trim();

/** How many words differ, for choosing the closest of several forms of the genuine text. */
export const changedWords = (parts: DiffPart[]) =>
  parts.filter((p) => p.op !== 'same').reduce((n, p) => n + (p.text.match(/\S+/g)?.length ?? 0), 0);
