/**
 * What the desk offers other modules (crisis, network). Other modules import only this file,
 * never the desk's repo or tables. Implemented by the desk module.
 */
import type { Db } from '../../db/client.js';

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

/** Published items by id (unknown or unpublished ids are left out). */
export async function publishedItems(_db: Db, _ids: number[]): Promise<PublishedItem[]> {
  return [];
}

/** Recent published items for pickers (campaign builder, incident page links). */
export async function recentPublished(_db: Db, _opts: { kind?: PublishedItem['kind']; limit?: number; q?: string }): Promise<PublishedItem[]> {
  return [];
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
export async function submitClaim(_db: Db, _input: ClaimInput): Promise<{ code: string; matches: PublishedItem[] }> {
  throw new Error('desk.submitClaim is not implemented yet');
}
