/**
 * Keeps each app's match indexes (in its deps.state: two apps in one process never share them) in step with the
 * database. Every query first asks the change log what changed
 * since the version this process has seen (one indexed read, empty almost always) and applies it, so a fact-check
 * published, corrected or unpublished by any process is matchable, or gone, on the next query everywhere.
 */
import type { Db } from '../../../../db/client.js';
import type { Deps } from '../../../../http/context.js';
import { slot } from '../../../../platform/app-state.js';
import { DEFAULT_PARAMS, MatchIndex, type DocText, type RankParams } from './index.js';
import * as mrepo from './repo.js';

export type DocKind = 'article' | 'video' | 'factcheck' | 'external';

export interface FactMeta {
  kind: DocKind;
  /** desk item id (own pieces) */
  id: number;
  /** partners' fact-checks */
  ext?: {
    sourceKey: string;
    sourceName: string;
    sourceUrl: string;
    extId: string;
    title: string;
    verdict: string | null;
    url: string;
  };
  /** below 1 for partners' fact-checks */
  weight: number;
}

export interface ClaimMeta {
  clusterId: number;
  text: string;
}

export interface Indexes {
  facts: MatchIndex<FactMeta>;
  claims: MatchIndex<ClaimMeta>;
  version: number;
}

interface Holder extends Indexes {
  busy: Promise<void> | null;
  /** false while the first build runs */
  ready: boolean;
}

/** What the index code reads: the app's database and its memory. */
export type IndexDeps = Pick<Deps, 'db' | 'state'>;

/** This app's indexes (null until the first build starts) and the ranking parameters they are built with. */
const INDEXES = slot('desk.matchIndexes', () => ({ holder: null as Holder | null, params: DEFAULT_PARAMS }));

/** For the bench: other ranking parameters for this app (its indexes are rebuilt on their next use). */
export function setRankParams(deps: Pick<Deps, 'state'>, p: RankParams): void {
  const ix = deps.state.get(INDEXES);
  ix.params = p;
  ix.holder = null;
}

const LOG_BATCH = 5000;
/** Rebuild from the database once this share of the index changed since the last build. */
const REBUILD_CHURN = 0.3;

const itemText = (r: mrepo.MatchDocRow): DocText => ({
  claim: r.claim,
  title: r.title,
  short: r.short_answer,
  expl: r.explanation,
});
const itemMeta = (r: mrepo.MatchDocRow): FactMeta => ({
  kind: r.kind as DocKind,
  id: Number(r.ref.slice(2)),
  weight: 1,
});
const extMeta = (r: mrepo.ExternalDocRow): FactMeta => ({
  kind: 'external',
  id: 0,
  ext: {
    sourceKey: r.source_key,
    sourceName: r.source_name,
    sourceUrl: r.source_url,
    extId: r.ext_id,
    title: r.title,
    verdict: r.verdict,
    url: r.url,
  },
  weight: Math.max(0.01, Math.min(1, r.weight)),
});
const claimText = (r: mrepo.ClaimDocRow): DocText => ({ claim: r.text, title: '', short: '', expl: '' });

async function loadAll(db: Db, params: RankParams): Promise<Indexes> {
  // the version first: whatever changes while we read is in the log after it and is applied again, harmlessly
  const version = await mrepo.matchVersion(db);
  const rows: { ref: string; text: DocText; meta: FactMeta }[] = [];
  for (let after = 0; ; ) {
    const page = await mrepo.publishedDocs(db, after, 5000);
    for (const r of page) rows.push({ ref: r.ref, text: itemText(r), meta: itemMeta(r) });
    if (page.length < 5000) break;
    after = page[page.length - 1].id;
  }
  for (const r of await mrepo.externalDocs(db)) rows.push({ ref: r.ref, text: itemText(r), meta: extMeta(r) });
  const facts = new MatchIndex<FactMeta>(params);
  facts.build(rows);
  rows.length = 0;
  const claims = new MatchIndex<ClaimMeta>(params);
  claims.build(
    (await mrepo.claimDocs(db)).map((r) => ({
      ref: r.ref,
      text: claimText(r),
      meta: { clusterId: r.cluster_id, text: r.text },
    })),
  );
  return { facts, claims, version };
}

