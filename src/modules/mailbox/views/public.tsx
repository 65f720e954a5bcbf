import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import { formatDate, formatDateTime } from '../../../platform/i18n/index.js';
import type { Category, EventRow, PhotoState, ReportRow } from '../repo.js';
import { isOpen, type Status } from '../service/rules.js';
import { OutcomeFact } from './outcomes.js';
import { LIMITS, type ReportView } from '../service.js';
import {
  Assets,
  agencyName,
  catName,
  eventLabel,
  isOverdue,
  m,
  StatusBadge,
  Timeline,
  unitName,
  Post,
} from './shared.js';
import type { NearbyItem } from '../service/nearby.js';
import type { ResidentMay } from '../service/may.js';
import { FormMap, MapAssets, mm, StaticMap, type MapSettings } from './map.js';
import { NearbyBox } from './nearby.js';
import { PhotoGallery } from './photo-sizes.js';

export interface UnitOption {
  id: number;
  code: string;
  full_name: string;
  name_en: string | null;
}

export interface ListProps {
  ctx: PageCtx;
  rows: ReportRow[];
  total: number;
  page: number;
  pageSize: number;
  categories: Category[];
  /** the ward filter: wards and communes of the installation, searched (a GET without JavaScript) */
  picker: PickerState;
  filter: { q: string; category: string; unit: string; status: string };
  /** a filter value that makes no sense, said beside its field */
  errors?: FieldErrors;
}

function qs(f: Record<string, string | number>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== '' && v != null) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function ReportCard({ ctx, r }: { ctx: PageCtx; r: ReportRow }) {
  return (
    <article class="card mb-card">
      <h3 lang="vi">
        <a href={`/mailbox/r/${r.code}`}>{r.title}</a>
      </h3>
      <p class="muted">
        <span class="code">{r.code}</span> ·{' '}
        <time datetime={new Date(r.received_at).toISOString()}>{formatDate(ctx.locale, r.received_at)}</time> ·{' '}
        {catName(ctx.locale, r)} · {unitName(ctx.locale, r)} · <StatusBadge ctx={ctx} status={r.status} />
      </p>
      {r.answer ? (
        <p class="mb-excerpt" lang="vi">
          {r.answer.length > 220 ? `${r.answer.slice(0, 220)}…` : r.answer}
        </p>
      ) : null}
    </article>
  );
}

export function ListPage(p: ListProps) {
  const { ctx } = p;
  const t = m(ctx);
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const cat = p.categories.find((c) => String(c.id) === p.filter.category);
  const unit = p.picker.selected;
  return (
    <Layout
      ctx={ctx}
      title={t('list.title')}
      description={t('list.intro')}
      head={
        <>
          <Assets />
          {unit ? (
            <link
              rel="alternate"
              type="application/atom+xml"
              href={`/mailbox/feed/unit/${unit.code}.atom`}
              title={t('feed.unit', { name: unit.label })}
            />
          ) : null}
          {cat ? (
            <link
              rel="alternate"
              type="application/atom+xml"
              href={`/mailbox/feed/category/${cat.code}.atom`}
              title={t('feed.category', { name: cat.name })}
            />
          ) : null}
        </>
      }
    >
      <h1>{t('list.title')}</h1>
      <p>{t('list.intro')}</p>
      <p>
        <a class="button" href="/mailbox/new">
          {t('list.new')}
        </a>{' '}
        <a href="/mailbox/map">{mm(ctx)('map.open')}</a>
      </p>
      <LookupBox ctx={ctx} />
      <form method="get" action="/mailbox" class="mb-filters" role="search">
        <Field name="q" label={t('list.q')} value={p.filter.q} type="search" maxLength={200} />
        <Select
          name="category"
          label={t('list.category')}
          value={p.filter.category}
          empty={ctx.t('common.all')}
          options={p.categories.map((c) => ({ value: String(c.id), label: ctx.locale === 'en' ? c.name_en : c.name }))}
        />
        <UnitPicker
          ctx={ctx}
          state={p.picker}
          label={t('list.unit')}
          errors={p.errors}
          any={ctx.t('common.all')}
          search={{ method: 'get', action: '/mailbox' }}
        />
        <Select
          name="status"
          label={t('list.status')}
          value={p.filter.status}
          empty={ctx.t('common.all')}
          options={[
            { value: 'answered', label: t('list.answeredOnly') },
            { value: 'open', label: t('list.inProgress') },
          ]}
        />
        <button type="submit">{ctx.t('common.filter')}</button>
      </form>
      <p class="muted" id="mb-count">
        {t('list.count', { n: p.total })}
      </p>
      {p.rows.length === 0 ? <p>{t('list.empty')}</p> : p.rows.map((r) => <ReportCard ctx={ctx} r={r} />)}
      <nav class="pager" aria-label="pages">
        {p.page > 1 ? (
          <a href={`/mailbox${qs({ ...p.filter, page: p.page - 1 })}`} rel="prev">
            {ctx.t('common.prev')}
          </a>
        ) : null}
        {p.page < pages ? (
          <a href={`/mailbox${qs({ ...p.filter, page: p.page + 1 })}`} rel="next">
            {ctx.t('common.next')}
          </a>
        ) : null}
      </nav>
      <p class="muted">
        {t('list.feeds')}:{' '}
        {p.categories.map((c) => (
          <>
            <a href={`/mailbox/feed/category/${c.code}.atom`}>{ctx.locale === 'en' ? c.name_en : c.name}</a>
            {' · '}
          </>
        ))}
        {unit ? (
          <>
            <a href={`/mailbox/feed/unit/${unit.code}.atom`}>{unit.label}</a>
            {' · '}
          </>
        ) : null}
      </p>
    </Layout>
  );
}

