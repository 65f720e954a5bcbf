/**
 * Pulled fact-checks handed to the desk's matcher (desk/public.ts), with their source, so a resident's question can be
 * answered by a partner's check, attributed, below our own. Called inside the page's transaction.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import * as desk from '../../desk/public.js';
import type { ParsedItem } from './claimreview.js';

/** How much a partner's match counts against our own (1 = the same). */
export const PARTNER_WEIGHT = 0.8;
export const UNSIGNED_WEIGHT = 0.6;

export const sourceKey = (sourceId: number) => `exchange-${sourceId}`;

/** The matcher keeps ids up to 200 characters: a longer address is named by its hash. */
const docId = (remoteId: string) =>
  remoteId.length <= 200 ? remoteId : `sha256:${createHash('sha256').update(remoteId).digest('hex')}`;

type DeskApi = {
  upsertExternalFactchecks?: (
    db: Db,
    source: { key: string; name: string; url: string; weight: number },
    docs: unknown[],
  ) => Promise<unknown>;
  removeExternalFactchecks?: (db: Db, sourceKey: string, ids: string[] | null) => Promise<unknown>;
};
const api = desk as unknown as DeskApi;

export async function offerToMatcher(
  db: Db,
  source: { id: number; name: string; url: string; signed: boolean },
  items: ParsedItem[],
): Promise<void> {
  if (!items.length || !api.upsertExternalFactchecks) return;
  await api.upsertExternalFactchecks(
    db,
    {
      key: sourceKey(source.id),
      name: source.name || source.url,
      url: source.url,
      weight: source.signed ? PARTNER_WEIGHT : UNSIGNED_WEIGHT,
    },
    items.map((i) => ({
      id: docId(i.remoteId),
      claim: i.claim,
      title: i.title,
      shortAnswer: i.summary,
      explanation: '',
      verdict: i.ratingName,
      url: i.url,
      lang: i.language ?? 'vi',
    })),
  );
}

export async function withdrawFromMatcher(db: Db, sourceId: number, remoteIds: string[] | null): Promise<void> {
  if ((remoteIds && !remoteIds.length) || !api.removeExternalFactchecks) return;
  await api.removeExternalFactchecks(db, sourceKey(sourceId), remoteIds && remoteIds.map(docId));
}