async function apply(db: Db, h: Holder, refs: Set<string>): Promise<void> {
  const items: number[] = [];
  const ext: string[] = [];
  const claims: number[] = [];
  for (const r of refs) {
    if (r.startsWith('i:')) items.push(Number(r.slice(2)));
    else if (r.startsWith('x:')) ext.push(r);
    else if (r.startsWith('k:')) claims.push(Number(r.slice(2)));
  }
  if (items.length) {
    const rows = await mrepo.publishedDocsByIds(db, items);
    const found = new Set(rows.map((r) => r.ref));
    for (const id of items) if (!found.has(`i:${id}`)) h.facts.remove(`i:${id}`);
    for (const r of rows) h.facts.upsert(r.ref, itemText(r), itemMeta(r));
  }
  if (ext.length) {
    const rows = await mrepo.externalDocsByRefs(db, ext);
    const found = new Set(rows.map((r) => r.ref));
    for (const ref of ext) if (!found.has(ref)) h.facts.remove(ref);
    for (const r of rows) h.facts.upsert(r.ref, itemText(r), extMeta(r));
  }
  if (claims.length) {
    const rows = await mrepo.claimDocsByIds(db, claims);
    const found = new Set(rows.map((r) => r.ref));
    for (const id of claims) if (!found.has(`k:${id}`)) h.claims.remove(`k:${id}`);
    for (const r of rows) h.claims.upsert(r.ref, claimText(r), { clusterId: r.cluster_id, text: r.text });
  }
}

async function refresh(db: Db, h: Holder, params: RankParams): Promise<void> {
  for (;;) {
    const changes = await mrepo.changesSince(db, h.version, LOG_BATCH);
    if (changes.length === 0) return;
    if (changes.length === LOG_BATCH) {
      Object.assign(h, await loadAll(db, params));
      continue;
    }
    await apply(db, h, new Set(changes.map((c) => c.ref)));
    h.version = changes[changes.length - 1].version;
    if (
      (h.facts.churn > REBUILD_CHURN && h.facts.size > 2000) ||
      (h.claims.churn > REBUILD_CHURN && h.claims.size > 2000)
    )
      Object.assign(h, await loadAll(db, params));
  }
}

/**
 * This app's indexes, brought up to date with every committed change. `wait: false`: while the first build (the
 * start-up warm-up) is still running, null at once instead of waiting for it.
 */
export async function freshIndexes(deps: IndexDeps): Promise<Indexes>;
export async function freshIndexes(deps: IndexDeps, opts: { wait: false }): Promise<Indexes | null>;
export async function freshIndexes(deps: IndexDeps, opts: { wait?: boolean } = {}): Promise<Indexes | null> {
  const ix = deps.state.get(INDEXES);
  const h = ix.holder;
  if (!h) return startBuild(deps).then(() => ix.holder ?? freshIndexes(deps));
  if (!h.ready && opts.wait === false) return null;
  // one refresh at a time; a query waits for the one running, then reads the log again for what came after
  const run = (h.busy ?? Promise.resolve())
    .catch(() => {})
    .then(() => {
      if (!h.ready) throw new Error('the claim-matching index could not be built');
      return refresh(deps.db, h, ix.params);
    });
  h.busy = run;
  try {
    await run;
  } finally {
    if (h.busy === run) h.busy = null;
  }
  return h;
}

/** The first build for this app: one at a time, the holder in place (not ready) while it runs. */
function startBuild(deps: IndexDeps): Promise<void> {
  const ix = deps.state.get(INDEXES);
  const existing = ix.holder;
  if (existing) return existing.ready ? Promise.resolve() : (existing.busy ?? Promise.resolve());
  const placeholder = { ready: false } as Holder;
  const loading = loadAll(deps.db, ix.params).then(
    (built) => {
      Object.assign(placeholder, built, { busy: null, ready: true });
    },
    (e) => {
      if (ix.holder === placeholder) ix.holder = null;
      throw e;
    },
  );
  placeholder.busy = loading;
  ix.holder = placeholder;
  return loading;
}

/**
 * Builds this app's indexes in the background at start-up, so that the first question does not pay for it;
 * meanwhile matching answers without them (nothing matched: "not checked yet", the question is filed).
 * Resolves with the build's duration in milliseconds.
 */
export async function warmIndexes(deps: IndexDeps): Promise<number> {
  const t0 = performance.now();
  await startBuild(deps);
  return performance.now() - t0;
}

/** True once this app's indexes are built. */
export function indexesReady(deps: Pick<Deps, 'state'>): boolean {
  return deps.state.get(INDEXES).holder?.ready ?? false;
}

/** Drops this app's indexes (tests, after a restore). */
export function forgetIndexes(deps: Pick<Deps, 'state'>): void {
  deps.state.get(INDEXES).holder = null;
}
