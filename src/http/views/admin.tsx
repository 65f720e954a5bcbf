import type { AuditAnchor } from '../../platform/audit/anchors.js';
import type { AuditRow } from '../../platform/auth/repo.js';
import type { UserWithGrants } from '../../platform/auth/admin.js';
import { ROLES } from '../../platform/auth/permissions.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import type { Agency } from '../../platform/units/repo.js';
import type { PickerState } from '../unit-picker.js';
import { UnitPicker } from './unit-picker.js';
import type { PageCtx } from '../context.js';
import type { FieldErrors, FormValues } from '../forms.js';
import { Csrf, ErrorSummary, Field, Notice, Select } from './components.js';
import { Layout } from './layout.js';

const roleOptions = (ctx: PageCtx) => ROLES.map((r) => ({ value: r, label: ctx.t(`role.${r}`) }));
const agencyOptions = (ctx: PageCtx, agencies: Agency[]) =>
  agencies.map((a) => ({ value: String(a.id), label: ctx.locale === 'en' && a.name_en ? a.name_en : a.name }));
const grantLabel = (ctx: PageCtx, g: { role: string; unit_name: string; agency_name: string | null }) =>
  `${ctx.t(`role.${g.role as 'admin'}`)} — ${g.unit_name}${g.agency_name ? ` (${g.agency_name})` : ''}`;

