import type { Hono, MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../http/context.js';
import { pageCtx } from '../../http/context.js';
import { HttpError, notFound, unauthorized } from '../../http/errors.js';
import { formValues, type FieldErrors } from '../../http/forms.js';
import { rateLimit } from '../../http/middleware.js';
import { requireStaff } from '../../http/routes/staff.js';
import { assertCan, can, scopeOf } from '../../platform/auth/permissions.js';
import { askedInNeighbouringProvinces } from '../exchange/public.js';
import { readFileRow, storeUploads, UploadError } from '../../platform/files/files.js';
import { common } from '../../platform/i18n/common.js';
import type { Locale } from '../../platform/i18n/index.js';
import { assignCluster, factcheckFromCluster, replyToResidents } from './claim-handling.js';
import { parseItemForm, parseWith } from './forms.js';
import { checkNewImage, keptImages, storeNewImage } from './images.js';
import { dt, type DeskKey } from './i18n.js';
import { matchClaimText } from './match/answer.js';
import { matchItems, thresholdsFor } from './matching.js';
import { atom, isHttpUrl, jsonFeed, rss, sitemap, type FeedEntry, type FeedMeta } from './render.js';
import * as repo from './repo.js';
import type { ClusterStatus, ItemStatus, ItemSummary, ItemView, Kind } from './repo.js';
import * as svc from './service.js';
import { DeskError, itemPath } from './service.js';
import { recordShown } from './claim-status.js';
import { publicClaimRoutes } from './routes-public-claims.js';
import { DeskHome, ItemPage, ListPage, PolicyPage, VerdictsPage, WithdrawnPage, type UnitRef } from './views/public.js';
import {
  ClusterPage,
  ClustersPage,
  ItemEditor,
  PoliciesPage,
  PolicyEditor,
  StaffDesk,
  workingValues,
} from './views/staff.js';
import { pathId } from '../../http/params.js';
import { parseId } from '../../platform/ids.js';

const KIND_BY_PATH: Record<string, Kind> = { factchecks: 'factcheck', articles: 'article', videos: 'video' };

/** Public pages: cacheable by anyone for anonymous visitors, private once signed in; ETag + 304. */
const publicCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status !== 200) return;
  c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
  c.header('vary', 'Cookie');
};
const cached = [etag(), publicCache] as const;

const actor = (c: Ctx): svc.Actor => {
  const who = c.get('principal');
  if (!who) throw unauthorized();
  return { who, ip: c.get('ip') };
};

function deskErrors(e: DeskError, locale: Locale): FieldErrors {
  const t = dt.t(locale);
  return Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, t(v as DeskKey)]));
}

async function unitRefs(c: Ctx): Promise<UnitRef[]> {
  return (await repo.unitsForPicker(c.get('deps').db)).map((u) => ({
    id: u.id,
    code: u.code,
    full_name: u.full_name,
    name_en: u.name_en,
  }));
}

export function factcheckJsonLd(i: ItemView, url: string, org: { name: string; url: string }) {
  if (i.kind === 'factcheck') {
    return {
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      // an imported fact-check keeps its own canonical address (its page in the archive)
      url: i.canonical_url ?? url,
      datePublished: i.published_at ? new Date(i.published_at).toISOString() : undefined,
      dateModified: i.updated_public_at ? new Date(i.updated_public_at).toISOString() : undefined,
      claimReviewed: i.claim,
      name: i.title,
      author: { '@type': 'Organization', name: org.name, url: org.url },
      reviewRating: {
        '@type': 'Rating',
        ratingValue: i.verdict_rating,
        bestRating: 5,
        worstRating: 1,
        alternateName: i.verdict_label,
      },
      itemReviewed: {
        '@type': 'Claim',
        datePublished: i.claim_date ?? undefined,
        appearance: i.appearances.map((a) => ({
          '@type': 'CreativeWork',
          url: a.url ?? undefined,
          description: a.description,
        })),
        firstAppearance: i.appearances[0]
          ? {
              '@type': 'CreativeWork',
              url: i.appearances[0].url ?? undefined,
              description: i.appearances[0].description,
            }
          : undefined,
      },
    };
  }
  const base = {
    '@context': 'https://schema.org',
    url,
    headline: i.title,
    name: i.title,
    description: i.summary,
    datePublished: i.published_at ? new Date(i.published_at).toISOString() : undefined,
    dateModified: new Date(i.updated_public_at ?? i.published_at ?? i.updated_at).toISOString(),
    author: { '@type': 'Organization', name: org.name, url: org.url },
    publisher: { '@type': 'Organization', name: org.name, url: org.url },
    inLanguage: 'vi',
  };
  if (i.kind === 'video') {
    return {
      ...base,
      '@type': 'VideoObject',
      uploadDate: base.datePublished,
      thumbnailUrl: i.poster_url ? new URL(i.poster_url, url).toString() : undefined,
      contentUrl: i.video_url,
      transcript: i.transcript,
    };
  }
  return { ...base, '@type': 'NewsArticle', mainEntityOfPage: url };
}

