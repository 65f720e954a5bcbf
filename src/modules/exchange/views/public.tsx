/** The public "from partner provinces" pages: other offices' fact-checks, attributed, never shown as ours. */
import type { PageCtx } from '../../../http/context.js';
import { Notice } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDate } from '../../../platform/i18n/index.js';
import { exchangeText } from '../i18n.js';
import type { ItemRow } from '../repo.js';

const tx = (ctx: PageCtx) => exchangeText.t(ctx.locale);

/** "Checked by …" with a link to the checker and, for publishers that sign nothing, the mark saying so. */
export function Attribution({ ctx, item }: { ctx: PageCtx; item: ItemRow }) {
  const t = tx(ctx);
  const name = item.source_name || item.author_name || new URL(item.url).hostname;
  return (
    <p class="attribution">
      {t('public.checkedBy', { name: '' })}
      {item.source_home ? (
        <a href={item.source_home} rel="noopener">
          {name}
        </a>
      ) : (
        <strong>{name}</strong>
      )}
      {item.source_kind !== 'partner' ? (
        <>
          {' '}
          ·{' '}
          <span class="badge warn" title={t('public.unsignedHint')}>
            {t('public.unsigned')}
          </span>
        </>
      ) : null}
    </p>
  );
}

export function PartnerList({ ctx, items, next }: { ctx: PageCtx; items: ItemRow[]; next?: string }) {
  const t = tx(ctx);
  return (
    <Layout ctx={ctx} title={t('public.title')}>
      <h1>{t('public.title')}</h1>
      <p class="lead">{t('public.intro')}</p>
      {items.length === 0 ? (
        <p class="muted">{t('public.none')}</p>
      ) : (
        <ul class="cards">
          {items.map((i) => (
            <li class="card" data-partner-item={String(i.id)}>
              <h2>
                <a href={`/exchange/items/${i.id}`}>{i.title || i.claim}</a>
              </h2>
              {i.rating_name ? (
                <p>
                  <span class="badge">{i.rating_name}</span>
                </p>
              ) : null}
              <Attribution ctx={ctx} item={i} />
              {i.date_modified ? (
                <p class="muted">
                  {t('public.updated')}: {formatDate(ctx.locale, i.date_modified)}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <p>
          <a href={next}>{ctx.t('common.next')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function PartnerItem({ ctx, item }: { ctx: PageCtx; item: ItemRow }) {
  const t = tx(ctx);
  const name = item.source_name || item.author_name;
  return (
    <Layout ctx={ctx} title={item.title || item.claim}>
      <p class="muted">
        {t('public.notOurs')} · <a href="/exchange">{t('public.title')}</a>
      </p>
      <h1>{item.title || item.claim}</h1>
      <Attribution ctx={ctx} item={item} />
      {item.removed_at ? (
        <Notice kind="warning">
          <p>{t('public.removed', { name })}</p>
          {item.removed_reason ? <p>{t('public.removedReason', { reason: item.removed_reason })}</p> : null}
        </Notice>
      ) : (
        <>
          <h2>{t('public.claim')}</h2>
          <blockquote>{item.claim}</blockquote>
          {item.rating_name ? (
            <p>
              <strong>{t('public.verdict')}:</strong> <span class="badge">{item.rating_name}</span>
              {item.rating_value ? ` (${item.rating_value}/5)` : ''}
            </p>
          ) : null}
          {item.summary ? <p>{item.summary}</p> : null}
          {item.places.length ? (
            <p>
              <strong>{t('public.places')}:</strong> {item.places.join(', ')}
            </p>
          ) : null}
          {item.appearances.length ? (
            <>
              <h2>{t('public.appearances')}</h2>
              <ul>
                {item.appearances.map((a) => (
                  <li>
                    {a.description}
                    {a.url ? (
                      <>
                        {' '}
                        —{' '}
                        <a href={a.url} rel="nofollow noopener">
                          {new URL(a.url).hostname}
                        </a>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {item.corrections.length ? (
            <>
              <h2>{t('public.corrections')}</h2>
              <ul>
                {item.corrections.map((c) => (
                  <li>
                    {c.date ? `${formatDate(ctx.locale, c.date)}: ` : ''}
                    {c.text}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {item.date_modified ? (
            <p class="muted">
              {t('public.updated')}: {formatDate(ctx.locale, item.date_modified)}
            </p>
          ) : null}
        </>
      )}
      <p>
        <a class="button secondary" href={item.url} rel="noopener">
          {t('public.original')}
        </a>
      </p>
    </Layout>
  );
}
