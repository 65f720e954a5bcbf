/** The resident's side of "is this true?": the form, and the claim's status page (reached by a 303 after asking). */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { Csrf, ErrorSummary, Field } from '../../../http/views/components.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDate } from '../../../platform/i18n/index.js';
import type { ClaimStatus } from '../service.js';
import { ct } from '../i18n-claims.js';
import { dt } from '../i18n.js';
import type { ItemSummary } from '../repo.js';
import { itemPath } from '../service.js';
import { ItemList } from './public.js';
import { ClaimReplies } from './replies.js';

export function ClaimFormPage({
  ctx,
  unitPicker,
  values,
  errors,
}: {
  ctx: PageCtx;
  unitPicker: PickerState;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const t = dt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('claim.title')} description={t('claim.intro')}>
      <h1>{t('claim.title')}</h1>
      <p>{t('claim.intro')}</p>
      <ErrorSummary errors={errors} title={t('claim.errorTitle')} />
      <form method="post" action="/claims/new" enctype="multipart/form-data" class="stack narrow" novalidate>
        <Csrf token={ctx.csrf} />
        <Field
          name="text"
          label={t('claim.text')}
          hint={t('claim.textHint')}
          multiline
          rows={5}
          required
          maxLength={4000}
          values={values}
          errors={errors}
        />
        <Field
          name="link"
          label={t('claim.link')}
          type="url"
          inputmode="url"
          maxLength={2000}
          values={values}
          errors={errors}
        />
        <Field
          name="seen_where"
          label={t('claim.seenWhere')}
          hint={t('claim.seenWhereHint')}
          maxLength={500}
          values={values}
          errors={errors}
        />
        <div class={`field${errors?.screenshot ? ' has-error' : ''}`}>
          <label for="f-screenshot">{t('claim.screenshot')}</label>
          <input id="f-screenshot" type="file" name="screenshot" accept="image/jpeg,image/png,image/webp" />
          {errors?.screenshot ? (
            <p class="error" id="f-screenshot-err" role="alert">
              {errors.screenshot}
            </p>
          ) : null}
        </div>
        {/* search then choose: a POST back to this form (the typed text kept), or as you type with JavaScript */}
        <UnitPicker ctx={ctx} state={unitPicker} label={t('claim.unit')} errors={errors} search={{ method: 'post' }} />
        <Field
          name="email"
          label={t('claim.email')}
          hint={t('claim.emailHint')}
          type="email"
          autocomplete="email"
          maxLength={254}
          values={values}
          errors={errors}
        />
        <button type="submit">{t('claim.send')}</button>
      </form>
    </Layout>
  );
}

/** Related pieces: title and date only, never a verdict badge (they are not the verdict on the resident's claim). */
export function RelatedList({ ctx, items, hint }: { ctx: PageCtx; items: ItemSummary[]; hint?: string }) {
  const t = dt.t(ctx.locale);
  return (
    <section class="related">
      <h2>{t('claim.related')}</h2>
      <p class="muted">{hint ?? t('claim.relatedHint')}</p>
      <ul>
        {items.map((i) => (
          <li>
            <a href={itemPath(i)} lang="vi">
              {i.title}
            </a>{' '}
            <span class="muted">· {formatDate(ctx.locale, i.published_at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function nextStep(s: ClaimStatus): 'nextDone' | 'nextNotCheckable' | 'nextAnsweredAuto' | 'nextChecking' | 'nextNew' {
  if (s.answer) return 'nextDone';
  if (s.cluster.status === 'not_checkable') return 'nextNotCheckable';
  if (s.shown.answer) return 'nextAnsweredAuto';
  return s.cluster.status === 'checking' ? 'nextChecking' : 'nextNew';
}

/**
 * The claim's own page: the code, what happens next and by when, the desk's answer once there is one, the fact-checks
 * shown when the resident asked (the one that answered the claim apart from related ones), and the desk's replies.
 */
export function ClaimStatusPage({
  ctx,
  s,
  sent,
  replyDays,
}: {
  ctx: PageCtx;
  s: ClaimStatus;
  sent: boolean;
  replyDays: number;
}) {
  const t = dt.t(ctx.locale);
  const c = ct.t(ctx.locale);
  const step = nextStep(s);
  const waiting = step === 'nextNew' || step === 'nextChecking';
  const late = waiting && s.replyBy.getTime() < Date.now();
  const related = s.shown.related.filter((r) => r.id !== s.answer?.id).slice(0, 3);
  return (
    <Layout ctx={ctx} title={t('claim.statusTitle', { code: s.claim.code })} description={c('claim.keepCode')}>
      {sent ? (
        <div class="claim-panel" role="status">
          <h1>{c('claim.sentPanel')}</h1>
          <p>{c('claim.codeLabel')}</p>
          <p class="claim-code">
            <span class="sr-only">{t('claim.code', { code: '' })}</span>
            <strong class="code-nowrap">{s.claim.code}</strong>
          </p>
        </div>
      ) : (
        <>
          <h1>{t('claim.statusTitle', { code: s.claim.code })}</h1>
          <p class="claim-code">
            {t('claim.code', { code: '' })}
            <strong class="code-nowrap">{s.claim.code}</strong>
          </p>
        </>
      )}
      <p class="muted">
        {t('claim.received', { date: formatDate(ctx.locale, s.claim.created_at) })} · {c('claim.keepCode')}
      </p>
      <p>
        <strong>{t('claim.status', { status: t(`cstatus.${s.cluster.status}`) })}</strong>
      </p>
      <section class="claim-next">
        <h2>{c('claim.next')}</h2>
        <p>{c(`claim.${step}`)}</p>
        {waiting ? (
          <p class="claim-expected">
            <strong>
              {late
                ? c('claim.expectedLate', { date: formatDate(ctx.locale, s.replyBy) })
                : c('claim.expected', { date: formatDate(ctx.locale, s.replyBy), days: replyDays })}
            </strong>
          </p>
        ) : null}
        {waiting || step === 'nextAnsweredAuto' ? <p>{c('claim.emailNote')}</p> : null}
      </section>
      <section>
        <h2>{c('claim.yourQuestion')}</h2>
        <blockquote lang={s.claim.locale === 'en' ? 'en' : 'vi'}>{s.claim.text}</blockquote>
      </section>
      {s.cluster.status === 'not_checkable' && s.cluster.reason ? (
        <p>{t('claim.reason', { reason: s.cluster.reason })}</p>
      ) : null}
      {s.answer ? (
        <section class="answer desk-answer">
          <h2>{c('claim.deskAnswer')}</h2>
          <ItemList ctx={ctx} items={[s.answer]} />
        </section>
      ) : s.shown.answer ? (
        <section class="answer">
          <h2>{t('claim.checked')}</h2>
          <p>{t('claim.checkedHint')}</p>
          <ItemList ctx={ctx} items={[s.shown.answer]} />
        </section>
      ) : s.cluster.status !== 'not_checkable' ? (
        <section class="not-checked">
          <h2>{t('claim.notChecked')}</h2>
          <p>{t('claim.notCheckedHint')}</p>
        </section>
      ) : null}
      <ClaimReplies ctx={ctx} replies={s.replies} />
      {related.length ? <RelatedList ctx={ctx} items={related} hint={c('claim.shownRelatedHint')} /> : null}
      <p>
        <a href="/claims/new">{c('claim.askAnother')}</a>
      </p>
    </Layout>
  );
}
