/** Outcomes: the line the resident and the public read, and the staff's "close with an outcome" form. */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Field, Select } from '../../../http/views/components.js';
import { Post } from './shared.js';
import { LIMITS } from '../service.js';
import { OUTCOMES, outcomeText } from '../service/outcomes.js';
import { xt } from './redaction-i18n.js';

/** One row of a report's facts (public page and the resident's page): the outcome, when there is one. */
export function OutcomeFact({
  ctx,
  r,
}: {
  ctx: PageCtx;
  r: { outcome?: string | null; outcome_note?: string | null };
}) {
  const text = outcomeText(ctx.locale, r);
  if (!text) return null;
  return (
    <>
      <dt>{xt.t(ctx.locale)('outcome.label')}</dt>
      <dd data-outcome={r.outcome ?? ''}>{text}</dd>
    </>
  );
}

export function OutcomePanel({
  ctx,
  base,
  r,
  errors,
  values,
}: {
  ctx: PageCtx;
  base: string;
  r: { outcome?: string | null; outcome_note?: string | null; status: string };
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const t = xt.t(ctx.locale);
  const current = outcomeText(ctx.locale, r);
  return (
    <section class="mb-outcome" id="outcome" aria-labelledby="outcome-h">
      <h2 id="outcome-h">{t('outcome.title')}</h2>
      {current ? <p data-outcome={r.outcome ?? ''}>{t('outcome.current', { label: current })}</p> : null}
      <Post ctx={ctx} action={`${base}/outcome`} cls="stack">
        <Select
          name="outcome"
          label={t('outcome.label')}
          empty={t('outcome.choose')}
          value={r.outcome ?? ''}
          values={values}
          errors={errors}
          required
          options={OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}`) }))}
        />
        <Field
          name="note"
          label={t('outcome.note')}
          hint={t('outcome.noteHint')}
          multiline
          rows={2}
          maxLength={LIMITS.reason}
          value={r.outcome_note ?? ''}
          values={values}
          errors={errors}
        />
        <button type="submit">{r.status === 'closed' ? t('outcome.set') : t('outcome.submit')}</button>
      </Post>
    </section>
  );
}
