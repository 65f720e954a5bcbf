/**
 * An in-process BM25F index (Robertson & Zaragoza's simple BM25F): per-field term frequencies, each field with its own
 * weight and length normalisation, combined before one saturation, with document-level idf. Terms are folded tokens,
 * exact tokens that carry diacritics, and folded adjacent pairs (a Vietnamese word is mostly two syllables).
 *
 * Postings live in flat typed arrays built in one pass (compact: 8 bytes a posting), plus a small delta for documents
 * added since; a removed document is only marked dead. After enough changes the owner rebuilds.
 */
import { termB, termE, termF, termH, tokenize, typedWithDiacritics, hasDiacritic, type Tokens } from './tokens.js';

export const FIELDS = ['claim', 'title', 'short', 'expl'] as const;
export type Field = (typeof FIELDS)[number];

export interface RankParams {
  k1: number;
  /** weight and length normalisation (b) per field */
  fields: Record<Field, { w: number; b: number }>;
  /** query weights of the three term kinds */
  wFolded: number;
  wExact: number;
  wPair: number;
  /**
   * query weight of the same folded tokens counted again in the short fields only (claim, title, short answer): a
   * fact-check whose claim says it outranks one whose long explanation merely repeats the words
   */
  wHead: number;
  /** tokens of a field indexed at most (long explanations), and how many of them give pairs */
  maxTokens: number;
  maxPairTokens: number;
}

/** Chosen on the development sets (bench/desk.bench.ts): CheckThat! 2020 train for English, ViFactCheck for Vietnamese. */
export const DEFAULT_PARAMS: RankParams = {
  k1: 1.2,
  fields: { claim: { w: 1, b: 0.75 }, title: { w: 1, b: 0.75 }, short: { w: 1, b: 0.75 }, expl: { w: 0.7, b: 0.75 } },
  wFolded: 1,
  wExact: 0.5,
  wPair: 0.2,
  wHead: 0.3,
  maxTokens: 1500,
  maxPairTokens: 400,
};

export type DocText = Record<Field, string>;

export interface Hit<M> {
  ref: string;
  meta: M;
  score: number;
}

export interface QueryResult<M> {
  hits: Hit<M>[];
  /** the most a document could score for this query (every term matched, saturated): scores divided by it are in [0, 1) */
  selfScore: number;
  /** share of the query's weight carried by terms that no document has (an unknown name, a typo) */
  unknownShare: number;
}

interface DocTerms {
  terms: Int32Array;
  tf: Float32Array; // FIELDS.length per term
  len: Float32Array; // per field
}