function Sender({ ctx, r, own }: { ctx: PageCtx; r: ReportRow; own?: boolean }) {
  const t = m(ctx);
  if (!own) return <>{r.show_name && r.contact_name ? r.contact_name : t('status.anonymous')}</>;
  // the resident's own page says exactly what they chose: a name kept private is not "anonymous"
  if (!r.contact_name) return <>{t('status.senderNone')}</>;
  return <>{t(r.show_name ? 'status.senderPublic' : 'status.senderPrivate', { name: r.contact_name })}</>;
}

function Facts({ ctx, r, own }: { ctx: PageCtx; r: ReportRow; own?: boolean }) {
  const t = m(ctx);
  return (
    <dl class="mb-facts">
      <dt>{ctx.t('common.status')}</dt>
      <dd>
        <StatusBadge ctx={ctx} status={r.status} />
        {isOverdue(r) ? (
          <>
            {' '}
            <span class="badge danger">{t('status.overdue')}</span>
          </>
        ) : null}
      </dd>
      <dt>{t('status.category')}</dt>
      <dd>{catName(ctx.locale, r)}</dd>
      <dt>{t('status.unit')}</dt>
      <dd>
        {unitName(ctx.locale, r)}
        {r.address ? ` — ${r.address}` : ''}
      </dd>
      {r.agency_name ? (
        <>
          <dt>{t('status.agency')}</dt>
          <dd>{agencyName(ctx.locale, r)}</dd>
        </>
      ) : null}
      <dt>{t('status.receivedAt')}</dt>
      <dd>{formatDateTime(ctx.locale, r.received_at)}</dd>
      {r.deadline_at && isOpen(r.status) ? (
        <>
          <dt>{t('status.deadline')}</dt>
          <dd>{formatDate(ctx.locale, r.deadline_at)}</dd>
        </>
      ) : null}
      <dt>{t('status.sender')}</dt>
      <dd>
        <Sender ctx={ctx} r={r} own={own} />
      </dd>
      <OutcomeFact ctx={ctx} r={r} />
    </dl>
  );
}

function Answer({ ctx, r }: { ctx: PageCtx; r: ReportRow }) {
  const t = m(ctx);
  if (!r.answer) return null;
  return (
    <section class="mb-answer" aria-labelledby="answer-h">
      <h2 id="answer-h">{t('status.answer')}</h2>
      <p class="muted">
        {agencyName(ctx.locale, r) ?? ''} · {t('status.answeredBy', { date: formatDate(ctx.locale, r.answered_at) })}
      </p>
      <div class="pre">{r.answer}</div>
      {r.rating ? <p class="muted">{t('status.rating.avg', { n: r.rating })}</p> : null}
    </section>
  );
}

