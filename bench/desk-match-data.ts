/**
 * Claim-matching development sets (kept outside the project, `../shared/data/claims-dev/` or CLAIMS_DEV_DIR) and the
 * plain BM25 baseline the desk's ranker is compared with in the same run. A set that is absent is skipped.
 * Nothing here is copied into the repository: the files are read at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocText } from '../src/modules/desk/service/match/index.js';

export const devDir = (): string =>
  process.env.CLAIMS_DEV_DIR ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data/claims-dev');

export interface DevSet {
  name: string;
  docs: { id: string; text: DocText; plain: string }[];
  queries: { id: string; text: string }[];
  gold: Map<string, Set<string>>;
}

/** Tab-separated rows with "-quoting (fields may span lines), header dropped. */
function quotedTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else q = false;
      } else field += ch;
    } else if (ch === '"' && field === '') q = true;
    else if (ch === '\t') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows.slice(1);
}

const plainTsv = (text: string) =>
  text
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'));

function qrels(text: string, header: boolean): Map<string, Set<string>> {
  const gold = new Map<string, Set<string>>();
  for (const line of text.split('\n').slice(header ? 1 : 0)) {
    const [qid, , doc, rel] = line.trim().split(/\s+/);
    if (!qid || !(Number(rel) > 0)) continue;
    if (!gold.has(qid)) gold.set(qid, new Set());
    gold.get(qid)!.add(doc);
  }
  return gold;
}

const empty = { claim: '', title: '', short: '', expl: '' };

export function loadEnglish(split: 'train' | 'dev'): DevSet | null {
  const root = path.join(devDir(), 'en-checkthat2020');
  if (!existsSync(path.join(root, split, 'tweets.queries.tsv'))) return null;
  const docs = quotedTsv(readFileSync(path.join(root, 'verified_claims.docs.tsv'), 'utf8'))
    .filter((r) => r.length >= 3)
    .map((r) => ({ id: r[0], text: { ...empty, claim: r[1], title: r[2] }, plain: `${r[1]} ${r[2]}` }));
  const gold = qrels(readFileSync(path.join(root, split, 'tweet-vclaim-pairs.qrels'), 'utf8'), false);
  const queries = quotedTsv(readFileSync(path.join(root, split, 'tweets.queries.tsv'), 'utf8'))
    .filter((r) => gold.has(r[0]))
    .map((r) => ({ id: r[0], text: r[1] }));
  return { name: `en CheckThat! 2020 ${split}`, docs, queries, gold };
}

export function loadVietnamese(kind: 'typed' | 'bare'): DevSet | null {
  const root = path.join(devDir(), 'vi-vifactcheck');
  const qfile = kind === 'typed' ? 'queries.tsv' : 'queries_nodiacritics.tsv';
  if (!existsSync(path.join(root, qfile))) return null;
  const docs = plainTsv(readFileSync(path.join(root, 'docs.tsv'), 'utf8')).map((r) => ({
    id: r[0],
    text: { ...empty, expl: r[2] },
    plain: r[2],
  }));
  const queries = plainTsv(readFileSync(path.join(root, qfile), 'utf8')).map((r) => ({ id: r[0], text: r[2] }));
  return {
    name: `vi ViFactCheck ${kind === 'typed' ? 'as typed' : 'without diacritics'}`,
    docs,
    queries,
    gold: qrels(readFileSync(path.join(root, 'qrels.tsv'), 'utf8'), true),
  };
}

// ---------- plain BM25 (as bm25_baseline.py: k1 1.2, b 0.75, lower-cased \w+ runs, each query token once) ----------

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
export const foldPlain = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');

export class PlainBm25 {
  // term -> [doc, tf, doc length, doc, tf, doc length, ...]
  private postings = new Map<string, number[]>();
  private n: number;
  private avg: number;
  constructor(
    private ids: string[],
    texts: string[],
  ) {
    let total = 0;
    texts.forEach((t, d) => {
      const w = words(t);
      total += w.length;
      const tf = new Map<string, number>();
      for (const x of w) tf.set(x, (tf.get(x) ?? 0) + 1);
      for (const [x, n] of tf) {
        let p = this.postings.get(x);
        if (!p) this.postings.set(x, (p = []));
        p.push(d, n, w.length);
      }
    });
    this.n = texts.length;
    this.avg = total / Math.max(1, this.n);
  }
  rank(query: string, k = 1000): string[] {
    const s = new Map<number, number>();
    for (const w of new Set(words(query))) {
      const p = this.postings.get(w);
      if (!p) continue;
      const df = p.length / 3;
      const idf = Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
      for (let i = 0; i < p.length; i += 3) {
        const tf = p[i + 1];
        s.set(p[i], (s.get(p[i]) ?? 0) + (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * p[i + 2]) / this.avg)));
      }
    }
    return [...s]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([d]) => this.ids[d]);
  }
}

export interface Metrics {
  r1: number;
  r5: number;
  mrr: number;
  map5: number;
}

export function score(set: DevSet, rank: (q: string) => string[]): Metrics {
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  let map5 = 0;
  for (const q of set.queries) {
    const gold = set.gold.get(q.id)!;
    const got = rank(q.text);
    r1 += got.slice(0, 1).filter((d) => gold.has(d)).length / gold.size;
    r5 += got.slice(0, 5).filter((d) => gold.has(d)).length / gold.size;
    const first = got.findIndex((d) => gold.has(d));
    mrr += first >= 0 ? 1 / (first + 1) : 0;
    let hits = 0;
    let ap = 0;
    got.slice(0, 5).forEach((d, i) => {
      if (gold.has(d)) ap += ++hits / (i + 1);
    });
    map5 += ap / gold.size;
  }
  const n = set.queries.length;
  return { r1: r1 / n, r5: r5 / n, mrr: mrr / n, map5: map5 / n };
}
