import type { PageCtx } from '../context.js';
import { Layout } from './layout.js';
import { site } from './site-i18n.js';

/** A friendly "page not found": what may have happened, a search, the report-code lookup and the main links. */
export function NotFoundPage({ ctx }: { ctx: PageCtx }) {
  const s = site.t(ctx.locale);
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={s('notFound.title')} description={s('notFound.body')}>
      <section class="error-page not-found prose">
        <h1>{s('notFound.title')}</h1>
        <p>{s('notFound.body')}</p>
        <p>{s('notFound.typed')}</p>
        <form method="get" action="/search" role="search" class="stack narrow">
          <label for="nf-q">{s('notFound.search')}</label>
          <input id="nf-q" type="search" name="q" maxlength={500} />
          <button type="submit">{t('common.search')}</button>
        </form>
        <form method="get" action="/mailbox/lookup" class="stack narrow">
          <label for="nf-code">{s('notFound.code')}</label>
          <p class="hint muted" id="nf-code-hint">
            {s('notFound.codeHint')}
          </p>
          <input
            id="nf-code"
            type="text"
            name="code"
            maxlength={40}
            autocomplete="off"
            aria-describedby="nf-code-hint"
          />
          <button type="submit" class="secondary">
            {s('notFound.lookup')}
          </button>
        </form>
        <h2>{s('notFound.links')}</h2>
        <ul>
          <li>
            <a href="/">{t('nav.home')}</a>
          </li>
          <li>
            <a href="/mailbox">{t('nav.mailbox')}</a>
          </li>
          <li>
            <a href="/desk">{t('nav.desk')}</a>
          </li>
          <li>
            <a href="/incidents">{t('nav.crisis')}</a>
          </li>
          <li>
            <a href="/verify">{t('nav.verify')}</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}

export function ErrorPage({
  ctx,
  status,
  message,
  requestId,
}: {
  ctx: PageCtx;
  status: number;
  message: string;
  requestId: string;
}) {
  if (status === 404) return <NotFoundPage ctx={ctx} />;
  return (
    <Layout ctx={ctx} title={ctx.t('error.title')}>
      <section class="error-page">
        <h1>
          {ctx.t('error.title')} ({status})
        </h1>
        <p>{message}</p>
        <p class="muted">{ctx.t('error.requestId', { id: requestId })}</p>
        <p>
          <a href="/">{ctx.t('error.backHome')}</a>
        </p>
      </section>
    </Layout>
  );
}
