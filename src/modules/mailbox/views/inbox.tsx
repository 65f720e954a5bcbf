/** The staff inbox: a GET filter form, a paged table whose rows can be selected, bulk actions with a result per report. */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors } from '../../../http/forms.js';
import { ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import { formatDate } from '../../../platform/i18n/index.js';
import type { InboxRow } from '../repo/inbox.js';
import { FILTER_KEYS, INBOX_STATUSES, type BulkRow, type InboxFilterForm, type InboxResult } from '../service/inbox.js';
import type { MailboxKey } from '../i18n.js';
import { pt } from './practice-i18n.js';
import { Assets, isOverdue, m, StatusBadge, Post } from './shared.js';
import { Kpis, type Counts } from './staff.js';

export interface InboxProps {
  ctx: PageCtx;
  data: InboxResult;
  /** the ward filter (a GET search without JavaScript); none when the person reaches no unit */
  picker: PickerState | null;
  counts: Counts;
  filter: InboxFilterForm;
  /** translated errors of the filter form or the bulk form */
  errors?: FieldErrors;
  bulk?: { action: string; assignee: string; agency: string; reason: string; ids: string[] };
  results?: (BulkRow & { message: string })[];
}

export function FilteredInboxPage(p: InboxProps) {
  const { ctx, data, filter } = p;
  const t = m(ctx);
  const x = pt.t(ctx.locale);
  const en = ctx.locale === 'en';
  const statusLabel = (s: string) =>
    s === 'open'
      ? t('staff.filter.open')
      : s === 'all'
        ? t('staff.filter.any')
        : s === 'new'
          ? t('staff.new')
          : s === 'overdue'
            ? t('staff.overdue')
            : s === 'approve'
              ? t('staff.toApprove')
              : t(`status.${s}` as MailboxKey);
  const qs = (page: number) => {
    const u = new URLSearchParams();
    for (const k of FILTER_KEYS) if (k !== 'page' && filter[k]) u.set(k, filter[k]);
    u.set('page', String(page));
    return `/staff/mailbox?${u}`;
  };
  const values = {
    ...filter,
    ...(p.bulk
      ? {
          bulk_action: p.bulk.action,
          bulk_assignee: p.bulk.assignee,
          bulk_agency: p.bulk.agency,
          bulk_reason: p.bulk.reason,
        }
      : {}),
  };
  const checked = new Set(p.bulk?.ids ?? []);
  const ok = p.results?.filter((r) => r.ok).length ?? 0;
  return (
    <Layout ctx={ctx} title={t('staff.inbox')} staff head={<Assets />}>
      <h1>{t('staff.inbox')}</h1>
      <Kpis ctx={ctx} counts={p.counts} />
      <ErrorSummary errors={p.errors} title={ctx.t('error.validation')} />
      {p.results ? (
        <section class="mb-bulk-results" aria-live="polite">
          <Notice kind={ok === p.results.length ? 'success' : 'info'}>
            {x('inbox.results', { ok, failed: p.results.length - ok })}
          </Notice>
          <ul>
            {p.results.map((r) => (
              <li data-result={r.ok ? 'ok' : 'failed'} data-code={r.code}>
                <a href={`/staff/mailbox/${r.id}`}>{r.code}</a>: {r.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <form method="get" action="/staff/mailbox" class="mb-filters">
        <Select
          name="status"
          label={x('inbox.status')}
          values={values}
          errors={p.errors}
          options={INBOX_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
        />
        <Select
          name="category"
          label={x('inbox.category')}
          values={values}
          errors={p.errors}
          empty={x('inbox.any')}
          options={data.options.categories.map((c) => ({ value: String(c.id), label: en ? c.name_en : c.name }))}
        />
        {p.picker ? (
          <UnitPicker
            ctx={ctx}
            state={p.picker}
            label={x('inbox.ward')}
            errors={p.errors}
            any={x('inbox.any')}
            search={{ method: 'get', action: '/staff/mailbox' }}
          />
        ) : null}
        <Select
          name="agency"
          label={x('inbox.agency')}
          values={values}
          errors={p.errors}
          empty={x('inbox.any')}
          options={data.options.agencies.map((a) => ({
            value: String(a.id),
            label: en ? (a.name_en ?? a.name) : a.name,
          }))}
        />
        <Select
          name="assignee"
          label={x('inbox.assignee')}
          values={values}
          errors={p.errors}
          empty={x('inbox.any')}
          options={[
            { value: 'me', label: x('inbox.me') },
            { value: 'none', label: x('inbox.nobody') },
            ...data.options.people.map((h) => ({ value: String(h.id), label: h.name })),
          ]}
        />
        <Field name="q" label={ctx.t('common.search')} values={values} type="search" maxLength={100} />
        <button type="submit">{ctx.t('common.filter')}</button>
      </form>
      <p class="muted" data-total={data.total}>
        {x('inbox.count', { n: data.total })} · {x('inbox.page', { page: data.page, pages: data.pages })}
      </p>
      {data.rows.length === 0 ? (
        <p>{t('staff.none')}</p>
      ) : (
        <Post ctx={ctx} action="/staff/mailbox/bulk" cls="mb-bulk">
          {FILTER_KEYS.map((k) => (
            <input type="hidden" name={`f_${k}`} value={filter[k]} />
          ))}
          <div class="table-scroll">
            <table class="mb-inbox">
              <thead>
                <tr>
                  <th>
                    <span class="sr-only">{x('inbox.select')}</span>
                  </th>
                  <th>{t('staff.code')}</th>
                  <th>{t('staff.titleCol')}</th>
                  <th>{ctx.t('common.status')}</th>
                  <th>{x('inbox.assigneeCol')}</th>
                  <th>{t('staff.deadlineCol')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <Row ctx={ctx} r={r} checked={checked.has(String(r.id))} />
                ))}
              </tbody>
            </table>
          </div>
          <fieldset class="mb-bulk-actions">
            <legend>{x('inbox.bulk')}</legend>
            <Select
              name="bulk_action"
              label={x('inbox.bulkAction')}
              values={values}
              errors={p.errors}
              empty="—"
              options={(['assign', 'route', 'read', 'unread'] as const).map((a) => ({
                value: a,
                label: x(`inbox.bulk.${a}`),
              }))}
            />
            <Select
              name="bulk_assignee"
              label={x('inbox.bulkPerson')}
              values={values}
              errors={p.errors}
              empty="—"
              options={data.options.people.map((h) => ({ value: String(h.id), label: h.name }))}
            />
            <Select
              name="bulk_agency"
              label={x('inbox.bulkAgency')}
              values={values}
              errors={p.errors}
              empty="—"
              options={data.options.agencies.map((a) => ({
                value: String(a.id),
                label: en ? (a.name_en ?? a.name) : a.name,
              }))}
            />
            <Field
              name="bulk_reason"
              label={x('inbox.bulkReason')}
              values={values}
              errors={p.errors}
              maxLength={1000}
            />
            <button type="submit">{x('inbox.bulkApply')}</button>
          </fieldset>
        </Post>
      )}
      <nav class="pager" aria-label={x('inbox.page', { page: data.page, pages: data.pages })}>
        {data.page > 1 ? (
          <a href={qs(data.page - 1)} rel="prev">
            {x('inbox.prev')}
          </a>
        ) : null}{' '}
        {data.page < data.pages ? (
          <a href={qs(data.page + 1)} rel="next">
            {x('inbox.next')}
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}

function Row({ ctx, r, checked }: { ctx: PageCtx; r: InboxRow; checked: boolean }) {
  const t = m(ctx);
  const x = pt.t(ctx.locale);
  const en = ctx.locale === 'en';
  const overdue = isOverdue(r as never);
  return (
    <tr
      class={[overdue ? 'overdue' : '', r.unread ? 'unread' : ''].filter(Boolean).join(' ') || undefined}
      data-report={r.code}
    >
      <td>
        <input
          type="checkbox"
          name="ids"
          value={String(r.id)}
          id={`sel-${r.id}`}
          checked={checked}
          aria-label={x('inbox.selectRow', { code: r.code })}
        />
      </td>
      <td>
        <a href={`/staff/mailbox/${r.id}`}>{r.unread ? <strong>{r.code}</strong> : r.code}</a>
        {r.unread ? (
          <>
            {' '}
            <span class="badge">{x('inbox.unread')}</span>
          </>
        ) : null}
      </td>
      <td>
        {r.title}
        <br />
        <span class="muted">
          {en ? r.category_name_en : r.category_name} · {en ? (r.unit_name_en ?? r.unit_full_name) : r.unit_full_name}
          {r.agency_name ? ` · ${en ? (r.agency_name_en ?? r.agency_name) : r.agency_name}` : ''}
        </span>
      </td>
      <td>
        <StatusBadge ctx={ctx} status={r.status} />
        {r.has_draft ? (
          <>
            {' '}
            <span class="badge warn">{t('staff.draftPending')}</span>
          </>
        ) : null}
      </td>
      <td data-assignee>{r.assignee_name ?? '—'}</td>
      <td>
        {overdue ? <span class="badge danger">{t('staff.overdue')}</span> : null}{' '}
        {formatDate(ctx.locale, r.deadline_at)}
      </td>
    </tr>
  );
}
