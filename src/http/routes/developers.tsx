import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv } from '../context.js';
import { pageCtx } from '../context.js';
import { Layout } from '../views/layout.js';
import { site } from '../views/site-i18n.js';

/** Open data for developers: the technical addresses residents' pages no longer show (API, Open311, feeds, CAP, ClaimReview). */
export function developersRoutes(app: Hono<AppEnv>): void {
  app.get('/developers', etag(), (c) => {
    const ctx = pageCtx(c);
    const s = site.t(ctx.locale);
    c.header('cache-control', ctx.principal ? 'private, no-cache' : 'public, max-age=300');
    c.header('vary', 'Cookie');
    return c.html(
      <Layout ctx={ctx} title={s('dev.title')} description={s('dev.intro')}>
        <article class="prose">
          <h1>{s('dev.title')}</h1>
          <p>{s('dev.intro')}</p>
          <ul class="dev-links">
            <li>
              {s('dev.api')}: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
            </li>
            <li>
              {s('dev.open311')}: <a href="/open311/v2/discovery.json">/open311/v2/discovery.json</a>
            </li>
            <li>
              {s('dev.feeds')}: <a href="/feed.rss">/feed.rss</a> · <a href="/feed.atom">/feed.atom</a> ·{' '}
              <a href="/feed.json">/feed.json</a>
            </li>
            <li>
              {s('dev.claimReview')} <a href="/desk/verdicts">/desk/verdicts</a>
            </li>
            <li>
              {s('dev.cap')} <a href="/alerts.atom">/alerts.atom</a>
            </li>
            <li>
              {s('dev.sitemap')}: <a href="/sitemap.xml">/sitemap.xml</a>
            </li>
          </ul>
          <p class="muted">{s('dev.tokens')}</p>
        </article>
      </Layout>,
    );
  });
}
