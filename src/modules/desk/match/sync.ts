/**
 * Keeps each process's match indexes in step with the database. Every query first asks the change log what changed
 * since the version this process has seen (one indexed read, empty almost always) and applies it, so a fact-check
 * published, corrected or unpublished by any process is matchable, or gone, on the next query everywhere.
 */
import type { Db } from '../../../db/client.js';
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

const holders = new WeakMap<object, Holder>();
let params: RankParams = DEFAULT_PARAMS;

/** For the bench: other ranking parameters (indexes are rebuilt on their next use). */
export function setRankParams(p: RankParams): void {
  params = p;
  forgetAll = true;
}
let forgetAll = false;

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

async function loadAll(db: Db): Promise<Indexes> {
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

async function refresh(db: Db, h: Holder): Promise<void> {
  for (;;) {
    const changes = await mrepo.changesSince(db, h.version, LOG_BATCH);
    if (changes.length === 0) return;
    if (changes.length === LOG_BATCH) {
      Object.assign(h, await loadAll(db));
      continue;
    }
    await apply(db, h, new Set(changes.map((c) => c.ref)));
    h.version = changes[changes.length - 1].version;
    if (
      (h.facts.churn > REBUILD_CHURN && h.facts.size > 2000) ||
      (h.claims.churn > REBUILD_CHURN && h.claims.size > 2000)
    )
      Object.assign(h, await loadAll(db));
  }
}

/**
 * This process's indexes for `db`, brought up to date with every committed change. `wait: false`: while the first
 * build (the start-up warm-up) is still running, null at once instead of waiting for it.
 */
export async function freshIndexes(db: Db): Promise<Indexes>;
export async function freshIndexes(db: Db, opts: { wait: false }): Promise<Indexes | null>;
export async function freshIndexes(db: Db, opts: { wait?: boolean } = {}): Promise<Indexes | null> {
  // a transaction's handle on PGlite shares the instance; on PostgreSQL callers pass the pool
  const key: object = db.pglite ?? db;
  if (forgetAll) {
    forgetAll = false;
    holders.delete(key);
  }
  let h = holders.get(key);
  if (!h) return startBuild(db, key).then(() => holders.get(key) ?? freshIndexes(db));
  if (!h.ready && opts.wait === false) return null;
  // one refresh at a time; a query waits for the one running, then reads the log again for what came after
  const holder = h;
  const run = (holder.busy ?? Promise.resolve())
    .catch(() => {})
    .then(() => {
      if (!holder.ready) throw new Error('the claim-matching index could not be built');
      return refresh(db, holder);
    });
  holder.busy = run;
  try {
    await run;
  } finally {
    if (holder.busy === run) holder.busy = null;
  }
  return holder;
}

/** The first build for `db`: one at a time, the holder in place (not ready) while it runs. */
function startBuild(db: Db, key: object): Promise<void> {
  const existing = holders.get(key);
  if (existing) return existing.ready ? Promise.resolve() : (existing.busy ?? Promise.resolve());
  const placeholder = { ready: false } as Holder;
  const loading = loadAll(db).then(
    (ix) => {
      Object.assign(placeholder, ix, { busy: null, ready: true });
    },
    (e) => {
      if (holders.get(key) === placeholder) holders.delete(key);
      throw e;
    },
  );
  placeholder.busy = loading;
  holders.set(key, placeholder);
  return loading;
}

/**
 * Builds this process's indexes in the background at start-up, so that the first question does not pay for it;
 * meanwhile matching answers without them (nothing matched: "not checked yet", the question is filed).
 * Resolves with the build's duration in milliseconds.
 */
export async function warmIndexes(db: Db): Promise<number> {
  const t0 = performance.now();
  await startBuild(db, db.pglite ?? db);
  return performance.now() - t0;
}

/** True once this process's indexes for `db` are built. */
export function indexesReady(db: Db): boolean {
  return holders.get(db.pglite ?? db)?.ready ?? false;
}

/** Drops this process's indexes for `db` (tests, after a restore). */
export function forgetIndexes(db: Db): void {
  holders.delete(db.pglite ?? db);
}
