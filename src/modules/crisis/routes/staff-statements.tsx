/** Staff statement pages: draft, edit, submit, release, return, re-send, and who has not received it. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { formValues, type FieldErrors, type FormValues } from '../../../http/forms.js';
import { requireStaff } from '../../../http/routes/staff.js';
import { can, ForbiddenError } from '../../../platform/auth/permissions.js';
import { parseCrisisForm, statementSchema } from '../forms.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { DeliveriesPage, StatementForm, StatementStaffPage } from '../views/staff.js';
import { actor, body, flashText, formErrors, idParam, site } from './helpers.js';
import { parseId } from '../../../platform/ids.js';

/** /staff/crisis/statements: new, draft, view, edit, submit, release, return, resend, deliveries. */
export function staffStatementRoutes(app: Hono<AppEnv>): void {
  /** The form for a new statement, or (stored) for editing one: who may open it is decided by the stored unit. */
  const statementFormPage = async (
    c: Ctx,
    incidentId: number | null,
    values: FormValues,
    errors: FieldErrors,
    action: string,
    isNew: boolean,
    status: 200 | 422 = 200,
    stored?: repo.StatementRow,
  ) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const incident = incidentId ? ((await repo.getIncident(db, incidentId)) ?? null) : null;
    if (incidentId && !incident) throw notFound();
    if (stored) {
      if (!(await service.mayDraft(db, p, incident, stored.unit_path))) throw new ForbiddenError('crisis.draft');
    } else if (!(await service.mayDraft(db, p, incident, incident?.unit_path ?? ''))) {
      if (incident || !can(p, 'crisis.draft')) throw new ForbiddenError('crisis.draft');
    }
    const [allLists, allReleased, allUnits] = await Promise.all([
      repo.listLists(db),
      repo.listStatements(db, {
        incidentId: incidentId ?? undefined,
        status: 'released',
        outsideIncidents: !incidentId,
        limit: 100,
      }),
      repo.activeUnits(db),
    ]);
    // only what this person may choose: units they draft for, lists of those units (or of the incident's subtree)
    const units = allUnits.filter((u) => can(p, 'crisis.draft', u.path) || u.id === stored?.unit_id);
    const basePath = incident?.unit_path ?? stored?.unit_path;
    const released = incident ? allReleased : allReleased.filter((r) => can(p, 'crisis.draft', r.unit_path));
    const lists = allLists.filter((l) =>
      basePath
        ? service.listUsable(p, l, basePath)
        : can(p, 'crisis.draft', l.unit_path) || can(p, 'crisis.manage', l.unit_path),
    );
    c.status(status);
    return c.html(
      <StatementForm
        ctx={pageCtx(c)}
        values={values}
        errors={errors}
        lists={lists}
        released={released}
        incident={incident ?? null}
        units={units}
        action={action}
        isNew={isNew}
      />,
    );
  };

  app.get('/staff/crisis/statements/new', async (c) => {
    const incidentId = parseId(c.req.query('incident'));
    const db = c.get('deps').db;
    const values: FormValues = { kind: 'notice' };
    if (incidentId) {
      const prev = (await repo.listStatements(db, { incidentId, status: 'released', limit: 1 }))[0];
      if (prev) {
        values.kind = 'update';
        values.refersTo = String(prev.id);
        values.listIds = (await repo.statementListIds(db, prev.id)).join('\n');
      }
    } else {
      const p = requireStaff(c);
      values.unitId = String((await repo.activeUnits(db)).find((u) => can(p, 'crisis.draft', u.path))?.id ?? '');
    }
    return statementFormPage(c, incidentId, values, {}, '/staff/crisis/statements', true);
  });

  app.post('/staff/crisis/statements', async (c) => {
    const a = actor(c);
    const b = await body(c);
    const r = parseCrisisForm(statementSchema, b, c.get('locale'));
    const incidentId = parseId(b.incidentId);
    if (!r.ok) return statementFormPage(c, incidentId, r.values, r.errors, '/staff/crisis/statements', true, 422);
    try {
      const id = await service.draftStatement(c.get('deps').db, a, r.data);
      return c.redirect(`/staff/crisis/statements/${id}?flash=saved`, 303);
    } catch (e) {
      return statementFormPage(c, incidentId, formValues(b), formErrors(c, e), '/staff/crisis/statements', true, 422);
    }
  });

  const statementPage = async (
    c: Ctx,
    id: number,
    errors: FieldErrors = {},
    status: 200 | 422 = 200,
    values?: FormValues,
  ) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const s = await repo.getStatement(db, id);
    if (!s) throw notFound();
    const incident = s.incident_id ? ((await repo.getIncident(db, s.incident_id)) ?? null) : null;
    const [canDraft, canApprove] = await Promise.all([
      service.mayDraft(db, p, incident, s.unit_path),
      service.mayApprove(db, p, incident, s.unit_path),
    ]);
    if (!canDraft && !canApprove && !(await service.mayView(db, p, incident, s.unit_path)))
      throw new ForbiddenError('crisis.view');
    const listIds = await repo.statementListIds(db, id);
    const lists = (await repo.listLists(db)).filter((l) => listIds.includes(l.id));
    const counts = await repo.deliveryCounts(db, [id]);
    c.status(status);
    return c.html(
      <StatementStaffPage
        ctx={pageCtx(c)}
        s={s}
        incident={incident}
        lists={lists}
        counts={counts}
        flash={flashText(c, s)}
        errors={errors}
        values={values}
        canDraft={canDraft}
        canApprove={canApprove && service.ownTextKey(p.userId, s) === null}
      />,
    );
  };

  app.get('/staff/crisis/statements/:id{[0-9]+}', (c) => statementPage(c, idParam(c)));

  app.get('/staff/crisis/statements/:id{[0-9]+}/edit', async (c) => {
    const db = c.get('deps').db;
    const s = await repo.getStatement(db, idParam(c));
    if (!s) throw notFound();
    const values: FormValues = {
      kind: s.kind,
      refersTo: s.refers_to ? String(s.refers_to) : '',
      title: s.title,
      titleEn: s.title_en ?? '',
      body: s.body,
      bodyEn: s.body_en ?? '',
      unitId: String(s.unit_id),
      listIds: (await repo.statementListIds(db, s.id)).join('\n'),
    };
    return statementFormPage(c, s.incident_id, values, {}, `/staff/crisis/statements/${s.id}/edit`, false, 200, s);
  });

  app.post('/staff/crisis/statements/:id{[0-9]+}/edit', async (c) => {
    const id = idParam(c);
    const db = c.get('deps').db;
    const s = await repo.getStatement(db, id);
    if (!s) throw notFound();
    const b = await body(c);
    const action = `/staff/crisis/statements/${id}/edit`;
    const r = parseCrisisForm(statementSchema, { ...b, incidentId: s.incident_id ?? '' }, c.get('locale'));
    if (!r.ok) return statementFormPage(c, s.incident_id, r.values, r.errors, action, false, 422, s);
    try {
      await service.editDraft(db, actor(c), id, r.data);
      return c.redirect(`/staff/crisis/statements/${id}?flash=saved`, 303);
    } catch (e) {
      return statementFormPage(c, s.incident_id, formValues(b), formErrors(c, e), action, false, 422, s);
    }
  });

  const transition = (path: string, run: (c: Ctx, id: number) => Promise<string>) =>
    app.post(`/staff/crisis/statements/:id{[0-9]+}/${path}`, async (c) => {
      const id = idParam(c);
      try {
        return c.redirect(await run(c, id), 303);
      } catch (e) {
        return statementPage(c, id, formErrors(c, e), 422, formValues(await body(c)));
      }
    });

  transition('submit', async (c, id) => {
    await service.submitStatement(c.get('deps').db, actor(c), id);
    return `/staff/crisis/statements/${id}?flash=submitted`;
  });

  transition('release', async (c, id) => {
    const r = await service.releaseStatement(c.get('deps').db, actor(c), id, site(c));
    return `/staff/crisis/statements/${id}?flash=${r.replayed ? 'already' : 'released'}`;
  });

  transition('return', async (c, id) => {
    const b = await body(c);
    await service.returnStatement(c.get('deps').db, actor(c), id, String(b.note ?? '').slice(0, 1000));
    return `/staff/crisis/statements/${id}?flash=returned`;
  });

  transition('resend', async (c, id) => {
    const n = await service.resendFailed(c.get('deps').db, actor(c), id);
    return `/staff/crisis/statements/${id}/deliveries?flash=resent&n=${n}`;
  });

  app.get('/staff/crisis/statements/:id{[0-9]+}/deliveries', async (c) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const s = await repo.getStatement(db, idParam(c));
    if (!s) throw notFound();
    const incident = s.incident_id ? ((await repo.getIncident(db, s.incident_id)) ?? null) : null;
    if (
      !(await service.mayView(db, p, incident, s.unit_path)) &&
      !(await service.mayDraft(db, p, incident, s.unit_path))
    )
      throw new ForbiddenError('crisis.view');
    const [counts, rows, canResend] = await Promise.all([
      repo.deliveryCounts(db, [s.id]),
      repo.undelivered(db, s.id),
      service.mayResend(db, p, incident, s.unit_path),
    ]);
    return c.html(
      <DeliveriesPage ctx={pageCtx(c)} s={s} counts={counts} rows={rows} flash={flashText(c)} canResend={canResend} />,
    );
  });
}
