/** The figures of a report: every module's `figures()` for a unit subtree and period, its children and its trend. */
import type { Db } from '../../../db/client.js';
import type { AppModule } from '../../../http/module.js';
import type { FigureQuery, ModuleFigures } from '../../../platform/figures.js';
import { makePeriod, previousPeriod, trendBuckets, type Period, type PeriodKind } from './period.js';
import * as repo from '../repo.js';
import type { ReportUnit } from '../repo.js';

export type FigureSource = Pick<AppModule, 'name' | 'figures'>;

export interface UnitInfo {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  path: string;
  retired: boolean;
}

export interface PeriodInfo {
  from: string;
  to: string;
  kind: PeriodKind;
}

export interface ReportData {
  unit: UnitInfo;
  period: PeriodInfo;
  previousPeriod: PeriodInfo;
  figures: ModuleFigures;
  previous: ModuleFigures;
  children: { unit: UnitInfo; figures: ModuleFigures }[];
  trend: { period: PeriodInfo; figures: ModuleFigures }[];
  /** modules whose figures could not be read */
  unavailable: string[];
  /** only the unit's own figures: the rest took too long for a live page (see BuildOptions.budgetMs) */
  partial?: boolean;
  generatedAt: string;
}

export const JOB_RUN = 'reports.run';
export const JOB_MONTHLY = 'reports.monthly';
export const JOB_MONTHLY_UNIT = 'reports.monthly-unit';

export const unitInfo = (u: ReportUnit): UnitInfo => ({
  id: u.id,
  code: u.code,
  name: u.full_name,
  nameEn: u.name_en,
  path: u.path,
  retired: u.retired_at != null,
});
const periodInfo = (p: Period): PeriodInfo => ({ from: p.from, to: p.to, kind: p.kind });
export const periodOf = (i: PeriodInfo): Period => makePeriod(i.from, i.to);

/** Every module's figures for one unit subtree and period; a module that fails is listed, not fatal. */
export async function collectFigures(
  sources: readonly FigureSource[],
  db: Db,
  q: FigureQuery,
  onError?: (name: string, err: unknown) => void,
): Promise<{ figures: ModuleFigures; unavailable: string[] }> {
  const figures: ModuleFigures = {};
  const unavailable: string[] = [];
  const results = await Promise.all(
    sources
      .filter((s) => s.figures)
      .map(async (s) => {
        try {
          return { name: s.name, f: await s.figures!(db, q) };
        } catch (err) {
          onError?.(s.name, err);
          return { name: s.name, f: null };
        }
      }),
  );
  for (const r of results) {
    if (r.f) Object.assign(figures, r.f);
    else unavailable.push(r.name);
  }
  return { figures, unavailable };
}

export interface BuildOptions {
  children?: boolean;
  trend?: boolean;
  onError?: (name: string, err: unknown) => void;
  /** reuse figures of periods over for at least a day, computed within the last day (default true) */
  cache?: boolean;
  /** also reuse figures of a period still running, computed within this many seconds (the staff overview) */
  openTtlSeconds?: number;
  /** after this many milliseconds, take the units below and the months only from the cache; if any is missing, return `partial` */
  budgetMs?: number;
}

/** How long a live page may spend on the unit's own figures before it leaves the rest to a job. */
export const liveSettings = { budgetMs: 4000 };

/** Figures of a period that ended more than this long ago are cached, for this long. */
export const CACHE_AFTER_MS = 24 * 3600_000;
export const CACHE_TTL_SECONDS = 24 * 3600;

/** One unit and period: from the cache when the period is over, else from the modules. */
export async function periodFigures(
  sources: readonly FigureSource[],
  db: Db,
  unitPath: string,
  p: Period,
  opts: BuildOptions = {},
  now = Date.now(),
): Promise<{ figures: ModuleFigures; unavailable: string[] }> {
  const ttl =
    opts.cache === false ? 0 : p.end.getTime() <= now - CACHE_AFTER_MS ? CACHE_TTL_SECONDS : (opts.openTtlSeconds ?? 0);
  if (ttl > 0) {
    const hit = await repo.cachedFigures(db, unitPath, p.from, p.to, ttl);
    if (hit) return { figures: hit.figures as ModuleFigures, unavailable: [] };
  }
  const r = await collectFigures(sources, db, { unitPath, from: p.start, to: p.end }, opts.onError);
  if (ttl > 0 && r.unavailable.length === 0) await repo.storeFigures(db, unitPath, p.from, p.to, r.figures);
  return r;
}

/** Runs `fn` over `items`, `limit` at a time (the PostgreSQL pool serves them in parallel). */
async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** The whole report: the unit and the previous period, each child unit, and the trend within the period. */
export async function buildReport(
  sources: readonly FigureSource[],
  db: Db,
  unit: ReportUnit,
  period: Period,
  opts: BuildOptions = {},
): Promise<ReportData> {
  const prev = previousPeriod(period);
  const kids = opts.children === false ? [] : await repo.childrenDuring(db, unit.id, period.start);
  const buckets = opts.trend === false ? [] : trendBuckets(period);
  const jobs: { path: string; p: Period }[] = [
    { path: unit.path, p: period },
    { path: unit.path, p: prev },
    ...kids.map((k) => ({ path: k.path, p: period })),
    ...buckets.map((b) => ({ path: unit.path, p: b })),
  ];
  // The live page counts until its budget is spent; after that it only takes what is cached. Whatever was counted
  // is cached (finished periods), so the job that finishes the report — or the next view — starts from there.
  const deadline = opts.budgetMs != null ? Date.now() + opts.budgetMs : Infinity;
  const [cur, before] = await mapLimit(jobs.slice(0, 2), 2, (j) => periodFigures(sources, db, j.path, j.p, opts));
  const rest = jobs.slice(2);
  const counted = await mapLimit(rest, db.kind === 'pg' ? 4 : 1, async (j) => {
    if (Date.now() <= deadline) return periodFigures(sources, db, j.path, j.p, opts);
    const closed = j.p.end.getTime() <= Date.now() - CACHE_AFTER_MS;
    const hit =
      closed && opts.cache !== false
        ? await repo.cachedFigures(db, j.path, j.p.from, j.p.to, CACHE_TTL_SECONDS)
        : undefined;
    return hit ? { figures: hit.figures as ModuleFigures, unavailable: [] } : null;
  });
  const partial = counted.some((r) => r === null);
  const results = counted as { figures: ModuleFigures; unavailable: string[] }[];
  const children = partial ? [] : kids.map((k, i) => ({ unit: unitInfo(k), figures: results[i].figures }));
  const trend = partial
    ? []
    : buckets.map((b, i) => ({ period: periodInfo(b), figures: results[kids.length + i].figures }));
  return {
    ...(partial ? { partial: true } : {}),
    unit: unitInfo(unit),
    period: periodInfo(period),
    previousPeriod: periodInfo(prev),
    figures: cur.figures,
    previous: before.figures,
    children,
    trend,
    unavailable: [...new Set([...cur.unavailable, ...before.unavailable])],
    generatedAt: new Date().toISOString(),
  };
}
