/**
 * Pulling from partners and unsigned sources. Each page is checked whole (signature, size, every item) before
 * anything is written, then applied in one transaction: a refused page leaves what was imported before untouched.
 */
import type { Db } from '../../../db/client.js';
import type { OutboundOptions } from '../../../platform/net/outbound.js';
import { signWithInstallationKey } from '../../crisis/public.js';
import * as repo from '../repo.js';
import {
  claimReviewsInHtml,
  cleanText,
  MalformedError,
  parseDataFeed,
  type ParsedFeed,
  type ParsedItem,
  type ParsedTombstone,
} from './claimreview.js';
import { offerToMatcher, withdrawFromMatcher } from './desk-link.js';
import { guardedGet, parseJson, PAUSING, PullProblem, type Fetched, type Problem } from './fetch.js';
import { KEY_HEADER, REQ_DATE_HEADER, requestSigningText, SIG_HEADER, verifyDetached } from './keys.js';
import { CLUSTERS_PATH, FEED_PATH } from './publish.js';
import { redactPersonalData } from './redact.js';

export interface PullEnv {
  db: Db;
  outbound: OutboundOptions;
}

export interface PullResult {
  sourceId: number;
  url: string;
  ok: boolean;
  paused: boolean;
  problem: Problem | null;
  detail: string | null;
  updated: number;
  removed: number;
}

/** Between two successful pulls of one source. */
export const PULL_INTERVAL_MS = 30 * 60_000;
/** After failures: 5 minutes, doubling up to a day. */
export const backoffMs = (failures: number) => Math.min(24 * 3600_000, 5 * 60_000 * 2 ** Math.min(failures, 12));
export const PULL_PAGE = 500;
const MAX_PAGES = 2000;

/** A page's detached signature, checked against the pinned key; a different key is refused until an admin pins it. */
export function checkSignature(f: Fetched, pinned: { keyId: string | null; publicKeyPem: string | null }): void {
  const keyId = f.headers.get(KEY_HEADER);
  const sig = f.headers.get(SIG_HEADER);
  if (!keyId || !sig) throw new PullProblem('unsigned', `${f.url} has no ${SIG_HEADER} header`);
  if (!pinned.publicKeyPem || keyId !== pinned.keyId)
    throw new PullProblem(
      'keyChanged',
      `${f.url} is signed with key ${keyId.slice(0, 40)}, pinned ${pinned.keyId ?? '—'}`,
    );
  if (!verifyDetached(pinned.publicKeyPem, f.body, sig))
    throw new PullProblem('badSignature', `${f.url}: the signature does not match the page`);
}

function parseFeedOrRefuse(doc: unknown, base: string): ParsedFeed {
  try {
    return parseDataFeed(doc, base);
  } catch (e) {
    if (e instanceof MalformedError) throw new PullProblem('malformed', e.detail);
    throw e;
  }
}

const newest = (feed: { items: ParsedItem[]; tombstones: ParsedTombstone[] }) =>
  [...feed.items.map((i) => i.dateModified), ...feed.tombstones.map((t) => t.dateDeleted)].reduce<Date | null>(
    (m, d) => (d && (!m || d > m) ? d : m),
    null,
  );

async function applyPage(
  db: Db,
  s: repo.SourceRow,
  name: string,
  feed: { items: ParsedItem[]; tombstones: ParsedTombstone[] },
): Promise<{ updated: number; removed: number }> {
  return db.tx(async (tx) => {
    await repo.lockSource(tx, s.id);
    const updated = await repo.upsertItems(tx, s.id, feed.items);
    const changed = new Set(updated);
    await offerToMatcher(
      tx,
      { id: s.id, name, url: s.home_url ?? s.url, signed: s.kind === 'partner' },
      feed.items.filter((i) => changed.has(i.remoteId)),
    );
    const removed = await repo.removeItems(tx, s.id, feed.tombstones);
    await withdrawFromMatcher(tx, s.id, removed);
    return { updated: updated.length, removed: removed.length };
  });
}

/** Resolves a feed's next page on the source's own address; a page elsewhere is refused. */
function nextUrl(next: string, current: string): string {
  const u = new URL(next, current);
  if (u.origin !== new URL(current).origin)
    throw new PullProblem('redirect', `next page on another host: ${u.href.slice(0, 200)}`);
  return u.href;
}