export function deskRoutes(app: Hono<AppEnv>): void {
  // ---------- public ----------
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
      const scored = await matchItems(db, q, { kinds: ['factcheck', 'article', 'video'], limit: 20, minScore: 0.15 });
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

  // ---------- feeds and sitemap ----------
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

  // ---------- claims ----------
  publicClaimRoutes(app);

  // ---------- API ----------
  const matchQuery = z.object({
    text: z.string().trim().min(1, 'field.required').max(2000),
    limit: z.coerce.number().int().min(1).max(20).default(5),
  });
  app.get(
    '/api/v1/factchecks/match',
    rateLimit('desk.match', (d) => d.config.RATE_LIMIT_PER_MINUTE),
    async (c) => {
      const { db } = c.get('deps');
      const locale = c.get('locale');
      const r = parseWith(
        matchQuery,
        { text: c.req.query('text') ?? '', limit: c.req.query('limit') ?? undefined },
        locale,
      );
      if (!r.ok) throw new HttpError(422, 'validation', 'error.validation', {}, r.errors);
      const answer = await matchClaimText(db, r.data.text, {
        limit: r.data.limit,
        locale: locale === 'en' ? 'en' : 'vi',
      });
      // short: a fact-check published or unpublished in any process shows here within a second
      c.header('cache-control', 'public, max-age=1');
      return c.json(answer);
    },
  );

  const apiClaim = z.object({
    text: z.string().trim().min(10, 'err.textShort').max(4000),
    link: z.string().trim().max(2000).optional().nullable(),
    seen_where: z.string().trim().max(500).optional().nullable(),
    contact_email: z.string().trim().max(254).optional().nullable(),
    unit_code: z.string().max(40).optional().nullable(),
  });
  app.post(
    '/api/v1/claims',
    rateLimit('desk.claim', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    async (c) => {
      const { db, config } = c.get('deps');
      const locale = c.get('locale');
      const json = await c.req.json().catch(() => null);
      const r = parseWith(apiClaim, json ?? {}, locale);
      const fields: FieldErrors = r.ok ? {} : r.errors;
      if (r.ok && r.data.link && !isHttpUrl(r.data.link)) fields.link = dt.t(locale)('err.url');
      if (r.ok && r.data.contact_email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(r.data.contact_email))
        fields.contact_email = dt.t(locale)('err.email');
      if (!r.ok || Object.keys(fields).length) throw new HttpError(422, 'validation', 'error.validation', {}, fields);
      const unit = r.data.unit_code ? await repo.unitByCode(db, r.data.unit_code) : undefined;
      const res = await svc.fileClaim(db, {
        text: r.data.text,
        link: r.data.link ?? null,
        seenWhere: r.data.seen_where ?? null,
        contactEmail: r.data.contact_email ?? null,
        unitId: unit?.id ?? null,
        locale,
        source: 'api',
      });
      await recordShown(db, res);
      return c.json(
        {
          code: res.code,
          url: `${config.baseUrl}/claims/${res.code}`,
          answered: res.answered,
          matches: res.matches.map((i) => ({
            id: i.external_id ?? String(i.id),
            title: i.title,
            verdict: i.verdict_label,
            url: `${config.baseUrl}${itemPath(i)}`,
            score: res.scores.get(i.id) ?? null,
          })),
        },
        201,
      );
    },
  );

  app.get('/api/v1/claims/:code', async (c) => {
    const { db, config } = c.get('deps');
    const claim = await repo.getClaimByCode(db, c.req.param('code'));
    if (!claim) throw notFound();
    const cluster = (await repo.getCluster(db, claim.cluster_id))!;
    const answered = cluster.factcheck_id && cluster.factcheck_status === 'published' && cluster.factcheck_slug;
    return c.json({
      code: claim.code,
      status: cluster.status,
      reason: cluster.status === 'not_checkable' ? cluster.reason : null,
      replies: (await repo.clusterReplies(db, cluster.id)).map((r) => ({
        text: r.body,
        at: new Date(r.created_at).toISOString(),
      })),
      answer: answered
        ? {
            id: cluster.factcheck_id,
            title: cluster.factcheck_title,
            url: `${config.baseUrl}/factchecks/${cluster.factcheck_id}-${cluster.factcheck_slug}`,
          }
        : null,
    });
  });

  // ---------- staff ----------
  const staffPage = (c: Ctx) => {
    const p = requireStaff(c);
    assertCan(p, 'desk.view');
    c.header('cache-control', 'private, no-store');
    return p;
  };
  const STATUSES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'unpublished'];

  app.get('/staff/desk', async (c) => {
    staffPage(c);
    const db = c.get('deps').db;
    const s = c.req.query('status');
    const status = s && STATUSES.includes(s) ? (s as ItemStatus) : null;
    const paths = scopeOf(c.get('principal'), 'desk.view');
    const [items, counts] = await Promise.all([
      repo.listItems(db, { status, limit: 200, paths }),
      repo.countByStatus(db, paths),
    ]);
    const ctx = pageCtx(c);
    return c.html(
      <StaffDesk
        ctx={ctx}
        items={items}
        status={status}
        counts={Object.fromEntries(counts.map((r) => [r.status, r.n]))}
        notice={c.req.query('done') ? dt.t(ctx.locale)('wf.done') : undefined}
      />,
    );
  });

  async function editor(
    c: Ctx,
    kind: Kind,
    item: ItemView | null,
    extra: { values?: Record<string, string>; errors?: FieldErrors; notice?: string } = {},
  ) {
    const db = c.get('deps').db;
    const editScope = scopeOf(c.get('principal'), 'desk.edit');
    const [verdicts, topics, units, versions, corrections, notes, revision, owners] = await Promise.all([
      repo.listVerdicts(db),
      repo.listTopics(db),
      unitRefs(c),
      item ? repo.listVersions(db, item.id) : Promise.resolve([]),
      item ? repo.listCorrections(db, item.id) : Promise.resolve([]),
      item ? repo.listReturnNotes(db, item.id) : Promise.resolve([]),
      item ? repo.getRevision(db, item.id) : Promise.resolve(undefined),
      editScope.length ? repo.unitsWithin(db, editScope) : Promise.resolve([]),
    ]);
    if (extra.errors) c.status(422);
    return c.html(
      <ItemEditor
        ctx={pageCtx(c)}
        d={{
          kind,
          item,
          verdicts,
          topics,
          units,
          versions,
          corrections,
          notes,
          revision: revision ?? null,
          owners,
          ...extra,
        }}
      />,
    );
  }

  /** A poster upload replaces the poster; it is re-encoded and served from /desk/media/ID. */
  async function withPoster(c: Ctx, body: Record<string, unknown>): Promise<FieldErrors | null> {
    const f = body.poster;
    if (!(f instanceof File) || f.size === 0) return null;
    const { db, blobs, config } = c.get('deps');
    try {
      const [saved] = await storeUploads(db, blobs, [f], 'image', {
        maxBytes: config.UPLOAD_MAX_BYTES,
        maxFiles: 1,
        maxPixels: config.UPLOAD_MAX_PIXELS,
      });
      body.poster_url = `/desk/media/${saved.id}`;
      return null;
    } catch (e) {
      if (e instanceof UploadError) return { poster: common.t(c.get('locale'))(e.code, e.vars) };
      throw e;
    }
  }

  app.get('/desk/media/:id{[0-9a-f-]{36}}', etag(), async (c) => {
    const { db, blobs } = c.get('deps');
    const id = c.req.param('id');
    // public once a published piece shows it; before that only to staff who may see a piece that uses it
    const uses = await repo.mediaUses(db, id);
    const live = uses.some((u) => u.live && u.status === 'published');
    const staff = !live && uses.some((u) => svc.canSee(c.get('principal'), u));
    const row = live || staff ? await readFileRow(db, id) : undefined;
    const bytes = row ? await blobs.get(row.storage_key) : null;
    if (!row || !bytes) throw notFound();
    const cache = !live ? 'private, no-store' : c.get('principal') ? 'private, no-cache' : 'public, max-age=60';
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': row.mime,
      'x-content-type-options': 'nosniff',
      'cache-control': cache,
      vary: 'Cookie',
    });
  });

  app.get('/staff/desk/items/new', async (c) => {
    const p = staffPage(c);
    assertCan(p, 'desk.edit');
    const k = c.req.query('kind');
    const cluster = c.req.query('cluster');
    if (cluster && /^\d{1,9}$/.test(cluster) && k !== 'video' && k !== 'article') {
      // "start a fact-check from this cluster": the claim and where residents saw it, prefilled
      const values = await factcheckFromCluster(c.get('deps').db, actor(c), Number(cluster));
      return editor(c, 'factcheck', null, { values });
    }
    return editor(c, k === 'video' || k === 'article' ? k : 'factcheck', null);
  });

  app.post('/staff/desk/items', async (c) => {
    staffPage(c);
    const db = c.get('deps').db;
    const locale = c.get('locale');
    const body = await c.req.parseBody({ all: true });
    const kind = (['article', 'video', 'factcheck'].includes(String(body.kind)) ? body.kind : 'article') as Kind;
    const verdicts = (await repo.listVerdicts(db)).map((v) => v.code);
    const posterErr = await withPoster(c, body);
    const r = parseItemForm(body, locale, verdicts);
    const imgErr = checkNewImage(body, [], locale);
    const values = () => ({ ...formValues(body), images_json: '[]' });
    if (!r.ok || posterErr || imgErr)
      return editor(c, kind, null, {
        values: values(),
        errors: { ...(r.ok ? {} : r.errors), ...(posterErr ?? {}), ...(imgErr ?? {}) },
      });
    const added = kind === 'video' ? { image: null, errors: null } : await storeNewImage(c, body);
    if (added.errors) return editor(c, kind, null, { values: values(), errors: added.errors });
    r.data.fields.images = added.image ? [added.image] : [];
    let id: number;
    try {
      const cluster = /^\d{1,9}$/.test(String(body.cluster_id ?? '')) ? Number(body.cluster_id) : null;
      id = await svc.createItem(db, actor(c), r.data, { clusterId: kind === 'factcheck' ? cluster : null });
    } catch (e) {
      if (e instanceof DeskError) return editor(c, kind, null, { values: values(), errors: deskErrors(e, locale) });
      throw e;
    }
    return c.redirect(`/staff/desk/items/${id}?done=1`, 303);
  });

  /** The piece, if the reader may see it on the staff side (its own unit within the reader's scope). */
  const loadItem = async (c: Ctx) => {
    const item = await repo.getItem(c.get('deps').db, pathId(c));
    if (!item) throw notFound();
    assertCan(c.get('principal'), 'desk.view', item.unit_path);
    return item;
  };

  app.get('/staff/desk/items/:id{[0-9]+}', async (c) => {
    staffPage(c);
    const item = await loadItem(c);
    return editor(c, item.kind, item, { notice: c.req.query('done') ? dt.t(c.get('locale'))('wf.done') : undefined });
  });

  app.post('/staff/desk/items/:id{[0-9]+}', async (c) => {
    staffPage(c);
    const db = c.get('deps').db;
    const locale = c.get('locale');
    const item = await loadItem(c);
    // checked before anything is uploaded: a reader who may not edit this piece stores nothing
    assertCan(c.get('principal'), 'desk.edit', item.unit_path);
    const body = await c.req.parseBody({ all: true });
    body.kind = item.kind;
    const verdicts = (await repo.listVerdicts(db)).map((v) => v.code);
    const posterErr = await withPoster(c, body);
    const r = parseItemForm(body, locale, verdicts);
    // the images being worked on: a published piece's pending change, else the piece's own
    const current = (await repo.getRevision(db, item.id))?.data.images ?? item.images ?? [];
    const kept = keptImages(body, current, locale);
    const imgErr = checkNewImage(body, kept.images, locale);
    const values = () => ({ ...formValues(body), images_json: JSON.stringify(kept.images) });
    if (!r.ok || posterErr || kept.errors || imgErr) {
      return editor(c, item.kind, item, {
        values: values(),
        errors: { ...(r.ok ? {} : r.errors), ...(posterErr ?? {}), ...(kept.errors ?? {}), ...(imgErr ?? {}) },
      });
    }
    const added = item.kind === 'video' ? { image: null, errors: null } : await storeNewImage(c, body);
    if (added.errors) return editor(c, item.kind, item, { values: values(), errors: added.errors });
    r.data.fields.images = added.image ? [...kept.images, added.image] : kept.images;
    try {
      await svc.updateItem(db, actor(c), item.id, r.data);
    } catch (e) {
      if (e instanceof DeskError)
        return editor(c, item.kind, item, { values: values(), errors: deskErrors(e, locale) });
      throw e;
    }
    return c.redirect(`/staff/desk/items/${item.id}?done=1`, 303);
  });

  const ops: Record<string, (c: Ctx, item: ItemView, body: Record<string, unknown>) => Promise<void>> = {
    submit: (c, i) => svc.submitForReview(c.get('deps').db, actor(c), i.id),
    approve: (c, i, b) =>
      svc.approve(
        c.get('deps').db,
        actor(c),
        i.id,
        /^\d{1,9}$/.test(String(b.version ?? '')) ? Number(b.version) : null,
      ),
    return: (c, i, b) => svc.returnToDraft(c.get('deps').db, actor(c), i.id, typeof b.note === 'string' ? b.note : ''),
    publish: (c, i) => svc.publish(c.get('deps').db, actor(c), i.id, null, c.get('deps').config.baseUrl),
    schedule: async (c, i, b) => {
      const at = parseLocalDateTime(typeof b.publish_at === 'string' ? b.publish_at : '');
      if (!at || at.getTime() <= Date.now()) throw new DeskError({ publish_at: 'err.publishAt' });
      await svc.publish(c.get('deps').db, actor(c), i.id, at, c.get('deps').config.baseUrl);
    },
    unpublish: (c, i, b) =>
      svc.unpublish(c.get('deps').db, actor(c), i.id, typeof b.reason === 'string' ? b.reason.slice(0, 1000) : ''),
  };
  app.post('/staff/desk/items/:id{[0-9]+}/:op{submit|approve|return|publish|schedule|unpublish}', async (c) => {
    staffPage(c);
    const item = await loadItem(c);
    const body = await c.req.parseBody();
    try {
      await ops[c.req.param('op')](c, item, body);
    } catch (e) {
      // the piece's own form keeps the piece's fields; the workflow form keeps what was typed
      if (e instanceof DeskError) {
        const rev = await repo.getRevision(c.get('deps').db, item.id);
        return editor(c, item.kind, item, {
          values: { ...workingValues(item, rev), ...formValues(body) },
          errors: deskErrors(e, c.get('locale')),
        });
      }
      throw e;
    }
    return c.redirect(`/staff/desk/items/${item.id}?done=1`, 303);
  });

  app.get('/staff/desk/claims', async (c) => {
    staffPage(c);
    const s = c.req.query('status');
    const status =
      s && ['new', 'answered_existing', 'checking', 'answered', 'not_checkable'].includes(s)
        ? (s as ClusterStatus)
        : null;
    const p = c.get('principal')!;
    assertCan(p, 'desk.claims');
    const mine = c.req.query('mine') === '1';
    const db = c.get('deps').db;
    const clusters = await repo.listClustersInScope(db, {
      status,
      limit: 200,
      paths: scopeOf(p, 'desk.claims'),
      assigneeId: mine ? p.userId : null,
    });
    // partners' open questions (personal data removed, never who asked): a rumour next door is checked before it arrives
    const neighbours = can(p, 'exchange.warnings') ? await askedInNeighbouringProvinces(db, 5) : [];
    return c.html(
      <ClustersPage ctx={pageCtx(c)} clusters={clusters} status={status} mine={mine} neighbours={neighbours} />,
    );
  });

  async function clusterPage(
    c: Ctx,
    extra: { values?: Record<string, string>; errors?: FieldErrors; notice?: string } = {},
  ) {
    const db = c.get('deps').db;
    const cluster = await repo.getCluster(db, pathId(c));
    if (!cluster) throw notFound();
    await svc.assertClusterScope(db, actor(c), cluster.id);
    const [claims, [handling], assignees, replies] = await Promise.all([
      repo.claimsOfCluster(db, cluster.id),
      repo.clusterHandling(db, [cluster.id]),
      repo.possibleAssignees(db, cluster.id),
      repo.clusterReplies(db, cluster.id),
    ]);
    const scored = await matchItems(db, cluster.title, { limit: 5 });
    const sItems = scored.length ? await repo.listPublished(db, { ids: scored.map((s) => s.id), limit: 5 }) : [];
    const byId = new Map(sItems.map((i) => [i.id, i]));
    // the same rule as residents see: only a suggestion past the answer threshold may answer; the rest are related
    const suggestions = scored
      .map((s) =>
        byId.has(s.id)
          ? { ...byId.get(s.id)!, score: s.score, answers: s.score >= thresholdsFor(cluster.title).answer }
          : null,
      )
      .filter((x): x is ItemSummary & { score: number; answers: boolean } => Boolean(x));
    const open = await repo.listItems(db, {
      kind: 'factcheck',
      limit: 100,
      paths: scopeOf(c.get('principal'), 'desk.view'),
    });
    if (extra.errors) c.status(422);
    return c.html(
      <ClusterPage
        ctx={pageCtx(c)}
        cluster={cluster}
        claims={claims}
        suggestions={suggestions}
        factchecks={open.filter((i) => i.status !== 'unpublished')}
        handling={{ handling, assignees, replies }}
        {...extra}
      />,
    );
  }

  app.get('/staff/desk/clusters/:id{[0-9]+}', async (c) => {
    staffPage(c);
    return clusterPage(c, { notice: c.req.query('done') ? dt.t(c.get('locale'))('wf.done') : undefined });
  });

  app.post('/staff/desk/clusters/:id{[0-9]+}', async (c) => {
    staffPage(c);
    const { db, config } = c.get('deps');
    const body = await c.req.parseBody();
    const status = String(body.status ?? '');
    const locale = c.get('locale');
    if (!['new', 'answered_existing', 'checking', 'answered', 'not_checkable'].includes(status)) {
      return clusterPage(c, { values: formValues(body), errors: { status: common.t(locale)('field.invalidChoice') } });
    }
    const fc = /^\d+$/.test(String(body.factcheck_id ?? '')) ? Number(body.factcheck_id) : null;
    try {
      await svc.setClusterStatus(
        db,
        actor(c),
        pathId(c),
        status as ClusterStatus,
        fc,
        typeof body.reason === 'string' ? body.reason.slice(0, 1000) : null,
        config.baseUrl,
      );
    } catch (e) {
      if (e instanceof DeskError) return clusterPage(c, { values: formValues(body), errors: deskErrors(e, locale) });
      throw e;
    }
    return c.redirect(`/staff/desk/clusters/${c.req.param('id')}?done=1`, 303);
  });

  app.post('/staff/desk/clusters/:id{[0-9]+}/merge', async (c) => {
    staffPage(c);
    const body = await c.req.parseBody();
    const from = String(body.from ?? '').trim();
    try {
      if (!/^\d{1,9}$/.test(from)) throw new DeskError({ from: 'err.cluster' });
      await svc.mergeClusters(c.get('deps').db, actor(c), pathId(c), parseId(from) ?? 0);
    } catch (e) {
      if (e instanceof DeskError)
        return clusterPage(c, { values: formValues(body), errors: deskErrors(e, c.get('locale')) });
      throw e;
    }
    return c.redirect(`/staff/desk/clusters/${c.req.param('id')}?done=1`, 303);
  });

  app.post('/staff/desk/clusters/:id{[0-9]+}/assign', async (c) => {
    staffPage(c);
    const body = await c.req.parseBody();
    const assignee = String(body.assignee_id ?? '');
    try {
      if (assignee && !/^\d{1,9}$/.test(assignee)) throw new DeskError({ assignee_id: 'err.assignee' });
      await assignCluster(
        c.get('deps').db,
        actor(c),
        pathId(c),
        assignee ? Number(assignee) : null,
        String(body.priority ?? ''),
      );
    } catch (e) {
      if (e instanceof DeskError)
        return clusterPage(c, { values: formValues(body), errors: deskErrors(e, c.get('locale')) });
      throw e;
    }
    return c.redirect(`/staff/desk/clusters/${c.req.param('id')}?done=1`, 303);
  });

  app.post('/staff/desk/clusters/:id{[0-9]+}/reply', async (c) => {
    staffPage(c);
    const body = await c.req.parseBody();
    try {
      await replyToResidents(
        c.get('deps').db,
        actor(c),
        pathId(c),
        typeof body.reply === 'string' ? body.reply.slice(0, 10_000) : '',
        c.get('deps').config.baseUrl,
      );
    } catch (e) {
      if (e instanceof DeskError)
        return clusterPage(c, { values: formValues(body), errors: deskErrors(e, c.get('locale')) });
      throw e;
    }
    return c.redirect(`/staff/desk/clusters/${c.req.param('id')}?done=1`, 303);
  });

  app.get('/staff/desk/files/:id{[0-9a-f-]{36}}', async (c) => {
    staffPage(c);
    assertCan(c.get('principal'), 'desk.claims');
    const { db, blobs } = c.get('deps');
    const row = await readFileRow(db, c.req.param('id'));
    const claim = row
      ? await db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE screenshot_id = $1`, [row.id])
      : undefined;
    if (!row || !claim) throw notFound();
    // a screenshot is shown only to staff who handle its cluster
    await svc.assertClusterScope(db, actor(c), claim.cluster_id);
    const bytes = await blobs.get(row.storage_key);
    if (!bytes) throw notFound();
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': row.mime,
      'cache-control': 'private, no-store',
      'content-disposition': 'inline',
    });
  });

  app.get('/staff/desk/policies', async (c) => {
    const p = staffPage(c);
    await svc.assertPolicyEditor(c.get('deps').db, p);
    return c.html(<PoliciesPage ctx={pageCtx(c)} policies={await repo.listPolicies(c.get('deps').db)} />);
  });
  app.get('/staff/desk/policies/:slug{[a-z0-9-]+}', async (c) => {
    const p = staffPage(c);
    await svc.assertPolicyEditor(c.get('deps').db, p);
    const pol = await repo.getPolicy(c.get('deps').db, c.req.param('slug'));
    if (!pol) throw notFound();
    return c.html(
      <PolicyEditor
        ctx={pageCtx(c)}
        slug={pol.slug}
        values={{ title: pol.title, title_en: pol.title_en, body: pol.body, body_en: pol.body_en }}
      />,
    );
  });
  const policySchema = z.object({
    title: z.string().trim().min(1, 'field.required').max(200),
    title_en: z.string().trim().min(1, 'field.required').max(200),
    body: z.string().trim().min(1, 'field.required').max(50_000),
    body_en: z.string().trim().min(1, 'field.required').max(50_000),
  });
  app.post('/staff/desk/policies/:slug{[a-z0-9-]+}', async (c) => {
    const p = staffPage(c);
    await svc.assertPolicyEditor(c.get('deps').db, p);
    const slug = c.req.param('slug');
    const body = await c.req.parseBody();
    const r = parseWith(policySchema, body, c.get('locale'));
    if (!r.ok) {
      c.status(422);
      return c.html(<PolicyEditor ctx={pageCtx(c)} slug={slug} values={r.values} errors={r.errors} />);
    }
    await svc.savePolicy(c.get('deps').db, actor(c), {
      slug,
      title: r.data.title,
      titleEn: r.data.title_en,
      body: r.data.body,
      bodyEn: r.data.body_en,
    });
    return c.redirect(`/policies/${slug}`, 303);
  });
}

/** "2026-05-01T09:30" typed in Vietnam time. */
export function parseLocalDateTime(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}
