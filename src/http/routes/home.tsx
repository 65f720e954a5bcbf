import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import { type ContentVersion, publicContentVersion } from '../../platform/public-content.js';
import type { AppEnv } from '../context.js';
import { pageCtx } from '../context.js';
import type { AppModule } from '../module.js';
import { Layout } from '../views/layout.js';

/**
 * The anonymous home page is rendered at most once every HOME_TTL_MS per locale in each app, and again at once after
 * the app's publicContentChanged(deps) (src/platform/public-content.ts: the desk, crisis and mailbox call it after a
 * public change; the home page is stored under the app's public-content version). Signed-in visitors always get a
 * fresh page. Another process (a separate worker) that publishes cannot reach this app's memory: there the page is at
 * most HOME_TTL_MS old.
 */
export const HOME_TTL_MS = 5_000;

/** Stands in for the visitor's CSRF token in a stored page (a home section may carry a form). */
const CSRF_MARK = '\u0001csrf-token\u0001';

export function homeRoutes(app: Hono<AppEnv>, modules: readonly AppModule[]): void {
  const ordered = [...modules].sort((a, b) => (a.homePriority ?? 100) - (b.homePriority ?? 100));
  const stored = new Map<string, { at: number; version: ContentVersion; html: string }>();

  app.get('/', etag(), async (c) => {
    const ctx = pageCtx(c);
    const t = ctx.t;
    c.header('cache-control', ctx.principal ? 'private, no-cache' : 'public, max-age=30');
    c.header('vary', 'Cookie');
    const search = new URL(c.req.url).search;
    // anonymous, and no query but the language: the page is the same for every such visitor of a locale
    const key = !ctx.principal && (search === '' || /^\?lang=(vi|en)$/.test(search)) ? `${ctx.locale}${search}` : null;
    const token = ctx.csrf.length >= 16 ? ctx.csrf : null;
    if (key) {
      const hit = stored.get(key);
      if (hit && hit.version === publicContentVersion(c.get('deps')) && Date.now() - hit.at < HOME_TTL_MS) {
        return c.html(token ? hit.html.replaceAll(CSRF_MARK, token) : hit.html);
      }
    }
    const version = publicContentVersion(c.get('deps'));
    const at = Date.now();
    const sections = await Promise.all(ordered.map((m) => m.homeSection?.(c) ?? null));
    // an urgent section (homePriority 0 or less: the crisis banner) comes first, above the buttons
    const urgent = (i: number) => (ordered[i].homePriority ?? 100) <= 0;
    const page = (
      <Layout ctx={ctx} title={t('home.title')} description={t('site.tagline')}>
        {sections.filter((_, i) => urgent(i))}
        <section class="hero">
          <h1>{t('site.tagline')}</h1>
          <p>{t('home.intro')}</p>
          <p class="cta-row">
            <a class="button" href="/mailbox/new">
              {t('home.mailboxCta')}
            </a>
            <a class="button secondary" href="/claims/new">
              {t('home.claimCta')}
            </a>
            <a class="button secondary" href="/verify">
              {t('home.verifyCta')}
            </a>
          </p>
        </section>
        {sections.filter((_, i) => !urgent(i))}
      </Layout>
    );
    // rendered here (not by c.html) to keep a copy; toString() is a promise when a component is async
    const html = String(await page.toString());
    if (key && token) stored.set(key, { at, version, html: html.split(token).join(CSRF_MARK) });
    return c.html(html);
  });

  app.get('/privacy', (c) => {
    const ctx = pageCtx(c);
    const vi = ctx.locale === 'vi';
    return c.html(
      <Layout ctx={ctx} title={ctx.t('privacy.title')}>
        <article class="prose">
          <h1>{ctx.t('privacy.title')}</h1>
          {vi ? (
            <>
              <p>
                Chúng tôi chỉ thu thập dữ liệu cần thiết để xử lý phản ánh của bạn. Bạn có thể gửi phản ánh ẩn danh.
              </p>
              <p>
                Thông tin liên hệ chỉ cán bộ được giao xử lý phản ánh mới xem được, và không bao giờ hiển thị công khai.
              </p>
              <p>
                Từ liên kết riêng của phản ánh, bạn có thể tải về toàn bộ dữ liệu chúng tôi lưu về bạn và yêu cầu xóa dữ
                liệu cá nhân.
              </p>
              <p>
                Dữ liệu liên hệ được tự động xóa sau một thời gian kể từ khi phản ánh được đóng. Mọi thao tác của cán bộ
                đều được ghi nhật ký.
              </p>
            </>
          ) : (
            <>
              <p>We collect only what is needed to handle your report. You may report anonymously.</p>
              <p>Contact details are visible only to the staff who handle your report, and never shown in public.</p>
              <p>
                From your report's private link you can download everything we hold about you and ask for your personal
                data to be erased.
              </p>
              <p>
                Contact details are purged automatically a set time after a report is closed. Every staff action is
                logged.
              </p>
            </>
          )}
        </article>
      </Layout>,
    );
  });
}