class Growable {
  a: Int32Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Int32Array(cap);
  }
  push(v: number) {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

export class MatchIndex<M> {
  private termIds = new Map<string, number>();
  private df = new Growable();
  private refs: string[] = [];
  private metas: M[] = [];
  private alive = new Uint8Array(16);
  private byRef = new Map<string, number>();
  // base postings (CSR) and the delta since the last build
  private offsets = new Int32Array(1);
  private pDocs = new Int32Array(0);
  private pW = new Float32Array(0);
  private baseTerms = 0;
  private delta = new Map<number, number[]>();
  private avgLen: Float64Array = new Float64Array(FIELDS.length).fill(1);
  private lenSum = new Float64Array(FIELDS.length);
  private live = 0;
  private baseDocs = 0;
  private dead = 0;
  private scores = new Float64Array(16);
  private touched = new Int32Array(16);
  /** scores of the documents kept in the running top list (the scratch array above is zeroed as it is read) */
  private keep = new Map<number, number>();

  constructor(readonly params: RankParams = DEFAULT_PARAMS) {}

  get size(): number {
    return this.live;
  }

  /** Documents added or removed since the last build, as a share of the live ones. */
  get churn(): number {
    return (this.refs.length - this.baseDocs + this.dead) / Math.max(1, this.live);
  }

  has(ref: string): boolean {
    return this.byRef.has(ref);
  }

  private termId(t: string, create: boolean): number {
    let id = this.termIds.get(t);
    if (id === undefined) {
      if (!create) return -1;
      id = this.termIds.size;
      this.termIds.set(t, id);
      this.df.push(0);
    }
    return id;
  }

  private analyse(doc: DocText): DocTerms {
    const p = this.params;
    const tf = new Map<number, Float32Array>();
    const len = new Float32Array(FIELDS.length);
    const add = (term: string, f: number) => {
      const id = this.termId(term, true);
      let a = tf.get(id);
      if (!a) tf.set(id, (a = new Float32Array(FIELDS.length)));
      a[f]++;
    };
    FIELDS.forEach((field, f) => {
      const tk = tokenize(doc[field] ?? '', p.maxTokens);
      len[f] = tk.exact.length;
      for (let i = 0; i < tk.exact.length; i++) {
        add(termF(tk.folded[i]), f);
        if (field !== 'expl') add(termH(tk.folded[i]), f);
        if (hasDiacritic(tk.exact[i])) add(termE(tk.exact[i]), f);
        if (i > 0 && i < p.maxPairTokens) add(termB(tk.folded[i - 1], tk.folded[i]), f);
      }
    });
    const terms = new Int32Array(tf.size);
    const tfs = new Float32Array(tf.size * FIELDS.length);
    let i = 0;
    for (const [id, a] of tf) {
      terms[i] = id;
      tfs.set(a, i * FIELDS.length);
      i++;
    }
    return { terms, tf: tfs, len };
  }

  /** Saturated, length-normalised BM25F term weight in [0, 1). */
  private weight(d: DocTerms, i: number): number {
    const p = this.params;
    let t = 0;
    for (let f = 0; f < FIELDS.length; f++) {
      const n = d.tf[i * FIELDS.length + f];
      if (n === 0) continue;
      const fp = p.fields[FIELDS[f]];
      t += (fp.w * n) / (1 - fp.b + (fp.b * d.len[f]) / this.avgLen[f]);
    }
    return t / (p.k1 + t);
  }

  private ensureDocCap(n: number) {
    if (n <= this.alive.length) return;
    let cap = this.alive.length;
    while (cap < n) cap *= 2;
    const a = new Uint8Array(cap);
    a.set(this.alive);
    this.alive = a;
    this.scores = new Float64Array(cap);
    this.touched = new Int32Array(cap);
  }

  /** Replaces everything with these documents. */
  build(docs: Iterable<{ ref: string; text: DocText; meta: M }>): void {
    this.termIds = new Map();
    this.df = new Growable();
    this.refs = [];
    this.metas = [];
    this.byRef = new Map();
    this.delta = new Map();
    this.lenSum = new Float64Array(FIELDS.length);
    const analysed: DocTerms[] = [];
    for (const d of docs) {
      if (this.byRef.has(d.ref)) continue;
      const a = this.analyse(d.text);
      this.byRef.set(d.ref, this.refs.length);
      this.refs.push(d.ref);
      this.metas.push(d.meta);
      analysed.push(a);
      for (let f = 0; f < FIELDS.length; f++) this.lenSum[f] += a.len[f];
    }
    const n = analysed.length;
    this.live = n;
    this.baseDocs = n;
    this.dead = 0;
    this.ensureDocCap(n);
    this.alive.fill(0);
    this.alive.fill(1, 0, n);
    for (let f = 0; f < FIELDS.length; f++) this.avgLen[f] = Math.max(1, this.lenSum[f] / Math.max(1, n));
    const nTerms = this.termIds.size;
    const offsets = new Int32Array(nTerms + 1);
    for (const a of analysed) for (const t of a.terms) offsets[t + 1]++;
    for (let t = 0; t < nTerms; t++) {
      this.df.a[t] = offsets[t + 1];
      offsets[t + 1] += offsets[t];
    }
    const fill = offsets.slice(0, nTerms);
    const pDocs = new Int32Array(offsets[nTerms]);
    const pW = new Float32Array(offsets[nTerms]);
    analysed.forEach((a, doc) => {
      for (let i = 0; i < a.terms.length; i++) {
        const at = fill[a.terms[i]]++;
        pDocs[at] = doc;
        pW[at] = this.weight(a, i);
      }
      analysed[doc] = undefined as unknown as DocTerms;
    });
    this.offsets = offsets;
    this.pDocs = pDocs;
    this.pW = pW;
    this.baseTerms = nTerms;
  }

  /** Adds or replaces one document. */
  upsert(ref: string, text: DocText, meta: M): void {
    this.remove(ref);
    const a = this.analyse(text);
    const doc = this.refs.length;
    this.ensureDocCap(doc + 1);
    this.refs.push(ref);
    this.metas.push(meta);
    this.byRef.set(ref, doc);
    this.alive[doc] = 1;
    this.live++;
    for (let f = 0; f < FIELDS.length; f++) this.lenSum[f] += a.len[f];
    for (let i = 0; i < a.terms.length; i++) {
      const t = a.terms[i];
      this.df.a[t]++;
      let list = this.delta.get(t);
      if (!list) this.delta.set(t, (list = []));
      list.push(doc, this.weight(a, i));
    }
  }

  remove(ref: string): void {
    const doc = this.byRef.get(ref);
    if (doc === undefined) return;
    this.byRef.delete(ref);
    this.alive[doc] = 0;
    this.live--;
    this.dead++;
  }

  /** All live documents (to rebuild from what is kept, without the database). */
  metaOf(ref: string): M | undefined {
    const d = this.byRef.get(ref);
    return d === undefined ? undefined : this.metas[d];
  }

  /** Inverse document frequency of a term key (an unknown term counts as the rarest). */
  idf(term: string): number {
    const n = Math.max(1, this.live);
    const id = this.termId(term, false);
    const df = id < 0 ? 0 : Math.min(this.df.a[id], n);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The query's terms with their query weights (each distinct term once). */
  queryTerms(text: string, tk: Tokens = tokenize(text, 256)): Map<string, number> {
    const p = this.params;
    const out = new Map<string, number>();
    const exact = typedWithDiacritics(tk);
    for (let i = 0; i < tk.exact.length; i++) {
      out.set(termF(tk.folded[i]), p.wFolded);
      if (p.wHead > 0) out.set(termH(tk.folded[i]), p.wHead);
      if (exact && p.wExact > 0 && hasDiacritic(tk.exact[i])) out.set(termE(tk.exact[i]), p.wExact);
      if (i > 0 && p.wPair > 0) out.set(termB(tk.folded[i - 1], tk.folded[i]), p.wPair);
    }
    return out;
  }

  search(text: string, opts: { limit: number; accept?: (meta: M) => boolean; maxDfShare?: number }): QueryResult<M> {
    const n = Math.max(1, this.live);
    const terms = this.queryTerms(text);
    const scores = this.scores;
    const touched = this.touched;
    let nt = 0;
    let selfScore = 0;
    let unknown = 0;
    let total = 0;
    const maxDf = (opts.maxDfShare ?? 1) * n;
    const unknownIdf = Math.log(1 + (n + 0.5) / 0.5);
    for (const [term, qw] of terms) {
      const id = this.termId(term, false);
      const df = id < 0 ? 0 : Math.min(this.df.a[id], n);
      if (df === 0) {
        // only a word no document has counts as unknown (a pair or a short-field term may just not occur)
        if (term.charCodeAt(0) === 102 /* 'f' */) {
          unknown += qw * unknownIdf;
          total += qw * unknownIdf;
        }
        continue;
      }
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const w = qw * idf;
      selfScore += w;
      total += w;
      if (df > maxDf) continue;
      if (id < this.baseTerms) {
        for (let j = this.offsets[id], end = this.offsets[id + 1]; j < end; j++) {
          const d = this.pDocs[j];
          if (scores[d] === 0) touched[nt++] = d;
          scores[d] += w * this.pW[j];
        }
      }
      const list = this.delta.get(id);
      if (list) {
        for (let j = 0; j < list.length; j += 2) {
          const d = list[j];
          if (scores[d] === 0) touched[nt++] = d;
          scores[d] += w * list[j + 1];
        }
      }
    }
    // top `limit` live, accepted documents; ties go to the earlier document
    const k = Math.max(1, opts.limit);
    const keep = this.keep;
    const kept = (d: number) => keep.get(d)!;
    const top: number[] = [];
    let floor = 0;
    for (let i = 0; i < nt; i++) {
      const d = touched[i];
      const s = scores[d];
      scores[d] = 0;
      if (!this.alive[d] || (top.length === k && (s < floor || (s === floor && d > top[k - 1])))) continue;
      if (opts.accept && !opts.accept(this.metas[d])) continue;
      let at = top.length;
      while (at > 0 && (kept(top[at - 1]) < s || (kept(top[at - 1]) === s && top[at - 1] > d))) at--;
      top.splice(at, 0, d);
      keep.set(d, s);
      if (top.length > k) keep.delete(top.pop()!);
      if (top.length === k) floor = keep.get(top[k - 1])!;
    }
    const hits = top.map((d) => ({ ref: this.refs[d], meta: this.metas[d], score: keep.get(d)! }));
    keep.clear();
    return { hits, selfScore, unknownShare: total > 0 ? unknown / total : 0 };
  }
}