type Fetchedpage = { kind: 'notModified' } | { kind: 'page'; f: Fetched; feed: ParsedFeed };

/** One page fetched, its signature checked and every item read; nothing written yet. */
async function fetchPage(env: PullEnv, s: repo.SourceRow, url: string, first: boolean): Promise<Fetchedpage> {
  const f = await guardedGet(url, {
    outbound: env.outbound,
    headers: first && s.etag ? { 'if-none-match': s.etag } : {},
  });
  if (f.status === 304) return { kind: 'notModified' };
  if (f.status !== 200) throw new PullProblem('status', `${url}: HTTP ${f.status}`);
  checkSignature(f, { keyId: s.key_id, publicKeyPem: s.public_key_pem });
  return { kind: 'page', f, feed: parseFeedOrRefuse(parseJson(f), s.url) };
}

async function pullPartner(env: PullEnv, s: repo.SourceRow) {
  const first = new URL(`${s.url}${FEED_PATH}`);
  first.searchParams.set('limit', String(PULL_PAGE));
  if (s.cursor) first.searchParams.set('since', new Date(s.cursor).toISOString());
  let cursor: Date | null = null;
  let etag: string | null = null;
  let name = s.name;
  let homeUrl: string | null = null;
  let updated = 0;
  let removed = 0;
  let pending: Promise<Fetchedpage> | null = fetchPage(env, s, first.href, true);
  for (let page = 0; pending && page < MAX_PAGES; page++) {
    const got: Fetchedpage = await pending;
    pending = null;
    if (got.kind === 'notModified') {
      etag = s.etag;
      break;
    }
    const { f, feed } = got;
    if (page === 0) {
      etag = f.headers.get('etag');
      name = feed.name || name;
      homeUrl = feed.homeUrl;
    }
    // the next page is fetched and checked while this one is written
    if (feed.nextPage) {
      pending = fetchPage(env, s, nextUrl(feed.nextPage, f.url), false);
      pending.catch(() => undefined);
    }
    const r = await applyPage(env.db, s, name, feed);
    updated += r.updated;
    removed += r.removed;
    const n = newest(feed);
    if (n && (!cursor || n > cursor)) cursor = n;
  }
  if (s.receive_clusters) await pullClusters(env, s);
  return { cursor, etag, name, homeUrl, updated, removed };
}

/** A partner's open clusters, asked for with a request signed by our key (it shares them only with partners it chose). */
async function pullClusters(env: PullEnv, s: repo.SourceRow): Promise<void> {
  const date = new Date().toISOString();
  const signed = await signWithInstallationKey(env.db, requestSigningText(CLUSTERS_PATH, date));
  const f = await guardedGet(`${s.url}${CLUSTERS_PATH}`, {
    outbound: env.outbound,
    headers: { [KEY_HEADER]: signed.keyId, [SIG_HEADER]: signed.signature, [REQ_DATE_HEADER]: date },
  });
  if (f.status === 403 || f.status === 404) {
    await repo.clearClusters(env.db, s.id);
    return;
  }
  if (f.status !== 200) throw new PullProblem('status', `${f.url}: HTTP ${f.status}`);
  checkSignature(f, { keyId: s.key_id, publicKeyPem: s.public_key_pem });
  const doc = parseJson(f) as { dataFeedElement?: unknown };
  if (!doc || !Array.isArray(doc.dataFeedElement))
    throw new PullProblem('malformed', 'clusters: no dataFeedElement list');
  const clusters: repo.ClusterIn[] = [];
  for (const el of doc.dataFeedElement.slice(0, 1000) as Record<string, unknown>[]) {
    const firstSeen = new Date(String(el?.firstSeen));
    const lastSeen = new Date(String(el?.lastSeen));
    const size = Number(el?.size);
    // our own redaction again: we never store what a partner forgot to mask
    const text = redactPersonalData(cleanText(el?.text, 500));
    if (
      !text ||
      !Number.isInteger(size) ||
      size < 1 ||
      Number.isNaN(firstSeen.getTime()) ||
      Number.isNaN(lastSeen.getTime())
    )
      throw new PullProblem('malformed', 'clusters: a cluster lacks text, size or dates');
    clusters.push({
      remoteId: cleanText(el.id, 50) || String(clusters.length),
      text,
      size: Math.min(size, 1_000_000),
      firstSeen,
      lastSeen,
    });
  }
  await env.db.tx((tx) => repo.replaceClusters(tx, s.id, clusters));
}

