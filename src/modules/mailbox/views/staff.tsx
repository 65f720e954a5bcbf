import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import type { MailboxFigures } from '../../../platform/figures.js';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../../../platform/i18n/index.js';
import type { Category, ReportRow } from '../repo.js';
import { LIMITS, type ReportView } from '../service.js';
import { Assets, agencyName, catName, isOverdue, m, Photos, StatusBadge, Timeline, unitName, Post } from './shared.js';
import type { CasePractice } from '../service/consult.js';
import { CasePanel } from './case-practice.js';
import type { StaffMay } from '../service/may.js';

export interface Counts {
  open: number;
  overdue: number;
  fresh: number;
  approve: number;
}

export function Kpis({ ctx, counts }: { ctx: PageCtx; counts: Counts }) {
  const t = m(ctx);
  const k = (href: string, label: string, v: number, cls = '') => (
    <a class={`kpi ${cls}`} href={href}>
      <span class="v">{v}</span>
      {label}
    </a>
  );
  return (
    <div class="kpis mb-kpis">
      {k('/staff/mailbox?status=open', t('staff.open'), counts.open)}
      {k('/staff/mailbox?status=overdue', t('staff.overdue'), counts.overdue, counts.overdue ? 'danger' : '')}
      {k('/staff/mailbox?status=new', t('staff.new'), counts.fresh)}
      {k('/staff/mailbox?status=approve', t('staff.toApprove'), counts.approve)}
    </div>
  );
}

