/**
 * Measures the per-language calibration of claim matching (src/modules/desk/service/match/calibrate.ts, CALIBRATION):
 * `npx tsx bench/desk-calibrate.ts` fits it and prints the constants to paste there, with their figures on held-out
 * questions. Reads the development sets in ../shared/data/claims-dev (CLAIMS_DEV_DIR) at run time only; nothing of
 * them is copied into the project.
 *
 * - Splits: English fits on CheckThat! 2020 train and is measured on dev; Vietnamese (ViFactCheck, no train part) is
 *   split in two by a hash of the claim id — one half fits, the other is held out (the same claim typed with and
 *   without diacritics stays in one half).
 * - The index holds the corpus minus a fixed 20% of the target documents (as the bench's abstention), so a question
 *   whose fact-check is missing must not be answered.
 * - The confidence of a result is a logistic curve over scale-free features (calibrationFeatures), fitted per
 *   language by Newton's method on the top three results of every fitting question (label: it is the right item).
 * - Besides the whole corpus, small corpora (60 and 300 documents, half the questions' items absent, as unchecked
 *   rumours) are built from the same split: a desk's own corpus is small, and there a weak match stands out more.
 * - The answer threshold is the lowest score at which, on the fitting questions of every scenario, the answered ones
 *   (best result at or above it) are right at least ANSWER_PRECISION of the time; the related threshold the lowest at which the
 *   results shown (top three at or above it) are the question's own item at least RELATED_PRECISION of the time
 *   (the others shown are mostly on the same subject, which the data cannot tell).
 */
import { createHash } from 'node:crypto';
import {
  calibrationFeatures,
  CALIBRATION,
  confidence,
  type Calibration,
  type LanguageCalibration,
} from '../src/modules/desk/service/match/calibrate.js';
import { MatchIndex } from '../src/modules/desk/service/match/index.js';
import { queryLanguage, type MatchLanguage } from '../src/modules/desk/service/match/language.js';
import { loadEnglish, loadVietnamese, type DevSet } from './desk-match-data.js';
import { fmt } from './lib.js';

export const ANSWER_PRECISION = 0.9;
export const RELATED_PRECISION = 0.5;

/** A fixed 20% of the target documents (by a hash of their id) are removed. */
export const removedDoc = (id: string) => createHash('sha1').update(id).digest()[0] < 256 * 0.2;
/** Vietnamese claims in the fitting half (the rest is held out). */
const fitHalf = (qid: string) =>
  createHash('sha1')
    .update('calibration:' + qid)
    .digest()[0] < 128;

export interface Sample {
  /** per result (top 3): features and whether it is the right item */
  hits: { x: number[]; right: boolean }[];
  /** the question's item is in the index */
  present: boolean;
  lang: MatchLanguage;
}

const featureVector = (f: { ratio: number; lead: number; unknown: number }) => [f.ratio, f.lead, f.unknown];
const toCalibration = (w: number[]): Calibration => ({ a: w[0], m: w[1], u: -w[2], c: w[3] });

export function samples(set: DevSet, keepQuery: (qid: string) => boolean = () => true): Sample[] {
  const targets = new Set([...set.gold.values()].flatMap((g) => [...g]));
  const gone = new Set([...targets].filter(removedDoc));
  return run(
    set,
    set.docs.filter((d) => !gone.has(d.id)).map((d) => d.id),
    set.queries.filter((q) => keepQuery(q.id)),
  );
}

function run(set: DevSet, docIds: string[], queries: DevSet['queries']): Sample[] {
  const keep = new Set(docIds);
  const ix = new MatchIndex<{ id: string }>();
  ix.build(set.docs.filter((d) => keep.has(d.id)).map((d) => ({ ref: d.id, text: d.text, meta: { id: d.id } })));
  return queries.map((q) => {
    const gold = set.gold.get(q.id)!;
    const r = ix.search(q.text, { limit: 3 });
    const hits =
      r.selfScore > 0
        ? r.hits.map((h, i) => ({ x: featureVector(calibrationFeatures(r, i)), right: gold.has(h.meta.id) }))
        : [];
    return { hits, present: [...gold].some((g) => keep.has(g)), lang: queryLanguage(q.text) };
  });
}

const rank = (seed: string, id: string) =>
  createHash('sha1')
    .update(seed + id)
    .digest()
    .readUInt32BE(0);

/**
 * A desk's own corpus is small (tens to thousands of fact-checks), where a weak match stands out more than among
 * 10,000: `size` documents holding the items of half the questions (the others' items are absent, as an unchecked
 * rumour's), both halves asked.
 */
export function smallCorpus(set: DevSet, queries: DevSet['queries'], size: number, seed: string): Sample[] {
  const qs = [...queries].sort((a, b) => rank(seed, a.id) - rank(seed, b.id)).slice(0, Math.min(queries.length, size));
  const asked = qs.filter((_, i) => i % 2 === 0);
  const golds = new Set(asked.flatMap((q) => [...set.gold.get(q.id)!]));
  const absentGolds = new Set(qs.filter((_, i) => i % 2 === 1).flatMap((q) => [...set.gold.get(q.id)!]));
  const fill = set.docs
    .filter((d) => !golds.has(d.id) && !absentGolds.has(d.id))
    .sort((a, b) => rank(seed, a.id) - rank(seed, b.id));
  const ids = [...golds, ...fill.slice(0, Math.max(0, size - golds.size)).map((d) => d.id)];
  return run(set, ids, qs);
}

