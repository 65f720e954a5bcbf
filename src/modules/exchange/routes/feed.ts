/** The signed machine-readable files: /exchange/v1/factchecks.json (public) and /exchange/v1/clusters.json (chosen partners). */
import { PRIVATE_NO_STORE } from '../../../http/private-by-default.js';
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { exchangeText } from '../i18n.js';
import * as svc from '../service/index.js';
import { KEY_HEADER, REQ_DATE_HEADER, SIG_HEADER } from '../service/keys.js';

const site = (c: Ctx): svc.Site => ({ baseUrl: c.get('deps').config.baseUrl, orgName: c.get('deps').config.ORG_NAME });

function jsonError(c: Ctx, status: 400 | 403, code: string, key: 'err.param' | 'err.forbidden', field?: string) {
  const message = exchangeText.t(c.get('locale'))(key);
  return c.json({ error: { code, message, fields: field ? { [field]: message } : {} } }, status, {
    'cache-control': 'no-store',
  });
}

/** A signed page: the detached signature in headers, ETag, and 304 when the reader has this very page. */
function signed(c: Ctx, p: { body: string; etag: string; keyId: string; signature: string }, cache: string) {
  const headers: Record<string, string> = {
    etag: p.etag,
    [KEY_HEADER]: p.keyId,
    [SIG_HEADER]: p.signature,
    'cache-control': cache,
    link: '</.well-known/caunoi-statements.json>; rel="publickey"',
  };
  const inm = c.req.header('if-none-match');
  if (
    inm &&
    inm
      .split(',')
      .map((s) => s.trim())
      .includes(p.etag)
  )
    return c.body(null, 304, headers);
  return c.body(p.body, 200, { ...headers, 'content-type': 'application/ld+json; charset=utf-8' });
}

export function feedRoutes(app: Hono<AppEnv>): void {
  app.get(svc.FEED_PATH, async (c) => {
    const sinceQ = c.req.query('since');
    const since = sinceQ ? new Date(sinceQ) : null;
    if (sinceQ && (sinceQ.length > 40 || Number.isNaN(since!.getTime())))
      return jsonError(c, 400, 'bad_since', 'err.param', 'since');
    const before = svc.parseBefore(c.req.query('before'));
    if (before === 'bad') return jsonError(c, 400, 'bad_before', 'err.param', 'before');
    const limitQ = c.req.query('limit');
    const limit = limitQ ? Number(limitQ) : svc.DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > svc.MAX_PAGE)
      return jsonError(c, 400, 'bad_limit', 'err.param', 'limit');
    const page = await svc.feedPage(c.get('deps').db, site(c), { since, before, limit });
    return signed(c, page, 'public, max-age=60');
  });

  app.get(svc.CLUSTERS_PATH, async (c) => {
    const db = c.get('deps').db;
    const ok = await svc.mayReadClusters(db, {
      keyId: c.req.header(KEY_HEADER) ?? null,
      signature: c.req.header(SIG_HEADER) ?? null,
      date: c.req.header(REQ_DATE_HEADER) ?? null,
    });
    if (!ok) return jsonError(c, 403, 'not_shared', 'err.forbidden');
    return signed(c, await svc.clustersPage(db, site(c)), PRIVATE_NO_STORE);
  });
}
