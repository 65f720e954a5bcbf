import type { PageCtx } from '../../../http/context.js';
import { formatDateTime, type Locale } from '../../../platform/i18n/index.js';
import { mt, type MailboxKey } from '../i18n.js';
import type { EventRow, ReportRow } from '../repo.js';
import type { Status } from '../rules.js';

export const m = (ctx: PageCtx) => mt.t(ctx.locale);

export const catName = (l: Locale, r: { category_name: string; category_name_en: string }) => (l === 'en' ? r.category_name_en : r.category_name);
export const unitName = (l: Locale, r: { unit_full_name: string; unit_name_en: string | null }) => (l === 'en' ? r.unit_name_en ?? r.unit_full_name : r.unit_full_name);
export const agencyName = (l: Locale, r: { agency_name: string | null; agency_name_en: string | null }) => (l === 'en' ? r.agency_name_en ?? r.agency_name : r.agency_name);

const BADGE: Partial<Record<Status, string>> = { answered: 'ok', closed: 'ok', rejected: 'danger', spam: 'danger', reopened: 'warn' };

export function StatusBadge({ ctx, status }: { ctx: PageCtx; status: Status }) {
  return <span class={`badge ${BADGE[status] ?? ''}`} data-status={status}>{m(ctx)(`status.${status}` as MailboxKey)}</span>;
}

export function isOverdue(r: ReportRow): boolean {
  return ['received', 'accepted', 'assigned', 'in_progress', 'reopened'].includes(r.status) && !!r.deadline_at && new Date(r.deadline_at).getTime() < Date.now();
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
          <time datetime={new Date(e.at).toISOString()}>{formatDateTime(ctx.locale, e.at)}</time>{' — '}
          <strong>{eventLabel(ctx, e)}</strong>
          {staff ? <span class="muted"> · {e.actor_label === 'resident' ? t('ev.resident') : e.actor_label === 'system' ? t('ev.system') : e.actor_label}{e.visibility !== 'public' ? ` · ${t(`vis.${e.visibility}` as MailboxKey)}` : ''}</span> : null}
          {e.body ? <p class="pre">{e.body}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export function Photos({ ids, base }: { ids: string[]; base: string }) {
  if (ids.length === 0) return null;
  return (
    <ul class="mb-photos">
      {ids.map((id) => (
        <li><a href={`${base}/${id}`}><img src={`${base}/${id}`} alt="" loading="lazy" width="160" /></a></li>
      ))}
    </ul>
  );
}

export const STYLE = '/mailbox/assets/mailbox.css';
export const SCRIPT = '/mailbox/assets/mailbox.js';
export const Assets = () => (
  <>
    <link rel="stylesheet" href={STYLE} />
    <script src={SCRIPT} defer></script>
  </>
);
