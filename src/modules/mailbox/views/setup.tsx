/** The mailbox's set-up pages: plain forms that work without JavaScript. */
import type { Child } from 'hono/jsx';
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { ErrorSummary, Field, Notice } from '../../../http/views/components.js';
import { formFields } from '../../../http/views/form-fields.js';
import { Post as PostForm } from './shared.js';
import { Layout } from '../../../http/views/layout.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { formatDate } from '../../../platform/i18n/index.js';
import { st, type SetupKey } from '../i18n-setup.js';
import type { Category } from '../repo.js';
import { xt } from './redaction-i18n.js';
import type { AgencyRow, RuleRow } from '../repo/setup.js';

const s = (ctx: PageCtx) => st.t(ctx.locale);
export const SETUP = '/staff/mailbox/setup';

interface Common {
  ctx: PageCtx;
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string;
}

function Page({ ctx, title, errors, notice, children }: Common & { title: string; children?: Child }) {
  const t = s(ctx);
  return (
    <Layout ctx={ctx} title={title} staff>
      <p>
        <a href={SETUP}>{t('setup.back')}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {children}
    </Layout>
  );
}

/** The set-up pages' forms: stacked fields, the browser's own checks off (the server's messages are the ones shown). */
const Post = ({ cls = 'stack', ...p }: { ctx: PageCtx; action: string; children?: Child; cls?: string }) => (
  <PostForm {...p} cls={cls} novalidate />
);

const Check = ({ name, label, checked }: { name: string; label: string; checked: boolean }) => (
  <label class="check">
    <input type="checkbox" name={name} value="on" checked={checked} /> {label}
  </label>
);

/** A set-up form: its fields, then the one button that sends it ("Lưu" unless told). */
function SaveForm({
  ctx,
  action,
  label,
  children,
}: {
  ctx: PageCtx;
  action: string;
  label?: string;
  children?: Child;
}) {
  return (
    <Post ctx={ctx} action={action}>
      {children}
      <button type="submit">{label ?? s(ctx)('setup.save')}</button>
    </Post>
  );
}