async function pullFeed(env: PullEnv, s: repo.SourceRow) {
  let url: string | null = s.url;
  let name = s.name;
  let homeUrl: string | null = null;
  let updated = 0;
  let removed = 0;
  for (let page = 0; url && page < 200; page++) {
    const f = await guardedGet(url, { outbound: env.outbound });
    if (f.status !== 200) throw new PullProblem('status', `${url}: HTTP ${f.status}`);
    const feed = parseFeedOrRefuse(parseJson(f), f.url);
    if (page === 0) {
      name = feed.name || name || new URL(s.url).hostname;
      homeUrl = feed.homeUrl;
    }
    const r = await applyPage(env.db, s, name, feed);
    updated += r.updated;
    removed += r.removed;
    url = feed.nextPage ? nextUrl(feed.nextPage, f.url) : null;
  }
  return { cursor: null, etag: null, name, homeUrl, updated, removed };
}

async function pullPages(env: PullEnv, s: repo.SourceRow) {
  const items: ParsedItem[] = [];
  const tombstones: ParsedTombstone[] = [];
  for (const page of s.page_urls) {
    const f = await guardedGet(page, { outbound: env.outbound, maxBytes: 4 * 1024 * 1024 });
    if (f.status === 404 || f.status === 410) {
      // the article is gone: what we imported from it goes too
      const known = await repo.itemIdsByRemote(env.db, s.id, [page]);
      tombstones.push(
        ...known.map((k) => ({ remoteId: k.remote_id, reason: `HTTP ${f.status}`, dateDeleted: new Date() })),
      );
      continue;
    }
    if (f.status !== 200) throw new PullProblem('status', `${page}: HTTP ${f.status}`);
    // one article, one ClaimReview: the page address identifies it at the source
    for (const it of claimReviewsInHtml(f.body, f.url).slice(0, 1)) items.push({ ...it, remoteId: page });
  }
  const name = s.name || new URL(s.url).hostname;
  const r = await applyPage(env.db, s, name, { items, tombstones });
  return { cursor: null, etag: null, name, homeUrl: null, ...r };
}

/** Pulls one source now; a problem is recorded on the source (paused, or retried later with back-off), never thrown. */
export async function pullSource(env: PullEnv, id: number): Promise<PullResult> {
  const s = await repo.getSource(env.db, id);
  if (!s) throw new Error(`exchange source ${id} does not exist`);
  const base = { sourceId: s.id, url: s.url };
  try {
    const r =
      s.kind === 'partner'
        ? await pullPartner(env, s)
        : s.kind === 'feed'
          ? await pullFeed(env, s)
          : await pullPages(env, s);
    await repo.recordSuccess(env.db, s.id, {
      cursor: r.cursor,
      etag: r.etag,
      name: r.name,
      homeUrl: r.homeUrl,
      nextPullAt: new Date(Date.now() + PULL_INTERVAL_MS),
    });
    return { ...base, ok: true, paused: false, problem: null, detail: null, updated: r.updated, removed: r.removed };
  } catch (e) {
    if (!(e instanceof PullProblem)) throw e;
    const pause = PAUSING.has(e.problem);
    await repo.recordProblem(env.db, s.id, {
      pause,
      problem: e.problem,
      detail: e.detail,
      nextPullAt: new Date(Date.now() + backoffMs(s.failures)),
    });
    return { ...base, ok: false, paused: pause, problem: e.problem, detail: e.detail, updated: 0, removed: 0 };
  }
}

/** Every active source whose time has come (the scheduled job). */
export async function pullDue(env: PullEnv, now = new Date()): Promise<PullResult[]> {
  const out: PullResult[] = [];
  for (const { id } of await repo.dueSources(env.db, now)) out.push(await pullSource(env, id));
  return out;
}
