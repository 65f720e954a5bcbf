/**
 * Quality of the desk's BM25F ranker on the development sets, beside plain BM25 on the same data in the same run,
 * and calibrated abstention with a fixed 20% of the target documents removed.
 */
import { createHash } from 'node:crypto';
import {
  CALIBRATION,
  calibrationFeatures,
  confidence,
  type Calibration,
} from '../src/modules/desk/service/match/calibrate.js';
import { queryLanguage } from '../src/modules/desk/service/match/language.js';
import { DEFAULT_PARAMS, MatchIndex, type RankParams } from '../src/modules/desk/service/match/index.js';
import { fmt } from './lib.js';
import {
  foldPlain,
  loadEnglish,
  loadVietnamese,
  PlainBm25,
  score,
  type DevSet,
  type Metrics,
} from './desk-match-data.js';

export function buildIndex(
  set: DevSet,
  params: RankParams = DEFAULT_PARAMS,
  keep?: (id: string) => boolean,
): MatchIndex<{ id: string }> {
  const ix = new MatchIndex<{ id: string }>(params);
  ix.build(set.docs.filter((d) => !keep || keep(d.id)).map((d) => ({ ref: d.id, text: d.text, meta: { id: d.id } })));
  return ix;
}

/** Top results with their calibrated confidence, as the desk computes it (match/calibrate.ts: the text's language's curve). */
export function ranked(
  ix: MatchIndex<{ id: string }>,
  q: string,
  limit: number,
  k: Calibration = CALIBRATION[queryLanguage(q)].coef,
): { id: string; conf: number }[] {
  const r = ix.search(q, { limit: Math.max(limit, 2) });
  if (r.selfScore <= 0) return [];
  return r.hits.slice(0, limit).map((h, i) => ({ id: h.meta.id, conf: confidence(calibrationFeatures(r, i), k) }));
}

export function loadSets(): DevSet[] {
  return [loadEnglish('dev'), loadVietnamese('typed'), loadVietnamese('bare')].filter((s): s is DevSet => s !== null);
}

/** The baselines the README of the data describes: naive, and (Vietnamese) folded on both sides; the better one counts. */
export function baseline(set: DevSet): { name: string; m: Metrics } {
  const naive = new PlainBm25(
    set.docs.map((d) => d.id),
    set.docs.map((d) => d.plain),
  );
  const a = { name: 'BM25', m: score(set, (q) => naive.rank(q, 100)) };
  if (!set.name.startsWith('vi')) return a;
  const folded = new PlainBm25(
    set.docs.map((d) => d.id),
    set.docs.map((d) => foldPlain(d.plain)),
  );
  const b = { name: 'BM25 folded', m: score(set, (q) => folded.rank(foldPlain(q), 100)) };
  return b.m.r1 > a.m.r1 ? b : a;
}

/** A fixed 20% of the target documents (by a hash of their id) are removed. */
const removed = (id: string) => createHash('sha1').update(id).digest()[0] < 256 * 0.2;

/** `threshold` null: each question's language's answer threshold (CALIBRATION), as the desk decides. */
export function abstention(
  set: DevSet,
  threshold: number | null,
  params: RankParams = DEFAULT_PARAMS,
  k?: Calibration,
): { atConfigured: number; best: number; bestAt: number; n: number } {
  const targets = new Set([...set.gold.values()].flatMap((g) => [...g]));
  const gone = new Set([...targets].filter(removed));
  const ix = buildIndex(set, params, (id) => !gone.has(id));
  const outcomes = set.queries.map((q) => {
    const gold = set.gold.get(q.id)!;
    const top = ranked(ix, q.text, 1, k ?? CALIBRATION[queryLanguage(q.text)].coef)[0];
    return {
      present: [...gold].some((g) => !gone.has(g)),
      right: Boolean(top && gold.has(top.id)),
      conf: top?.conf ?? 0,
      own: CALIBRATION[queryLanguage(q.text)].answer,
    };
  });
  const share = (t: number | null) =>
    outcomes.filter((o) => (o.conf >= (t ?? o.own) ? o.present && o.right : !o.present)).length / outcomes.length;
  let best = 0;
  let bestAt = 0;
  for (let t = 0; t <= 1.0001; t += 0.01) {
    const s = share(t);
    if (s > best) {
      best = s;
      bestAt = t;
    }
  }
  return { atConfigured: share(threshold), best, bestAt, n: outcomes.length };
}

export function qualityRows(threshold: number | null): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const set of loadSets()) {
    const t0 = performance.now();
    const ix = buildIndex(set);
    const build = performance.now() - t0;
    const m = score(set, (q) => ranked(ix, q, 100).map((r) => r.id));
    const b = baseline(set);
    const ab = abstention(set, threshold);
    const metric = (x: Metrics) => ({
      'R@1': fmt(x.r1, 3),
      'R@5': fmt(x.r5, 3),
      MRR: fmt(x.mrr, 3),
      'MAP@5': fmt(x.map5, 3),
    });
    rows.push({
      set: set.name,
      method: 'desk BM25F',
      ...metric(m),
      'answered right @thr': fmt(ab.atConfigured, 3),
      'best thr (share)': `${fmt(ab.bestAt, 2)} (${fmt(ab.best, 3)})`,
      'build ms': fmt(build, 0),
    });
    rows.push({ set: set.name, method: b.name, ...metric(b.m) });
    rows.push({
      set: set.name,
      method: 'ratio BM25F/BM25',
      'R@1': fmt(m.r1 / b.m.r1, 3),
      'R@5': fmt(m.r5 / b.m.r5, 3),
      MRR: fmt(m.mrr / b.m.mrr, 3),
      'MAP@5': fmt(m.map5 / b.m.map5, 3),
    });
  }
  return rows;
}
