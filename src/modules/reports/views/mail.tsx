import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { rt } from '../i18n.js';
import type { MailChoice } from '../service/monthly-mail.js';
import type { ReportUnit } from '../repo.js';
import { CSS_HREF } from './report.js';

const unitName = (ctx: PageCtx, u: ReportUnit) => (ctx.locale === 'en' && u.name_en ? u.name_en : u.full_name);

/** The monthly report e-mails a user receives, each with a button to stop or resume it, and a form to ask for another unit's. */
export function MailPage({
  ctx,
  choices,
  units,
  values,
  errors,
  saved,
}: {
  ctx: PageCtx;
  choices: MailChoice[];
  units: ReportUnit[];
  values?: FormValues;
  errors?: FieldErrors;
  saved?: string;
}) {
  const t = rt.t(ctx.locale);
  const receiving = new Set(choices.filter((c) => c.receives).map((c) => c.unit.id));
  const choosable = units.filter((u) => !receiving.has(u.id));
  const toggle = (c: MailChoice) => (
    <form method="post" action="/staff/reports/mail" class="inline">
      <Csrf token={ctx.csrf} />
      <input type="hidden" name="unit" value={c.unit.code} />
      <input type="hidden" name="wants" value={c.receives ? '0' : '1'} />
      <button type="submit" class={c.receives ? 'secondary' : undefined}>
        {t(c.receives ? 'mail.stop' : 'mail.resume')}
      </button>
    </form>
  );
  return (
    <Layout ctx={ctx} title={t('mail.title')} staff head={<link rel="stylesheet" href={CSS_HREF} />}>
      <h1>{t('mail.title')}</h1>
      <p>{t('mail.intro')}</p>
      {saved ? <Notice kind="success">{saved}</Notice> : null}
      <ErrorSummary errors={errors} title={t('reports.errorsTitle')} />
      {choices.length === 0 ? (
        <p data-mail="none">{t('mail.none')}</p>
      ) : (
        <table class="data" data-table="mail">
          <thead>
            <tr>
              <th scope="col">{t('mail.col.unit')}</th>
              <th scope="col">{t('mail.col.why')}</th>
              <th scope="col">{t('mail.col.state')}</th>
              <th scope="col">
                <span class="sr-only">{t('mail.stop')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {choices.map((c) => (
              <tr data-unit={c.unit.code} data-receives={c.receives ? 'yes' : 'no'}>
                <th scope="row">{unitName(ctx, c.unit)}</th>
                <td>{t(c.leader ? 'mail.why.leader' : 'mail.why.chosen')}</td>
                <td>{t(!c.inScope ? 'mail.state.outOfScope' : c.receives ? 'mail.state.on' : 'mail.state.off')}</td>
                <td>{c.inScope || c.receives ? toggle(c) : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {choosable.length ? (
        <form method="post" action="/staff/reports/mail" novalidate>
          <h2>{t('mail.add')}</h2>
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="wants" value="1" />
          <Select
            name="unit"
            label={t('form.unit')}
            values={values}
            errors={errors}
            empty="—"
            options={choosable.map((u) => ({
              value: u.code,
              label: `${'— '.repeat(Math.max(0, u.depth - (units[0]?.depth ?? 0)))}${unitName(ctx, u)}`,
            }))}
          />
          <button type="submit">{t('mail.addButton')}</button>
        </form>
      ) : null}
      <p>
        <a href="/staff/reports">{t('nav.reports')}</a>
      </p>
    </Layout>
  );
}
