import type { Child } from 'hono/jsx';
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { formFields } from '../../../http/views/form-fields.js';
import { Layout } from '../../../http/views/layout.js';
import { MultiUnitPicker, UnitPicker } from '../../../http/views/unit-picker.js';
import type { MultiPickerState, PickerState } from '../../../http/unit-picker.js';
import { formatDateTime, formatPercent } from '../../../platform/i18n/index.js';
import type { PublishedItem } from '../../desk/public.js';
import { CAP_CATEGORIES, CAP_CERTAINTIES } from '../repo.js';
import type {
  ContactRow,
  DeliveryCounts,
  DeliveryRow,
  EventRow,
  IncidentRow,
  ListRow,
  SigningKeyRow,
  StatementRow,
  TeamRow,
  UnitRef,
} from '../repo.js';
import {
  CrisisHead,
  ct,
  eventText,
  Paragraphs,
  pick,
  SeverityBadge,
  StatusBadge,
  unitName,
  VerdictBadge,
} from './public.js';

const TYPES = ['natural', 'public_order', 'health', 'infrastructure', 'other'] as const;
const SEVERITIES = ['minor', 'moderate', 'severe', 'extreme'] as const;
const STATUSES = ['active', 'monitoring', 'closed'] as const;
const LIST_KINDS = ['press', 'officials', 'unit_leaders', 'network', 'custom'] as const;

const StaffPage = ({ ctx, title, children }: { ctx: PageCtx; title: string; children?: Child }) => (
  <Layout ctx={ctx} title={title} staff head={<CrisisHead />}>
    {children}
  </Layout>
);

const Flash = ({ msg }: { msg?: string | null }) => (msg ? <Notice kind="success">{msg}</Notice> : null);

