import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { PageCtx } from '../../../http/context.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDate, formatDateTime } from '../../../platform/i18n/index.js';
import { dt } from '../i18n.js';
import { jsonLdText, renderMarkdown } from './render.js';
import type { Correction, ItemSummary, ItemView, PolicyLink, PolicyRow, TopicRow, VerdictRow } from '../repo.js';
import { itemPath } from '../service.js';
import { ItemImages } from './images.js';
import { site } from '../../../http/views/site-i18n.js';

/** Pieces are written in Vietnamese only: on English pages, say so once. */
export const OnlyVi = ({ ctx }: { ctx: PageCtx }) =>
  ctx.locale === 'en' ? <p class="muted only-vi">{site.t('en')('lang.onlyVi')}</p> : null;

export interface UnitRef {
  id: number;
  code: string;
  full_name: string;
  name_en: string | null;
}

const unitName = (ctx: PageCtx, u: UnitRef) => (ctx.locale === 'en' && u.name_en ? u.name_en : u.full_name);
const topicName = (ctx: PageCtx, t: TopicRow) => (ctx.locale === 'en' ? t.name_en : t.name);
export const verdictLabel = (ctx: PageCtx, i: { verdict_label: string | null; verdict_label_en: string | null }) =>
  (ctx.locale === 'en' ? i.verdict_label_en : i.verdict_label) ?? '';

export function VerdictBadge({
  ctx,
  item,
}: {
  ctx: PageCtx;
  item: Pick<ItemSummary, 'kind' | 'verdict' | 'verdict_tone' | 'verdict_label' | 'verdict_label_en'>;
}) {
  if (item.kind !== 'factcheck' || !item.verdict) return null;
  return (
    <span class={`badge ${item.verdict_tone ?? 'warn'}`} data-verdict={item.verdict}>
      {verdictLabel(ctx, item)}
    </span>
  );
}

export function ItemCard({ ctx, item, level = 3 }: { ctx: PageCtx; item: ItemSummary; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  const t = dt.t(ctx.locale);
  return (
    <article class="card">
      <p class="muted">
        {t(`kind.${item.kind}`)} · {formatDate(ctx.locale, item.published_at)} <VerdictBadge ctx={ctx} item={item} />
      </p>
      <H lang="vi">
        <a href={itemPath(item)}>{item.title}</a>
      </H>
      <p lang="vi">{item.summary}</p>
    </article>
  );
}

/** Cards of pieces; `level` 2 when the list sits right under the page's h1 (headings in order). */
export function ItemList({ ctx, items, level }: { ctx: PageCtx; items: ItemSummary[]; level?: 2 | 3 }) {
  if (items.length === 0) return <p class="muted">{dt.t(ctx.locale)('list.empty')}</p>;
  return (
    <>
      <OnlyVi ctx={ctx} />
      <div class="cards">
        {items.map((i) => (
          <ItemCard ctx={ctx} item={i} level={level} />
        ))}
      </div>
    </>
  );
}

export function FeedLinks({ ctx, base, title }: { ctx: PageCtx; base: string; title: string }) {
  return (
    <p class="muted">
      {dt.t(ctx.locale)('home.feeds')}:{' '}
      <a href={`${base}.rss`} type="application/rss+xml">
        RSS
      </a>{' '}
      ·{' '}
      <a href={`${base}.atom`} type="application/atom+xml">
        Atom
      </a>{' '}
      ·{' '}
      <a href={`${base}.json`} type="application/feed+json" title={title}>
        JSON Feed
      </a>
    </p>
  );
}

export const feedHead = (base: string, title: string) => (
  <>
    <link rel="alternate" type="application/rss+xml" href={`${base}.rss`} title={title} />
    <link rel="alternate" type="application/atom+xml" href={`${base}.atom`} title={title} />
    <link rel="alternate" type="application/feed+json" href={`${base}.json`} title={title} />
  </>
);

export function SearchForm({ ctx, q }: { ctx: PageCtx; q?: string }) {
  const t = dt.t(ctx.locale);
  return (
    <form method="get" action="/search" role="search" class="stack">
      <label for="desk-q">{t('search.q')}</label>
      <input id="desk-q" type="search" name="q" value={q ?? ''} maxlength={500} />
      <button type="submit">{ctx.t('common.search')}</button>
    </form>
  );
}

export function DeskHome({
  ctx,
  checks,
  others,
  topics,
  policies,
}: {
  ctx: PageCtx;
  checks: ItemSummary[];
  others: ItemSummary[];
  topics: TopicRow[];
  policies: PolicyLink[];
}) {
  const t = dt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('home.title')} description={t('home.intro')} head={feedHead('/feed', t('feed.title'))}>
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      <p class="cta-row">
        <a class="button" href="/claims/new">
          {t('nav.claim')}
        </a>
      </p>
      <SearchForm ctx={ctx} />
      <section>
        <h2>{t('home.latestChecks')}</h2>
        <ItemList ctx={ctx} items={checks} />
      </section>
      <section>
        <h2>{t('home.latestArticles')}</h2>
        <ItemList ctx={ctx} items={others} />
      </section>
      <section>
        <h2>{t('home.topics')}</h2>
        <p>
          {topics.map((tp, i) => (
            <>
              {i ? ' · ' : ''}
              <a href={`/topics/${tp.slug}`}>{topicName(ctx, tp)}</a>
            </>
          ))}
        </p>
      </section>
      <section>
        <h2>{t('home.policies')}</h2>
        <ul>
          {policies.map((p) => (
            <li>
              <a href={`/policies/${p.slug}`}>{ctx.locale === 'en' ? p.title_en : p.title}</a>
            </li>
          ))}
          <li>
            <a href="/desk/verdicts">{t('verdicts.title')}</a>
          </li>
        </ul>
      </section>
      <FeedLinks ctx={ctx} base="/feed" title={t('feed.title')} />
    </Layout>
  );
}

