/**
 * What this installation publishes: its fact-checks as a schema.org DataFeed of ClaimReview items, newest change
 * first, paged, each page signed with the installation's key (the one that signs statements); and, for partners the
 * admin chose, its open claim clusters with personal data removed.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import { signWithInstallationKey } from '../../crisis/public.js';
import { claimReviewCore, factcheckChanges, openClaimClusters, type FactcheckChange } from '../../desk/public.js';
import { redactPersonalData } from './redact.js';

export const FEED_PATH = '/exchange/v1/factchecks.json';
export const CLUSTERS_PATH = '/exchange/v1/clusters.json';
export const DEFAULT_PAGE = 200;
export const MAX_PAGE = 1000;

export interface Site {
  baseUrl: string;
  orgName: string;
}

export interface SignedPage {
  body: string;
  etag: string;
  keyId: string;
  signature: string;
}

const iso = (d: Date | string | null | undefined) => (d == null ? undefined : new Date(d).toISOString());

/** One fact-check as ClaimReview, the same shape as the JSON-LD on its page, plus short answer, places and corrections. */
export function claimReviewOf(r: FactcheckChange, site: Site) {
  const url = `${site.baseUrl}${r.path}`;
  return {
    '@type': 'ClaimReview',
    '@id': url,
    url,
    name: r.title,
    claimReviewed: r.claim ?? r.title,
    description: r.summary,
    datePublished: iso(r.published_at),
    dateModified: iso(r.updated_public_at ?? r.published_at),
    inLanguage: 'vi',
    ...claimReviewCore(r, { name: site.orgName, url: site.baseUrl }),
    spatialCoverage: r.unit_names.map((name) => ({ '@type': 'Place', name })),
    correction: r.corrections.map((c) => ({
      '@type': 'CorrectionComment',
      text: `${c.what} — ${c.why}`,
      datePublished: iso(c.at),
    })),
  };
}

/** `before` of the next page: the change time and id of a page's last row. */
export function parseBefore(v: string | undefined): { at: Date; id: number } | null | 'bad' {
  if (!v) return null;
  const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)~(\d{1,10})$/.exec(v);
  if (!m) return 'bad';
  const at = new Date(m[1]);
  const id = Number(m[2]);
  return Number.isNaN(at.getTime()) || id > 2 ** 31 ? 'bad' : { at, id };
}

async function sign(db: Db, body: string): Promise<SignedPage> {
  const s = await signWithInstallationKey(db, body);
  return {
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`,
    keyId: s.keyId,
    signature: s.signature,
  };
}

/** One page of the feed: changes at or after `since`, continuing after `before`; a withdrawn fact-check is a tombstone with its reason. */
export async function feedPage(
  db: Db,
  site: Site,
  q: { since: Date | null; before: { at: Date; id: number } | null; limit: number },
): Promise<SignedPage> {
  const rows = await factcheckChanges(db, { since: q.since, before: q.before, limit: q.limit + 1 });
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const next = new URLSearchParams();
  if (q.since) next.set('since', q.since.toISOString());
  if (last) next.set('before', `${new Date(last.changed_at).toISOString()}~${last.id}`);
  next.set('limit', String(q.limit));
  const feed = {
    '@context': 'https://schema.org',
    '@type': 'DataFeed',
    name: `${site.orgName} — ClaimReview`,
    url: `${site.baseUrl}${FEED_PATH}`,
    publisher: { '@type': 'Organization', name: site.orgName, url: site.baseUrl },
    inLanguage: 'vi',
    license: 'https://creativecommons.org/licenses/by/4.0/',
    dateModified: iso(page[0]?.changed_at) ?? null,
    signature: {
      algorithm: 'Ed25519',
      over: 'the exact bytes of this body',
      header: 'X-Caunoi-Signature',
      keyHeader: 'X-Caunoi-Key-Id',
      keys: `${site.baseUrl}/.well-known/caunoi-statements.json`,
    },
    // a path on this installation: a reader always stays on the address it started from
    nextPage: more ? `${FEED_PATH}?${next}` : null,
    dataFeedElement: page.map((r) =>
      r.status === 'unpublished'
        ? {
            '@type': 'DataFeedItem',
            dateDeleted: iso(r.unpublished_at ?? r.changed_at),
            description: r.unpublish_reason ?? '',
            item: { '@type': 'ClaimReview', '@id': `${site.baseUrl}${r.path}`, url: `${site.baseUrl}${r.path}` },
          }
        : {
            '@type': 'DataFeedItem',
            dateCreated: iso(r.published_at),
            dateModified: iso(r.changed_at),
            item: claimReviewOf(r, site),
          },
    ),
  };
  return sign(db, JSON.stringify(feed));
}

/** Open claim clusters with personal data removed: the text, its size, first and last seen; never who asked. */
export async function clustersPage(db: Db, site: Site): Promise<SignedPage> {
  const rows = await openClaimClusters(db, 300);
  return sign(
    db,
    JSON.stringify({
      '@context': 'https://schema.org',
      '@type': 'DataFeed',
      name: `${site.orgName} — open claims`,
      publisher: { '@type': 'Organization', name: site.orgName, url: site.baseUrl },
      dataFeedElement: rows.map((r) => ({
        id: String(r.id),
        text: redactPersonalData(r.title),
        size: r.size,
        firstSeen: iso(r.first_seen),
        lastSeen: iso(r.last_seen),
      })),
    }),
  );
}