export function Dashboard({
  ctx,
  incidents,
  awaiting,
  drafts,
  notices,
  flash,
  canManage,
  canKeys = false,
}: {
  ctx: PageCtx;
  incidents: IncidentRow[];
  awaiting: StatementRow[];
  drafts: StatementRow[];
  notices: StatementRow[];
  flash?: string | null;
  canManage: boolean;
  canKeys?: boolean;
}) {
  const t = ct(ctx.locale);
  return (
    <StaffPage ctx={ctx} title={t('staff.title')}>
      <h1>{t('staff.title')}</h1>
      <Flash msg={flash} />
      <p class="cta-row">
        {canManage ? (
          <a class="button" href="/staff/crisis/incidents/new">
            {t('staff.newIncident')}
          </a>
        ) : null}
        <a class="button secondary" href="/staff/crisis/statements/new">
          {t('staff.newNotice')}
        </a>
        <a class="button secondary" href="/staff/crisis/lists">
          {t('staff.lists')}
        </a>
        {canKeys ? (
          <a class="button secondary" href="/staff/crisis/keys">
            {t('staff.keys')}
          </a>
        ) : null}
      </p>
      <h2>{t('staff.awaiting')}</h2>
      <StatementTable ctx={ctx} rows={awaiting} />
      <h2>{t('stmt.status.draft')}</h2>
      <StatementTable ctx={ctx} rows={drafts} />
      <h2>{t('staff.incidents')}</h2>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th>{t('form.title')}</th>
              <th>{ctx.t('common.status')}</th>
              <th>{t('form.severity')}</th>
              <th>{ctx.t('common.date')}</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr>
                <td>
                  <a href={`/staff/crisis/incidents/${i.id}`}>{i.title}</a>
                </td>
                <td>
                  <StatusBadge locale={ctx.locale} status={i.status} />
                </td>
                <td>
                  <SeverityBadge locale={ctx.locale} severity={i.severity} />
                </td>
                <td>{formatDateTime(ctx.locale, i.opened_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('incidents.notices')}</h2>
      <StatementTable ctx={ctx} rows={notices} />
    </StaffPage>
  );
}

export function StatementTable({ ctx, rows }: { ctx: PageCtx; rows: StatementRow[] }) {
  const t = ct(ctx.locale);
  if (!rows.length) return <p class="muted">{ctx.t('common.none')}</p>;
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th>{t('stmt.number')}</th>
            <th>{t('form.title')}</th>
            <th>{ctx.t('common.status')}</th>
            <th>{ctx.t('common.date')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr data-statement={String(s.id)}>
              <td>{s.number ?? '—'}</td>
              <td>
                <a href={`/staff/crisis/statements/${s.id}`}>{s.title}</a>{' '}
                <span class="muted">({t(`kind.${s.kind}`)})</span>
              </td>
              <td>
                <span class={`badge stmt-${s.status}`}>{t(`stmt.status.${s.status}`)}</span>
              </td>
              <td>{formatDateTime(ctx.locale, s.released_at ?? s.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function IncidentForm({
  ctx,
  values,
  errors,
  affected,
  picker,
  search,
  action,
  isNew,
}: {
  ctx: PageCtx;
  values: FormValues;
  errors: FieldErrors;
  /** The affected units, chosen with the multi-unit picker. */
  affected: MultiPickerState;
  /** The incident's own unit, chosen with the unit picker; `search` is the page its Search buttons re-render. */
  picker: PickerState;
  search: string;
  action: string;
  isNew: boolean;
}) {
  const t = ct(ctx.locale);
  const f = formFields(values, errors);
  return (
    <StaffPage ctx={ctx} title={isNew ? t('staff.newIncident') : t('staff.edit')}>
      <h1>{isNew ? t('staff.newIncident') : t('staff.edit')}</h1>
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <form method="post" action={action} class="stack incident-form" novalidate>
        <Csrf token={ctx.csrf} />
        <f.Field name="title" label={t('form.title')} required maxLength={200} />
        <f.Field name="titleEn" label={t('form.titleEn')} maxLength={200} />
        <f.Select
          name="type"
          label={t('form.type')}
          options={TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
        />
        <f.Select
          name="severity"
          label={t('form.severity')}
          options={SEVERITIES.map((v) => ({ value: v, label: t(`severity.${v}`) }))}
        />
        <f.Field name="summary" label={t('form.summary')} multiline rows={3} maxLength={2000} />
        <f.Field name="summaryEn" label={t('form.summaryEn')} multiline rows={3} maxLength={2000} />
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('form.unit')}
          errors={errors}
          required
          search={{ method: 'get', action: search }}
        />
        <MultiUnitPicker
          ctx={ctx}
          state={affected}
          label={t('form.units')}
          errors={errors}
          search={{ method: 'get', action: search }}
        />
        <f.Field name="spokespersonName" label={t('form.spokesName')} required maxLength={120} />
        <f.Field name="spokespersonTitle" label={t('form.spokesTitle')} maxLength={160} />
        <f.Field name="spokespersonPhone" label={t('form.spokesPhone')} type="tel" maxLength={40} />
        <f.Field name="spokespersonEmail" label={t('form.spokesEmail')} type="email" maxLength={200} />
        <f.Field
          name="hotlines"
          label={t('form.hotlines')}
          hint={t('form.hotlinesHint')}
          multiline
          rows={3}
          maxLength={1000}
        />
        <label class="check">
          <input type="checkbox" name="publicAlert" value="1" checked={values.publicAlert === '1'} />{' '}
          {t('form.publicAlert')}
        </label>
        <f.Field name="areaPolygon" label={t('form.polygon')} hint={t('form.polygonHint')} maxLength={4000} />
        <f.Field name="areaCircle" label={t('form.circle')} hint={t('form.circleHint')} maxLength={100} />
        <p class="hint" id="cap-category-hint">
          {t('form.capCategoryHint')}
        </p>
        <f.Select
          name="capCategory"
          label={t('form.capCategory')}
          options={[
            { value: '', label: t('form.capCategoryByType') },
            ...CAP_CATEGORIES.map((k) => ({ value: k, label: t(`cap.category.${k}`) })),
          ]}
        />
        <f.Select
          name="capCertainty"
          label={t('form.capCertainty')}
          options={CAP_CERTAINTIES.map((k) => ({ value: k, label: t(`cap.certainty.${k}`) }))}
        />
        <f.Field
          name="alertInstruction"
          label={t('form.alertInstruction')}
          hint={t('form.alertInstructionHint')}
          multiline
          rows={3}
          maxLength={2000}
        />
        <f.Field name="alertInstructionEn" label={t('form.alertInstructionEn')} multiline rows={3} maxLength={2000} />
        <f.Field
          name="alertExpiresHours"
          label={t('form.alertExpiresHours')}
          hint={t('form.alertExpiresHoursHint')}
          inputmode="numeric"
          maxLength={3}
        />
        <button type="submit">{isNew ? t('form.open') : t('form.save')}</button>
      </form>
    </StaffPage>
  );
}

export function IncidentStaffPage({
  ctx,
  i,
  units,
  team,
  statements,
  events,
  factchecks,
  suggestions,
  flash,
  errors,
  values,
  canManage,
  canDraft,
  canTeam = canManage,
}: {
  ctx: PageCtx;
  i: IncidentRow;
  units: UnitRef[];
  team: TeamRow[];
  statements: StatementRow[];
  events: EventRow[];
  factchecks: PublishedItem[];
  suggestions: PublishedItem[];
  flash?: string | null;
  errors: FieldErrors;
  values: FormValues;
  canManage: boolean;
  canDraft: boolean;
  canTeam?: boolean;
}) {
  const t = ct(ctx.locale);
  const f = formFields(values, errors);
  return (
    <StaffPage ctx={ctx} title={i.title}>
      <p class="muted">
        <a href="/staff/crisis">{t('staff.title')}</a>
      </p>
      <h1>{i.title}</h1>
      <Flash msg={flash} />
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <p>
        <StatusBadge locale={ctx.locale} status={i.status} />{' '}
        <SeverityBadge locale={ctx.locale} severity={i.severity} /> {t(`type.${i.type}`)} ·{' '}
        {units.map((u) => unitName(ctx.locale, u)).join(', ')}
      </p>
      <p class="cta-row">
        <a href={`/incidents/${i.id}`}>{t('staff.publicPage')}</a>
        {canManage ? <a href={`/staff/crisis/incidents/${i.id}/edit`}>{t('staff.edit')}</a> : null}
        <a href={`/staff/crisis/incidents/${i.id}/report`}>{t('staff.report')}</a>
        <a href={`/staff/crisis/incidents/${i.id}/report.csv`}>{t('staff.reportCsv')}</a>
      </p>
      {i.status === 'closed' ? (
        <Notice kind="info">{t('staff.closed')}</Notice>
      ) : canDraft ? (
        <p>
          <a class="button" href={`/staff/crisis/statements/new?incident=${i.id}`}>
            {t('staff.newStatement')}
          </a>
        </p>
      ) : null}
      <h2>{t('staff.statements')}</h2>
      <StatementTable ctx={ctx} rows={statements} />
      {canManage ? (
        <form method="post" action={`/staff/crisis/incidents/${i.id}/status`} class="inline-form">
          <Csrf token={ctx.csrf} />
          <Select
            name="status"
            label={t('staff.statusChange')}
            value={i.status}
            options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
          <button type="submit" class="secondary">
            {t('form.save')}
          </button>
        </form>
      ) : null}
      <h2>{t('staff.team')}</h2>
      <ul>
        {team.map((m) => (
          <li>
            {m.name} ({m.email}) — {t(`staff.teamRole.${m.role}`)}
          </li>
        ))}
      </ul>
      {canTeam ? (
        <form method="post" action={`/staff/crisis/incidents/${i.id}/team`} class="stack">
          <Csrf token={ctx.csrf} />
          <f.Field name="email" label={t('staff.teamEmail')} type="email" required />
          <f.Select
            name="role"
            label={t('staff.teamRole')}
            options={[
              { value: 'drafter', label: t('staff.teamRole.drafter') },
              { value: 'spokesperson', label: t('staff.teamRole.spokesperson') },
            ]}
          />
          <button type="submit" class="secondary">
            {t('staff.teamAdd')}
          </button>
        </form>
      ) : null}
      <h2>{t('staff.factchecks')}</h2>
      <ul>
        {factchecks.map((f) => (
          <li>
            <a href={f.url}>{f.title}</a> <VerdictBadge locale={ctx.locale} f={f} />
          </li>
        ))}
      </ul>
      {canDraft ? (
        <form method="post" action={`/staff/crisis/incidents/${i.id}/factchecks`} class="stack">
          <Csrf token={ctx.csrf} />
          <f.Field name="itemId" label={t('staff.factcheckId')} inputmode="numeric" required list="crisis-factchecks" />
          <datalist id="crisis-factchecks">
            {suggestions.map((f) => (
              <option value={String(f.id)}>{f.title}</option>
            ))}
          </datalist>
          {suggestions.length ? (
            <ul class="muted">
              {suggestions.slice(0, 8).map((f) => (
                <li>
                  #{f.id} — {f.title}
                </li>
              ))}
            </ul>
          ) : null}
          <button type="submit" class="secondary">
            {t('staff.factcheckAdd')}
          </button>
        </form>
      ) : null}
      <h2>{t('incident.timeline')}</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li>
            {formatDateTime(ctx.locale, e.at)} — {eventText(ctx.locale, e)} <span class="muted">({e.actor_label})</span>
          </li>
        ))}
      </ol>
    </StaffPage>
  );
}

export function StatementForm({
  ctx,
  values,
  errors,
  lists,
  released,
  incident,
  picker,
  search,
  action,
  isNew,
}: {
  ctx: PageCtx;
  values: FormValues;
  errors: FieldErrors;
  lists: ListRow[];
  released: StatementRow[];
  incident: IncidentRow | null;
  /** The statement's unit when it belongs to no incident (null with an incident); `search`: its Search's page. */
  picker: PickerState | null;
  search: string;
  action: string;
  isNew: boolean;
}) {
  const t = ct(ctx.locale);
  const chosen = new Set((values.listIds ?? '').split('\n').filter(Boolean));
  const f = formFields(values, errors);
  return (
    <StaffPage ctx={ctx} title={t('staff.newStatement')}>
      {incident ? (
        <p class="muted">
          <a href={`/staff/crisis/incidents/${incident.id}`}>{incident.title}</a>
        </p>
      ) : null}
      <h1>{t('staff.newStatement')}</h1>
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <form method="post" action={action} class="stack statement-form" novalidate>
        <Csrf token={ctx.csrf} />
        {incident ? (
          <input type="hidden" name="incidentId" value={String(incident.id)} />
        ) : picker ? (
          <UnitPicker
            ctx={ctx}
            state={picker}
            label={t('form.unit')}
            errors={errors}
            required
            search={{ method: 'get', action: search }}
          />
        ) : null}
        <f.Select
          name="kind"
          label={t('form.kind')}
          options={(['notice', 'update', 'correction'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        />
        <f.Select
          name="refersTo"
          label={t('form.refersTo')}
          empty={t('form.refersNone')}
          options={released.map((s) => ({ value: String(s.id), label: `${s.number} — ${s.title}` }))}
        />
        <f.Field name="title" label={t('form.title')} required maxLength={200} />
        <f.Field name="body" label={t('form.body')} required multiline rows={10} maxLength={20000} />
        <f.Field name="titleEn" label={t('form.titleEn')} maxLength={200} />
        <f.Field name="bodyEn" label={t('form.bodyEn')} multiline rows={6} maxLength={20000} />
        <fieldset class="field">
          <legend>{t('form.lists')}</legend>
          {lists.map((l) => (
            <label class="check">
              <input type="checkbox" name="listIds" value={String(l.id)} checked={chosen.has(String(l.id))} /> {l.name}{' '}
              <span class="muted">({t(`lists.kind.${l.kind}`)})</span>
            </label>
          ))}
        </fieldset>
        <button type="submit">{isNew ? t('form.saveDraft') : t('form.save')}</button>
      </form>
    </StaffPage>
  );
}

export function StatementStaffPage({
  ctx,
  s,
  incident,
  lists,
  counts,
  flash,
  errors,
  values,
  canDraft,
  canApprove,
}: {
  ctx: PageCtx;
  s: StatementRow;
  incident: IncidentRow | null;
  lists: ListRow[];
  counts: DeliveryCounts;
  flash?: string | null;
  errors: FieldErrors;
  values?: FormValues;
  canDraft: boolean;
  canApprove: boolean;
}) {
  const t = ct(ctx.locale);
  const f = formFields(values, errors);
  return (
    <StaffPage ctx={ctx} title={s.title}>
      <p class="muted">
        {incident ? (
          <a href={`/staff/crisis/incidents/${incident.id}`}>{incident.title}</a>
        ) : (
          <a href="/staff/crisis">{t('staff.title')}</a>
        )}
      </p>
      <h1>{s.title}</h1>
      <Flash msg={flash} />
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <p>
        <span class={`badge stmt-${s.status}`}>{t(`stmt.status.${s.status}`)}</span> {t(`kind.${s.kind}`)}
        {s.refers_number ? ` → ${s.refers_number}` : ''} · {s.drafter_name}
        {s.approver_name ? ` → ${s.approver_name}` : ''}
      </p>
      {s.text_version > 1 ? (
        <p class="muted">{t('staff.textVersion', { version: s.text_version, name: s.text_editor_name ?? '—' })}</p>
      ) : null}
      {s.return_note && s.status === 'draft' ? (
        <Notice kind="warning">
          {t('event.returned')}: {s.return_note}
        </Notice>
      ) : null}
      {s.status === 'released' ? (
        <p>
          {t('stmt.number')} <strong>{s.number}</strong> · {t('stmt.code')} <code>{s.code}</code> ·{' '}
          {formatDateTime(ctx.locale, s.released_at)} · <a href={`/statements/${s.number}`}>{t('staff.publicPage')}</a>{' '}
          · <a href={`/staff/crisis/statements/${s.id}/deliveries`}>{t('staff.deliveries')}</a> ({counts.sent}/
          {counts.total})
        </p>
      ) : null}
      <div class="card">
        <Paragraphs text={s.body} />
      </div>
      {s.body_en ? (
        <div class="card" lang="en">
          <h2>{s.title_en}</h2>
          <Paragraphs text={s.body_en} />
        </div>
      ) : null}
      <p class="muted">
        {t('form.lists')}: {lists.map((l) => l.name).join(', ') || '—'}
      </p>
      {s.status === 'draft' && canDraft ? (
        <p class="cta-row">
          <a class="button secondary" href={`/staff/crisis/statements/${s.id}/edit`}>
            {ctx.t('common.edit')}
          </a>
          <form method="post" action={`/staff/crisis/statements/${s.id}/submit`} class="inline">
            <Csrf token={ctx.csrf} />
            <button type="submit">{t('form.submit')}</button>
          </form>
        </p>
      ) : null}
      {s.status === 'submitted' && canApprove ? (
        <div class="approve-box">
          <form method="post" action={`/staff/crisis/statements/${s.id}/release`} class="inline">
            <Csrf token={ctx.csrf} />
            <button type="submit" class="release">
              {t('form.approve')}
            </button>
          </form>
          <form method="post" action={`/staff/crisis/statements/${s.id}/return`} class="stack">
            <Csrf token={ctx.csrf} />
            <f.Field name="note" label={t('form.returnNote')} maxLength={1000} />
            <button type="submit" class="secondary">
              {t('form.return')}
            </button>
          </form>
        </div>
      ) : null}
    </StaffPage>
  );
}

export function DeliveriesPage({
  ctx,
  s,
  counts,
  rows,
  flash,
  canResend,
}: {
  ctx: PageCtx;
  s: StatementRow;
  counts: DeliveryCounts;
  rows: DeliveryRow[];
  flash?: string | null;
  canResend: boolean;
}) {
  const t = ct(ctx.locale);
  return (
    <StaffPage ctx={ctx} title={t('deliv.title', { number: s.number ?? '' })}>
      <p class="muted">
        <a href={`/staff/crisis/statements/${s.id}`}>{s.title}</a>
      </p>
      <h1>{t('deliv.title', { number: s.number ?? '' })}</h1>
      <Flash msg={flash} />
      {counts.total === 0 ? <p>{t('deliv.none')}</p> : <p class="deliv-summary">{t('deliv.summary', { ...counts })}</p>}
      <h2>{t('deliv.notReceived')}</h2>
      {rows.length === 0 && counts.total > 0 ? <p>{t('deliv.allReceived')}</p> : null}
      {rows.length ? (
        <>
          <div class="table-scroll">
            <table class="not-received">
              <thead>
                <tr>
                  <th>{t('deliv.recipient')}</th>
                  <th>{t('deliv.channel')}</th>
                  <th>{t('deliv.status')}</th>
                  <th>{t('deliv.attempts')}</th>
                  <th>{t('deliv.error')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>
                      {r.contact_name ?? r.webhook_name ?? ''}{' '}
                      <span class="muted">{r.channel === 'email' ? r.recipient : ''}</span>
                    </td>
                    <td>{r.channel}</td>
                    <td>
                      <span class={`badge d-${r.status}`}>{t(`deliv.status.${r.status as 'sent'}`)}</span>
                    </td>
                    <td>{r.attempts}</td>
                    <td>{r.last_error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {counts.failed && canResend ? (
            <form method="post" action={`/staff/crisis/statements/${s.id}/resend`}>
              <Csrf token={ctx.csrf} />
              <button type="submit">{t('deliv.resend')}</button>
            </form>
          ) : null}
        </>
      ) : null}
    </StaffPage>
  );
}

export function ListsPage({
  ctx,
  lists,
  picker,
  values,
  errors,
  flash,
}: {
  ctx: PageCtx;
  lists: ListRow[];
  /** The new list's unit, chosen with the unit picker. */
  picker: PickerState;
  values: FormValues;
  errors: FieldErrors;
  flash?: string | null;
}) {
  const t = ct(ctx.locale);
  const f = formFields(values, errors);
  return (
    <StaffPage ctx={ctx} title={t('lists.title')}>
      <p class="muted">
        <a href="/staff/crisis">{t('staff.title')}</a>
      </p>
      <h1>{t('lists.title')}</h1>
      <Flash msg={flash} />
      <ul>
        {lists.map((l) => (
          <li>
            <a href={`/staff/crisis/lists/${l.id}`}>{l.name}</a> — {t(`lists.kind.${l.kind}`)} ·{' '}
            {l.kind === 'network' ? t('lists.networkNote') : t('lists.count', { n: l.contacts })}
          </li>
        ))}
      </ul>
      <h2>{t('lists.new')}</h2>
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <form method="post" action="/staff/crisis/lists" class="stack">
        <Csrf token={ctx.csrf} />
        <f.Field name="name" label={t('lists.name')} required maxLength={120} />
        <f.Select
          name="kind"
          label={t('lists.kind')}
          options={LIST_KINDS.map((k) => ({ value: k, label: t(`lists.kind.${k}`) }))}
        />
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('form.unit')}
          errors={errors}
          required
          search={{ method: 'get', action: '/staff/crisis/lists' }}
        />
        <button type="submit">{ctx.t('common.create')}</button>
      </form>
    </StaffPage>
  );
}

export function ListPage({
  ctx,
  list,
  contacts,
  values,
  errors,
  flash,
  canManage = true,
  importResult,
  importErrors = {},
}: {
  ctx: PageCtx;
  list: ListRow;
  contacts: ContactRow[];
  values: FormValues;
  errors: FieldErrors;
  flash?: string | null;
  canManage?: boolean;
  importResult?: { added: number; skipped: { line: number; text: string; reason: string }[] } | null;
  importErrors?: FieldErrors;
}) {
  const t = ct(ctx.locale);
  return (
    <StaffPage ctx={ctx} title={list.name}>
      <p class="muted">
        <a href="/staff/crisis/lists">{t('lists.title')}</a>
      </p>
      <h1>{list.name}</h1>
      <p>{t(`lists.kind.${list.kind}`)}</p>
      <Flash msg={flash} />
      {importResult ? (
        <div class={`notice ${importResult.skipped.length ? 'warning' : 'success'}`} role="status">
          <p>{t('lists.importDone', { added: importResult.added, skipped: importResult.skipped.length })}</p>
          {importResult.skipped.length ? (
            <ul class="import-skipped">
              {importResult.skipped.map((r) => (
                <li>{t('lists.importSkipped', { line: r.line, text: r.text, reason: r.reason })}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {list.kind === 'network' ? <Notice>{t('lists.networkNote')}</Notice> : null}
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th>{t('lists.contactName')}</th>
              <th>{t('lists.contactOrg')}</th>
              <th>{t('lists.channel')}</th>
              <th>{t('lists.address')}</th>
              {canManage ? <th>{t('lists.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {contacts.map((c) => (
              <tr data-contact={String(c.id)}>
                <td>{c.name}</td>
                <td>{c.organisation}</td>
                <td>{t(`lists.channel.${c.channel}`)}</td>
                <td>{c.channel === 'webhook' ? c.webhook_url : c.address}</td>
                {canManage ? (
                  <td>
                    <a href={`/staff/crisis/lists/${list.id}/contacts/${c.id}/edit`}>
                      {t('lists.edit')}
                      <span class="sr-only">: {c.name}</span>
                    </a>
                    <form
                      method="post"
                      action={`/staff/crisis/lists/${list.id}/contacts/${c.id}/remove`}
                      class="inline"
                    >
                      <Csrf token={ctx.csrf} />
                      <button type="submit" class="link danger">
                        {t('lists.remove')}
                        <span class="sr-only">: {c.name}</span>
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage ? (
        <>
          <h2>{t('lists.addContact')}</h2>
          <ContactForm
            ctx={ctx}
            action={`/staff/crisis/lists/${list.id}/contacts`}
            values={values}
            errors={errors}
            submit={t('lists.addContact')}
          />
          <h2>{t('lists.import')}</h2>
          <ErrorSummary errors={importErrors} title={t('form.errorTitle')} />
          <form
            method="post"
            action={`/staff/crisis/lists/${list.id}/import`}
            enctype="multipart/form-data"
            class="stack"
            novalidate
          >
            <Csrf token={ctx.csrf} />
            <p class="hint">{t('lists.importHint')}</p>
            <label for="f-file">{t('lists.importFile')}</label>
            <input type="file" id="f-file" name="file" accept=".csv,text/csv" />
            <Field
              name="csv"
              label={t('lists.importText')}
              values={values}
              errors={importErrors}
              multiline
              rows={5}
              maxLength={500000}
            />
            <button type="submit" class="secondary">
              {t('lists.importSubmit')}
            </button>
          </form>
        </>
      ) : null}
    </StaffPage>
  );
}

export function ContactForm({
  ctx,
  action,
  values,
  errors,
  submit,
  editing,
}: {
  ctx: PageCtx;
  action: string;
  values: FormValues;
  errors: FieldErrors;
  submit: string;
  editing?: 'email' | 'webhook';
}) {
  const t = ct(ctx.locale);
  const f = formFields(values, errors);
  return (
    <>
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <form method="post" action={action} class="stack" novalidate>
        <Csrf token={ctx.csrf} />
        <f.Field name="name" label={t('lists.contactName')} required maxLength={120} />
        <f.Field name="organisation" label={t('lists.contactOrg')} maxLength={200} />
        {editing ? (
          <input type="hidden" name="channel" value={editing} />
        ) : (
          <f.Select
            name="channel"
            label={t('lists.channel')}
            options={(['email', 'webhook'] as const).map((k) => ({ value: k, label: t(`lists.channel.${k}`) }))}
          />
        )}
        <f.Field name="address" label={t('lists.address')} required maxLength={500} />
        {editing !== 'email' ? (
          <f.Field
            name="secret"
            label={t('lists.secret')}
            hint={editing ? t('lists.secretKeep') : undefined}
            maxLength={200}
          />
        ) : null}
        <Select
          name="locale"
          label={t('lists.locale')}
          values={values}
          options={[
            { value: 'vi', label: 'Tiếng Việt' },
            { value: 'en', label: 'English' },
          ]}
        />
        <button type="submit">{submit}</button>
      </form>
    </>
  );
}

export function ContactEditPage({
  ctx,
  list,
  contact,
  values,
  errors,
}: {
  ctx: PageCtx;
  list: ListRow;
  contact: ContactRow;
  values: FormValues;
  errors: FieldErrors;
}) {
  const t = ct(ctx.locale);
  return (
    <StaffPage ctx={ctx} title={t('lists.editContact')}>
      <p class="muted">
        <a href={`/staff/crisis/lists/${list.id}`}>{list.name}</a>
      </p>
      <h1>{t('lists.editContact')}</h1>
      <ContactForm
        ctx={ctx}
        action={`/staff/crisis/lists/${list.id}/contacts/${contact.id}/edit`}
        values={values}
        errors={errors}
        submit={t('lists.save')}
        editing={contact.channel}
      />
    </StaffPage>
  );
}

export interface ReportData {
  incident: IncidentRow;
  units: UnitRef[];
  events: EventRow[];
  statements: StatementRow[];
  perStatement: { s: StatementRow; counts: DeliveryCounts }[];
  totals: DeliveryCounts;
  claims: PublishedItem[];
  generatedAt: Date;
}

export function ReportPage({ ctx, d }: { ctx: PageCtx; d: ReportData }) {
  const t = ct(ctx.locale);
  const i = d.incident;
  const rate = (c: DeliveryCounts) => (c.total ? formatPercent(ctx.locale, c.sent / c.total) : '—');
  return (
    <StaffPage ctx={ctx} title={t('report.title', { title: i.title })}>
      <article class="after-action">
        <h1>{t('report.title', { title: pick(ctx.locale, i.title, i.title_en) })}</h1>
        <p class="muted">
          {t('report.generated', { time: formatDateTime(ctx.locale, d.generatedAt) })} ·{' '}
          <a href={`/staff/crisis/incidents/${i.id}/report.csv`}>{t('staff.reportCsv')}</a>
        </p>
        <p>
          <StatusBadge locale={ctx.locale} status={i.status} />{' '}
          <SeverityBadge locale={ctx.locale} severity={i.severity} /> {t(`type.${i.type}`)} ·{' '}
          {t('incident.opened', { time: formatDateTime(ctx.locale, i.opened_at) })}
          {i.closed_at ? ` · ${t('incident.closedAt', { time: formatDateTime(ctx.locale, i.closed_at) })}` : ''}
        </p>
        <p>
          {t('incident.affected')}: {d.units.map((u) => unitName(ctx.locale, u)).join(', ')} ·{' '}
          {t('incident.spokesperson')}: {i.spokesperson_name}
        </p>
        <h2>{t('report.statements')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('stmt.number')}</th>
              <th>{t('form.title')}</th>
              <th>{t('stmt.releasedAt')}</th>
              <th>{t('report.recipients')}</th>
              <th>{t('report.delivered')}</th>
              <th>{t('report.failed')}</th>
              <th>{t('report.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {d.perStatement.map(({ s, counts }) => (
              <tr>
                <td>{s.number}</td>
                <td>
                  {s.title}
                  {s.refers_number ? ` (${t(`kind.${s.kind}`)} ${s.refers_number})` : ''}
                </td>
                <td>{formatDateTime(ctx.locale, s.released_at)}</td>
                <td>{counts.total}</td>
                <td>{counts.sent}</td>
                <td>{counts.failed}</td>
                <td>{rate(counts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('report.distribution')}</h2>
        <p class="report-totals">
          {t('deliv.summary', { ...d.totals })} {t('report.rate')}: {rate(d.totals)}
        </p>
        <h2>{t('report.claims')}</h2>
        {d.claims.length ? (
          <ul>
            {d.claims.map((c) => (
              <li>
                {c.title} {c.verdictLabel ? `— ${c.verdictLabel}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('incident.falseNone')}</p>
        )}
        <h2>{t('report.timeline')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('report.at')}</th>
              <th>{t('report.event')}</th>
              <th>{t('report.actor')}</th>
            </tr>
          </thead>
          <tbody>
            {d.events.map((e) => (
              <tr>
                <td>{formatDateTime(ctx.locale, e.at)}</td>
                <td>{eventText(ctx.locale, e)}</td>
                <td>{e.actor_label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    </StaffPage>
  );
}

/** A required confirmation box, with its error beside it. */
const Confirm = ({
  name,
  label,
  values,
  errors,
}: {
  name: string;
  label: string;
  values: FormValues;
  errors: FieldErrors;
}) => (
  <div class={`field${errors[name] ? ' has-error' : ''}`}>
    <label class="check" for={`f-${name}`}>
      <input
        type="checkbox"
        id={`f-${name}`}
        name={name}
        value="1"
        checked={values[name] === '1'}
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={errors[name] ? `f-${name}-err` : undefined}
      />{' '}
      {label}
    </label>
    {errors[name] ? (
      <p class="error" id={`f-${name}-err`} role="alert">
        {errors[name]}
      </p>
    ) : null}
  </div>
);

/** The signing keys with their validity periods, and the rotation form (confirmation and reason required). */
export function KeysPage({
  ctx,
  keys,
  values,
  errors,
  flash,
}: {
  ctx: PageCtx;
  keys: (SigningKeyRow & { signed: number })[];
  values: FormValues;
  errors: FieldErrors;
  flash?: string | null;
}) {
  const t = ct(ctx.locale);
  const when = (d: Date | null) => (d ? formatDateTime(ctx.locale, d) : t('keys.stillValid'));
  const retired = keys.filter((k) => k.retired_at != null);
  const f = formFields(values, errors);
  return (
    <StaffPage ctx={ctx} title={t('keys.title')}>
      <h1>{t('keys.title')}</h1>
      <Flash msg={flash} />
      <p>{t('keys.intro')}</p>
      <div class="table-scroll">
        <table class="crisis-keys">
          <thead>
            <tr>
              <th>{t('keys.keyId')}</th>
              <th>{t('keys.status')}</th>
              <th>{t('keys.validFrom')}</th>
              <th>{t('keys.validUntil')}</th>
              <th>{t('keys.signed')}</th>
              <th>{t('keys.reasonCol')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr data-key={k.key_id}>
                <td>
                  <code>{k.key_id}</code>
                </td>
                <td>
                  {k.retired_at == null ? (
                    <span class="badge success">{t('keys.status.current')}</span>
                  ) : k.compromised_since ? (
                    <span class="badge danger">
                      {t('keys.status.compromised', { since: formatDateTime(ctx.locale, k.compromised_since) })}
                    </span>
                  ) : (
                    <span class="badge">{t('keys.status.retired')}</span>
                  )}
                </td>
                <td>{formatDateTime(ctx.locale, k.valid_from)}</td>
                <td>{when(k.retired_at)}</td>
                <td>{k.signed}</td>
                <td>
                  {k.reason ?? ''}
                  {k.retired_by_name ? <span class="muted"> — {k.retired_by_name}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href="/.well-known/caunoi-statements.json">{t('keys.publicList')}</a>
      </p>
      <h2>{t('keys.rotate')}</h2>
      <p>{t('keys.rotateHint')}</p>
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <form method="post" action="/staff/crisis/keys/rotate" class="stack" novalidate>
        <Csrf token={ctx.csrf} />
        <f.Field
          name="reason"
          label={t('keys.reason')}
          hint={t('keys.reasonHint')}
          required
          maxLength={500}
          multiline
          rows={3}
        />
        <label class="check">
          <input type="checkbox" name="compromised" value="1" checked={values.compromised === '1'} />{' '}
          {t('keys.compromised')}
        </label>
        <f.Field
          name="compromisedSince"
          label={t('keys.compromisedSince')}
          hint={t('keys.compromisedSinceHint')}
          maxLength={40}
          placeholder="2026-11-23 08:00"
          autocomplete="off"
        />
        <Confirm name="confirm" label={t('keys.confirm')} values={values} errors={errors} />
        <button type="submit" class="danger">
          {t('keys.submit')}
        </button>
      </form>
      {retired.length ? (
        <>
          <h2>{t('keys.leak')}</h2>
          <p>{t('keys.leakHint')}</p>
          <form method="post" action="/staff/crisis/keys/leak" class="stack" novalidate>
            <Csrf token={ctx.csrf} />
            <f.Select
              name="leakKey"
              label={t('keys.leakKey')}
              required
              options={retired.map((k) => ({
                value: k.key_id,
                label: `${k.key_id} (${formatDateTime(ctx.locale, k.valid_from)} – ${formatDateTime(ctx.locale, k.retired_at)})`,
              }))}
            />
            <f.Field
              name="leakSince"
              label={t('keys.compromisedSince')}
              hint={t('keys.compromisedSinceHint')}
              required
              maxLength={40}
              placeholder="2026-11-23 08:00"
              autocomplete="off"
            />
            <f.Field
              name="leakReason"
              label={t('keys.leakReason')}
              hint={t('keys.reasonHint')}
              required
              maxLength={500}
              multiline
              rows={2}
            />
            <Confirm name="leakConfirm" label={t('keys.leakConfirm')} values={values} errors={errors} />
            <button type="submit" class="danger">
              {t('keys.leakSubmit')}
            </button>
          </form>
        </>
      ) : null}
    </StaffPage>
  );
}
