import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDate, formatDateTime } from '../../../platform/i18n/index.js';
import type { PublishedItem } from '../../desk/public.js';
import type { NetKey } from '../i18n.js';
import type { AssignedCourse, CommendationRow, GroupRow, MemberUnit, Profile } from '../repo.js';
import { CHANNELS, type FeedItem } from '../service.js';
import { Head, n, unitName } from './shared.js';

interface FeedCampaign {
  id: number;
  title: string;
  message: string;
  starts_at: Date;
  ends_at: Date;
  opened_at: Date | null;
  items: FeedItem[];
}

export function FeedPage({
  ctx,
  campaigns,
  courses,
  groups,
  units,
  notice,
}: {
  ctx: PageCtx;
  campaigns: FeedCampaign[];
  courses: AssignedCourse[];
  groups: GroupRow[];
  units: MemberUnit[];
  notice?: string;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('feed.title')} staff head={<Head />}>
      <h1>{t('feed.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>{t('feed.intro')}</p>
      <p class="cta-row">
        <a class="button secondary" href="/network/claims/new">
          {t('feed.claim')}
        </a>
      </p>
      <section aria-labelledby="h-camp">
        <h2 id="h-camp">{t('feed.campaigns')}</h2>
        {campaigns.length === 0 ? (
          <p class="muted">{t('feed.noCampaigns')}</p>
        ) : (
          <div class="cards">
            {campaigns.map((c) => (
              <article class="card campaign" data-campaign={c.id}>
                <h3>
                  <a href={`/network/campaigns/${c.id}`}>{c.title}</a>{' '}
                  {c.opened_at ? null : <span class="badge warn">{t('feed.new')}</span>}
                </h3>
                <p>{c.message}</p>
                <p class="muted">
                  {t('feed.until', { date: formatDate(ctx.locale, new Date(new Date(c.ends_at).getTime() - 1)) })} ·{' '}
                  {t('feed.items', { n: c.items.length })}
                </p>
                <p>
                  <a class="button" href={`/network/campaigns/${c.id}`}>
                    {t('feed.open')}
                  </a>
                </p>
              </article>
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="h-train">
        <h2 id="h-train">{t('feed.training')}</h2>
        <CourseList ctx={ctx} courses={courses} />
      </section>
      <section aria-labelledby="h-groups">
        <h2 id="h-groups">{t('feed.groups')}</h2>
        <p class="muted">
          {t('feed.units')}:{' '}
          {units.map((u) => (ctx.locale === 'en' ? (u.name_en ?? u.full_name) : u.full_name)).join(', ')}
        </p>
        {groups.length === 0 ? (
          <p class="muted">{t('feed.noGroups')}</p>
        ) : (
          <ul class="groups">
            {groups.map((g) => (
              <li>
                {g.name} — {unitName(ctx, g)} ({t('feed.groupSize', { n: g.size })})
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href="/network/profile">{t('feed.profile')}</a> ·{' '}
          <a href="/network/recognition/mine">{t('feed.recognition')}</a> ·{' '}
          <a href="/network/reach">{t('reach.title')}</a>
        </p>
      </section>
    </Layout>
  );
}

export function CourseList({ ctx, courses }: { ctx: PageCtx; courses: AssignedCourse[] }) {
  const t = n(ctx);
  const today = new Date().toISOString().slice(0, 10);
  if (courses.length === 0) return <p class="muted">{t('feed.noTraining')}</p>;
  return (
    <ul class="courses">
      {courses.map((c) => (
        <li data-course={c.id}>
          <a href={`/network/training/${c.id}`}>{c.title}</a>{' '}
          {c.passed_at ? (
            <span class="badge ok">{t('tr.passed')}</span>
          ) : c.due_date < today ? (
            <span class="badge danger">{t('tr.overdue')}</span>
          ) : null}
          <br />
          <span class="muted">
            {t('tr.due', { date: formatDate(ctx.locale, c.due_date) })} ·{' '}
            {t('tr.progress', { done: c.done_lessons, total: c.lessons })}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function CampaignPage({
  ctx,
  campaign,
  items,
  notice,
}: {
  ctx: PageCtx;
  campaign: FeedCampaign | { id: number; title: string; message: string; starts_at: Date; ends_at: Date };
  items: FeedItem[];
  notice?: string;
}) {
  const t = n(ctx);
  const chLabel = (c: string) => t(`camp.ch.${c}` as NetKey);
  return (
    <Layout ctx={ctx} title={campaign.title} staff head={<Head />}>
      <p>
        <a href="/network">← {t('feed.title')}</a>
      </p>
      <h1>{campaign.title}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>{campaign.message}</p>
      <p class="muted">
        {t('camp.period', {
          from: formatDate(ctx.locale, campaign.starts_at),
          to: formatDate(ctx.locale, new Date(new Date(campaign.ends_at).getTime() - 1)),
        })}
      </p>
      <p class="muted">{t('camp.howTo')}</p>
      <h2>{t('camp.items')}</h2>
      {items.map((i) => (
        <section class="share-item" data-item={i.id} aria-labelledby={`item-${i.id}`}>
          <h3 id={`item-${i.id}`}>
            <span class="badge">{t(`camp.kind.${i.kind}` as NetKey)}</span> <a href={i.url}>{i.title}</a>
          </h3>
          <div class="linkbox">
            <label class="sr-only" for={`link-${i.id}`}>
              {t('camp.yourLink')}
            </label>
            <input type="url" id={`link-${i.id}`} readonly value={i.link} class="personal-link" />
            <button type="button" class="secondary copy" data-copy={i.link} data-copied-label={t('camp.copied')}>
              {t('camp.copy')}
            </button>
          </div>
          <div class="caption-box">
            <label for={`caption-${i.id}`}>{t('camp.caption')}</label>
            <textarea id={`caption-${i.id}`} readonly rows={3} class="caption-text">
              {i.caption}
            </textarea>
            <button
              type="button"
              class="secondary copy"
              hidden
              data-copy={i.caption}
              data-copied-label={t('camp.copied')}
            >
              {t('camp.copyCaption')}
            </button>
          </div>
          <div class="share-row">
            <button type="button" class="secondary share-sheet" data-share-url={i.link} data-share-title={i.title}>
              {t('camp.shareSheet')}
            </button>
            <a class="button secondary" href={i.share.facebook} target="_blank" rel="noopener noreferrer">
              {t('camp.facebook')}
              <span class="sr-only"> {t('camp.newTab')}</span>
            </a>
            <a class="button secondary" href={i.share.zalo} target="_blank" rel="noopener noreferrer">
              {t('camp.zalo')}
              <span class="sr-only"> {t('camp.newTab')}</span>
            </a>
            <a class="button secondary" href={i.share.x} target="_blank" rel="noopener noreferrer">
              {t('camp.x')}
              <span class="sr-only"> {t('camp.newTab')}</span>
            </a>
          </div>
          {i.shared.length ? (
            <p class="shared-note">
              <span class="badge ok">✓</span> {t('camp.sharedOn', { channels: i.shared.map(chLabel).join(', ') })}
            </p>
          ) : null}
          <form method="post" action={`/network/campaigns/${campaign.id}/items/${i.id}/shared`} class="shared-form">
            <Csrf token={ctx.csrf} />
            <div class="field">
              <label for={`ch-${i.id}`}>
                {t('camp.sharedQ')} — {t('camp.channel')}
              </label>
              <select id={`ch-${i.id}`} name="channel">
                {CHANNELS.map((c) => (
                  <option value={c}>{chLabel(c)}</option>
                ))}
              </select>
            </div>
            <button type="submit">{t('camp.markShared')}</button>
          </form>
        </section>
      ))}
    </Layout>
  );
}

export function LinkProblemPage({
  ctx,
  kind,
  url,
}: {
  ctx: PageCtx;
  kind: 'invalid' | 'ended' | 'withdrawn';
  url?: string;
}) {
  const t = n(ctx);
  const title =
    kind === 'invalid'
      ? t('link.invalidTitle')
      : kind === 'withdrawn'
        ? t('link.withdrawnTitle')
        : t('link.endedTitle');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {kind === 'invalid' ? (
        <p>{t('link.invalid')}</p>
      ) : kind === 'withdrawn' ? (
        <p>{t('link.withdrawn')}</p>
      ) : (
        <>
          <p>{t('link.ended')}</p>
          <p>
            <a class="button" href={url}>
              {t('link.view')}
            </a>
          </p>
        </>
      )}
      <p>
        <a href="/">{ctx.t('error.backHome')}</a>
      </p>
    </Layout>
  );
}

export function ClaimPage({
  ctx,
  values,
  errors,
  unavailable,
  sent,
}: {
  ctx: PageCtx;
  values?: FormValues;
  errors?: FieldErrors;
  unavailable?: boolean;
  sent?: { code: string; answer: PublishedItem | null; related: PublishedItem[] };
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('claim.title')} staff head={<Head />}>
      <p>
        <a href="/network">← {t('feed.title')}</a>
      </p>
      <h1>{t('claim.title')}</h1>
      {sent ? (
        <>
          <Notice kind="success">{t('claim.sent', { code: sent.code })}</Notice>
          {/* the desk's rule: "already checked" only with an answer; related ones are never shown as the verdict */}
          {sent.answer ? (
            <section class="answer">
              <h2>{t('claim.checked')}</h2>
              <p>
                <a href={sent.answer.url}>{sent.answer.title}</a>
                {sent.answer.verdictLabel ? ` — ${sent.answer.verdictLabel}` : ''}
              </p>
            </section>
          ) : (
            <section class="not-checked">
              <h2>{t('claim.notChecked')}</h2>
            </section>
          )}
          {sent.related.length ? (
            <>
              <p>{t('claim.matches')}</p>
              <ul>
                {sent.related.slice(0, 3).map((m) => (
                  <li>
                    <a href={m.url}>{m.title}</a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
      {unavailable ? <Notice kind="warning">{t('claim.unavailable')}</Notice> : null}
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <p>{t('claim.intro')}</p>
      <form method="post" action="/network/claims" class="stack narrow">
        <Csrf token={ctx.csrf} />
        <Field
          name="text"
          label={t('claim.text')}
          multiline
          rows={5}
          maxLength={2000}
          required
          values={values}
          errors={errors}
        />
        <Field
          name="link"
          label={t('claim.link')}
          type="url"
          inputmode="url"
          maxLength={500}
          values={values}
          errors={errors}
        />
        <Field name="seenWhere" label={t('claim.seenWhere')} maxLength={200} values={values} errors={errors} />
        <button type="submit">{ctx.t('common.submit')}</button>
      </form>
    </Layout>
  );
}

export function ProfilePage({
  ctx,
  values,
  errors,
  units,
  notice,
}: {
  ctx: PageCtx;
  values: FormValues;
  errors?: FieldErrors;
  units: MemberUnit[];
  notice?: string;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('profile.title')} staff head={<Head />}>
      <p>
        <a href="/network">← {t('feed.title')}</a>
      </p>
      <h1>{t('profile.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action="/network/profile" class="stack narrow">
        <Csrf token={ctx.csrf} />
        <Field
          name="name"
          label={t('profile.name')}
          required
          maxLength={100}
          autocomplete="name"
          values={values}
          errors={errors}
        />
        <Field
          name="phone"
          label={t('profile.phone')}
          type="tel"
          inputmode="tel"
          maxLength={20}
          autocomplete="tel"
          values={values}
          errors={errors}
        />
        <fieldset class="field checks">
          <legend>{t('profile.notify')}</legend>
          <label class="check">
            <input type="checkbox" name="notify_email" value="1" checked={!!values.notify_email} /> {t('profile.email')}
          </label>
          <label class="check">
            <input type="checkbox" name="notify_push" value="1" checked={!!values.notify_push} /> {t('profile.push')}
          </label>
          <label class="check">
            <input type="checkbox" name="notify_webhook" value="1" checked={!!values.notify_webhook} />{' '}
            {t('profile.webhook')}
          </label>
        </fieldset>
        <button type="submit">{ctx.t('common.save')}</button>
      </form>
      <h2>{t('profile.leave')}</h2>
      <p class="muted">{t('profile.leaveHint')}</p>
      {units.map((u) => (
        <form method="post" action="/network/leave" class="stack">
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="unit" value={String(u.unit_id)} />
          <button type="submit" class="secondary">
            {t('profile.leaveButton', { unit: ctx.locale === 'en' ? (u.name_en ?? u.full_name) : u.full_name })}
          </button>
        </form>
      ))}
    </Layout>
  );
}

export const profileValues = (p: { name: string; phone: string | null }, prof: Profile): FormValues => ({
  name: p.name,
  phone: p.phone ?? '',
  notify_email: prof.notify_email ? '1' : '',
  notify_push: prof.notify_push ? '1' : '',
  notify_webhook: prof.notify_webhook ? '1' : '',
});

export function MyRecognitionPage({ ctx, rows }: { ctx: PageCtx; rows: CommendationRow[] }) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('rec.mine')} staff head={<Head />}>
      <p>
        <a href="/network">← {t('feed.title')}</a>
      </p>
      <h1>{t('rec.mine')}</h1>
      {rows.length === 0 ? (
        <p class="muted">{t('rec.none')}</p>
      ) : (
        <ul class="recognition">
          {rows.map((r) => (
            <li data-commendation={r.id}>
              <strong>{r.reason}</strong>{' '}
              <span class="muted">
                — {unitName(ctx, r)}, {formatDateTime(ctx.locale, r.created_at)}
              </span>{' '}
              <span class={`badge ${r.is_public ? 'ok' : ''}`}>{r.is_public ? t('rec.public') : t('rec.private')}</span>
              <form method="post" action={`/network/recognition/${r.id}/visibility`} class="inline-form">
                <Csrf token={ctx.csrf} />
                <input type="hidden" name="public" value={r.is_public ? '0' : '1'} />{' '}
                <button type="submit" class="link">
                  {r.is_public ? t('rec.makePrivate') : t('rec.makePublic')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function PublicRecognitionPage({ ctx, rows }: { ctx: PageCtx; rows: CommendationRow[] }) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('rec.publicTitle')}>
      <h1>{t('rec.publicTitle')}</h1>
      <p class="muted">{t('rec.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('rec.none')}</p>
      ) : (
        <ul class="recognition">
          {rows.map((r) => (
            <li>
              <strong>{r.user_name ?? t('rec.unitWide')}</strong> — {unitName(ctx, r)}: {r.reason}{' '}
              <span class="muted">({formatDate(ctx.locale, r.created_at)})</span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function JoinPage({
  ctx,
  unit,
  group,
  token,
  values,
  errors,
  sent,
}: {
  ctx: PageCtx;
  unit: string;
  group: string | null;
  token: string;
  values?: FormValues;
  errors?: FieldErrors;
  sent?: boolean;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('join.title')}>
      <h1>{t('join.title')}</h1>
      {sent ? (
        <Notice kind="success">{t('join.sent')}</Notice>
      ) : (
        <>
          <p>{t('join.intro', { unit: group ? `${unit} (${group})` : unit })}</p>
          <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
          <form method="post" action={`/network/join/${token}`} class="stack narrow">
            <Csrf token={ctx.csrf} />
            <Field
              name="name"
              label={t('join.name')}
              required
              maxLength={100}
              autocomplete="name"
              values={values}
              errors={errors}
            />
            <Field
              name="email"
              label={t('join.email')}
              type="email"
              inputmode="email"
              required
              maxLength={200}
              autocomplete="email"
              values={values}
              errors={errors}
            />
            <Field
              name="phone"
              label={t('join.phone')}
              type="tel"
              inputmode="tel"
              maxLength={20}
              autocomplete="tel"
              values={values}
              errors={errors}
            />
            <button type="submit">{t('join.submit')}</button>
          </form>
        </>
      )}
    </Layout>
  );
}

export function LeftPage({ ctx, message }: { ctx: PageCtx; message: string }) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('profile.leave')} staff>
      <h1>{t('profile.leave')}</h1>
      <Notice kind="success">{message}</Notice>
      <p>
        <a href="/staff">{ctx.t('staff.dashboard')}</a>
      </p>
    </Layout>
  );
}

/** The block on the staff overview: a member's feed summary, or a leader's links. */
export function NetworkSummary({ ctx, member }: { ctx: PageCtx; member?: { campaigns: number; courses: number } }) {
  const t = n(ctx);
  return member ? (
    <section class="network-summary">
      <h2>{t('feed.title')}</h2>
      <p>{t('feed.summary', member)}</p>
      <p>
        <a class="button" href="/network">
          {t('menu.feed')}
        </a>
      </p>
    </section>
  ) : (
    <section class="network-summary">
      <h2>{t('menu.manage')}</h2>
      <p>
        <a href="/network/manage">{t('mgr.title')}</a> · <a href="/network/manage/campaigns">{t('menu.campaigns')}</a> ·{' '}
        <a href="/network/manage/training">{t('menu.training')}</a>
      </p>
    </section>
  );
}

export { Select };
