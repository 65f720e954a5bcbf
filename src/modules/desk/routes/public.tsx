/** Public pages: the desk's home, lists, one piece (with its ClaimReview), topics, units, search, feeds, sitemap. */
import { PRIVATE_NO_STORE } from '../../../http/private-by-default.js';
import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { pathId } from '../../../http/params.js';
import { readFileRow } from '../../../platform/files/files.js';
import { dt } from '../i18n.js';
import { matchItems } from '../service/match/matching.js';
import { atom, factcheckJsonLd, type FeedEntry, type FeedMeta, jsonFeed, rss, sitemap } from '../views/render.js';
import * as repo from '../repo.js';
import type { ItemSummary, Kind } from '../repo.js';
import { canSee, itemPath } from '../service.js';
import { DeskHome, ItemPage, ListPage, PolicyPage, VerdictsPage, WithdrawnPage } from '../views/public.js';
import { cached } from './helpers.js';

const KIND_BY_PATH: Record<string, Kind> = { factchecks: 'factcheck', articles: 'article', videos: 'video' };

export function publicRoutes(app: Hono<AppEnv>): void {
  app.get('/desk', ...cached, async (c) => {
    const db = c.get('deps').db;
    const [latest, topics, policies] = await Promise.all([
      repo.latestByKind(db, { factcheck: 8, article: 4, video: 2 }),
      repo.listTopics(db),
      repo.listPolicyLinks(db),
    ]);
    const checks = latest.filter((i) => i.kind === 'factcheck');
    const others = latest.filter((i) => i.kind !== 'factcheck');
    return c.html(<DeskHome ctx={pageCtx(c)} checks={checks} others={others} topics={topics} policies={policies} />);
  });

  for (const [seg, kind] of Object.entries(KIND_BY_PATH)) {
    app.get(`/${seg}`, ...cached, async (c) => {
      const ctx = pageCtx(c);
      const page = Math.max(0, Math.min(1000, Number(c.req.query('page')) || 0));
      const items = await repo.listPublished(c.get('deps').db, { kind, limit: 31, offset: page * 30 });
      const next = items.length > 30 ? `/${seg}?page=${page + 1}` : undefined;
      const prev = page > 0 ? `/${seg}?page=${page - 1}` : undefined;
      return c.html(
        <ListPage
          ctx={ctx}
          title={dt.t(ctx.locale)(`kind.${kind}`)}
          items={items.slice(0, 30)}
          feedBase="/feed"
          prev={prev}
          next={next}
        />,
      );
    });
    app.get(`/${seg}/:ref{[0-9]+(?:-[a-z0-9-]*)?}`, ...cached, async (c) => {
      const { db, config } = c.get('deps');
      const item = await repo.getItem(db, pathId(c, 'ref'));
      if (!item || item.kind !== kind || !['published', 'unpublished'].includes(item.status)) throw notFound();
      const ctx = pageCtx(c);
      if (item.status === 'unpublished') {
        c.status(410);
        return c.html(<WithdrawnPage ctx={ctx} item={item} />);
      }
      const [corrections, topics, units, policies] = await Promise.all([
        repo.listCorrections(db, item.id),
        repo.listTopics(db),
        item.unit_ids.length ? repo.unitsByIds(db, item.unit_ids) : Promise.resolve([]),
        repo.listPolicyLinks(db),
      ]);
      const url = `${config.baseUrl}${itemPath(item)}`;
      const jsonLd = factcheckJsonLd(item, url, { name: config.ORG_NAME, url: config.baseUrl });
      return c.html(
        <ItemPage
          ctx={ctx}
          d={{
            item,
            corrections,
            topics: topics.filter((t) => item.topic_ids.includes(t.id)),
            units,
            url,
            jsonLd,
            policies,
          }}
        />,
      );
    });
  }

  app.get('/topics/:slug{[a-z0-9-]+}', ...cached, async (c) => {
    const db = c.get('deps').db;
    const topic = await repo.getTopicBySlug(db, c.req.param('slug'));
    if (!topic) throw notFound();
    const ctx = pageCtx(c);
    const items = await repo.listPublished(db, { topicId: topic.id, limit: 50 });
    return c.html(
      <ListPage
        ctx={ctx}
        title={ctx.locale === 'en' ? topic.name_en : topic.name}
        items={items}
        feedBase={`/topics/${topic.slug}/feed`}
      />,
    );
  });

  app.get('/units/:code{[A-Za-z0-9_-]+}', ...cached, async (c) => {
    const db = c.get('deps').db;
    const unit = await repo.unitByCode(db, c.req.param('code'));
    if (!unit) throw notFound();
    const ctx = pageCtx(c);
    const items = await repo.listPublished(db, { unitPath: unit.path, limit: 50 });
    return c.html(
      <ListPage
        ctx={ctx}
        title={ctx.locale === 'en' && unit.name_en ? unit.name_en : unit.full_name}
        items={items}
        feedBase={`/units/${unit.code}/feed`}
      />,
    );
  });

  app.get('/search', ...cached, async (c) => {
    const db = c.get('deps').db;
    const ctx = pageCtx(c);
    const q = (c.req.query('q') ?? '').slice(0, 500).trim();
    let items: ItemSummary[] = [];
    if (q) {
      const scored = await matchItems(c.get('deps'), q, {
        kinds: ['factcheck', 'article', 'video'],
        limit: 20,
        minScore: 0.15,
      });
      const rows = await repo.listPublished(db, { ids: scored.map((s) => s.id), limit: 20 });
      const byId = new Map(rows.map((r) => [r.id, r]));
      items = scored.map((s) => byId.get(s.id)).filter((x): x is ItemSummary => Boolean(x));
    }
    return c.html(<ListPage ctx={ctx} title={dt.t(ctx.locale)('search.title')} items={items} q={q} />);
  });

  app.get('/desk/verdicts', ...cached, async (c) => {
    const db = c.get('deps').db;
    const [verdicts, policies] = await Promise.all([repo.listVerdicts(db), repo.listPolicyLinks(db)]);
    return c.html(<VerdictsPage ctx={pageCtx(c)} verdicts={verdicts} policies={policies} />);
  });

  app.get('/policies/:slug{[a-z0-9-]+}', ...cached, async (c) => {
    const db = c.get('deps').db;
    const all = await repo.listPolicies(db);
    const p = all.find((x) => x.slug === c.req.param('slug'));
    if (!p) throw notFound();
    return c.html(<PolicyPage ctx={pageCtx(c)} p={p} all={all} />);
  });

  app.get('/desk/media/:id{[0-9a-f-]{36}}', etag(), async (c) => {
    const { db, blobs } = c.get('deps');
    const id = c.req.param('id');
    // public once a published piece shows it; before that only to staff who may see a piece that uses it
    const uses = await repo.mediaUses(db, id);
    const live = uses.some((u) => u.live && u.status === 'published');
    const staff = !live && uses.some((u) => canSee(c.get('principal'), u));
    const row = live || staff ? await readFileRow(db, id) : undefined;
    const bytes = row ? await blobs.get(row.storage_key) : null;
    if (!row || !bytes) throw notFound();
    const cache = !live ? PRIVATE_NO_STORE : c.get('principal') ? 'private, no-cache' : 'public, max-age=60';
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': row.mime,
      'x-content-type-options': 'nosniff',
      'cache-control': cache,
      vary: 'Cookie',
    });
  });

  feedRoutes(app);
}