export function ReportPage({ ctx, view, map }: { ctx: PageCtx; view: ReportView; map?: MapSettings }) {
  const t = m(ctx);
  const r = view.report;
  return (
    <Layout ctx={ctx} title={`${r.code} · ${r.title}`} description={r.title} head={<Assets />}>
      <p class="muted">
        <a href="/mailbox">{t('list.title')}</a> › {r.code}
      </p>
      <h1>{r.title}</h1>
      <Facts ctx={ctx} r={r} />
      <div class="pre mb-description">{r.description}</div>
      <PhotoGallery ctx={ctx} photos={view.photos} base="/mailbox/photos" />
      {map ? <StaticMap ctx={ctx} map={map} lat={r.lat} lon={r.lon} unit={unitName(ctx.locale, r)} /> : null}
      <Answer ctx={ctx} r={r} />
      <h2>{t('status.timeline')}</h2>
      <Timeline ctx={ctx} events={view.events} />
    </Layout>
  );
}

export interface FormProps {
  ctx: PageCtx;
  categories: Category[];
  units: UnitOption[];
  values: FormValues;
  errors?: FieldErrors;
  photoIds: string[];
  /** the state of each kept upload (absent: ready) */
  photoStates?: Record<string, PhotoState>;
  onceKey: string;
  maxPhotos: number;
  maxMb: number;
  retentionDays: number;
  notice?: string;
  unitMatches?: number;
  /** the ward field (src/http/views/unit-picker.tsx) */
  unitPicker: PickerState;
  map?: MapSettings;
  nearby?: { items: NearbyItem[]; byUnit: boolean } | null;
}

