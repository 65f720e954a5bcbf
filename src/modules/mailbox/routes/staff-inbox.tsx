/** /staff/mailbox: the filtered, paged inbox, and bulk actions on the selected reports. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import type { FieldErrors } from '../../../http/forms.js';
import { need, staff } from '../../../http/guard.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import { inboxScope } from '../service.js';
import { bulk, filterForm, inbox, type BulkRow, type InboxFilterForm } from '../service/inbox.js';
import { PracticeError } from '../views/practice-i18n.js';
import { FilteredInboxPage, type InboxProps } from '../views/inbox.js';
import { practiceText } from './staff-consult.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const arr = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(str) : [str(v)]);

async function render(
  c: Ctx,
  p: Principal,
  filter: InboxFilterForm,
  o: { errors?: FieldErrors; bulk?: InboxProps['bulk']; results?: BulkRow[]; status?: 200 | 422 } = {},
) {
  const db = c.get('deps').db;
  const locale = c.get('locale');
  const [data, counts] = await Promise.all([inbox(db, p, filter), repo.inboxCounts(db, inboxScope(p))]);
  const errors: FieldErrors = {
    ...Object.fromEntries(Object.entries(data.errors).map(([k, v]) => [k, practiceText(locale, v)])),
    ...o.errors,
  };
  const results = o.results?.map((r) => ({
    ...r,
    message: r.ok
      ? practiceText(locale, 'inbox.rowOk')
      : practiceText(locale, 'inbox.rowFailed', {
          reason: practiceText(locale, r.key ?? 'inbox.err.notFound', r.vars),
        }),
  }));
  c.header('cache-control', 'private, no-store');
  return c.html(
    <FilteredInboxPage
      ctx={pageCtx(c)}
      data={data}
      counts={counts}
      filter={filter}
      errors={errors}
      bulk={o.bulk}
      results={results}
    />,
    Object.keys(errors).length ? 422 : (o.status ?? 200),
  );
}

export function staffInboxRoutes(app: Hono<AppEnv>): void {
  app.get('/staff/mailbox', need('mailbox.view'), async (c) =>
    render(
      c,
      staff(c),
      filterForm((k) => c.req.query(k)),
    ),
  );

  app.post('/staff/mailbox/bulk', need('mailbox.view'), async (c) => {
    const p = staff(c);
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const filter = filterForm((k) => str(body[`f_${k}`]) || undefined);
    const form = {
      ids: arr(body.ids),
      action: str(body.bulk_action),
      assignee: str(body.bulk_assignee),
      agency: str(body.bulk_agency),
      reason: str(body.bulk_reason),
    };
    const kept = {
      action: form.action,
      assignee: form.assignee,
      agency: form.agency,
      reason: form.reason,
      ids: form.ids,
    };
    try {
      const results = await bulk(c.get('deps'), p, form, c.get('ip'));
      return render(c, p, filter, { results });
    } catch (err) {
      if (!(err instanceof PracticeError)) throw err;
      if (err.status === 404) throw notFound();
      return render(c, p, filter, {
        errors: { [err.field]: practiceText(c.get('locale'), err.key, err.vars) },
        bulk: kept,
        status: 422,
      });
    }
  });
}
