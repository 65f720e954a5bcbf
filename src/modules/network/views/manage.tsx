import type { Child } from 'hono/jsx';
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import type { MultiPickerState, PickerState } from '../../../http/unit-picker.js';
import { MultiUnitPicker, UnitPicker } from '../../../http/views/unit-picker.js';
import { Csrf, ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDate, formatNumber } from '../../../platform/i18n/index.js';
import type { NetKey } from '../i18n.js';
import type {
  CampaignRow,
  CommendationRow,
  GroupRow,
  InviteRow,
  ItemRow,
  JoinRequestRow,
  MemberRow,
  UnitFigureRow,
} from '../repo.js';
import { campaignState, per100, type PickItem } from '../service.js';
import { Checks, Head, n, unitName } from './shared.js';

export interface ManageData {
  members: MemberRow[];
  total: number;
  q: string;
  requests: JoinRequestRow[];
  invites: InviteRow[];
  groups: GroupRow[];
  commendations: CommendationRow[];
  may: { recognise: boolean };
  baseUrl: string;
}

/** The unit picker of each form on the page. */
export type ManagePickers = Record<'invite' | 'import' | 'group' | 'commend', PickerState>;

export interface ManageForms {
  notice?: string;
  invite?: { values?: FormValues; errors?: FieldErrors; url?: string };
  group?: { values?: FormValues; errors?: FieldErrors };
  import?: { values?: FormValues; errors?: FieldErrors };
  commend?: { values?: FormValues; errors?: FieldErrors };
}

const UNIT_FORMS: Record<keyof ManagePickers, string> = {
  invite: '/network/manage/invites',
  import: '/network/manage/import',
  group: '/network/manage/groups',
  commend: '/network/manage/recognition',
};

/**
 * A form of the directory page: its unit chosen with the unit picker first, then its own fields and its button. The
 * import carries a file, so its picker's Search posts the form (the others' search with a GET of the page).
 */
function UnitForm(p: {
  ctx: PageCtx;
  form: keyof ManagePickers;
  pickers: ManagePickers;
  errors?: FieldErrors;
  button: string;
  children?: Child;
}) {
  const upload = p.form === 'import';
  return (
    <form
      method="post"
      action={UNIT_FORMS[p.form]}
      enctype={upload ? 'multipart/form-data' : undefined}
      class="stack narrow"
    >
      <Csrf token={p.ctx.csrf} />
      <input type="hidden" name="_form" value={p.form} />
      <UnitPicker
        ctx={p.ctx}
        state={p.pickers[p.form]}
        label={n(p.ctx)('mgr.unit')}
        required
        errors={p.errors}
        search={upload ? { method: 'post' } : { method: 'get', action: '/network/manage' }}
      />
      {p.children}
      <button type="submit">{p.button}</button>
    </form>
  );
}

