/** Staff statement pages: draft, edit, submit, release, return, re-send, and who has not received it. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { type FieldErrors, type FormValues, orRefused, type Refused, submit } from '../../../http/forms.js';
import { actor, staff } from '../../../http/guard.js';
import { unitPicker } from '../../../http/unit-picker.js';
import { can, ForbiddenError, scopeOf } from '../../../platform/auth/permissions.js';
import { crisisText } from '../i18n.js';
import { returnSchema, statementSchema } from '../service/forms.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { DeliveriesPage, StatementForm, StatementStaffPage } from '../views/staff.js';
import { flashText, idParam, shownValues, site } from './helpers.js';
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
    stored?: repo.StatementRow,
  ) => {
    const p = staff(c);
    const db = c.get('deps').db;
    const incident = incidentId ? ((await repo.getIncident(db, incidentId)) ?? null) : null;
    if (incidentId && !incident) throw notFound();
    if (stored) {
      if (!(await service.mayDraft(db, p, incident, stored.unit_path))) throw new ForbiddenError('crisis.draft');
    } else if (!(await service.mayDraft(db, p, incident, incident?.unit_path ?? ''))) {
      if (incident || !can(p, 'crisis.draft')) throw new ForbiddenError('crisis.draft');
    }
    const [allLists, allReleased, picker] = await Promise.all([
      repo.listLists(db),
      repo.listStatements(db, {
        incidentId: incidentId ?? undefined,
        status: 'released',
        outsideIncidents: !incidentId,
        limit: 100,
      }),
      incident ? null : unitPicker(c, { name: 'unitId', within: scopeOf(p, 'crisis.draft'), valueKind: 'id', values }),
    ]);
    // only what this person may choose: units they draft for, lists of those units (or of the incident's subtree)
    const basePath = incident?.unit_path ?? stored?.unit_path;
    const released = incident ? allReleased : allReleased.filter((r) => can(p, 'crisis.draft', r.unit_path));
    const lists = allLists.filter((l) =>
      basePath
        ? service.listUsable(p, l, basePath)
        : can(p, 'crisis.draft', l.unit_path) || can(p, 'crisis.manage', l.unit_path),
    );
    return c.html(
      <StatementForm
        ctx={pageCtx(c)}
        values={values}
        errors={errors}
        lists={lists}
        released={released}
        incident={incident ?? null}
        picker={picker}
        search={isNew ? '/staff/crisis/statements/new' : action}
        action={action}
        isNew={isNew}
      />,
    );
  };

  /** A new statement: an update of the incident's last released one, or a notice of the first unit one drafts for. */
  const freshStatement = async (c: Ctx, incidentId: number | null): Promise<FormValues> => {
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
      const p = staff(c);
      values.unitId = String((await repo.activeUnits(db)).find((u) => can(p, 'crisis.draft', u.path))?.id ?? '');
    }
    return values;
  };

  app.get('/staff/crisis/statements/new', async (c) => {
    const incidentId = parseId(c.req.query('incident'));
    const values = await shownValues(c, () => freshStatement(c, incidentId));
    return statementFormPage(c, incidentId, values, {}, '/staff/crisis/statements', true);
  });

  const refusedNew = (c: Ctx, r: Refused) =>
    statementFormPage(c, parseId(r.values.incidentId), r.values, r.errors, '/staff/crisis/statements', true);

  app.post(
    '/staff/crisis/statements',
    submit(
      statementSchema,
      refusedNew,
      async (c, f) => {
        const id = await service.draftStatement(c.get('deps').db, actor(c), f);
        return c.redirect(`/staff/crisis/statements/${id}?flash=saved`, 303);
      },
      { catalog: crisisText, picker: { names: 'unitId' } },
    ),
  );

  const statementPage = async (c: Ctx, id: number, errors: FieldErrors = {}, values?: FormValues) => {
    const p = staff(c);
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
    const values = await shownValues(c, async () => ({
      kind: s.kind,
      refersTo: s.refers_to ? String(s.refers_to) : '',
      title: s.title,
      titleEn: s.title_en ?? '',
      body: s.body,
      bodyEn: s.body_en ?? '',
      unitId: String(s.unit_id),
      listIds: (await repo.statementListIds(db, s.id)).join('\n'),
    }));
    return statementFormPage(c, s.incident_id, values, {}, `/staff/crisis/statements/${s.id}/edit`, false, s);
  });

  /** The stored statement decides the incident and who may edit: the form's incidentId is not read. */
  const refusedEdit = async (c: Ctx, r: Refused) => {
    const s = await repo.getStatement(c.get('deps').db, idParam(c));
    if (!s) throw notFound();
    return statementFormPage(c, s.incident_id, r.values, r.errors, `/staff/crisis/statements/${s.id}/edit`, false, s);
  };

  app.post(
    '/staff/crisis/statements/:id{[0-9]+}/edit',
    submit(
      statementSchema,
      refusedEdit,
      async (c, f) => {
        const id = idParam(c);
        const { incidentId: _, ...input } = f;
        await service.editDraft(c.get('deps').db, actor(c), id, input);
        return c.redirect(`/staff/crisis/statements/${id}?flash=saved`, 303);
      },
      { catalog: crisisText, picker: { names: 'unitId' } },
    ),
  );

  const transition = (path: string, run: (c: Ctx, id: number) => Promise<string>) =>
    app.post(`/staff/crisis/statements/:id{[0-9]+}/${path}`, async (c) => {
      const id = idParam(c);
      return orRefused(
        c,
        async () => c.redirect(await run(c, id), 303),
        (c, r) => statementPage(c, id, r.errors, r.values),
      );
    });

  transition('submit', async (c, id) => {
    await service.submitStatement(c.get('deps').db, actor(c), id);
    return `/staff/crisis/statements/${id}?flash=submitted`;
  });

  transition('release', async (c, id) => {
    const r = await service.releaseStatement(c.get('deps'), actor(c), id, site(c));
    return `/staff/crisis/statements/${id}?flash=${r.replayed ? 'already' : 'released'}`;
  });

  app.post(
    '/staff/crisis/statements/:id{[0-9]+}/return',
    submit(
      returnSchema,
      (c, r) => statementPage(c, idParam(c), r.errors, r.values),
      async (c, f) => {
        const id = idParam(c);
        await service.returnStatement(c.get('deps').db, actor(c), id, f.note);
        return c.redirect(`/staff/crisis/statements/${id}?flash=returned`, 303);
      },
      { catalog: crisisText },
    ),
  );

  transition('resend', async (c, id) => {
    const n = await service.resendFailed(c.get('deps').db, actor(c), id);
    return `/staff/crisis/statements/${id}/deliveries?flash=resent&n=${n}`;
  });

  app.get('/staff/crisis/statements/:id{[0-9]+}/deliveries', async (c) => {
    const p = staff(c);
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