export function UsersPage({
  ctx,
  users,
  q,
  role = '',
  picker,
  page = 1,
  more = false,
}: {
  ctx: PageCtx;
  users: UserWithGrants[];
  q: string;
  role?: string;
  picker?: PickerState;
  page?: number;
  more?: boolean;
}) {
  const t = ctx.t;
  const params = (n: number) => {
    const u = new URLSearchParams();
    if (q) u.set('q', q);
    if (role) u.set('role', role);
    if (picker?.selected) u.set('unit', String(picker.selected.id));
    if (n > 1) u.set('page', String(n));
    const s = u.toString();
    return `/staff/users${s ? `?${s}` : ''}`;
  };
  return (
    <Layout ctx={ctx} title={t('user.list')} staff>
      <h1>{t('user.list')}</h1>
      <p>
        <a class="button" href="/staff/users/new">
          {t('user.new')}
        </a>
      </p>
      <form method="get" action="/staff/users" class="filters stack" role="search">
        <Field name="q" type="search" label={t('user.search')} value={q} maxLength={200} />
        <Select
          name="role"
          label={t('user.filterRole')}
          options={roleOptions(ctx)}
          value={role}
          empty={t('common.all')}
        />
        {picker ? (
          <UnitPicker
            ctx={ctx}
            state={picker}
            label={t('user.filterUnit')}
            search={{ method: 'get', action: '/staff/users' }}
          />
        ) : null}
        <button type="submit" class="secondary">
          {t('common.filter')}
        </button>
      </form>
      <p class="muted">{t('user.count', { n: users.length })}</p>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th>{t('user.name')}</th>
              <th>{t('user.email')}</th>
              <th>{t('user.roles')}</th>
              <th>{t('user.lastLogin')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr data-user={u.email}>
                <td>
                  <a href={`/staff/users/${u.id}`}>{u.name}</a>
                  {u.disabled_at ? (
                    <>
                      {' '}
                      <span class="badge danger">{t('user.disabled')}</span>
                    </>
                  ) : null}
                  {u.locked_until && new Date(u.locked_until).getTime() > Date.now() ? (
                    <>
                      {' '}
                      <span class="badge warn">{t('user.locked')}</span>
                    </>
                  ) : null}
                </td>
                <td>{u.email}</td>
                <td>
                  {u.grants.length ? (
                    u.grants.map((g) => <div>{grantLabel(ctx, g)}</div>)
                  ) : (
                    <span class="muted">{t('user.noRoles')}</span>
                  )}
                </td>
                <td>{formatDateTime(ctx.locale, u.last_login_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page > 1 || more ? (
        <nav class="pager" aria-label={t('user.page', { n: page })}>
          {page > 1 ? (
            <a href={params(page - 1)} rel="prev">
              {t('common.prev')}
            </a>
          ) : null}{' '}
          <span>{t('user.page', { n: page })}</span>{' '}
          {more ? (
            <a href={params(page + 1)} rel="next">
              {t('common.next')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}

export function NewUserPage({
  ctx,
  picker,
  agencies = [],
  values,
  errors,
}: {
  ctx: PageCtx;
  picker: PickerState;
  agencies?: Agency[];
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('user.new')} staff>
      <section class="narrow">
        <p>
          <a href="/staff/users">← {t('user.list')}</a>
        </p>
        <h1>{t('user.new')}</h1>
        <ErrorSummary errors={errors} title={t('error.validation')} />
        <form method="post" action="/staff/users" class="stack" novalidate>
          <Csrf token={ctx.csrf} />
          <Field
            name="email"
            type="email"
            label={t('user.email')}
            values={values}
            errors={errors}
            required
            maxLength={200}
            autocomplete="off"
          />
          <Field
            name="name"
            label={t('user.name')}
            values={values}
            errors={errors}
            required
            maxLength={200}
            autocomplete="off"
          />
          <Field
            name="password"
            type="password"
            label={`${t('user.password')} ${t('common.optional')}`}
            errors={errors}
            maxLength={200}
            autocomplete="new-password"
            hint={t('user.passwordHint', { min: 8 })}
          />
          <Select
            name="locale"
            label={t('user.locale')}
            options={[
              { value: 'vi', label: 'Tiếng Việt' },
              { value: 'en', label: 'English' },
            ]}
            values={values}
            errors={errors}
            value="vi"
          />
          <fieldset>
            <legend>{t('user.initialRole')}</legend>
            <Select
              name="role"
              label={t('user.role')}
              options={roleOptions(ctx)}
              values={values}
              errors={errors}
              empty={t('user.chooseRole')}
            />
            <UnitPicker
              ctx={ctx}
              state={picker}
              label={t('user.unit')}
              errors={errors}
              search={{ method: 'get', action: '/staff/users/new' }}
            />
            {agencies.length ? (
              <Select
                name="agencyId"
                label={t('user.agency')}
                options={agencyOptions(ctx, agencies)}
                values={values}
                errors={errors}
                empty={t('user.noAgency')}
              />
            ) : null}
          </fieldset>
          <button type="submit">{t('common.create')}</button>
        </form>
      </section>
    </Layout>
  );
}

export function UserPage({
  ctx,
  user,
  picker,
  agencies = [],
  values,
  errors,
  notice,
}: {
  ctx: PageCtx;
  user: UserWithGrants;
  picker: PickerState;
  agencies?: Agency[];
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string;
}) {
  const t = ctx.t;
  const locked = !!user.locked_until && new Date(user.locked_until).getTime() > Date.now();
  const blocked = !!user.disabled_at || locked;
  return (
    <Layout ctx={ctx} title={user.name} staff>
      <p>
        <a href="/staff/users">← {t('user.list')}</a>
      </p>
      <h1>{user.name}</h1>
      <p>
        {user.email} · {user.locale === 'en' ? 'English' : 'Tiếng Việt'}
      </p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {errors?._form ? <Notice kind="error">{errors._form}</Notice> : null}
      {user.disabled_at ? (
        <p>
          <span class="badge danger">{t('user.disabled')}</span>
        </p>
      ) : locked ? (
        <p>
          <span class="badge warn">{t('user.locked')}</span>
        </p>
      ) : null}
      <form method="post" action={`/staff/users/${user.id}/${blocked ? 'enable' : 'disable'}`}>
        <Csrf token={ctx.csrf} />
        <button type="submit" class="secondary small">
          {blocked ? t('user.enable') : t('user.disable')}
        </button>
      </form>
      {user.password_set === false && !user.disabled_at ? (
        <form method="post" action={`/staff/users/${user.id}/invite`} class="inline">
          <p class="muted">{t('user.invitePending')}</p>
          <Csrf token={ctx.csrf} />
          <button type="submit" class="secondary small">
            {t('user.inviteAgain')}
          </button>
        </form>
      ) : null}
      <h2>{t('user.roles')}</h2>
      {user.grants.length === 0 ? (
        <p class="muted">{t('user.noRoles')}</p>
      ) : (
        <ul class="grants">
          {user.grants.map((g) => (
            <li data-role={g.role}>
              <span>{grantLabel(ctx, g)}</span>{' '}
              <form method="post" action={`/staff/users/${user.id}/revoke`} class="inline">
                <Csrf token={ctx.csrf} />
                <input type="hidden" name="role" value={g.role} />
                <input type="hidden" name="unitId" value={String(g.unit_id)} />
                <button type="submit" class="secondary small">
                  {t('common.revoke')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('user.grant')}</h2>
      <form method="post" action={`/staff/users/${user.id}/grant`} class="stack narrow">
        <Csrf token={ctx.csrf} />
        <Select
          name="role"
          label={t('user.role')}
          options={roleOptions(ctx)}
          values={values}
          errors={errors}
          empty={t('user.chooseRole')}
          required
        />
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('user.unit')}
          errors={errors}
          required
          search={{ method: 'get', action: `/staff/users/${user.id}` }}
        />
        {agencies.length ? (
          <Select
            name="agencyId"
            label={t('user.agency')}
            options={agencyOptions(ctx, agencies)}
            values={values}
            errors={errors}
            empty={t('user.noAgency')}
          />
        ) : null}
        <button type="submit">{t('user.grant')}</button>
      </form>
    </Layout>
  );
}

export function AuditPage({
  ctx,
  rows,
  values,
  errors,
  olderHref,
  newestHref,
  actions,
  anchors,
}: {
  ctx: PageCtx;
  rows: AuditRow[];
  values: FormValues;
  errors?: FieldErrors;
  olderHref?: string;
  newestHref?: string;
  actions: string[];
  anchors?: AuditAnchor[];
}) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('audit.title')} staff>
      <h1>{t('audit.title')}</h1>
      <form method="get" action="/staff/audit" class="filters" role="search">
        <Field name="actor" label={t('audit.actor')} values={values} errors={errors} maxLength={200} />
        <Field
          name="action"
          label={t('audit.action')}
          values={values}
          errors={errors}
          maxLength={100}
          list="audit-actions"
        />
        <datalist id="audit-actions">
          {actions.map((a) => (
            <option value={a} />
          ))}
        </datalist>
        <Field name="entity" label={t('audit.entity')} values={values} errors={errors} maxLength={100} />
        <Field name="entityId" label={t('audit.entityId')} values={values} errors={errors} maxLength={100} />
        <Field name="from" type="date" label={t('audit.from')} values={values} errors={errors} />
        <Field name="to" type="date" label={t('audit.to')} values={values} errors={errors} />
        <button type="submit" class="secondary">
          {t('common.filter')}
        </button>
      </form>
      {rows.length === 0 ? (
        <p class="muted">{t('audit.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="audit">
            <thead>
              <tr>
                <th>{t('audit.at')}</th>
                <th>{t('audit.actor')}</th>
                <th>{t('audit.action')}</th>
                <th>{t('audit.entity')}</th>
                <th>{t('common.unit')}</th>
                <th>{t('audit.ip')}</th>
                <th>{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-audit-id={String(r.id)}>
                  <td>{formatDateTime(ctx.locale, r.at)}</td>
                  <td>{r.actor_label}</td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>
                    {r.entity_type}
                    {r.entity_id ? ` #${r.entity_id}` : ''}
                  </td>
                  <td>{r.unit_name ?? ''}</td>
                  <td>{r.ip ?? ''}</td>
                  <td>{Object.keys(r.data ?? {}).length ? <code class="data">{JSON.stringify(r.data)}</code> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="pager">
        {newestHref ? <a href={newestHref}>{t('audit.newest')}</a> : null}
        {olderHref ? (
          <a href={olderHref} rel="next">
            {t('audit.older')} →
          </a>
        ) : null}
      </p>
      {anchors ? <AuditAnchors ctx={ctx} anchors={anchors} /> : null}
    </Layout>
  );
}

/** The latest anchors of the audit chain (admins only: the page is). The hash may break every 16 characters on a narrow screen. */
function AuditAnchors({ ctx, anchors }: { ctx: PageCtx; anchors: AuditAnchor[] }) {
  const t = ctx.t;
  return (
    <section id="anchors" aria-labelledby="anchors-title">
      <h2 id="anchors-title">{t('audit.anchors')}</h2>
      <p class="muted">{t('audit.anchorsIntro')}</p>
      {anchors.length === 0 ? (
        <p class="muted">{t('audit.anchorsNone')}</p>
      ) : (
        <div class="table-scroll">
          <table class="anchors">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('audit.at')}</th>
                <th>{t('audit.anchorEntry')}</th>
                <th>{t('audit.anchorHash')}</th>
                <th>{t('audit.anchorEmailed')}</th>
              </tr>
            </thead>
            <tbody>
              {anchors.map((a) => (
                <tr data-anchor-id={String(a.id)}>
                  <td>{a.id}</td>
                  <td>{formatDateTime(ctx.locale, a.at)}</td>
                  <td>{a.last_id}</td>
                  <td>
                    <code class="hash">
                      {(a.hash.match(/.{1,16}/g) ?? []).map((part, i) =>
                        i ? (
                          <>
                            <wbr />
                            {part}
                          </>
                        ) : (
                          part
                        ),
                      )}
                    </code>
                  </td>
                  <td>{a.emailed_to ?? t('audit.anchorNotEmailed')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