/** RSS, Atom and JSON Feed for everything, a topic or a unit; the sitemap. */
function feedRoutes(app: Hono<AppEnv>): void {
  async function feed(
    c: Ctx,
    fmt: string,
    scope: { title: string; home: string; selfBase: string; topicId?: number; unitPath?: string },
  ) {
    const { db, config } = c.get('deps');
    const items = await repo.listPublished(db, { topicId: scope.topicId, unitPath: scope.unitPath, limit: 50 });
    const entries: FeedEntry[] = items.map((i) => ({
      id: `${config.baseUrl}${itemPath(i)}`,
      url: `${config.baseUrl}${itemPath(i)}`,
      title: i.kind === 'factcheck' && i.verdict_label ? `[${i.verdict_label}] ${i.title}` : i.title,
      summary: i.summary,
      published: new Date(i.published_at!),
      updated: new Date(i.updated_public_at ?? i.published_at!),
      kind: i.kind,
    }));
    const meta: FeedMeta = {
      title: scope.title,
      description: dt.t('vi')('feed.description'),
      homeUrl: `${config.baseUrl}${scope.home}`,
      selfBase: `${config.baseUrl}${scope.selfBase}`,
      updated: entries.reduce((m, e) => (e.updated > m ? e.updated : m), new Date(0)),
      language: 'vi',
      author: config.ORG_NAME,
    };
    if (fmt === 'rss') return c.body(rss(meta, entries), 200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    if (fmt === 'atom')
      return c.body(atom(meta, entries), 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
    return c.body(JSON.stringify(jsonFeed(meta, entries)), 200, {
      'content-type': 'application/feed+json; charset=utf-8',
    });
  }
  for (const fmt of ['rss', 'atom', 'json']) {
    app.get(`/feed.${fmt}`, ...cached, (c) =>
      feed(c, fmt, { title: dt.t('vi')('feed.title'), home: '/desk', selfBase: '/feed' }),
    );
    app.get(`/topics/:slug{[a-z0-9-]+}/feed.${fmt}`, ...cached, async (c) => {
      const topic = await repo.getTopicBySlug(c.get('deps').db, c.req.param('slug'));
      if (!topic) throw notFound();
      return feed(c, fmt, {
        title: dt.t('vi')('feed.topic', { name: topic.name }),
        home: `/topics/${topic.slug}`,
        selfBase: `/topics/${topic.slug}/feed`,
        topicId: topic.id,
      });
    });
    app.get(`/units/:code{[A-Za-z0-9_-]+}/feed.${fmt}`, ...cached, async (c) => {
      const unit = await repo.unitByCode(c.get('deps').db, c.req.param('code'));
      if (!unit) throw notFound();
      return feed(c, fmt, {
        title: dt.t('vi')('feed.topic', { name: unit.full_name }),
        home: `/units/${unit.code}`,
        selfBase: `/units/${unit.code}/feed`,
        unitPath: unit.path,
      });
    });
  }

  app.get('/sitemap.xml', ...cached, async (c) => {
    const { db, config } = c.get('deps');
    const items = await repo.listPublished(db, { limit: 50_000 });
    const topics = await repo.listTopics(db);
    const policies = await repo.listPolicies(db);
    const b = config.baseUrl;
    const urls = [
      { loc: `${b}/desk` },
      { loc: `${b}/desk/verdicts` },
      ...items.map((i) => ({ loc: `${b}${itemPath(i)}`, lastmod: new Date(i.updated_public_at ?? i.published_at!) })),
      ...topics.map((t) => ({ loc: `${b}/topics/${t.slug}` })),
      ...policies.map((p) => ({ loc: `${b}/policies/${p.slug}`, lastmod: new Date(p.updated_at) })),
    ];
    return c.body(sitemap(urls), 200, { 'content-type': 'application/xml; charset=utf-8' });
  });
}
