/**
 * What the desk offers other modules (crisis, network). Other modules import only this file,
 * never the desk's repo or tables. Implemented by the desk module.
 */
import type { Db } from '../../db/client.js';
import * as repo from './repo.js';
import { fileClaim, itemPath } from './service.js';

export interface PublishedItem {
  id: number;
  kind: 'article' | 'video' | 'factcheck';
  title: string;
  /** public path, e.g. /factchecks/123-slug */
  url: string;
  publishedAt: Date;
  verdict?: string | null;
  verdictLabel?: string | null;
}

const toPublished = (i: repo.ItemSummary): PublishedItem => ({
  id: i.id,
  kind: i.kind,
  title: i.title,
  url: itemPath(i),
  publishedAt: new Date(i.published_at!),
  verdict: i.verdict,
  verdictLabel: i.verdict_label,
});

/** Published items by id (unknown or unpublished ids are left out). */
export async function publishedItems(db: Db, ids: number[]): Promise<PublishedItem[]> {
  const clean = [...new Set(ids.filter((n) => Number.isInteger(n) && n > 0 && n < 2 ** 31))];
  if (clean.length === 0) return [];
  return (await repo.listPublished(db, { ids: clean, limit: clean.length })).map(toPublished);
}

/** Recent published items for pickers (campaign builder, incident page links). */
export async function recentPublished(db: Db, opts: { kind?: PublishedItem['kind']; limit?: number; q?: string }): Promise<PublishedItem[]> {
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

/** Files a claim ("is this true?") with the desk; returns its tracking code and matching fact-checks. */
export async function submitClaim(db: Db, input: ClaimInput): Promise<{ code: string; matches: PublishedItem[] }> {
  const text = (input.text ?? '').trim();
  if (text.length < 3) throw new Error('desk.submitClaim: the claim text is empty');
  const link = input.link && /^https?:\/\//i.test(input.link.trim()) ? input.link.trim().slice(0, 2000) : null;
  const r = await fileClaim(db, {
    text: text.slice(0, 4000),
    link,
    seenWhere: input.seenWhere?.slice(0, 500) ?? null,
    unitId: input.unitId ?? null,
    memberUserId: input.memberUserId ?? null,
    contactEmail: input.contactEmail?.slice(0, 254) ?? null,
    source: input.source,
  });
  return { code: r.code, matches: r.matches.map(toPublished) };
}
