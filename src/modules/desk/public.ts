/**
 * What the desk offers other modules (crisis, network). Other modules import only this file,
 * never the desk's repo or tables. Implemented by the desk module.
 */
import type { Db } from '../../db/client.js';
import { matchClaimText, type MatchAnswer } from './service/match/answer.js';
import type { MatchDeps } from './service/match/matching.js';
import * as mrepo from './service/match/repo.js';
import type { ExternalDoc, ExternalSource } from './service/match/repo.js';
import * as repo from './repo.js';
import { factcheckChangeRows, openClusterRows, type FactcheckChangeRow, type OpenClusterRow } from './repo/exchange.js';
import { fileClaim, itemPath } from './service.js';

/** The author, rating and claim blocks of a fact-check's ClaimReview (its page and the exchange feed). */
export { claimReviewCore, type ClaimReviewSource } from './service/claim-review.js';

export interface PublishedItem {
  id: number;
  kind: 'article' | 'video' | 'factcheck';
  title: string;
  /** public path, e.g. /factchecks/123-slug */
  url: string;
  publishedAt: Date;
  verdict?: string | null;
  verdictLabel?: string | null;
  verdictLabelEn?: string | null;
}

const toPublished = (i: repo.ItemSummary): PublishedItem => ({
  id: i.id,
  kind: i.kind,
  title: i.title,
  url: itemPath(i),
  publishedAt: new Date(i.published_at!),
  verdict: i.verdict,
  verdictLabel: i.verdict_label,
  verdictLabelEn: i.verdict_label_en,
});

/** Published items by id (unknown or unpublished ids are left out). */
export async function publishedItems(db: Db, ids: number[]): Promise<PublishedItem[]> {
  const clean = [...new Set(ids.filter((n) => Number.isInteger(n) && n > 0 && n < 2 ** 31))];
  if (clean.length === 0) return [];
  return (await repo.listPublished(db, { ids: clean, limit: clean.length })).map(toPublished);
}

/** Recent published items for pickers (campaign builder, incident page links). */
export async function recentPublished(
  db: Db,
  opts: { kind?: PublishedItem['kind']; limit?: number; q?: string },
): Promise<PublishedItem[]> {
  const limit = Math.max(1, Math.min(100, opts.limit ?? 20));
  return (await repo.listPublished(db, { kind: opts.kind ?? null, q: opts.q?.trim() || null, limit })).map(toPublished);
}

export interface ClaimInput {
  text: string;
  link?: string | null;
  seenWhere?: string | null;
  unitId?: number | null;
  /** a network member's user id when a member sends it in */
  memberUserId?: number | null;
  contactEmail?: string | null;
  source: 'public' | 'member' | 'api';
}

export interface SubmittedClaim {
  code: string;
  /** a published fact-check answers the claim ("already checked"); else "not checked yet — we have received your question" */
  answered: boolean;
  answer: PublishedItem | null;
  /** at most three related fact-checks: show them as related, never as the verdict on the claim (no verdict badge) */
  related: PublishedItem[];
  /** @deprecated the answer (if any) then the related ones; use answer and related */
  matches: PublishedItem[];
}

/** Files a claim ("is this true?") with the desk; returns its tracking code, the answer if one exists, and related fact-checks. */
export async function submitClaim(deps: MatchDeps, input: ClaimInput): Promise<SubmittedClaim> {
  const text = (input.text ?? '').trim();
  if (text.length < 3) throw new Error('desk.submitClaim: the claim text is empty');
  const link = input.link && /^https?:\/\//i.test(input.link.trim()) ? input.link.trim().slice(0, 2000) : null;
  const r = await fileClaim(deps, {
    text: text.slice(0, 4000),
    link,
    seenWhere: input.seenWhere?.slice(0, 500) ?? null,
    unitId: input.unitId ?? null,
    memberUserId: input.memberUserId ?? null,
    contactEmail: input.contactEmail?.slice(0, 254) ?? null,
    source: input.source,
  });
  return {
    code: r.code,
    answered: r.answered,
    answer: r.answer ? toPublished(r.answer) : null,
    related: r.related.map(toPublished),
    matches: r.matches.map(toPublished),
  };
}

// ---------- matching (the tipline, the exchange) ----------

export type { MatchAnswer, MatchResult } from './service/match/answer.js';
export type { ExternalDoc, ExternalSource } from './service/match/repo.js';