export function ListPage({
  ctx,
  title,
  intro,
  items,
  feedBase,
  q,
  prev,
  next,
}: {
  ctx: PageCtx;
  title: string;
  intro?: string;
  items: ItemSummary[];
  feedBase?: string;
  q?: string;
  prev?: string;
  next?: string;
}) {
  const t = dt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={title} head={feedBase ? feedHead(feedBase, title) : undefined}>
      <h1>{title}</h1>
      {intro ? <p>{intro}</p> : null}
      {q !== undefined ? <SearchForm ctx={ctx} q={q} /> : null}
      {q ? <p role="status">{t('search.results', { n: items.length, q })}</p> : null}
      <ItemList ctx={ctx} items={items} level={2} />
      {q ? (
        <p>
          <a href="/claims/new">{t('search.ask')}</a>
        </p>
      ) : null}
      {prev || next ? (
        <nav class="pager">
          {prev ? (
            <a href={prev} rel="prev">
              {ctx.t('common.prev')}
            </a>
          ) : null}
          {prev && next ? ' · ' : ''}
          {next ? (
            <a href={next} rel="next">
              {ctx.t('common.next')}
            </a>
          ) : null}
        </nav>
      ) : null}
      {feedBase ? <FeedLinks ctx={ctx} base={feedBase} title={title} /> : null}
    </Layout>
  );
}

export interface ItemPageData {
  item: ItemView;
  corrections: Correction[];
  topics: TopicRow[];
  units: UnitRef[];
  url: string;
  jsonLd: unknown;
  policies: PolicyLink[];
}