/** A set-up list: its column headings, then its rows, scrolling sideways on a phone. */
const Table = ({ head, children }: { head: string[]; children?: Child }) => (
  <div class="table-wrap">
    <table>
      <thead>
        <tr>
          {head.map((h) => (
            <th>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  </div>
);

/** A row's Remove button: a small form of its own (with the hidden fields that name the row). */
function RemoveButton({ ctx, action, children }: { ctx: PageCtx; action: string; children?: Child }) {
  return (
    <Post ctx={ctx} action={action} cls="inline">
      {children}
      <button type="submit" class="secondary">
        {s(ctx)('setup.remove')}
      </button>
    </Post>
  );
}

/** The button above a list that opens an empty form. */
const NewButton = ({ href, label }: { href: string; label: string }) => (
  <p>
    <a class="button" href={href}>
      {label}
    </a>
  </p>
);

/** A checkbox's state: what was sent when the form comes back, else the stored value. */
const checkedOf = (values: FormValues | undefined, name: string, stored: boolean) =>
  values ? values[name] === 'on' : stored;

export function SetupIndex({
  ctx,
  counts,
}: {
  ctx: PageCtx;
  counts: { agencies: number; categories: number; routes: number; holidays: number };
}) {
  const t = s(ctx);
  const item = (href: string, key: SetupKey, n?: number) => (
    <li>
      <a href={`${SETUP}/${href}`}>{t(key)}</a>
      {n !== undefined ? ` (${n})` : ''}
    </li>
  );
  return (
    <Layout ctx={ctx} title={t('setup.title')} staff>
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <ul class="mb-setup-menu">
        {item('agencies', 'setup.agencies', counts.agencies)}
        {item('categories', 'setup.categories', counts.categories)}
        {item('routes', 'setup.routes', counts.routes)}
        {item('holidays', 'setup.holidays', counts.holidays)}
        {item('settings', 'setup.settings')}
      </ul>
    </Layout>
  );
}

export function AgenciesPage({ ctx, agencies, notice }: Common & { agencies: AgencyRow[] }) {
  const t = s(ctx);
  return (
    <Page ctx={ctx} title={t('setup.agencies')} notice={notice}>
      <NewButton href={`${SETUP}/agencies/new`} label={t('setup.agency.new')} />
      <p>{t('setup.agency.count', { n: agencies.length })}</p>
      <Table
        head={[
          t('setup.col.code'),
          t('setup.col.name'),
          t('setup.col.unit'),
          t('setup.col.emails'),
          t('setup.col.state'),
        ]}
      >
        {agencies.map((a) => (
          <tr>
            <td>
              <a href={`${SETUP}/agencies/${a.id}`}>{a.code}</a>
            </td>
            <td>{ctx.locale === 'en' && a.name_en ? a.name_en : a.name}</td>
            <td>{a.unit_name}</td>
            <td>{a.emails.join(', ')}</td>
            <td>{a.active ? t('setup.active') : t('setup.inactive')}</td>
          </tr>
        ))}
      </Table>
    </Page>
  );
}

export function AgencyForm({
  ctx,
  agency,
  units,
  values,
  errors,
}: Common & { agency?: AgencyRow; units: { code: string; full_name: string }[] }) {
  const t = s(ctx);
  const v: FormValues =
    values ??
    (agency
      ? {
          code: agency.code,
          name: agency.name,
          name_en: agency.name_en ?? '',
          unit: agency.unit_code,
          emails: agency.emails.join('\n'),
        }
      : {});
  const f = formFields(v, errors);
  return (
    <Page
      ctx={ctx}
      title={agency ? t('setup.agency.edit', { name: agency.name }) : t('setup.agency.new')}
      errors={errors}
    >
      <SaveForm ctx={ctx} action={`${SETUP}/agencies/${agency ? agency.id : 'new'}`}>
        <f.Field name="code" label={t('setup.agency.code')} hint={t('setup.agency.codeHint')} maxLength={40} required />
        <f.Field name="name" label={t('setup.agency.name')} maxLength={200} required />
        <f.Field name="name_en" label={t('setup.agency.nameEn')} maxLength={200} />
        <f.Select
          name="unit"
          label={t('setup.agency.unit')}
          options={units.map((u) => ({ value: u.code, label: u.full_name }))}
          empty={t('setup.agency.chooseUnit')}
        />
        <f.Field
          name="emails"
          label={t('setup.agency.emails')}
          hint={t('setup.agency.emailsHint')}
          multiline
          rows={3}
          maxLength={2000}
        />
        <Check
          name="active"
          label={t('setup.agency.active')}
          checked={checkedOf(values, 'active', agency?.active ?? true)}
        />
      </SaveForm>
    </Page>
  );
}

export function CategoriesPage({ ctx, categories, notice }: Common & { categories: Category[] }) {
  const t = s(ctx);
  return (
    <Page ctx={ctx} title={t('setup.categories')} notice={notice}>
      <NewButton href={`${SETUP}/categories/new`} label={t('setup.category.new')} />
      <Table head={[t('setup.col.code'), t('setup.col.name'), t('setup.col.days'), t('setup.col.state')]}>
        {categories.map((c) => (
          <tr>
            <td>
              <a href={`${SETUP}/categories/${c.id}`}>{c.code}</a>
            </td>
            <td>
              {c.name} / {c.name_en}
            </td>
            <td>{t('setup.days', { n: c.handling_days })}</td>
            <td>{c.active ? t('setup.active') : t('setup.inactive')}</td>
          </tr>
        ))}
      </Table>
    </Page>
  );
}

export function CategoryForm({ ctx, category, values, errors }: Common & { category?: Category }) {
  const t = s(ctx);
  const q = category?.questions ?? [];
  const v: FormValues =
    values ??
    (category
      ? {
          code: category.code,
          name: category.name,
          name_en: category.name_en,
          handling_days: String(category.handling_days),
          questions: q.map((x) => x.vi).join('\n'),
          questions_en: q.map((x) => x.en).join('\n'),
        }
      : { handling_days: '10' });
  const f = formFields(v, errors);
  return (
    <Page
      ctx={ctx}
      title={category ? t('setup.category.edit', { name: category.name }) : t('setup.category.new')}
      errors={errors}
    >
      <SaveForm ctx={ctx} action={`${SETUP}/categories/${category ? category.id : 'new'}`}>
        <f.Field
          name="code"
          label={t('setup.category.code')}
          hint={t('setup.category.codeHint')}
          maxLength={40}
          required
        />
        <f.Field name="name" label={t('setup.category.name')} maxLength={150} required />
        <f.Field name="name_en" label={t('setup.category.nameEn')} maxLength={150} required />
        <f.Field name="handling_days" label={t('setup.category.days')} maxLength={2} inputmode="numeric" required />
        <f.Field
          name="questions"
          label={t('setup.category.questions')}
          hint={t('setup.category.questionsHint')}
          multiline
          rows={4}
          maxLength={3000}
        />
        <f.Field name="questions_en" label={t('setup.category.questionsEn')} multiline rows={4} maxLength={3000} />
        <Check
          name="active"
          label={t('setup.category.active')}
          checked={checkedOf(values, 'active', category?.active ?? true)}
        />
        <Check
          name="not_public_default"
          label={xt.t(ctx.locale)('publication.categoryDefault')}
          checked={checkedOf(values, 'not_public_default', Boolean(category?.not_public_default))}
        />
      </SaveForm>
    </Page>
  );
}

export function RoutesPage({
  ctx,
  rules,
  categories,
  picker,
  agencies,
  values,
  errors,
  notice,
}: Common & {
  rules: RuleRow[];
  categories: Category[];
  /** the unit the rule is for, chosen among the admin's units (searched without JavaScript too) */
  picker: PickerState;
  agencies: AgencyRow[];
}) {
  const t = s(ctx);
  const f = formFields(values, errors);
  return (
    <Page ctx={ctx} title={t('setup.routes')} errors={errors} notice={notice}>
      <p>{t('setup.route.hint')}</p>
      {rules.length === 0 ? (
        <p>{t('setup.none')}</p>
      ) : (
        <Table head={[t('setup.col.unit'), t('setup.col.category'), t('setup.col.agency'), '']}>
          {rules.map((r) => (
            <tr>
              <td>{r.unit_name}</td>
              <td>
                {r.category_id
                  ? ctx.locale === 'en'
                    ? r.category_name_en
                    : r.category_name
                  : t('setup.route.anyCategory')}
              </td>
              <td>{r.agency_name}</td>
              <td>
                <RemoveButton ctx={ctx} action={`${SETUP}/routes/${r.id}/delete`} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <h2>{t('setup.route.add')}</h2>
      <SaveForm ctx={ctx} action={`${SETUP}/routes`}>
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('setup.agency.unit')}
          errors={errors}
          required
          search={{ method: 'get', action: `${SETUP}/routes` }}
        />
        <f.Select
          name="category"
          label={t('setup.col.category')}
          options={categories.map((c) => ({ value: c.code, label: ctx.locale === 'en' ? c.name_en : c.name }))}
          empty={t('setup.route.anyCategory')}
        />
        <f.Select
          name="agency"
          label={t('setup.col.agency')}
          options={agencies
            .filter((a) => a.active)
            .map((a) => ({ value: a.code, label: `${a.name} (${a.unit_name})` }))}
          empty={t('setup.route.chooseAgency')}
        />
      </SaveForm>
    </Page>
  );
}

export function HolidaysPage({
  ctx,
  year,
  holidays,
  values,
  errors,
  notice,
}: Common & { year: number; holidays: { day: string; name: string }[] }) {
  const t = s(ctx);
  const f = formFields(values, errors);
  return (
    <Page ctx={ctx} title={t('setup.holidays')} errors={errors} notice={notice}>
      <form method="get" action={`${SETUP}/holidays`} class="inline-form">
        <Field name="year" label={t('setup.holiday.year')} value={String(year)} maxLength={4} inputmode="numeric" />
        <button type="submit" class="secondary">
          {t('setup.holiday.show')}
        </button>
      </form>
      <h2>{t('setup.holiday.count', { n: holidays.length, year })}</h2>
      {holidays.length === 0 ? (
        <p>{t('setup.none')}</p>
      ) : (
        <Table head={[t('setup.col.day'), t('setup.col.holiday'), '']}>
          {holidays.map((h) => (
            <tr>
              <td>
                <time datetime={h.day}>{formatDate(ctx.locale, new Date(`${h.day}T12:00:00+07:00`))}</time>
              </td>
              <td>{h.name}</td>
              <td>
                <RemoveButton ctx={ctx} action={`${SETUP}/holidays/remove`}>
                  <input type="hidden" name="day" value={h.day} />
                  <input type="hidden" name="year" value={String(year)} />
                </RemoveButton>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Post ctx={ctx} action={`${SETUP}/holidays/load`}>
        <input type="hidden" name="year" value={String(year)} />
        <p class="hint">{t('setup.holiday.loadHint')}</p>
        <button type="submit" class="secondary">
          {t('setup.holiday.load', { year })}
        </button>
      </Post>
      <h2>{t('setup.holiday.add')}</h2>
      <SaveForm ctx={ctx} action={`${SETUP}/holidays`} label={t('setup.add')}>
        <f.Field name="day" label={t('setup.holiday.day')} maxLength={10} required />
        <f.Field name="name" label={t('setup.holiday.name')} maxLength={100} required />
      </SaveForm>
    </Page>
  );
}

export function SettingsPage({
  ctx,
  current,
  values,
  errors,
  notice,
}: Common & { current: { reopenDays: number; retentionDays: number } }) {
  const t = s(ctx);
  const v = values ?? { reopenDays: String(current.reopenDays), retentionDays: String(current.retentionDays) };
  const f = formFields(v, errors);
  return (
    <Page ctx={ctx} title={t('setup.settings')} errors={errors} notice={notice}>
      <SaveForm ctx={ctx} action={`${SETUP}/settings`}>
        <f.Field name="reopenDays" label={t('setup.settings.reopenDays')} maxLength={4} inputmode="numeric" required />
        <f.Field
          name="retentionDays"
          label={t('setup.settings.retentionDays')}
          maxLength={4}
          inputmode="numeric"
          required
        />
      </SaveForm>
    </Page>
  );
}
