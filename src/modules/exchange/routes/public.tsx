/** /exchange (fact-checks from partner provinces) and /exchange/items/:id. */
import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { pathId } from '../../../http/params.js';
import * as repo from '../repo.js';
import { PartnerItem, PartnerList } from '../views/public.js';

const PAGE = 30;

export function publicRoutes(app: Hono<AppEnv>): void {
  app.get('/exchange', etag(), async (c) => {
    const page = Math.max(0, Math.min(1000, Number(c.req.query('page')) || 0));
    const items = await repo.listItems(c.get('deps').db, { limit: PAGE + 1, offset: page * PAGE });
    c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
    return c.html(
      <PartnerList
        ctx={pageCtx(c)}
        items={items.slice(0, PAGE)}
        next={items.length > PAGE ? `/exchange?page=${page + 1}` : undefined}
      />,
    );
  });

  app.get('/exchange/items/:id', etag(), async (c) => {
    const item = await repo.getItem(c.get('deps').db, pathId(c, 'id'));
    if (!item) throw notFound();
    c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
    // withdrawn by its checker: the page stays to say so, with the reason
    return c.html(<PartnerItem ctx={pageCtx(c)} item={item} />, item.removed_at ? 410 : 200);
  });
}
