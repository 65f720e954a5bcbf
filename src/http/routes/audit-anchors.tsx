import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import { anchorFeed } from '../../platform/audit/anchors.js';
import { auditPublic } from '../../platform/audit/i18n.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import type { AppEnv } from '../context.js';
import { pageCtx } from '../context.js';
import { Layout } from '../views/layout.js';

const wrap = (s: string, n: number) =>
  (s.match(new RegExp(`.{1,${n}}`, 'g')) ?? []).map((part, i) =>
    i ? (
      <>
        <wbr />
        {part}
      </>
    ) : (
      part
    ),
  );

/** The audit chain's published heads: a page for people, and a JSON feed anyone may mirror (issue 12 #12). */
export function auditAnchorRoutes(app: Hono<AppEnv>): void {
  app.get('/audit/anchors.json', etag(), async (c) => {
    const { db, config, anchorSigner } = c.get('deps');
    c.header('cache-control', 'public, max-age=300');
    c.header('access-control-allow-origin', '*');
    return c.json(await anchorFeed(db, { site: config.baseUrl, org: config.ORG_NAME, signer: anchorSigner }));
  });

  app.get('/audit/anchors', etag(), async (c) => {
    const ctx = pageCtx(c);
    const t = auditPublic.t(ctx.locale);
    const { db, config, anchorSigner } = c.get('deps');
    const feed = await anchorFeed(db, { site: config.baseUrl, org: config.ORG_NAME, limit: 100, signer: anchorSigner });
    c.header('cache-control', 'public, max-age=300');
    const key = feed.keys[0];
    return c.html(
      <Layout
        ctx={ctx}
        title={t('anchors.title')}
        head={<link rel="alternate" type="application/json" href="/audit/anchors.json" />}
      >
        <h1>{t('anchors.title')}</h1>
        <p>{t('anchors.intro')}</p>
        <p>
          {t('anchors.mirror', { feed: `${config.baseUrl}/audit/anchors.json` })} —{' '}
          <a href="/audit/anchors.json">/audit/anchors.json</a>
        </p>
        {key ? (
          <p class="muted">
            {t('anchors.key', { key: key.keyId })} —{' '}
            <a href="/.well-known/caunoi-statements.pub">/.well-known/caunoi-statements.pub</a>
          </p>
        ) : null}
        {feed.anchors.length === 0 ? (
          <p class="muted">{t('anchors.none')}</p>
        ) : (
          <div class="table-scroll">
            <table class="anchors">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('anchors.at')}</th>
                  <th>{t('anchors.entry')}</th>
                  <th>{t('anchors.entries')}</th>
                  <th>{t('anchors.hash')}</th>
                  <th>{t('anchors.signature')}</th>
                </tr>
              </thead>
              <tbody>
                {feed.anchors.map((a) => (
                  <tr data-anchor-id={String(a.id)}>
                    <td>{a.id}</td>
                    <td>{formatDateTime(ctx.locale, a.at)}</td>
                    <td>{a.lastId}</td>
                    <td>{a.entries}</td>
                    <td>
                      <code class="hash">{wrap(a.hash, 16)}</code>
                    </td>
                    <td>
                      {a.signature ? (
                        <code class="hash">
                          {a.keyId}: {wrap(a.signature, 16)}
                        </code>
                      ) : (
                        t('anchors.unsigned')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });
}
