import { assetUrl } from '../../../http/assets.js';
import { Csrf } from '../../../http/views/components.js';
import type { PageCtx } from '../../../http/context.js';
import { formatDateTime, type Locale } from '../../../platform/i18n/index.js';
import { mt, type MailboxKey } from '../i18n.js';
import type { EventRow, PhotoState, ReportRow } from '../repo.js';
import { isOpen, type Status } from '../service/rules.js';

export const m = (ctx: PageCtx) => mt.t(ctx.locale);

export const catName = (l: Locale, r: { category_name: string; category_name_en: string }) =>
  l === 'en' ? r.category_name_en : r.category_name;
export const unitName = (l: Locale, r: { unit_full_name: string; unit_name_en: string | null }) =>
  l === 'en' ? (r.unit_name_en ?? r.unit_full_name) : r.unit_full_name;
export const agencyName = (l: Locale, r: { agency_name: string | null; agency_name_en: string | null }) =>
  l === 'en' ? (r.agency_name_en ?? r.agency_name) : r.agency_name;

const BADGE: Partial<Record<Status, string>> = {
  answered: 'ok',
  closed: 'ok',
  rejected: 'danger',
  spam: 'danger',
  reopened: 'warn',
};

export function StatusBadge({ ctx, status }: { ctx: PageCtx; status: Status }) {
  return (
    <span class={`badge ${BADGE[status] ?? ''}`} data-status={status}>
      {m(ctx)(`status.${status}` as MailboxKey)}
    </span>
  );
}

export function isOverdue(r: ReportRow): boolean {
  return isOpen(r.status) && !!r.deadline_at && new Date(r.deadline_at).getTime() < Date.now();
}

export function eventLabel(ctx: PageCtx, e: EventRow): string {
  const d = e.data ?? {};
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(d)) if (v != null) vars[k] = v;
  if (ctx.locale === 'en' && d.agency_en) vars.agency = d.agency_en;
  return m(ctx)(`ev.${e.kind}` as MailboxKey, vars);
}

export function Timeline({ ctx, events, staff }: { ctx: PageCtx; events: EventRow[]; staff?: boolean }) {
  const t = m(ctx);
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li data-kind={e.kind} class={e.visibility === 'internal' ? 'internal' : undefined}>
          <time datetime={new Date(e.at).toISOString()}>{formatDateTime(ctx.locale, e.at)}</time>
          {' — '}
          <strong>{eventLabel(ctx, e)}</strong>
          {staff ? (
            <span class="muted">
              {' '}
              ·{' '}
              {e.actor_label === 'resident'
                ? t('ev.resident')
                : e.actor_label === 'system'
                  ? t('ev.system')
                  : e.actor_label}
              {e.visibility !== 'public' ? ` · ${t(`vis.${e.visibility}` as MailboxKey)}` : ''}
            </span>
          ) : null}
          {e.body ? <p class="pre">{e.body}</p> : null}
        </li>
      ))}
    </ol>
  );
}

/**
 * A report's photos: the cleaned ones as images; one still being cleaned as a placeholder (its
 * original is never linked); one that could not be read as a note, where `failed` is shown.
 */
export function Photos({
  ctx,
  photos,
  base,
  failed,
}: {
  ctx: PageCtx;
  photos: { file_id: string; state: PhotoState }[];
  base: string;
  failed?: boolean;
}) {
  const shown = failed ? photos : photos.filter((p) => p.state !== 'failed');
  if (shown.length === 0) return null;
  const t = m(ctx);
  return (
    <ul class="mb-photos">
      {shown.map((p) =>
        p.state === 'ready' ? (
          <li>
            <a href={`${base}/${p.file_id}`}>
              <img src={`${base}/${p.file_id}`} alt="" loading="lazy" width="160" />
            </a>
          </li>
        ) : p.state === 'pending' ? (
          <li class="mb-photo-wait" data-photo={p.file_id}>
            <span role="status">{t('photo.processing')}</span>
          </li>
        ) : (
          <li class="mb-photo-failed" data-photo={p.file_id}>
            <span class="error">{t('photo.failed')}</span>
          </li>
        ),
      )}
    </ul>
  );
}

export const STYLE = '/mailbox/assets/mailbox.css';
export const SCRIPT = '/mailbox/assets/mailbox.js';
export const Assets = () => (
  <>
    <link rel="stylesheet" href={assetUrl('mailbox/mailbox.css')} />
    <script src={assetUrl('mailbox/mailbox.js')} defer></script>
  </>
);

/** A form that changes something: POST with the CSRF token; the one way every mailbox page writes it. */
export function Post(p: {
  ctx: PageCtx;
  action: string;
  cls?: string;
  /** a form with a file field */
  multipart?: boolean;
  novalidate?: boolean;
  children?: unknown;
}) {
  return (
    <form
      method="post"
      action={p.action}
      enctype={p.multipart ? 'multipart/form-data' : undefined}
      class={p.cls}
      novalidate={p.novalidate}
    >
      <Csrf token={p.ctx.csrf} />
      {p.children as never}
    </form>
  );
}
