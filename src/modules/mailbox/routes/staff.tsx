/**
 * Staff pages: the figures, one report's page and each step on it (`POST /staff/mailbox/ID/ACTION`, one route per
 * step). The router checks that the person may take the step somewhere (need); the service checks this report.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { HttpError, notFound } from '../../../http/errors.js';
import type { FieldErrors, FormStatus, FormValues } from '../../../http/forms.js';
import { need, staff } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import { type Principal, scopeOf } from '../../../platform/auth/permissions.js';
import { unitPicker as pickUnit } from '../../../http/unit-picker.js';
import { localDate } from '../../../platform/i18n/index.js';
import { parseId } from '../../../platform/ids.js';
import { listAgencies } from '../../../platform/units/repo.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { MailboxError } from '../service.js';
import { casePractice } from '../service/consult.js';
import { dashboardUnit } from '../service/dashboard.js';
import { markSeen } from '../service/inbox.js';
import { staffMay } from '../service/may.js';
import { DashboardPage, StaffReportPage } from '../views/staff.js';
import { type CaseStep, caseForm, line, type Render, say } from './forms.js';
import { staffConsultRoutes } from './staff-consult.js';
import { staffInboxRoutes } from './staff-inbox.js';
import { staffNotifyRoutes } from './staff-notify.js';
import { staffPagePanels, staffPracticeRoutes } from './staff-redaction.js';

const REPORT = '/staff/mailbox/:id{[0-9]+}';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One report's page for staff; after a refused step, with the message beside its field and what was typed. */
async function staffPage(
  c: Ctx,
  p: Principal,
  id: number,
  o: { errors?: FieldErrors; values?: FormValues; done?: boolean; status?: FormStatus } = {},
) {
  const deps = c.get('deps');
  const view = await svc.staffReport(deps.db, p, id).catch((err) => {
    if (err instanceof MailboxError) throw notFound();
    throw err;
  });
  // the ward: the one typed or searched when the edit form comes back, else the report's own
  const values = o.values ?? {};
  const [categories, unitPicker, agencies] = await Promise.all([
    repo.listCategories(deps.db),
    pickUnit(c, {
      name: 'unit',
      leaves: true,
      within: scopeOf(p, 'mailbox.triage'),
      values: { unit: values.unit ?? String(view.report.unit_id), unit_q: values.unit_q ?? '' },
    }),
    listAgencies(deps.db),
  ]);
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
      unitPicker={unitPicker}
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

/** The report's page again after a refused step: the message beside its field and what was typed. */
const casePage: Render = (c, refused, status) => staffPage(c, staff(c), pathId(c), { ...refused, status });

const triageSchema = z.object({
  action: line.pipe(z.enum(['accept', 'reject', 'spam'], { message: 'field.invalidChoice' })),
  reason: line,
});

export function staffRoutes(app: Hono<AppEnv>): void {
  staffInboxRoutes(app); // GET /staff/mailbox (filters, pages) and POST /staff/mailbox/bulk
  staffNotifyRoutes(app); // /staff/mailbox/notifications: e-mail, digest, web push

  app.get('/staff/mailbox/dashboard', need('mailbox.dashboard'), async (c) => {
    const deps = c.get('deps');
    const { unit, scope, refused } = await dashboardUnit(deps.db, staff(c), c.req.query('unit'));
    if (!unit) throw new HttpError(403, 'forbidden', 'error.forbidden');
    // the unit is chosen with the picker inside the person's scope; one outside it is named, the top shown instead
    const picker = await pickUnit(c, {
      name: 'unit',
      within: scope,
      values: { unit: String(unit.id), unit_q: c.req.query('unit_q') ?? '' },
    });
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
    return c.html(
      <DashboardPage
        ctx={pageCtx(c)}
        f={f}
        open={counts.open}
        picker={picker}
        errors={refused ? { unit: say(c.get('locale'), 'inbox.err.filter') } : {}}
        from={fromS}
        to={toS}
      />,
      refused ? 422 : 200,
    );
  });

  staffConsultRoutes(app, casePage);
  staffPracticeRoutes(app, casePage);

  app.get(REPORT, need('mailbox.view'), async (c) =>
    staffPage(c, staff(c), pathId(c), { done: c.req.query('done') === '1' }),
  );

  /** One step on the report: `action` at the router, then the service (this report's unit, agency and state). */
  const step = <S extends z.ZodType>(
    name: string,
    action: string,
    schema: S,
    run: CaseStep<z.infer<S>>,
    picker?: string,
  ) => app.post(`${REPORT}/${name}`, need(action), caseForm(schema, casePage, run, { picker }));
  const deps = (c: Ctx) => c.get('deps');
  const none = z.object({});
  const body = z.object({ body: line });
  const answer = z.object({ answer: line });

  step('triage', 'mailbox.triage', triageSchema, (c, a, id, f) =>
    svc.triage(deps(c), a, id, f.action, f.reason || null),
  );
  // the ward picker's Search without JavaScript (or Enter in its box) re-posts the form: shown again, not saved
  step(
    'edit',
    'mailbox.triage',
    z.object({ category: line, unit: line }),
    (c, a, id, f) => svc.editReport(deps(c), a, id, parseId(f.category), parseId(f.unit)),
    'unit',
  );
  step('route', 'mailbox.triage', z.object({ agency: line, reason: line }), (c, a, id, f) =>
    svc.route(deps(c), a, id, parseId(f.agency), f.reason || null),
  );
  step('share', 'mailbox.triage', z.object({ share_agency: line }), (c, a, id, f) =>
    svc.share(deps(c), a, id, parseId(f.share_agency)),
  );
  step('merge', 'mailbox.triage', z.object({ into: line }), (c, a, id, f) => svc.merge(deps(c), a, id, f.into));
  step('start', 'mailbox.answer', none, (c, a, id) => svc.startHandling(deps(c), a, id));
  step('question', 'mailbox.answer', body, (c, a, id, f) => svc.addNote(deps(c), a, id, f.body, 'question'));
  step('draft', 'mailbox.answer', answer, (c, a, id, f) => svc.draftAnswer(deps(c), a, id, f.answer));
  step('note', 'mailbox.view', body, (c, a, id, f) => svc.addNote(deps(c), a, id, f.body, 'note'));
  step('approve', 'mailbox.approve', answer, (c, a, id, f) => svc.approveAnswer(deps(c), a, id, f.answer || null));
  step('return', 'mailbox.approve', z.object({ reason: line }), (c, a, id, f) =>
    svc.returnDraft(deps(c), a, id, f.reason),
  );
}