function Sources({ ctx, item }: { ctx: PageCtx; item: ItemView }) {
  const t = dt.t(ctx.locale);
  if (!item.sources.length) return null;
  return (
    <section>
      <h2>{t('item.sources')}</h2>
      <ol class="sources">
        {item.sources.map((s) => (
          <li>
            <span lang="vi">
              {s.url ? (
                <a href={s.url} rel="nofollow noopener">
                  {s.title}
                </a>
              ) : (
                s.title
              )}
            </span>
            {s.publisher ? <>, {s.publisher}</> : null}
            {s.date ? <>, {formatDate(ctx.locale, s.date)}</> : null}
            {s.reference ? <> — {t('source.ref', { ref: s.reference })}</> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Corrections({ ctx, corrections }: { ctx: PageCtx; corrections: Correction[] }) {
  const t = dt.t(ctx.locale);
  if (!corrections.length) return null;
  return (
    <section class="notice warning" id="corrections">
      <h2>{t('item.corrections')}</h2>
      <ul>
        {corrections.map((c) => (
          <li>{t('item.correction', { date: formatDateTime(ctx.locale, c.created_at), what: c.what, why: c.why })}</li>
        ))}
      </ul>
    </section>
  );
}

function Share({ ctx, url, title }: { ctx: PageCtx; url: string; title: string }) {
  const t = dt.t(ctx.locale);
  const u = encodeURIComponent(url);
  return (
    <p class="share">
      {t('item.share')}:{' '}
      <a href={`https://www.facebook.com/sharer/sharer.php?u=${u}`} rel="noopener nofollow">
        Facebook
      </a>{' '}
      ·{' '}
      <a href={`https://sp.zalo.me/share_to_zalo?url=${u}`} rel="noopener nofollow">
        Zalo
      </a>{' '}
      ·{' '}
      <a href={`https://x.com/intent/post?url=${u}`} rel="noopener nofollow">
        X
      </a>{' '}
      · <a href={`mailto:?subject=${encodeURIComponent(title)}&body=${u}`}>{t('item.shareEmail')}</a> ·{' '}
      <a href={url}>{t('item.copyLink')}</a>
    </p>
  );
}

export function ItemPage({ ctx, d }: { ctx: PageCtx; d: ItemPageData }) {
  const t = dt.t(ctx.locale);
  const i = d.item;
  const og = (
    <>
      <meta property="og:type" content="article" />
      <meta property="og:title" content={i.title} />
      <meta property="og:description" content={i.summary} />
      <meta property="og:url" content={d.url} />
      <meta property="og:locale" content={ctx.locale === 'en' ? 'en_GB' : 'vi_VN'} />
      {i.poster_url ? (
        <meta
          property="og:image"
          content={i.poster_url.startsWith('/') ? new URL(d.url).origin + i.poster_url : i.poster_url}
        />
      ) : null}
      <link rel="canonical" href={d.url} />
      <script type="application/ld+json">{raw(jsonLdText(d.jsonLd))}</script>
    </>
  );
  return (
    <Layout ctx={ctx} title={i.title} description={i.summary} head={og}>
      <article class="prose">
        <p class="muted">
          {t(`kind.${i.kind}`)} · {t('item.published', { date: formatDate(ctx.locale, i.published_at) })}
          {d.corrections.length ? (
            <> · {t('item.updated', { date: formatDate(ctx.locale, i.updated_public_at) })}</>
          ) : null}
        </p>
        <h1 lang="vi">{i.title}</h1>
        <OnlyVi ctx={ctx} />
        {i.canonical_url ? (
          <p class="muted canonical">
            {t('item.canonical')}{' '}
            <a href={i.canonical_url} rel="noopener">
              {i.canonical_url}
            </a>
          </p>
        ) : null}
        <ItemImages ctx={ctx} images={i.images} />
        {i.kind === 'factcheck' ? (
          <>
            <section class="card claim-box">
              <p>
                <strong>{t('item.claim')}:</strong> <q lang="vi">{i.claim}</q>
              </p>
              <p class="verdict">
                <strong>{t('item.verdict')}:</strong> <VerdictBadge ctx={ctx} item={i} />{' '}
                {i.verdict ? (
                  <a class="verdict-scale" href={`/desk/verdicts#verdict-${i.verdict}`}>
                    {t('verdicts.what')}
                  </a>
                ) : null}
              </p>
              <p>
                <strong>{t('item.answer')}:</strong> <span lang="vi">{i.summary}</span>
              </p>
            </section>
            {i.appearances.length || i.claim_date ? (
              <section>
                <h2>{t('item.appeared')}</h2>
                {i.claim_date ? <p>{t('item.claimDate', { date: formatDate(ctx.locale, i.claim_date) })}</p> : null}
                <ul>
                  {i.appearances.map((a) => (
                    <li>
                      <span lang="vi">{a.description}</span>
                      {a.url ? (
                        <>
                          {' '}
                          —{' '}
                          <a href={a.url} rel="nofollow noopener">
                            {a.url}
                          </a>
                        </>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            <Corrections ctx={ctx} corrections={d.corrections} />
            <section>
              <h2>{t('item.explanation')}</h2>
              <div lang="vi">{raw(renderMarkdown(i.body))}</div>
            </section>
            {i.method ? (
              <section>
                <h2>{t('item.method')}</h2>
                <div lang="vi">{raw(renderMarkdown(i.method))}</div>
              </section>
            ) : null}
          </>
        ) : (
          <>
            <p class="lede" lang="vi">
              <strong>{i.summary}</strong>
            </p>
            <Corrections ctx={ctx} corrections={d.corrections} />
            {i.kind === 'video' ? (
              <section>
                {i.poster_url ? (
                  <p>
                    <a href={i.video_url ?? '#'} rel="nofollow noopener">
                      <img src={i.poster_url} alt={i.title} width={320} height={180} loading="lazy" />
                    </a>
                  </p>
                ) : null}
                <p>
                  <a class="button" href={i.video_url ?? '#'} rel="nofollow noopener">
                    {t('item.watch')}
                  </a>
                </p>
                <h2>{t('item.transcript')}</h2>
                <div lang="vi">
                  {(i.transcript ?? '').split(/\n{2,}/).map((p) => (
                    <p>{p}</p>
                  ))}
                </div>
              </section>
            ) : null}
            {i.body ? <div lang="vi">{raw(renderMarkdown(i.body))}</div> : null}
          </>
        )}
        <Sources ctx={ctx} item={i} />
        {d.topics.length ? (
          <p>
            {t('item.topics')}:{' '}
            {d.topics.map((tp, k) => (
              <>
                {k ? ', ' : ''}
                <a href={`/topics/${tp.slug}`}>{topicName(ctx, tp)}</a>
              </>
            ))}
          </p>
        ) : null}
        {d.units.length ? (
          <p>
            {t('item.units')}:{' '}
            {d.units.map((u, k) => (
              <>
                {k ? ', ' : ''}
                <a href={`/units/${u.code}`}>{unitName(ctx, u)}</a>
              </>
            ))}
          </p>
        ) : null}
        <Share ctx={ctx} url={d.url} title={i.title} />
        <nav class="muted" aria-label={t('home.policies')}>
          <p>
            {t('item.policies')}:{' '}
            {d.policies.map((p, k) => (
              <>
                {k ? ' · ' : ''}
                <a href={`/policies/${p.slug}`}>{ctx.locale === 'en' ? p.title_en : p.title}</a>
              </>
            ))}{' '}
            · <a href="/desk/verdicts">{t('verdicts.link')}</a>
          </p>
          <p>
            <a href="/claims/new">{t('item.askCheck')}</a>
          </p>
        </nav>
      </article>
    </Layout>
  );
}

export function WithdrawnPage({ ctx, item }: { ctx: PageCtx; item: ItemView }) {
  const t = dt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('item.withdrawn')}>
      <div class="notice warning" role="status">
        <h1>{t('item.withdrawn')}</h1>
        <p lang="vi">
          <strong>{item.title}</strong>
        </p>
        <p>
          {t('item.withdrawnOn', {
            date: formatDate(ctx.locale, item.unpublished_at),
            reason: item.unpublish_reason ?? '',
          })}
        </p>
        <p>
          <a href="/policies/corrections">{t('home.policies')}</a>
        </p>
      </div>
    </Layout>
  );
}

export function PolicyPage({ ctx, p, all }: { ctx: PageCtx; p: PolicyRow; all: PolicyRow[] }) {
  const title = ctx.locale === 'en' ? p.title_en : p.title;
  return (
    <Layout ctx={ctx} title={title}>
      <article class="prose">
        <h1>{title}</h1>
        <div>{raw(renderMarkdown(ctx.locale === 'en' ? p.body_en : p.body))}</div>
        <p class="muted">{formatDate(ctx.locale, p.updated_at)}</p>
        <ul>
          {all
            .filter((x) => x.slug !== p.slug)
            .map((x) => (
              <li>
                <a href={`/policies/${x.slug}`}>{ctx.locale === 'en' ? x.title_en : x.title}</a>
              </li>
            ))}
          <li>
            <a href="/desk/verdicts">{dt.t(ctx.locale)('verdicts.title')}</a>
          </li>
        </ul>
      </article>
    </Layout>
  );
}

/** The verdict scale: what each verdict means and the ClaimReview rating it carries. */
export function VerdictsPage({
  ctx,
  verdicts,
  policies,
}: {
  ctx: PageCtx;
  verdicts: VerdictRow[];
  policies: PolicyLink[];
}) {
  const t = dt.t(ctx.locale);
  const en = ctx.locale === 'en';
  return (
    <Layout ctx={ctx} title={t('verdicts.title')} description={t('verdicts.intro')}>
      <article class="prose">
        <h1>{t('verdicts.title')}</h1>
        <p>{t('verdicts.intro')}</p>
        <div class="verdict-scale-list">
          {verdicts.map((v) => (
            <section class="card" id={`verdict-${v.code}`}>
              <h2>
                <span class={`badge ${v.tone}`} data-verdict={v.code}>
                  {en ? v.label_en : v.label}
                </span>
                {en ? (
                  <>
                    {' '}
                    <small lang="vi">({v.label})</small>
                  </>
                ) : null}
              </h2>
              {(en ? v.meaning_en : v.meaning) ? <p>{en ? v.meaning_en : v.meaning}</p> : null}
            </section>
          ))}
        </div>
        {/* the ClaimReview rating is for machines: kept out of the residents' cards */}
        <details class="tech">
          <summary>{site.t(ctx.locale)('dev.verdictsSummary')}</summary>
          <p class="muted">{t('verdicts.ratingNote')}</p>
          <ul>
            {verdicts.map((v) => (
              <li data-verdict={v.code} data-rating={v.rating}>
                {en ? v.label_en : v.label}: {t('verdicts.rating', { rating: v.rating })}
              </li>
            ))}
          </ul>
        </details>
        <ul>
          {policies.map((p) => (
            <li>
              <a href={`/policies/${p.slug}`}>{en ? p.title_en : p.title}</a>
            </li>
          ))}
        </ul>
      </article>
    </Layout>
  );
}

export const Empty = (_: { children?: Child }) => null;
