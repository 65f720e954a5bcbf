import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { can } from '../../platform/auth/permissions.js';
import type { PageCtx } from '../context.js';
import { assetUrl } from '../assets.js';
import { site } from './site-i18n.js';

export interface LayoutProps {
  ctx: PageCtx;
  title: string;
  children?: Child;
  /** Extra tags for <head>: Open Graph, JSON-LD, feeds. */
  head?: Child;
  /** Seconds for a <meta http-equiv="refresh"> (pages that refresh without JavaScript). */
  refresh?: number;
  /** Staff pages show the staff menu. */
  staff?: boolean;
  description?: string;
}

function langSwitchHref(ctx: PageCtx): string {
  const other = ctx.locale === 'vi' ? 'en' : 'vi';
  return `/lang/${other}?next=${encodeURIComponent(ctx.path)}`;
}

/** The menu entry for the page being shown, announced to screen readers as the current page. */
function current(ctx: PageCtx, href: string): 'page' | undefined {
  const path = ctx.path.split('?')[0];
  if (href === '/' || href === '/staff') return path === href ? 'page' : undefined;
  return path === href || path.startsWith(href + '/') ? 'page' : undefined;
}

/** The organisation's name under the brand: the configured English name on English pages, else the Vietnamese one, marked. */
function OrgName({ ctx }: { ctx: PageCtx }) {
  if (ctx.locale !== 'en') return <span class="brand-org">{ctx.orgName}</span>;
  const en = ctx.orgNameEn ?? (ctx.orgName === 'Cổng thông tin Cầu Nối' ? site.t('en')('org.defaultEn') : null);
  return en ? (
    <span class="brand-org">{en}</span>
  ) : (
    <span class="brand-org" lang="vi">
      {ctx.orgName}
    </span>
  );
}

/**
 * The document around every page (the site's pages and the reports' print page): the one place the doctype, the
 * character set, the viewport, the title and the site's stylesheet are written.
 */
export function Document(p: { lang: string; title: string; bodyClass?: string; head?: Child; children?: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={p.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{p.title}</title>
          <link rel="stylesheet" href={assetUrl('app.css')} />
          {p.head}
        </head>
        <body class={p.bodyClass}>{p.children}</body>
      </html>
    </>
  );
}

export function Layout({ ctx, title, children, head, refresh, staff, description }: LayoutProps) {
  const t = ctx.t;
  const staffItems = ctx.principal ? (ctx.menus?.staff ?? []).filter((m) => can(ctx.principal, m.action)) : [];
  return (
    <Document
      lang={ctx.locale}
      title={`${title} · ${t('site.name')}`}
      bodyClass={staff ? 'staff' : 'public'}
      head={
        <>
          <meta name="description" content={description || site.t(ctx.locale)('site.description')} />
          {refresh ? <meta http-equiv="refresh" content={String(refresh)} /> : null}
          <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
          {head}
          <script src={assetUrl('app.js')} defer></script>
        </>
      }
    >
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header class="site-header">
        <div class="wrap header-row">
          <a class="brand" href="/">
            <span class="brand-name">{t('site.name')}</span>
            <OrgName ctx={ctx} />
          </a>
          <nav class="top-actions" aria-label={t('nav.menu')}>
            <a href={langSwitchHref(ctx)} hreflang={ctx.locale === 'vi' ? 'en' : 'vi'} class="lang">
              {t('nav.language')}
            </a>
            {ctx.principal ? (
              <>
                <a href="/staff">{t('nav.staff')}</a>
                <form method="post" action="/signout" class="inline">
                  <input type="hidden" name="_csrf" value={ctx.csrf} />
                  <button type="submit" class="link">
                    {t('nav.signOut')}
                  </button>
                </form>
              </>
            ) : (
              <a href="/signin">{t('nav.signIn')}</a>
            )}
          </nav>
        </div>
        <nav class="wrap main-nav" aria-label={t('site.name')}>
          <a href="/" aria-current={current(ctx, '/')}>
            {t('nav.home')}
          </a>
          {(ctx.menus?.public ?? []).map((n) => (
            <a href={n.href} aria-current={current(ctx, n.href)}>
              {n.label[ctx.locale]}
            </a>
          ))}
        </nav>
      </header>
      {staff && staffItems.length > 0 ? (
        <nav class="staff-nav wrap" aria-label={t('staff.title')}>
          <a href="/staff" aria-current={current(ctx, '/staff')}>
            {t('staff.dashboard')}
          </a>
          {staffItems.map((m) => (
            <a href={m.href} aria-current={current(ctx, m.href)}>
              {m.label[ctx.locale]}
            </a>
          ))}
        </nav>
      ) : null}
      <main id="main" class="wrap">
        {children}
      </main>
      <footer class="site-footer">
        <div class="wrap">
          <p>{t('footer.about')}</p>
          <p>
            <a href="/privacy">{t('footer.privacy')}</a> ·{' '}
            <a href="/developers">{site.t(ctx.locale)('footer.developers')}</a>
          </p>
        </div>
      </footer>
    </Document>
  );
}
