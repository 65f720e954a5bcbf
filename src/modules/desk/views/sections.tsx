import type { PageCtx } from '../../../http/context.js';
import { dt } from '../i18n.js';
import type { ItemSummary } from '../repo.js';
import { ItemList } from './public.js';

/** The public home page's block: the latest fact-checks. */
export function HomeSection({ ctx, items }: { ctx: PageCtx; items: ItemSummary[] }) {
  const t = dt.t(ctx.locale);
  return (
    <section class="desk-latest">
      <h2>{t('home.latestChecks')}</h2>
      <ItemList ctx={ctx} items={items} />
      <p>
        <a href="/desk">{t('home.seeAll')}</a> · <a href="/claims/new">{t('nav.claim')}</a>
      </p>
    </section>
  );
}

/** The staff overview's block: claims waiting and pieces in review in the reader's units. */
export function StaffSection({ ctx, waiting, review }: { ctx: PageCtx; waiting: number; review: number }) {
  const t = dt.t(ctx.locale);
  return (
    <section class="desk-staff">
      <h2>{t('staff.sectionTitle')}</h2>
      <p class="kpis">
        <a class="kpi" href="/staff/desk/claims?status=new">
          <span class="v">{waiting}</span> {t('staff.waitingClaims')}
        </a>{' '}
        <a class="kpi" href="/staff/desk?status=in_review">
          <span class="v">{review}</span> {t('staff.inReview')}
        </a>
      </p>
    </section>
  );
}
