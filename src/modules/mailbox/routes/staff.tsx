/**
 * Staff pages: the figures, one report's page and each step on it (`POST /staff/mailbox/ID/ACTION`, one route per
 * step). The router checks that the person may take the step somewhere (need); the service checks this report.
 */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { HttpError, notFound } from '../../../http/errors.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { need, staff } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import { localDate } from '../../../platform/i18n/index.js';
import { parseId } from '../../../platform/ids.js';
import { listAgencies } from '../../../platform/units/repo.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { MailboxError } from '../service.js';
import { casePractice } from '../service/consult.js';
import { dashboardUnits } from '../service/dashboard.js';
import { markSeen } from '../service/inbox.js';
import { staffMay } from '../service/may.js';
import { DashboardPage, StaffReportPage } from '../views/staff.js';
import { staffConsultRoutes } from './staff-consult.js';
import { staffInboxRoutes } from './staff-inbox.js';
import { staffNotifyRoutes } from './staff-notify.js';
import { act, staffPagePanels } from './staff-redaction.js';
import { staffPracticeRoutes } from './staff-redaction.js';

const REPORT = '/staff/mailbox/:id{[0-9]+}';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One report's page for staff; after a refused step, with the message beside its field and what was typed. */
async function staffPage(
  c: Ctx,
  p: Principal,
  id: number,
  o: { errors?: FieldErrors; values?: FormValues; done?: boolean; status?: 200 | 409 | 422 } = {},
) {
  const deps = c.get('deps');
  const view = await svc.staffReport(deps.db, p, id).catch((err) => {
    if (err instanceof MailboxError) throw notFound();
    throw err;
  });
  const [categories, units, agencies] = await Promise.all([
    repo.listCategories(deps.db),
    repo.listLeafUnits(deps.db),
    listAgencies(deps.db),
  ]);
  c.header('cache-control', 'private, no-store');
  const onLine = agencies.filter((a) => svc.onReportLine(a.unit_path, view.report.unit_path));
  const may = staffMay(p, view.report);
  const mine = await staffPagePanels(c, p, view, o); // redaction, outcome, templates (issue 15)
  const practice = await casePractice(deps.db, p, view.report);
  await markSeen(deps.db, p.userId, view.report.id);
  return c.html(
    <StaffReportPage
      ctx={pageCtx(c)}
      view={view}
      may={may}
      categories={categories}
      units={units}
      agencies={onLine}
      errors={o.errors}
      values={o.values}
      done={o.done}
      {...mine}
      practice={practice}
    />,
    o.status ?? 200,
  );
}

export function staffRoutes(app: Hono<AppEnv>): void {
  staffInboxRoutes(app); // GET /staff/mailbox (filters, pages) and POST /staff/mailbox/bulk
  staffNotifyRoutes(app); // /staff/mailbox/notifications: e-mail, digest, web push

  app.get('/staff/mailbox/dashboard', need('mailbox.dashboard'), async (c) => {
    const deps = c.get('deps');
    const units = await dashboardUnits(deps.db, staff(c));
    const unit = units.find((u) => String(u.id) === c.req.query('unit')) ?? units[0];
    if (!unit) throw new HttpError(403, 'forbidden', 'error.forbidden');
    const today = new Date();
    const toS = DAY.test(c.req.query('to') ?? '') ? c.req.query('to')! : localDate(today); // the day in Vietnam, as the range below reads it
    const fromS = DAY.test(c.req.query('from') ?? '')
      ? c.req.query('from')!
      : localDate(new Date(today.getTime() - 365 * 86400_000));
    const f = await repo.figures(deps.db, {
      unitPath: unit.path,
      from: new Date(`${fromS}T00:00:00+07:00`),
      to: new Date(new Date(`${toS}T00:00:00+07:00`).getTime() + 86400_000),
    });
    const counts = await repo.inboxCounts(deps.db, { paths: [unit.path], tied: [] });
    c.header('cache-control', 'private, no-store');
    return c.html(
      <DashboardPage
        ctx={pageCtx(c)}
        f={f}
        open={counts.open}
        units={units}
        unit={String(unit.id)}
        from={fromS}
        to={toS}
      />,
    );
  });

  staffConsultRoutes(app, staffPage);
  staffPracticeRoutes(app, staffPage);

  app.get(REPORT, need('mailbox.view'), async (c) =>
    staffPage(c, staff(c), pathId(c), { done: c.req.query('done') === '1' }),
  );

  /** One step on the report: `action` at the router, then the service (this report's unit, agency and state). */
  const step = (
    name: string,
    action: string,
    fn: (c: Ctx, p: Principal, id: number, s: (field: string) => string) => Promise<unknown>,
  ) =>
    app.post(`${REPORT}/${name}`, need(action), (c) =>
      act(c, staffPage, (p, id, body) => fn(c, p, id, (k) => (body[k] ?? '').trim())),
    );
  const deps = (c: Ctx) => c.get('deps');
  const ip = (c: Ctx) => c.get('ip');

  step('triage', 'mailbox.triage', (c, p, id, s) => {
    const a = s('action');
    if (a !== 'accept' && a !== 'reject' && a !== 'spam')
      throw new MailboxError(422, 'field.invalidChoice', {}, 'action');
    return svc.triage(deps(c), p, id, a, s('reason') || null, ip(c));
  });
  step('edit', 'mailbox.triage', (c, p, id, s) =>
    svc.editReport(deps(c), p, id, parseId(s('category')), parseId(s('unit')), ip(c)),
  );
  step('route', 'mailbox.triage', (c, p, id, s) =>
    svc.route(deps(c), p, id, parseId(s('agency')), s('reason') || null, ip(c)),
  );
  step('share', 'mailbox.triage', (c, p, id, s) => svc.share(deps(c), p, id, parseId(s('share_agency')), ip(c)));
  step('merge', 'mailbox.triage', (c, p, id, s) => svc.merge(deps(c), p, id, s('into'), ip(c)));
  step('start', 'mailbox.answer', (c, p, id) => svc.startHandling(deps(c), p, id, ip(c)));
  step('question', 'mailbox.answer', (c, p, id, s) => svc.addNote(deps(c), p, id, s('body'), 'question', ip(c)));
  step('draft', 'mailbox.answer', (c, p, id, s) => svc.draftAnswer(deps(c), p, id, s('answer'), ip(c)));
  step('note', 'mailbox.view', (c, p, id, s) => svc.addNote(deps(c), p, id, s('body'), 'note', ip(c)));
  step('approve', 'mailbox.approve', (c, p, id, s) => svc.approveAnswer(deps(c), p, id, s('answer') || null, ip(c)));
  step('return', 'mailbox.approve', (c, p, id, s) => svc.returnDraft(deps(c), p, id, s('reason'), ip(c)));
}