/** Logistic regression by Newton's method (a little L2 so that separable data stays finite). */
export function fitLogistic(xs: number[][], ys: number[], l2 = 1e-3, iters = 50): number[] {
  const d = xs[0].length + 1;
  const w = new Array(d).fill(0);
  for (let it = 0; it < iters; it++) {
    const g = new Array(d).fill(0);
    const h = Array.from({ length: d }, () => new Array(d).fill(0));
    xs.forEach((x0, n) => {
      const x = [...x0, 1];
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, i) => s + v * w[i], 0)));
      for (let i = 0; i < d; i++) {
        g[i] += (p - ys[n]) * x[i];
        for (let j = 0; j < d; j++) h[i][j] += p * (1 - p) * x[i] * x[j];
      }
    });
    for (let i = 0; i < d; i++) {
      g[i] += l2 * w[i];
      h[i][i] += l2;
    }
    const step = solve(h, g);
    for (let i = 0; i < d; i++) w[i] -= step[i];
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return w;
}

function solve(a0: number[][], b0: number[]): number[] {
  const n = b0.length;
  const a = a0.map((r, i) => [...r, b0[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < n; r++) {
      if (r === c || a[c][c] === 0) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((r, i) => (r[i] === 0 ? 0 : r[n] / r[i]));
}

export interface Outcome {
  /** confidence of the best result (0 when nothing matched) */
  conf: number;
  right: boolean;
  present: boolean;
}

export const outcomes = (ss: Sample[], k: Calibration): Outcome[] =>
  ss.map((s) => ({
    conf: s.hits[0] ? confidenceOf(s.hits[0].x, k) : 0,
    right: Boolean(s.hits[0]?.right),
    present: s.present,
  }));

const confidenceOf = (x: number[], k: Calibration) => confidence({ ratio: x[0], lead: x[1], unknown: x[2] }, k);

export interface AtThreshold {
  /** answered / all */
  coverage: number;
  /** right among the answered */
  precision: number;
  /** right item answered, or "not checked yet" when its item is missing */
  answeredRight: number;
  n: number;
}

export function atThreshold(os: Outcome[], t: number): AtThreshold {
  const answered = os.filter((o) => o.conf >= t);
  const right = answered.filter((o) => o.present && o.right).length;
  const abstainedRight = os.filter((o) => o.conf < t && !o.present).length;
  return {
    coverage: answered.length / os.length,
    precision: answered.length ? right / answered.length : 1,
    answeredRight: (right + abstainedRight) / os.length,
    n: os.length,
  };
}

/** The lowest score (0.01 steps) from which the answered questions are right at least `precision` of the time. */
export function thresholdFor(os: Outcome[], precision: number): number {
  for (let t = 0; t <= 1.0001; t += 0.01)
    if (atThreshold(os, t).precision >= precision) return Math.round(t * 100) / 100;
  return 1;
}

/** The lowest score (0.01 steps) from which the results shown (top three) are the right item RELATED_PRECISION of the time. */
export function relatedThreshold(ss: Sample[], k: Calibration): number {
  const shown = ss.flatMap((q) => q.hits.map((h) => ({ conf: confidenceOf(h.x, k), right: h.right && q.present })));
  for (let t = 0; t <= 1.0001; t += 0.01) {
    const above = shown.filter((h) => h.conf >= t);
    if (above.length && above.filter((h) => h.right).length / above.length >= RELATED_PRECISION)
      return Math.round(t * 100) / 100;
  }
  return 1;
}

export interface LanguageSplits {
  lang: MatchLanguage;
  /** fitting questions, by scenario (the whole corpus; small corpora) */
  fit: Sample[][];
  heldOut: { name: string; samples: Sample[] }[];
}

const SIZES = [60, 300];

export function splits(): LanguageSplits[] {
  const out: LanguageSplits[] = [];
  const train = loadEnglish('train');
  const dev = loadEnglish('dev');
  const small = (set: DevSet, qs: DevSet['queries']) =>
    SIZES.flatMap((n) => [0, 1, 2].flatMap((k) => smallCorpus(set, qs, n, `${n}:${k}:`)));
  if (train && dev) {
    out.push({
      lang: 'en',
      fit: [samples(train), small(train, train.queries)],
      heldOut: [
        { name: 'en CheckThat! 2020 dev (10,375 claims, 20% of targets removed)', samples: samples(dev) },
        { name: 'en dev, small corpora (60/300, half the questions unchecked)', samples: small(dev, dev.queries) },
      ],
    });
  }
  const typed = loadVietnamese('typed');
  const bare = loadVietnamese('bare');
  if (typed && bare) {
    const fitQ = (s: DevSet) => s.queries.filter((q) => fitHalf(q.id));
    const outQ = (s: DevSet) => s.queries.filter((q) => !fitHalf(q.id));
    out.push({
      lang: 'vi',
      fit: [
        [...samples(typed, fitHalf), ...samples(bare, fitHalf)],
        [...small(typed, fitQ(typed)), ...small(bare, fitQ(bare))],
      ],
      heldOut: [
        { name: 'vi ViFactCheck held-out half, as typed (20% removed)', samples: samples(typed, (q) => !fitHalf(q)) },
        { name: 'vi held-out half, without diacritics (20% removed)', samples: samples(bare, (q) => !fitHalf(q)) },
        {
          name: 'vi held-out half, small corpora (60, half unchecked)',
          samples: [...small(typed, outQ(typed)), ...small(bare, outQ(bare))],
        },
      ],
    });
  }
  return out;
}

export function fit(s: LanguageSplits): LanguageCalibration {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (const q of s.fit.flat())
    for (const h of q.hits) {
      xs.push(h.x);
      ys.push(h.right && q.present ? 1 : 0);
    }
  const coef = roundCoef(toCalibration(fitLogistic(xs, ys)));
  // the precision must hold in every scenario, not only on average
  const answer = Math.max(...s.fit.map((g) => thresholdFor(outcomes(g, coef), ANSWER_PRECISION)));
  return { coef, answer, related: Math.min(answer, relatedThreshold(s.fit.flat(), coef)) };
}

const roundCoef = (k: Calibration): Calibration => ({ a: r2(k.a), m: r2(k.m), u: r2(k.u), c: r2(k.c) });
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Held-out figures of a calibration (the one in product code unless given). */
export function heldOutRows(
  all: LanguageSplits[] = splits(),
  cal: Record<MatchLanguage, LanguageCalibration> = CALIBRATION,
  legacy?: { k: Calibration; t: number },
): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const s of all) {
    for (const h of s.heldOut) {
      // the language the product would detect for each question picks its calibration
      const os = h.samples.map((q) => {
        const c = cal[q.lang];
        const conf = q.hits[0] ? confidenceOf(q.hits[0].x, c.coef) : 0;
        return { o: { conf, right: Boolean(q.hits[0]?.right), present: q.present }, t: c.answer, r: c.related };
      });
      const ans = summarise(os.map((x) => ({ ...x.o, conf: x.o.conf >= x.t ? 1 : 0 })));
      const shown = h.samples
        .flatMap((q) =>
          q.hits.map((hit) => ({
            shown: confidenceOf(hit.x, cal[q.lang].coef) >= cal[q.lang].related,
            right: hit.right && q.present,
          })),
        )
        .filter((x) => x.shown);
      const relPrecision = shown.length ? shown.filter((x) => x.right).length / shown.length : 1;
      const best = bestShare(os.map((x) => x.o));
      const row: Record<string, unknown> = {
        set: h.name,
        'answer thr': cal[s.lang].answer,
        'precision @answer': fmt(ans.precision, 3),
        'answered share': fmt(ans.coverage, 3),
        'answered right @answer': fmt(ans.answeredRight, 3),
        'related thr': cal[s.lang].related,
        'results right @related': fmt(relPrecision, 3),
        'ceiling (best thr)': fmt(best, 3),
      };
      if (legacy) {
        const old = atThreshold(
          h.samples.map((q) => ({
            conf: q.hits[0] ? confidenceOf(q.hits[0].x, legacy.k) : 0,
            right: Boolean(q.hits[0]?.right),
            present: q.present,
          })),
          legacy.t,
        );
        row[`before: precision @${legacy.t}`] = fmt(old.precision, 3);
        row[`before: answered right @${legacy.t}`] = fmt(old.answeredRight, 3);
      }
      rows.push(row);
    }
  }
  return rows;
}

const summarise = (os: Outcome[]) => atThreshold(os, 1);
function bestShare(os: Outcome[]): number {
  let best = 0;
  for (let t = 0; t <= 1.0001; t += 0.01) best = Math.max(best, atThreshold(os, t).answeredRight);
  return best;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const all = splits();
  if (all.length === 0) {
    console.log('claim-matching development sets not found (../shared/data/claims-dev or CLAIMS_DEV_DIR)');
    process.exit(0);
  }
  const fitted = { ...CALIBRATION };
  for (const s of all) {
    fitted[s.lang] = fit(s);
    const fo = s.fit.map((g) => atThreshold(outcomes(g, fitted[s.lang].coef), fitted[s.lang].answer));
    console.log(
      `${s.lang}: fitted on ${s.fit.flat().length} questions`,
      JSON.stringify(fitted[s.lang]),
      'fit precision @answer per scenario',
      fo.map((a) => `${fmt(a.precision, 3)} (answered ${fmt(a.coverage, 3)})`).join(', '),
    );
  }
  console.log('\nCALIBRATION =', JSON.stringify(fitted, null, 2));
  console.table(heldOutRows(all, fitted));
}