export function FormPage(p: FormProps) {
  const { ctx, values, errors } = p;
  const t = m(ctx);
  return (
    <Layout
      ctx={ctx}
      title={t('form.title')}
      head={
        <>
          {p.map ? <MapAssets map={p.map} /> : null}
          <Assets />
        </>
      }
    >
      <h1>{t('form.title')}</h1>
      <p>{t('form.intro')}</p>
      {p.notice ? <Notice kind="error">{p.notice}</Notice> : null}
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <Post ctx={ctx} action="/mailbox/new" cls="stack mb-form" multipart novalidate>
        <input type="hidden" name="once" value={p.onceKey} />
        <Select
          name="category"
          label={t('form.category')}
          required
          values={values}
          errors={errors}
          empty={t('form.chooseCategory')}
          options={p.categories.map((c) => ({ value: String(c.id), label: ctx.locale === 'en' ? c.name_en : c.name }))}
        />
        <Field
          name="title"
          label={t('form.titleField')}
          hint={t('form.titleHint')}
          required
          maxLength={LIMITS.title}
          values={values}
          errors={errors}
        />
        <Field
          name="description"
          label={t('form.description')}
          hint={t('form.descriptionHint')}
          required
          multiline
          rows={6}
          maxLength={LIMITS.description}
          values={values}
          errors={errors}
        />
        {/* the ward: search, then choose (a POST with the photos kept, or as you type with JavaScript) */}
        <UnitPicker
          ctx={ctx}
          state={p.unitPicker}
          label={t('form.unit')}
          required
          errors={errors}
          search={{ method: 'post' }}
        />
        <Field
          name="address"
          label={`${t('form.address')} ${ctx.t('common.optional')}`}
          maxLength={LIMITS.address}
          values={values}
          errors={errors}
          autocomplete="street-address"
        />
        <FormMap
          ctx={ctx}
          map={p.map ?? { tiles: '', attribution: '', geocoder: false }}
          lat={values.lat}
          lon={values.lon}
        />
        {errors?.lat || errors?.lon ? (
          <p class="error" role="alert">
            {errors.lat ?? errors.lon}
          </p>
        ) : null}
        <NearbyBox
          ctx={ctx}
          nearby={p.nearby ?? null}
          unitName={(() => {
            const u = p.units.find((x) => String(x.id) === values.unit);
            return u ? (ctx.locale === 'en' ? (u.name_en ?? u.full_name) : u.full_name) : undefined;
          })()}
        />
        <div class={`field${errors?.photos ? ' has-error' : ''}`}>
          <label for="f-photos">{t('form.photos', { max: p.maxPhotos, mb: p.maxMb })}</label>
          {p.photoIds.length ? (
            <div class="mb-attached">
              <p>{t('form.photosAttached')}</p>
              <ul class="mb-photos">
                {p.photoIds.map((id) => (
                  <li>
                    {p.photoStates?.[id] === 'pending' ? (
                      <span class="mb-photo-wait" role="status">
                        {t('photo.processing')}
                      </span>
                    ) : p.photoStates?.[id] === 'failed' ? (
                      <span class="error">{t('photo.failed')}</span>
                    ) : (
                      <img src={`/mailbox/photos/${id}`} alt="" width="120" />
                    )}
                    <label>
                      <input type="checkbox" name="photo_ids" value={id} checked /> {t('form.photosAttached')}
                    </label>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <input
            type="file"
            id="f-photos"
            name="photos"
            accept="image/jpeg,image/png,image/webp"
            multiple
            aria-describedby={errors?.photos ? 'f-photos-err' : undefined}
            data-shrinking={mm(ctx)('photo.shrinking')}
            data-shrunk={mm(ctx)('photo.shrunk', { n: '{n}' })}
          />
          <p class="hint" id="f-photos-status" role="status" aria-live="polite"></p>
          {errors?.photos ? (
            <p class="error" id="f-photos-err" role="alert">
              {errors.photos}
            </p>
          ) : null}
        </div>
        <fieldset>
          <legend>{t('form.contact')}</legend>
          <p class="hint">{t('form.contactHint')}</p>
          <Field
            name="name"
            label={t('form.name')}
            maxLength={LIMITS.name}
            values={values}
            errors={errors}
            autocomplete="name"
          />
          <Field
            name="phone"
            label={t('form.phone')}
            type="tel"
            maxLength={LIMITS.phone}
            values={values}
            errors={errors}
            autocomplete="tel"
            inputmode="tel"
          />
          <Field
            name="email"
            label={t('form.email')}
            type="email"
            maxLength={LIMITS.email}
            values={values}
            errors={errors}
            autocomplete="email"
            inputmode="email"
          />
          <label class="check">
            <input type="checkbox" name="show_name" value="on" checked={values.show_name === 'on'} />{' '}
            {t('form.showName')}
          </label>
        </fieldset>
        <section class="notice mb-privacy" aria-labelledby="privacy-h">
          <h2 id="privacy-h">{t('form.privacyTitle')}</h2>
          <ul>
            <li>{t('form.privacy1')}</li>
            <li>{t('form.privacy2')}</li>
            <li>{t('form.privacy3', { days: p.retentionDays })}</li>
          </ul>
        </section>
        <button type="submit" name="action" value="send">
          {t('form.send')}
        </button>
      </Post>
    </Layout>
  );
}

export interface StatusProps {
  ctx: PageCtx;
  view: ReportView;
  token: string;
  fresh?: boolean;
  url: string;
  reopenDays: number;
  /** what the resident may do now (service/may.ts) */
  may: ResidentMay;
  errors?: FieldErrors;
  values?: FormValues;
  done?: boolean;
}

export function StatusPage(p: StatusProps) {
  const { ctx, view } = p;
  const t = m(ctx);
  const r = view.report;
  const base = `/mailbox/s/${p.token}`;
  return (
    <Layout
      ctx={ctx}
      title={t('status.title', { code: r.code })}
      head={
        <>
          <Assets />
          <meta name="robots" content="noindex" />
        </>
      }
    >
      {p.fresh ? (
        <>
          <div class="mb-panel">
            <h1>{t('sent.title')}</h1>
            <p>
              {t('sent.codeLabel')}
              <br />
              <strong class="mb-panel-code">{r.code}</strong>
            </p>
          </div>
          <section aria-labelledby="next-h">
            <h2 id="next-h">{t('sent.next')}</h2>
            <ol class="mb-next">
              <li>{t('sent.next1')}</li>
              {r.deadline_at ? (
                <li>{t('sent.next2', { date: formatDate(ctx.locale, r.deadline_at), days: r.category_days ?? '' })}</li>
              ) : null}
              <li>{r.contact_email ? t('sent.next3Email', { email: r.contact_email }) : t('sent.next3NoEmail')}</li>
              <li>{t('sent.next4')}</li>
            </ol>
          </section>
          <section aria-labelledby="link-h" class="mb-link-box">
            <h2 id="link-h">{t('sent.linkLabel')}</h2>
            <p>{t('sent.keepLink')}</p>
            <p>
              <a href={p.url} class="mb-private-link">
                {p.url}
              </a>
            </p>
            <button type="button" class="secondary" hidden data-copy={p.url} data-copied-label={t('sent.copied')}>
              {t('sent.copy')}
            </button>
          </section>
        </>
      ) : (
        <h1>{t('status.title', { code: r.code })}</h1>
      )}
      {p.done ? <Notice kind="success">{t('status.done')}</Notice> : null}
      <ErrorSummary errors={p.errors} title={ctx.t('error.validation')} />
      <p class="muted">
        {t('status.private')}
        {p.may.publicPage ? (
          <>
            {' '}
            · <a href={`/mailbox/r/${r.code}`}>{t('status.publicPage')}</a>
          </>
        ) : (
          ''
        )}
      </p>
      <h2>{r.title}</h2>
      <Facts ctx={ctx} r={r} own />
      {r.reject_reason ? <Notice kind="warning">{t('status.rejectReason', { reason: r.reject_reason })}</Notice> : null}
      <div class="pre mb-description">{r.description}</div>
      <PhotoGallery ctx={ctx} photos={view.photos} base={`${base}/photos`} failed />
      <Answer ctx={ctx} r={r} />
      {p.may.rate ? (
        <section>
          <h2>{t('status.rate')}</h2>
          <Post ctx={ctx} action={`${base}/rate`} cls="stack">
            <fieldset class={p.errors?.rating ? 'has-error' : undefined}>
              <legend>{t('status.rating')}</legend>
              {[5, 4, 3, 2, 1].map((n) => (
                <label class="check">
                  <input type="radio" name="rating" value={String(n)} checked={p.values?.rating === String(n)} />{' '}
                  {'★'.repeat(n)} {t('status.stars', { n })}
                </label>
              ))}
              {p.errors?.rating ? (
                <p class="error" role="alert">
                  {p.errors.rating}
                </p>
              ) : null}
            </fieldset>
            <Field
              name="comment"
              label={t('status.ratingComment')}
              multiline
              rows={3}
              maxLength={LIMITS.reason}
              values={p.values}
            />
            <button type="submit">{t('status.rateSend')}</button>
          </Post>
        </section>
      ) : null}
      {r.rating ? <p>{t('status.rated', { n: r.rating })}</p> : null}
      {p.may.reopen ? (
        <section>
          <h2>{t('status.reopen')}</h2>
          <p class="hint">{t('status.reopenHint', { days: p.reopenDays })}</p>
          <Post ctx={ctx} action={`${base}/reopen`} cls="stack">
            <Field
              name="reason"
              label={t('status.reopenReason')}
              multiline
              rows={3}
              maxLength={LIMITS.reason}
              values={p.values}
              errors={p.errors}
              required
            />
            <button type="submit" class="secondary">
              {t('status.reopenSend')}
            </button>
          </Post>
        </section>
      ) : null}
      {p.may.reply && !p.fresh
        ? (() => {
            // a question not yet answered by a reply: the form answers it; otherwise it only adds information
            const last = [...view.events].reverse().find((e) => e.kind === 'question' || e.kind === 'reply');
            const question = last?.kind === 'question' ? last : null;
            const form = (
              <Post ctx={ctx} action={`${base}/reply`} cls="stack" multipart>
                <Field
                  name="body"
                  label={question ? t('status.reply') : t('status.moreLabel')}
                  multiline
                  rows={3}
                  maxLength={LIMITS.note}
                  values={p.values}
                  errors={p.errors}
                />
                <div class={`field${p.errors?.photos ? ' has-error' : ''}`}>
                  <label for="f-photos">{t('status.addPhotos')}</label>
                  <input type="file" id="f-photos" name="photos" accept="image/jpeg,image/png,image/webp" multiple />
                  {p.errors?.photos ? (
                    <p class="error" role="alert">
                      {p.errors.photos}
                    </p>
                  ) : null}
                </div>
                <button type="submit">{t('status.replySend')}</button>
              </Post>
            );
            return question ? (
              <section class="mb-question">
                <h2>{t('status.questionAsked')}</h2>
                <blockquote class="pre">{question.body}</blockquote>
                {form}
              </section>
            ) : (
              <details class="mb-more" open={Boolean(p.errors?.body || p.errors?.photos)}>
                <summary>{t('status.more')}</summary>
                {form}
              </details>
            );
          })()
        : null}
      <h2>{t('status.timeline')}</h2>
      <Timeline ctx={ctx} events={view.events} />
      <section class="mb-privacy-actions">
        <h2>{t('status.privacy')}</h2>
        {r.erased_at ? <p>{t('status.erased')}</p> : null}
        <p>
          <a href={`${base}/export.json`} download>
            {t('status.export')}
          </a>
        </p>
        {!r.erased_at ? (
          <Post ctx={ctx} action={`${base}/erase`}>
            <p class="hint">{t('status.eraseHint')}</p>
            <button type="submit" class="secondary">
              {t('status.erase')}
            </button>
          </Post>
        ) : null}
      </section>
    </Layout>
  );
}

/** "Look up your report": a plain GET form, on the mailbox and home pages. */
export function LookupBox({
  ctx,
  value,
  error,
  h = 'h2',
}: {
  ctx: PageCtx;
  value?: string;
  error?: string;
  h?: 'h1' | 'h2';
}) {
  const t = m(ctx);
  const H = h;
  return (
    <form method="get" action="/mailbox/lookup" class="mb-lookup" role="search" aria-labelledby="mb-lookup-h">
      <H id="mb-lookup-h">{t('lookup.title')}</H>
      <div class={`field${error ? ' has-error' : ''}`}>
        <label for="f-code">{t('lookup.label')}</label>
        <p class="hint" id="f-code-hint">
          {t('lookup.hint')}
        </p>
        <div class="mb-lookup-row">
          <input
            id="f-code"
            name="code"
            type="text"
            maxLength={40}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            value={value ?? ''}
            aria-describedby={error ? 'f-code-hint f-code-err' : 'f-code-hint'}
            aria-invalid={error ? 'true' : undefined}
          />
          <button type="submit">{t('lookup.submit')}</button>
        </div>
        {error ? (
          <p class="error" id="f-code-err" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </form>
  );
}

/** A code nobody has: says so, shows the code as read, and how to check it. */
export function LookupPage({ ctx, code, message }: { ctx: PageCtx; code: string; message: string }) {
  const t = m(ctx);
  return (
    <Layout
      ctx={ctx}
      title={t('lookup.title')}
      head={
        <>
          <Assets />
          <meta name="robots" content="noindex" />
        </>
      }
    >
      <p class="muted">
        <a href="/mailbox">{t('list.title')}</a> › {t('lookup.title')}
      </p>
      <LookupBox ctx={ctx} value={code} error={message} h="h1" />
      <p>{t('lookup.check')}</p>
    </Layout>
  );
}

/** A report that exists but is not public: its status and public steps, never its content. */
export function HiddenReportPage({
  ctx,
  code,
  status,
  events,
}: {
  ctx: PageCtx;
  code: string;
  status: Status;
  events: EventRow[];
}) {
  const t = m(ctx);
  return (
    <Layout
      ctx={ctx}
      title={t('status.title', { code })}
      head={
        <>
          <Assets />
          <meta name="robots" content="noindex" />
        </>
      }
    >
      <p class="muted">
        <a href="/mailbox">{t('list.title')}</a> › <span class="code">{code}</span>
      </p>
      <h1>{t('status.title', { code })}</h1>
      <dl class="mb-facts">
        <dt>{ctx.t('common.status')}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={status} />
        </dd>
      </dl>
      <p>{t('lookup.hidden')}</p>
      <h2>{t('status.timeline')}</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li data-kind={e.kind}>
            <time datetime={new Date(e.at).toISOString()}>{formatDate(ctx.locale, e.at)}</time>
            {' — '}
            <strong>{eventLabel(ctx, e)}</strong>
          </li>
        ))}
      </ol>
    </Layout>
  );
}

export function HomeSection({ ctx, rows }: { ctx: PageCtx; rows: ReportRow[] }) {
  const t = m(ctx);
  if (rows.length === 0)
    return (
      <section class="mb-home">
        <LookupBox ctx={ctx} />
      </section>
    );
  return (
    <section class="mb-home" aria-labelledby="mb-home-h">
      <LookupBox ctx={ctx} />
      <h2 id="mb-home-h">{t('list.latest')}</h2>
      {rows.map((r) => (
        <ReportCard ctx={ctx} r={r} />
      ))}
      <p>
        <a href="/mailbox">{t('list.seeAll')}</a>
      </p>
    </section>
  );
}
