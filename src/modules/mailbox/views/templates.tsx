/** Response templates: the reviewers' page (list, add, edit) and the picker above a draft answer. */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import type { Category } from '../repo.js';
import type { TemplateRow } from '../repo/templates.js';
import { LIMITS } from '../service.js';
import { PLACEHOLDERS } from '../service/templates.js';
import { xt } from './redaction-i18n.js';
import { Assets, Post } from './shared.js';

export const TEMPLATES = '/staff/mailbox/templates';

/** The intro sentence with each placeholder shown as code, exactly as a reviewer types it. */
function intro(text: (list: string) => string) {
  const [before, after] = text('\u0000').split('\u0000');
  return (
    <>
      {before}
      {PLACEHOLDERS.map((p, i) => (
        <>
          {i ? ', ' : ''}
          <code>{`{${p}}`}</code>
        </>
      ))}
      {after}
    </>
  );
}

export interface TemplateFormProps {
  ctx: PageCtx;
  categories: Category[];
  agencies: { id: number; name: string }[];
  template?: TemplateRow;
  values?: FormValues;
  errors?: FieldErrors;
}

function TemplateForm(p: TemplateFormProps) {
  const t = xt.t(p.ctx.locale);
  const tpl = p.template;
  const action = `${TEMPLATES}/${tpl ? tpl.id : 'new'}`;
  const active = p.values ? p.values.active === 'on' : tpl ? tpl.active : true;
  return (
    <Post ctx={p.ctx} action={action} cls="stack mb-template-form">
      <Field
        name="name"
        label={t('tpl.name')}
        required
        maxLength={150}
        value={tpl?.name}
        values={p.values}
        errors={p.errors}
      />
      <Select
        name="category"
        label={t('tpl.category')}
        empty={t('tpl.anyCategory')}
        value={tpl?.category_id ? String(tpl.category_id) : ''}
        values={p.values}
        errors={p.errors}
        options={p.categories.map((c) => ({ value: String(c.id), label: p.ctx.locale === 'en' ? c.name_en : c.name }))}
      />
      <Select
        name="agency"
        label={t('tpl.agency')}
        empty={t('tpl.anyAgency')}
        value={tpl?.agency_id ? String(tpl.agency_id) : ''}
        values={p.values}
        errors={p.errors}
        options={p.agencies.map((a) => ({ value: String(a.id), label: a.name }))}
      />
      <Field
        name="body"
        label={t('tpl.body')}
        hint={intro((list) => t('tpl.intro', { list }))}
        required
        multiline
        rows={10}
        maxLength={LIMITS.description}
        value={tpl?.body}
        values={p.values}
        errors={p.errors}
      />
      <label class="check">
        <input type="checkbox" name="active" value="on" checked={active} /> {t('tpl.active')}
      </label>
      <button type="submit">{t('tpl.save')}</button>
    </Post>
  );
}

export function TemplatesPage(p: TemplateFormProps & { templates: TemplateRow[]; saved?: boolean }) {
  const { ctx } = p;
  const t = xt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('tpl.title')} staff head={<Assets />}>
      <h1>{t('tpl.title')}</h1>
      <p>{intro((list) => t('tpl.intro', { list }))}</p>
      <p class="hint">{t('tpl.residentNote')}</p>
      {p.saved ? <Notice kind="success">{t('tpl.saved')}</Notice> : null}
      {p.templates.length === 0 ? (
        <p>{t('tpl.none')}</p>
      ) : (
        <ul class="mb-templates">
          {p.templates.map((x) => (
            <li data-template={String(x.id)}>
              <a href={`${TEMPLATES}/${x.id}`}>{x.name}</a>
              <span class="muted">
                {' '}
                · {(ctx.locale === 'en' ? x.category_name_en : x.category_name) ?? t('tpl.anyCategory')} ·{' '}
                {x.agency_name ?? t('tpl.anyAgency')}
                {x.active ? '' : ` · ${t('tpl.inactive')}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('tpl.new')}</h2>
      <ErrorSummary errors={p.errors} title={ctx.t('error.validation')} />
      <TemplateForm {...p} template={undefined} />
    </Layout>
  );
}

export function TemplateEditPage(p: TemplateFormProps & { template: TemplateRow }) {
  const t = xt.t(p.ctx.locale);
  return (
    <Layout ctx={p.ctx} title={t('tpl.edit')} staff head={<Assets />}>
      <p class="muted">
        <a href={TEMPLATES}>{t('tpl.back')}</a>
      </p>
      <h1>{t('tpl.edit')}</h1>
      <p class="hint">{t('tpl.residentNote')}</p>
      <ErrorSummary errors={p.errors} title={p.ctx.t('error.validation')} />
      <TemplateForm {...p} />
    </Layout>
  );
}

/** Above the draft: pick a template, the page comes back with the draft filled (a GET form, no JavaScript). */
export function TemplatePicker({
  ctx,
  reportId,
  templates,
  picked,
  error,
  prefilled,
}: {
  ctx: PageCtx;
  reportId: number;
  templates: TemplateRow[];
  picked?: string;
  error?: string;
  prefilled?: string;
}) {
  const t = xt.t(ctx.locale);
  if (templates.length === 0) return null;
  return (
    <form method="get" action={`/staff/mailbox/${reportId}#f-answer`} class="mb-template-pick">
      {prefilled ? <Notice kind="info">{t('tpl.prefilled', { name: prefilled })}</Notice> : null}
      <Select
        name="template"
        label={t('tpl.pick')}
        value={picked ?? ''}
        errors={error ? { template: error } : undefined}
        options={templates.map((x) => ({ value: String(x.id), label: x.name }))}
      />
      <button type="submit" class="secondary">
        {t('tpl.pickSubmit')}
      </button>
    </form>
  );
}