/**
 * Does a published fact-check answer this text? `answered` is true when the best result's confidence (`score`, in
 * [0, 1]) passes the answer threshold of the text's language (`thresholds`; MATCH_ANSWER_THRESHOLD replaces it when
 * set); results under `thresholds.related` are best not shown at all; results are best first, own pieces before a
 * partner's at equal text (a partner's confidence is multiplied by its source's weight).
 */
export async function matchClaim(
  deps: MatchDeps,
  text: string,
  opts: { limit?: number; locale?: 'vi' | 'en' } = {},
): Promise<MatchAnswer> {
  return matchClaimText(deps, text, opts);
}

/**
 * Stores (adds or replaces, by `id`) a partner installation's fact-checks so that they are matchable, in every app
 * process, from the next query on. `source.weight` in (0, 1] scales their confidence, so they rank below our own
 * pieces on the same text. Call inside your transaction if you have one; nothing is audited here (the caller audits).
 */
export async function upsertExternalFactchecks(db: Db, source: ExternalSource, docs: ExternalDoc[]): Promise<void> {
  const key = String(source.key ?? '').trim();
  if (!key) throw new Error('desk.upsertExternalFactchecks: the source key is empty');
  const weight = Number.isFinite(source.weight) ? Math.max(0.01, Math.min(1, source.weight)) : 0.8;
  const clean = docs
    .filter(
      (d) =>
        d && String(d.id ?? '').trim() && String(d.title ?? '').trim() && /^https?:\/\//i.test(String(d.url ?? '')),
    )
    .map((d) => ({
      id: String(d.id).trim().slice(0, 200),
      claim: String(d.claim ?? '').slice(0, 4000),
      title: String(d.title).trim().slice(0, 500),
      shortAnswer: String(d.shortAnswer ?? '').slice(0, 4000),
      explanation: String(d.explanation ?? '').slice(0, 200_000),
      verdict: d.verdict == null ? null : String(d.verdict).slice(0, 100),
      url: String(d.url).slice(0, 2000),
      lang: d.lang === 'en' ? 'en' : 'vi',
    }));
  await db.tx(async (tx) => {
    await mrepo.upsertSource(tx, {
      key,
      name: String(source.name ?? key).slice(0, 300),
      url: String(source.url ?? ''),
      weight,
    });
    for (let i = 0; i < clean.length; i += 500) await mrepo.upsertExternalDocs(tx, key, clean.slice(i, i + 500));
  });
}

/** Removes a partner's fact-checks by id (`null`: all of that source's); returns how many were removed. */
export async function removeExternalFactchecks(db: Db, sourceKey: string, ids: string[] | null): Promise<number> {
  return mrepo.removeExternalDocs(db, sourceKey, ids === null ? null : ids.map(String));
}

export type FactcheckChange = FactcheckChangeRow & { path: string };
/** Published and withdrawn fact-checks by change time, newest first, with their public path (the exchange feed reads them). */
export async function factcheckChanges(
  db: Db,
  f: { since: Date | null; before: { at: Date; id: number } | null; limit: number },
): Promise<FactcheckChange[]> {
  return (await factcheckChangeRows(db, f)).map((r) => ({
    ...r,
    path: itemPath({ id: r.id, kind: 'factcheck', slug: r.slug }),
  }));
}

/** Open claim clusters (not answered yet), most recently asked first: the text as first asked, size, first and last seen. */
export async function openClaimClusters(db: Db, limit = 200): Promise<OpenClusterRow[]> {
  return openClusterRows(db, Math.max(1, Math.min(1000, limit)));
}

export interface ClaimAnswer {
  code: string;
  /** the cluster's status: new, checking, answered, answered_existing, not_checkable */
  status: string;
  /** the published fact-check answering the claim's cluster, once there is one */
  factcheck: PublishedItem | null;
}

/** A filed claim's answer, for those who follow it elsewhere (the tiplines): everyone in the cluster gets the same one. */
export async function claimAnswer(db: Db, code: string): Promise<ClaimAnswer | null> {
  if (!/^KC-[A-Z0-9]{4,12}$/.test(code)) return null;
  const claim = await repo.getClaimByCode(db, code);
  if (!claim) return null;
  const cl = await repo.getCluster(db, claim.cluster_id);
  const answered =
    cl &&
    (cl.status === 'answered' || cl.status === 'answered_existing') &&
    cl.factcheck_id &&
    cl.factcheck_status === 'published';
  const factcheck = answered ? ((await publishedItems(db, [cl.factcheck_id!]))[0] ?? null) : null;
  return { code: claim.code, status: cl?.status ?? 'new', factcheck };
}