export function InboxPage({
  ctx,
  rows,
  counts,
  filter,
  agencies,
}: {
  ctx: PageCtx;
  rows: ReportRow[];
  counts: Counts;
  filter: { status: string; agency: string; q: string };
  agencies: { id: number; name: string }[];
}) {
  const t = m(ctx);
  const statuses = ['open', 'new', 'overdue', 'approve', 'answered', 'closed', 'rejected', 'spam', 'merged', 'all'];
  return (
    <Layout ctx={ctx} title={t('staff.inbox')} staff head={<Assets />}>
      <h1>{t('staff.inbox')}</h1>
      <Kpis ctx={ctx} counts={counts} />
      <form method="get" action="/staff/mailbox" class="mb-filters">
        <Select
          name="status"
          label={t('staff.filter.status')}
          value={filter.status}
          options={statuses.map((s) => ({
            value: s,
            label:
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
                        : t(`status.${s}` as never),
          }))}
        />
        <Select
          name="agency"
          label={t('staff.filter.agency')}
          value={filter.agency}
          empty={t('staff.all')}
          options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
        />
        <Field name="q" label={ctx.t('common.search')} value={filter.q} type="search" maxLength={100} />
        <button type="submit">{ctx.t('common.filter')}</button>
      </form>
      {rows.length === 0 ? (
        <p>{t('staff.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="mb-inbox">
            <thead>
              <tr>
                <th>{t('staff.code')}</th>
                <th>{t('staff.titleCol')}</th>
                <th>{ctx.t('common.status')}</th>
                <th>{t('staff.deadlineCol')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr class={isOverdue(r) ? 'overdue' : undefined}>
                  <td>
                    <a href={`/staff/mailbox/${r.id}`}>{r.code}</a>
                  </td>
                  <td>
                    {r.title}
                    <br />
                    <span class="muted">
                      {catName(ctx.locale, r)} · {unitName(ctx.locale, r)}
                      {r.agency_name ? ` · ${agencyName(ctx.locale, r)}` : ''}
                    </span>
                  </td>
                  <td>
                    <StatusBadge ctx={ctx} status={r.status} />
                    {r.answer_draft ? (
                      <>
                        {' '}
                        <span class="badge warn">{t('staff.draftPending')}</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {isOverdue(r) ? <span class="badge danger">{t('staff.overdue')}</span> : null}{' '}
                    {formatDate(ctx.locale, r.deadline_at)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface StaffReportProps {
  ctx: PageCtx;
  view: ReportView & { duplicates: { id: number; code: string; title: string; status: string; score: number }[] };
  categories: Category[];
  /** the ward the report is filed for: wards and communes inside the person's reach (searched by re-posting the form) */
  unitPicker: PickerState;
  agencies: { id: number; name: string }[];
  errors?: FieldErrors;
  values?: FormValues;
  done?: boolean;
  /** consultations, the paused deadline, the assignment (service/consult.ts) */
  practice?: CasePractice;
  /** which forms this person gets (service/may.ts) */
  may: StaffMay;
}

/** Issue 15: the redaction, publication and outcome panels; the template picker above the draft and a prefilled draft. */
export interface StaffReportProps {
  extra?: unknown;
  draftTools?: unknown;
  draftText?: string;
}

export function StaffReportPage(p: StaffReportProps) {
  const { ctx, view } = p;
  const t = m(ctx);
  const r = view.report;
  const { may } = p;
  const base = `/staff/mailbox/${r.id}`;
  const form = (action: string, children: unknown, cls = 'stack') => (
    <Post ctx={ctx} action={`${base}/${action}`} cls={cls}>
      {children}
    </Post>
  );
  return (
    <Layout ctx={ctx} title={`${r.code} · ${r.title}`} staff head={<Assets />}>
      <p class="muted">
        <a href="/staff/mailbox">{t('staff.inbox')}</a> › {r.code}
      </p>
      <h1>{r.title}</h1>
      {p.done ? <Notice kind="success">{t('staff.done')}</Notice> : null}
      <ErrorSummary errors={p.errors} title={ctx.t('error.validation')} />
      <p>
        <StatusBadge ctx={ctx} status={r.status} />{' '}
        {isOverdue(r) ? <span class="badge danger">{t('staff.overdue')}</span> : null}{' '}
        {r.escalated_at ? <span class="badge warn">{t('staff.escalated')}</span> : null}
      </p>
      <dl class="mb-facts">
        <dt>{t('status.category')}</dt>
        <dd>{catName(ctx.locale, r)}</dd>
        <dt>{t('status.unit')}</dt>
        <dd>
          {unitName(ctx.locale, r)}
          {r.address ? ` — ${r.address}` : ''}
          {r.lat != null ? ` (${r.lat}, ${r.lon})` : ''}
        </dd>
        <dt>{t('status.agency')}</dt>
        <dd>{agencyName(ctx.locale, r) ?? '—'}</dd>
        <dt>{t('status.receivedAt')}</dt>
        <dd>{formatDateTime(ctx.locale, r.received_at)}</dd>
        <dt>{t('status.deadline')}</dt>
        <dd>{formatDateTime(ctx.locale, r.deadline_at)}</dd>
      </dl>
      <section class="mb-contact">
        <h2>{t('staff.contact')}</h2>
        {view.showContact ? (
          r.contact_name || r.contact_phone || r.contact_email ? (
            <ul>
              {r.contact_name ? <li data-contact="name">{r.contact_name}</li> : null}
              {r.contact_phone ? <li data-contact="phone">{r.contact_phone}</li> : null}
              {r.contact_email ? <li data-contact="email">{r.contact_email}</li> : null}
              {r.show_name ? <li>{t('staff.nameShown')}</li> : null}
            </ul>
          ) : (
            <p>{t('staff.noContact')}</p>
          )
        ) : (
          <p class="muted">{t('staff.contactHidden')}</p>
        )}
      </section>
      <div class="pre mb-description">{r.description}</div>
      <Photos ctx={ctx} photos={view.photos} base="/mailbox/photos" failed />
      {r.answer ? (
        <section class="mb-answer">
          <h2>{t('status.answer')}</h2>
          <div class="pre">{r.answer}</div>
        </section>
      ) : null}
      {p.practice ? (
        <CasePanel
          ctx={ctx}
          report={r}
          practice={p.practice}
          agencies={p.agencies}
          errors={p.errors}
          values={p.values}
        />
      ) : null}

      {may.triage ? (
        <section>
          <h2>{t('staff.triage')}</h2>
          <div class="mb-actions">
            {form(
              'triage',
              <>
                <input type="hidden" name="action" value="accept" />
                <button type="submit">{t('staff.accept')}</button>
              </>,
              'inline',
            )}
            {form(
              'triage',
              <>
                <input type="hidden" name="action" value="spam" />
                <button type="submit" class="secondary">
                  {t('staff.spam')}
                </button>
              </>,
              'inline',
            )}
          </div>
          {form(
            'triage',
            <>
              <input type="hidden" name="action" value="reject" />
              <Field
                name="reason"
                label={t('staff.rejectReason')}
                multiline
                rows={2}
                maxLength={LIMITS.reason}
                values={p.values}
                errors={p.errors}
              />
              <button type="submit" class="secondary">
                {t('staff.reject')}
              </button>
            </>,
          )}
        </section>
      ) : null}
      {may.manage ? (
        <section>
          <h2>{t('staff.duplicates')}</h2>
          {view.duplicates.length === 0 ? (
            <p class="muted">{t('staff.noDuplicates')}</p>
          ) : (
            <ul class="mb-dups">
              {view.duplicates.map((d) => (
                <li>
                  <a href={`/staff/mailbox/${d.id}`}>{d.code}</a> — {d.title}{' '}
                  <span class="muted">({Math.round(d.score * 100)}%)</span>
                  {form(
                    'merge',
                    <>
                      <input type="hidden" name="into" value={d.code} />
                      <button type="submit" class="secondary">
                        {t('staff.merge')}
                      </button>
                    </>,
                    'inline',
                  )}
                </li>
              ))}
            </ul>
          )}
          {form(
            'merge',
            <>
              <Field name="into" label={t('staff.mergeInto')} maxLength={20} values={p.values} errors={p.errors} />
              <button type="submit" class="secondary">
                {t('staff.merge')}
              </button>
            </>,
          )}
          <h2>{t('staff.route')}</h2>
          {form(
            'route',
            <>
              <Select
                name="agency"
                label={t('staff.agency')}
                value={r.agency_id ? String(r.agency_id) : ''}
                errors={p.errors}
                options={p.agencies.map((a) => ({ value: String(a.id), label: a.name }))}
              />
              <Field
                name="reason"
                label={t('staff.reason')}
                maxLength={LIMITS.reason}
                values={p.values}
                errors={p.errors}
              />
              <button type="submit">{t('staff.route')}</button>
            </>,
          )}
          <h2>{t('staff.share')}</h2>
          <p class="hint">{t('staff.shareHint')}</p>
          {form(
            'share',
            <>
              <Select
                name="share_agency"
                label={t('staff.agency')}
                errors={p.errors}
                values={p.values}
                options={p.agencies
                  .filter((a) => a.id !== r.agency_id)
                  .map((a) => ({ value: String(a.id), label: a.name }))}
                empty={t('staff.chooseAgency')}
              />
              <button type="submit" class="secondary">
                {t('staff.shareSend')}
              </button>
            </>,
          )}
          <h2>{t('staff.edit')}</h2>
          {form(
            'edit',
            <>
              <Select
                name="category"
                label={t('status.category')}
                value={p.values?.category ?? String(r.category_id)}
                options={p.categories.map((c) => ({
                  value: String(c.id),
                  label: ctx.locale === 'en' ? c.name_en : c.name,
                }))}
              />
              <UnitPicker
                ctx={ctx}
                state={p.unitPicker}
                label={t('status.unit')}
                errors={p.errors}
                required
                search={{ method: 'post' }}
              />
              <button type="submit" class="secondary">
                {t('staff.save')}
              </button>
            </>,
          )}
        </section>
      ) : null}
      {may.answer ? (
        <section>
          {may.start ? form('start', <button type="submit">{t('staff.start')}</button>) : null}
          <h2>{t('staff.question')}</h2>
          {form(
            'question',
            <>
              <Field
                name="body"
                label={t('staff.question')}
                multiline
                rows={3}
                maxLength={LIMITS.note}
                values={p.values}
                errors={p.errors}
              />
              <button type="submit" class="secondary">
                {t('staff.send')}
              </button>
            </>,
          )}
          <h2>{t('staff.draft')}</h2>
          {(p.draftTools ?? null) as never}
          {form(
            'draft',
            <>
              <Field
                name="answer"
                label={t('staff.draft')}
                multiline
                rows={8}
                maxLength={LIMITS.description}
                value={p.draftText ?? r.answer_draft ?? ''}
                values={p.values}
                errors={p.errors}
              />
              <button type="submit">{t('staff.saveDraft')}</button>
            </>,
          )}
        </section>
      ) : null}
      {may.approve ? (
        <section class="mb-approve">
          <h2>{t('staff.draftPending')}</h2>
          {form(
            'approve',
            <>
              <Field
                name="answer"
                label={t('staff.draft')}
                multiline
                rows={8}
                maxLength={LIMITS.description}
                value={r.answer_draft ?? ''}
                values={p.values}
                errors={p.errors}
              />
              <button type="submit">{t('staff.approve')}</button>
            </>,
          )}
          {form(
            'return',
            <>
              <Field
                name="reason"
                label={t('staff.reason')}
                maxLength={LIMITS.reason}
                values={p.values}
                errors={p.errors}
              />
              <button type="submit" class="secondary">
                {t('staff.return')}
              </button>
            </>,
          )}
        </section>
      ) : null}
      {(p.extra ?? null) as never}
      <h2>{t('staff.note')}</h2>
      {form(
        'note',
        <>
          <Field name="body" label={t('staff.note')} multiline rows={2} maxLength={LIMITS.note} />
          <button type="submit" class="secondary">
            {t('staff.save')}
          </button>
        </>,
      )}
      <h2>{t('status.timeline')}</h2>
      <Timeline ctx={ctx} events={view.events} staff />
    </Layout>
  );
}

export function DashboardPage({
  ctx,
  f,
  open,
  picker,
  errors,
  from,
  to,
}: {
  ctx: PageCtx;
  f: MailboxFigures;
  open: number;
  picker: PickerState;
  errors: FieldErrors;
  from: string;
  to: string;
}) {
  const t = m(ctx);
  const pct = (v: number | null | undefined) => (v == null ? '—' : formatPercent(ctx.locale, v));
  const num = (v: number | null | undefined) => (v == null ? '—' : formatNumber(ctx.locale, v));
  const table = (rows: MailboxFigures['byCategory']) => (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th></th>
            <th>{t('dash.received')}</th>
            <th>{t('dash.answered')}</th>
            <th>{t('dash.onTime')}</th>
            <th>{t('dash.median')}</th>
            <th>{t('dash.overdue')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr>
              <td>{b.key === 'unassigned' ? t('dash.unassigned') : b.label}</td>
              <td>{num(b.values.received)}</td>
              <td>{num(b.values.answered)}</td>
              <td>{pct(b.values.onTimeRate)}</td>
              <td>{num(b.values.medianHoursToAnswer)}</td>
              <td>{num(b.values.overdueNow)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <Layout ctx={ctx} title={t('dash.title')} staff head={<Assets />}>
      <h1>{t('dash.title')}</h1>
      <form method="get" action="/staff/mailbox/dashboard" class="mb-filters">
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={ctx.t('common.unit')}
          errors={errors}
          required
          search={{ method: 'get', action: '/staff/mailbox/dashboard' }}
        />
        <Field name="from" label={t('dash.from')} type="date" value={from} />
        <Field name="to" label={t('dash.to')} type="date" value={to} />
        <button type="submit">{ctx.t('common.filter')}</button>
      </form>
      <div class="kpis">
        <div class="kpi">
          <span class="v" data-k="open">
            {open}
          </span>
          {t('dash.open')}
        </div>
        <div class="kpi">
          <span class="v" data-k="received">
            {f.received}
          </span>
          {t('dash.received')}
        </div>
        <div class="kpi">
          <span class="v" data-k="answered">
            {f.answered}
          </span>
          {t('dash.answered')}
        </div>
        <div class="kpi">
          <span class="v" data-k="onTime">
            {pct(f.onTimeRate)}
          </span>
          {t('dash.onTime')}
        </div>
        <div class="kpi">
          <span class="v" data-k="median">
            {num(f.medianHoursToAnswer)}
          </span>
          {t('dash.median')}
        </div>
        <div class="kpi">
          <span class="v" data-k="overdue">
            {f.overdueNow}
          </span>
          {t('dash.overdue')}
        </div>
        <div class="kpi">
          <span class="v" data-k="rating">
            {f.ratingAverage == null ? '—' : formatNumber(ctx.locale, f.ratingAverage, 2)}
          </span>
          {t('dash.rating')}
        </div>
      </div>
      <h2>{t('dash.byCategory')}</h2>
      {table(f.byCategory)}
      <h2>{t('dash.byAgency')}</h2>
      {table(f.byAgency)}
    </Layout>
  );
}

export function StaffSection({ ctx, counts }: { ctx: PageCtx; counts: Counts }) {
  const t = m(ctx);
  return (
    <section class="mb-staff-section">
      <h2>
        <a href="/staff/mailbox">{t('staff.countsTitle')}</a>
      </h2>
      <Kpis ctx={ctx} counts={counts} />
    </section>
  );
}
