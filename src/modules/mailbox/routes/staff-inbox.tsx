/** /staff/mailbox: the filtered, paged inbox, and bulk actions on the selected reports. */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import type { FieldErrors, FormEnv } from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { unitPicker } from '../../../http/unit-picker.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import { inboxScope } from '../service.js';
import { bulk, filterForm, inbox, type BulkRow, type InboxFilterForm } from '../service/inbox.js';
import { FilteredInboxPage, type InboxProps } from '../views/inbox.js';
import { list, type Render, say, submit, text } from './forms.js';

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
  // the ward filter: wards and communes in this person's reach; a refused value is not offered back as chosen
  const picker = data.options.reach.length
    ? await unitPicker(c, {
        name: 'unit',
        leaves: true,
        within: data.options.reach,
        values: { unit: data.errors.unit ? '' : filter.unit, unit_q: c.req.query('unit_q') ?? '' },
      })
    : null;
  const errors: FieldErrors = {
    ...Object.fromEntries(Object.entries(data.errors).map(([k, v]) => [k, say(locale, v)])),
    ...o.errors,
  };
  const results = o.results?.map((r) => ({
    ...r,
    message: r.ok
      ? say(locale, 'inbox.rowOk')
      : say(locale, 'inbox.rowFailed', {
          reason: say(locale, r.key ?? 'inbox.err.notFound', r.vars),
        }),
  }));
  return c.html(
    <FilteredInboxPage
      ctx={pageCtx(c)}
      data={data}
      picker={picker}
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

  app.post('/staff/mailbox/bulk', need('mailbox.view'), submit(bulkSchema, again, bulkRun));
}

const bulkSchema = z.object({
  ids: list,
  bulk_action: text,
  bulk_assignee: text,
  bulk_agency: text,
  bulk_reason: text,
});

/** The inbox the form was sent from: its filters come back as hidden f_… fields. */
const sentFilter = (body: Record<string, unknown>) => filterForm((k) => str(body[`f_${k}`]) || undefined);
const sent = (c: Ctx) => (c as unknown as Context<FormEnv<unknown>>).get('body');

async function bulkRun(c: Ctx, f: z.infer<typeof bulkSchema>): Promise<Response> {
  const form = {
    ids: f.ids,
    action: f.bulk_action,
    assignee: f.bulk_assignee,
    agency: f.bulk_agency,
    reason: f.bulk_reason,
  };
  const results = await bulk(c.get('deps'), actor(c), form);
  return render(c, staff(c), sentFilter(sent(c)), { results });
}

/** A refused bulk action: the same inbox with the choices kept and the message beside the field. */
const again: Render = (c, refused) => {
  const body = sent(c);
  const kept = {
    action: str(body.bulk_action),
    assignee: str(body.bulk_assignee),
    agency: str(body.bulk_agency),
    reason: str(body.bulk_reason),
    ids: arr(body.ids),
  };
  return render(c, staff(c), sentFilter(body), { errors: refused.errors, bulk: kept, status: 422 });
};