export function ManagePage({
  ctx,
  d,
  f = {},
  pickers,
}: {
  ctx: PageCtx;
  d: ManageData;
  f?: ManageForms;
  pickers: ManagePickers;
}) {
  const t = n(ctx);
  const groupOpts = d.groups.map((g) => ({ value: String(g.id), label: `${g.name} — ${unitName(ctx, g)}` }));
  const allErrors = { ...f.invite?.errors, ...f.group?.errors, ...f.import?.errors, ...f.commend?.errors };
  return (
    <Layout ctx={ctx} title={t('mgr.title')} staff head={<Head />}>
      <h1>{t('mgr.title')}</h1>
      {f.notice ? <Notice kind="success">{f.notice}</Notice> : null}
      <ErrorSummary errors={allErrors} title={ctx.t('error.validation')} />
      <p class="cta-row">
        <a class="button secondary" href="/network/manage/campaigns">
          {t('menu.campaigns')}
        </a>
        <a class="button secondary" href="/network/manage/training">
          {t('menu.training')}
        </a>
        <a class="button secondary" href="/network/manage/sessions">
          {t('prac.link')}
        </a>
      </p>

      <section aria-labelledby="h-requests">
        <h2 id="h-requests">{t('mgr.requests')}</h2>
        {d.requests.length === 0 ? (
          <p class="muted">{t('mgr.noRequests')}</p>
        ) : (
          <ul class="requests">
            {d.requests.map((r) => (
              <li data-request={r.id}>
                <strong>{r.name}</strong> &lt;{r.email}&gt; — {unitName(ctx, r)}
                {r.group_name ? ` (${r.group_name})` : ''}
                <form method="post" action={`/network/manage/requests/${r.id}/approve`} class="inline-form">
                  <Csrf token={ctx.csrf} /> <button type="submit">{t('mgr.approve')}</button>
                </form>
                <form method="post" action={`/network/manage/requests/${r.id}/reject`} class="inline-form">
                  <Csrf token={ctx.csrf} />{' '}
                  <button type="submit" class="secondary">
                    {t('mgr.reject')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="h-members">
        <h2 id="h-members">{t('mgr.members', { n: d.total })}</h2>
        <form method="get" action="/network/manage" class="stack narrow">
          <Field name="q" label={t('mgr.search')} type="search" value={d.q} />
          <button type="submit" class="secondary">
            {ctx.t('common.search')}
          </button>
        </form>
        <div class="table-scroll">
          <table class="members">
            <thead>
              <tr>
                <th>{ctx.t('common.name')}</th>
                <th>{ctx.t('common.unit')}</th>
                <th>{t('mgr.groups')}</th>
                <th>{t('mgr.joined')}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {d.members.map((m) => (
                <tr data-member={m.user_id}>
                  <td>
                    {m.name}
                    <br />
                    <span class="muted">
                      {m.email}
                      {m.phone ? ` · ${m.phone}` : ''}
                    </span>
                  </td>
                  <td>{unitName(ctx, m)}</td>
                  <td>{m.groups ?? ''}</td>
                  <td>{formatDate(ctx.locale, m.joined_at)}</td>
                  <td>
                    <form method="post" action={`/network/manage/members/${m.user_id}/remove`}>
                      <Csrf token={ctx.csrf} />
                      <input type="hidden" name="unit" value={String(m.unit_id)} />
                      <button type="submit" class="secondary">
                        {t('mgr.remove')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="h-invites">
        <h2 id="h-invites">{t('mgr.invites')}</h2>
        {f.invite?.url ? (
          <Notice kind="success">
            <code class="token">{t('mgr.inviteCreated', { url: f.invite.url })}</code>{' '}
            <button type="button" class="secondary" data-copy={f.invite.url} data-copied-label={t('camp.copied')}>
              {t('camp.copy')}
            </button>
          </Notice>
        ) : null}
        <ul class="invites">
          {d.invites.map((i) => (
            <li>
              <code class="token">{`${d.baseUrl}/network/join/${i.token}`}</code> — {unitName(ctx, i)}
              {i.group_name ? ` (${i.group_name})` : ''} · {t('mgr.inviteUses', { n: i.uses })} ·{' '}
              {t('mgr.inviteExpires', { date: formatDate(ctx.locale, i.expires_at) })}
              <form method="post" action={`/network/manage/invites/${i.id}/revoke`} class="inline-form">
                <Csrf token={ctx.csrf} />{' '}
                <button type="submit" class="link">
                  {ctx.t('common.revoke')}
                </button>
              </form>
            </li>
          ))}
        </ul>
        <UnitForm ctx={ctx} form="invite" pickers={pickers} errors={f.invite?.errors} button={t('mgr.inviteCreate')}>
          <Select
            name="group"
            label={t('mgr.group')}
            options={groupOpts}
            empty={t('mgr.noGroup')}
            values={f.invite?.values}
            errors={f.invite?.errors}
          />
          <Field
            name="days"
            label={t('mgr.inviteDays')}
            type="number"
            inputmode="numeric"
            value="14"
            values={f.invite?.values}
            errors={f.invite?.errors}
          />
        </UnitForm>
      </section>

      <section aria-labelledby="h-import">
        <h2 id="h-import">{t('mgr.import')}</h2>
        <p class="muted">{t('mgr.importIntro')}</p>
        <UnitForm ctx={ctx} form="import" pickers={pickers} errors={f.import?.errors} button={t('mgr.importButton')}>
          <div class={`field${f.import?.errors?.file ? ' has-error' : ''}`}>
            <label for="f-file">{t('mgr.csvFile')}</label>
            <input
              type="file"
              id="f-file"
              name="file"
              accept=".csv,text/csv"
              aria-invalid={f.import?.errors?.file ? 'true' : undefined}
              aria-describedby={f.import?.errors?.file ? 'f-file-err' : undefined}
            />
            {f.import?.errors?.file ? (
              <p class="error" id="f-file-err" role="alert">
                {f.import.errors.file}
              </p>
            ) : null}
          </div>
          <Field
            name="csv"
            label={t('mgr.csvText')}
            multiline
            rows={5}
            values={f.import?.values}
            errors={f.import?.errors}
            placeholder="email,họ tên,điện thoại,nhóm"
          />
          <label class="check">
            <input type="checkbox" name="create_groups" value="1" checked={f.import?.values?.create_groups === '1'} />{' '}
            {t('mgr.createGroups')}
          </label>
        </UnitForm>
      </section>

      <section aria-labelledby="h-groups">
        <h2 id="h-groups">{t('mgr.groupsTitle')}</h2>
        <ul class="groups">
          {d.groups.map((g) => (
            <li>
              {g.name} — {unitName(ctx, g)} ({t('feed.groupSize', { n: g.size })})
            </li>
          ))}
        </ul>
        <UnitForm ctx={ctx} form="group" pickers={pickers} errors={f.group?.errors} button={t('mgr.groupCreate')}>
          <Field
            name="name"
            label={t('mgr.groupName')}
            maxLength={80}
            required
            values={f.group?.values}
            errors={f.group?.errors}
          />
        </UnitForm>
      </section>

      {d.may.recognise ? (
        <section aria-labelledby="h-rec">
          <h2 id="h-rec">{t('mgr.recognition')}</h2>
          <ul class="recognition">
            {d.commendations.map((r) => (
              <li>
                <strong>{r.user_name ?? t('rec.unitWide')}</strong> — {unitName(ctx, r)}: {r.reason}{' '}
                <span class="muted">({r.is_public ? t('rec.public') : t('rec.private')})</span>
              </li>
            ))}
          </ul>
          <UnitForm ctx={ctx} form="commend" pickers={pickers} errors={f.commend?.errors} button={t('rec.give')}>
            <Field
              name="member"
              label={t('rec.member')}
              type="email"
              values={f.commend?.values}
              errors={f.commend?.errors}
            />
            <Field
              name="reason"
              label={t('rec.reason')}
              multiline
              rows={2}
              maxLength={500}
              required
              values={f.commend?.values}
              errors={f.commend?.errors}
            />
          </UnitForm>
        </section>
      ) : null}
    </Layout>
  );
}

export function CampaignListPage({
  ctx,
  rows,
  notice,
}: {
  ctx: PageCtx;
  rows: (CampaignRow & { clicks: number; shares: number })[];
  notice?: string;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('cm.title')} staff head={<Head />}>
      <h1>{t('cm.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>
        <a class="button" href="/network/manage/campaigns/new">
          {t('cm.new')}
        </a>
      </p>
      {rows.length === 0 ? (
        <p class="muted">{t('cm.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="campaigns">
            <thead>
              <tr>
                <th>{ctx.t('common.name')}</th>
                <th>{ctx.t('common.status')}</th>
                <th>{ctx.t('common.date')}</th>
                <th>{t('cm.audience')}</th>
                <th>{t('cm.clicks')}</th>
                <th>{t('cm.shares')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr data-campaign={c.id} class={c.status === 'cancelled' ? 'cancelled' : undefined}>
                  <td>
                    <a href={`/network/manage/campaigns/${c.id}`}>{c.title}</a>
                  </td>
                  <td>{t(`cm.status.${campaignState(c)}` as NetKey)}</td>
                  <td>
                    {formatDate(ctx.locale, c.starts_at)} –{' '}
                    {formatDate(ctx.locale, new Date(new Date(c.ends_at).getTime() - 1))}
                  </td>
                  <td>{c.audience}</td>
                  <td>{c.clicks}</td>
                  <td>{c.shares}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function CampaignFormPage({
  ctx,
  choices,
  units,
  groups,
  values,
  errors,
}: {
  ctx: PageCtx;
  choices: PickItem[];
  /** The target units, chosen with the multi-unit picker. */
  units: MultiPickerState;
  groups: GroupRow[];
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('cm.new')} staff head={<Head />}>
      <p>
        <a href="/network/manage/campaigns">← {t('cm.title')}</a>
      </p>
      <h1>{t('cm.new')}</h1>
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action="/network/manage/campaigns" class="stack">
        <Csrf token={ctx.csrf} />
        <Field name="title" label={t('cm.name')} required maxLength={150} values={values} errors={errors} />
        <Field
          name="message"
          label={t('cm.message')}
          required
          multiline
          rows={3}
          maxLength={1000}
          values={values}
          errors={errors}
        />
        {choices.length ? (
          <Checks
            name="items"
            legend={t('cm.contents')}
            hint={t('cm.contentsHint')}
            values={values}
            errors={errors}
            options={choices.map((c) => ({ value: c.key, label: `${t(`camp.kind.${c.kind}` as NetKey)}: ${c.title}` }))}
          />
        ) : (
          <div class={`field${errors?.items ? ' has-error' : ''}`} id="f-items">
            <p class="muted">{t('cm.noContents')}</p>
            {errors?.items ? (
              <p class="error" role="alert">
                {errors.items}
              </p>
            ) : null}
          </div>
        )}
        <Field
          name="caption"
          label={t('cm.caption')}
          hint={t('cm.captionHint')}
          multiline
          rows={2}
          maxLength={500}
          values={values}
          errors={errors}
        />
        <Field
          name="links"
          label={t('cm.links')}
          hint={t('cm.linksHint')}
          multiline
          rows={3}
          values={values}
          errors={errors}
          placeholder="Tin chính thức | /factchecks/1"
        />
        <MultiUnitPicker
          ctx={ctx}
          state={units}
          label={t('cm.units')}
          errors={errors}
          search={{ method: 'get', action: '/network/manage/campaigns/new' }}
        />
        {groups.length ? (
          <Checks
            name="groups"
            legend={t('cm.groups')}
            values={values}
            errors={errors}
            options={groups.map((g) => ({ value: String(g.id), label: `${g.name} — ${unitName(ctx, g)} (${g.size})` }))}
          />
        ) : null}
        <Field name="starts" label={t('cm.starts')} type="date" required values={values} errors={errors} />
        <Field name="ends" label={t('cm.ends')} type="date" required values={values} errors={errors} />
        <button type="submit">{t('cm.launch')}</button>
      </form>
    </Layout>
  );
}

export function CampaignEditPage({
  ctx,
  campaign,
  values,
  errors,
}: {
  ctx: PageCtx;
  campaign: CampaignRow;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={`${t('cm.edit')}: ${campaign.title}`} staff head={<Head />}>
      <p>
        <a href={`/network/manage/campaigns/${campaign.id}`}>← {campaign.title}</a>
      </p>
      <h1>{t('cm.edit')}</h1>
      <p class="muted">{t('cm.editHint')}</p>
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action={`/network/manage/campaigns/${campaign.id}/edit`} class="stack narrow">
        <Csrf token={ctx.csrf} />
        <Field name="title" label={t('cm.name')} required maxLength={150} values={values} errors={errors} />
        <Field
          name="message"
          label={t('cm.message')}
          required
          multiline
          rows={3}
          maxLength={1000}
          values={values}
          errors={errors}
        />
        <p class="muted">{t('cm.startsFixed', { date: formatDate(ctx.locale, campaign.starts_at) })}</p>
        <Field name="ends" label={t('cm.ends')} type="date" required values={values} errors={errors} />
        <div class="cta-row">
          <button type="submit">{t('cm.save')}</button>
          <a class="button secondary" href={`/network/manage/campaigns/${campaign.id}`}>
            {ctx.t('common.back')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function CampaignCancelPage({
  ctx,
  campaign,
  values,
  errors,
}: {
  ctx: PageCtx;
  campaign: CampaignRow;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const t = n(ctx);
  const err = errors?.confirm;
  return (
    <Layout ctx={ctx} title={t('cm.cancelTitle', { title: campaign.title })} staff head={<Head />}>
      <p>
        <a href={`/network/manage/campaigns/${campaign.id}`}>← {campaign.title}</a>
      </p>
      <h1>{t('cm.cancelTitle', { title: campaign.title })}</h1>
      <Notice kind="warning">
        <p>{t('cm.cancelWhat')}</p>
        <ul>
          <li>{t('cm.cancelFeed')}</li>
          <li>{t('cm.cancelLinks')}</li>
          <li>{t('cm.cancelNotify')}</li>
          <li>{t('cm.cancelFigures')}</li>
        </ul>
        <p>
          <strong>{t('cm.cancelFinal')}</strong>
        </p>
      </Notice>
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action={`/network/manage/campaigns/${campaign.id}/cancel`} class="stack narrow">
        <Csrf token={ctx.csrf} />
        <Field
          name="reason"
          label={t('cm.reason')}
          hint={t('cm.reasonHint')}
          required
          multiline
          rows={3}
          maxLength={500}
          values={values}
          errors={errors}
        />
        <div class={`field${err ? ' has-error' : ''}`} id="f-confirm">
          <label class="check">
            <input
              type="checkbox"
              name="confirm"
              value="1"
              required
              checked={values?.confirm === '1'}
              aria-invalid={err ? 'true' : undefined}
              aria-describedby={err ? 'f-confirm-err' : undefined}
            />{' '}
            {t('cm.confirm')}
          </label>
          {err ? (
            <p class="error" id="f-confirm-err" role="alert">
              {err}
            </p>
          ) : null}
        </div>
        <div class="cta-row">
          <button type="submit" class="danger">
            {t('cm.cancelButton')}
          </button>
          <a class="button secondary" href={`/network/manage/campaigns/${campaign.id}`}>
            {t('cm.keep')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function CampaignDetailPage({
  ctx,
  campaign,
  items,
  targets,
  rows,
  notify,
  notice,
  canOrganise,
}: {
  ctx: PageCtx;
  campaign: CampaignRow;
  items: ItemRow[];
  targets: { label: string; label_en: string | null }[];
  rows: UnitFigureRow[];
  notify: Record<string, number>;
  notice?: string;
  canOrganise?: boolean;
}) {
  const t = n(ctx);
  const tot = rows.reduce(
    (a, r) => ({
      reached: a.reached + r.reached,
      opened: a.opened + r.opened,
      shares: a.shares + r.shares,
      clicks: a.clicks + r.clicks,
    }),
    { reached: 0, opened: 0, shares: 0, clicks: 0 },
  );
  const p100 = (clicks: number, reached: number) => {
    const v = per100(clicks, reached);
    return v == null ? '—' : formatNumber(ctx.locale, v);
  };
  const state = campaignState(campaign);
  return (
    <Layout ctx={ctx} title={campaign.title} staff head={<Head />}>
      <p>
        <a href="/network/manage/campaigns">← {t('cm.title')}</a>
      </p>
      <h1>{campaign.title}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>
        <span class="badge">{t(`cm.status.${state}` as NetKey)}</span>{' '}
        {t('camp.period', {
          from: formatDate(ctx.locale, campaign.starts_at),
          to: formatDate(ctx.locale, new Date(new Date(campaign.ends_at).getTime() - 1)),
        })}
      </p>
      {campaign.status === 'cancelled' ? (
        <Notice kind="warning">
          {t('cm.cancelledInfo', {
            date: formatDate(ctx.locale, campaign.cancelled_at ?? campaign.ends_at),
            name: campaign.cancelled_by_name ?? '—',
            reason: campaign.cancel_reason ?? '',
          })}
        </Notice>
      ) : null}
      {canOrganise && campaign.status !== 'cancelled' ? (
        <p class="cta-row">
          {state === 'active' || state === 'scheduled' ? (
            <a class="button secondary" href={`/network/manage/campaigns/${campaign.id}/edit`}>
              {t('cm.edit')}
            </a>
          ) : null}
          <a class="button secondary" href={`/network/manage/campaigns/${campaign.id}/cancel`}>
            {t('cm.cancel')}
          </a>
        </p>
      ) : null}
      <p>{campaign.message}</p>
      <p class="muted">
        {t('cm.targets')}: {targets.map((x) => (ctx.locale === 'en' ? (x.label_en ?? x.label) : x.label)).join(', ')}
      </p>
      <ul>
        {items.map((i) => (
          <li>
            <span class="badge">{t(`camp.kind.${i.kind}` as NetKey)}</span> <a href={i.url}>{i.title}</a>
          </li>
        ))}
      </ul>
      <p class="muted notify-status">
        {t('cm.notify', {
          sent: notify.sent ?? 0,
          queued: (notify.queued ?? 0) + (notify.retrying ?? 0),
          failed: notify.failed ?? 0,
        })}
      </p>
      <h2>{t('cm.figures')}</h2>
      <div class="table-scroll">
        <table class="figures">
          <thead>
            <tr>
              <th>{ctx.t('common.unit')}</th>
              <th>{t('cm.reached')}</th>
              <th>{t('cm.opened')}</th>
              <th>{t('cm.shares')}</th>
              <th>{t('cm.clicks')}</th>
              <th>{t('cm.per100')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-unit={r.unit_id}>
                <td>{unitName(ctx, r)}</td>
                <td>{r.reached}</td>
                <td>{r.opened}</td>
                <td>{r.shares}</td>
                <td>{r.clicks}</td>
                <td>{p100(r.clicks, r.reached)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="total">
              <th>{t('cm.total')}</th>
              <th>{tot.reached}</th>
              <th>{tot.opened}</th>
              <th>{tot.shares}</th>
              <th>{tot.clicks}</th>
              <th>{p100(tot.clicks, tot.reached)}</th>
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="muted">{t('cm.clicksNote')}</p>
    </Layout>
  );
}
