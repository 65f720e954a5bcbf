/** Staff incident pages: open, view, edit, change status, the team, linked fact-checks. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { type FieldErrors, type FormValues, type Refused, submit } from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { multiUnitPicker, unitPicker } from '../../../http/unit-picker.js';
import { can, ForbiddenError, scopeOf } from '../../../platform/auth/permissions.js';
import { recentPublished } from '../../desk/public.js';
import { factcheckSchema, incidentSchema, teamSchema } from '../service/forms.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { IncidentForm, IncidentStaffPage } from '../views/staff.js';
import { flashText, idParam, shownValues, site } from './helpers.js';

const statusSchema = z.object({ status: z.enum(['active', 'monitoring', 'closed'], { message: 'form.errorTitle' }) });

/** /staff/crisis/incidents: new, open, view, edit, status, team, fact-checks. */
export function staffIncidentRoutes(app: Hono<AppEnv>): void {
  const editPath = (id: number) => `/staff/crisis/incidents/${id}/edit`;

  const incidentFormPage = async (c: Ctx, values: FormValues, errors: FieldErrors, isNew: boolean) => {
    const within = scopeOf(staff(c), 'crisis.manage');
    const [affected, picker] = await Promise.all([
      multiUnitPicker(c, { name: 'unitIds', within, values }),
      unitPicker(c, { name: 'unitId', within, valueKind: 'id', values }),
    ]);
    const action = isNew ? '/staff/crisis/incidents' : editPath(idParam(c));
    const search = isNew ? '/staff/crisis/incidents/new' : editPath(idParam(c));
    return c.html(
      <IncidentForm
        ctx={pageCtx(c)}
        values={values}
        errors={errors}
        affected={affected}
        picker={picker}
        search={search}
        action={action}
        isNew={isNew}
      />,
    );
  };
  const refusedNew = (c: Ctx, r: Refused) => incidentFormPage(c, r.values, r.errors, true);
  const refusedEdit = (c: Ctx, r: Refused) => incidentFormPage(c, r.values, r.errors, false);

  app.get('/staff/crisis/incidents/new', need('crisis.manage'), async (c) => {
    const p = staff(c);
    const values = await shownValues(c, async () => ({
      type: 'natural',
      severity: 'moderate',
      unitId: String((await repo.activeUnits(c.get('deps').db)).find((u) => can(p, 'crisis.manage', u.path))?.id ?? ''),
      capCertainty: 'Observed',
      alertExpiresHours: '24',
    }));
    return incidentFormPage(c, values, {}, true);
  });

  app.post(
    '/staff/crisis/incidents',
    need('crisis.manage'),
    submit(
      incidentSchema,
      refusedNew,
      async (c, f) => {
        const id = await service.openIncident(c.get('deps'), actor(c), f);
        return c.redirect(`/staff/crisis/incidents/${id}?flash=opened`, 303);
      },
      { catalog: crisisText, picker: { names: ['unitId', 'unitIds'] } },
    ),
  );

  const incidentPage = async (c: Ctx, refused: Refused = { values: {}, errors: {} }) => {
    const p = staff(c);
    const db = c.get('deps').db;
    const id = idParam(c);
    const i = await repo.getIncident(db, id);
    if (!i) throw notFound();
    await service.assertView(db, p, i);
    const [units, team, statements, events, factchecks, may, suggestions] = await Promise.all([
      repo.incidentUnits(db, id),
      repo.listTeam(db, id),
      repo.listStatements(db, { incidentId: id }),
      repo.eventsOf(db, id, false),
      service.knownFalse(db, id),
      service.incidentMay(db, p, i),
      recentPublished(db, { kind: 'factcheck', limit: 20 }).catch(() => []),
    ]);
    return c.html(
      <IncidentStaffPage
        ctx={pageCtx(c)}
        i={i}
        units={units}
        team={team}
        statements={statements}
        events={events}
        factchecks={factchecks}
        suggestions={suggestions}
        flash={flashText(c)}
        errors={refused.errors}
        values={refused.values}
        canManage={may.manage}
        canDraft={may.draft}
        canTeam={may.team}
      />,
    );
  };

  app.get('/staff/crisis/incidents/:id{[0-9]+}', (c) => incidentPage(c));

  app.get('/staff/crisis/incidents/:id{[0-9]+}/edit', async (c) => {
    const p = staff(c);
    const i = await repo.getIncident(c.get('deps').db, idParam(c));
    if (!i) throw notFound();
    if (!can(p, 'crisis.manage', i.unit_path)) throw new ForbiddenError('crisis.manage');
    const units = await repo.incidentUnits(c.get('deps').db, i.id);
    const values: FormValues = await shownValues(c, () => ({
      title: i.title,
      titleEn: i.title_en ?? '',
      type: i.type,
      severity: i.severity,
      summary: i.summary,
      summaryEn: i.summary_en ?? '',
      unitId: String(i.unit_id),
      unitIds: units.map((u) => String(u.id)).join('\n'),
      spokespersonName: i.spokesperson_name,
      spokespersonTitle: i.spokesperson_title,
      spokespersonPhone: i.spokesperson_phone,
      spokespersonEmail: i.spokesperson_email,
      hotlines: i.hotlines,
      publicAlert: i.public_alert ? '1' : '',
      areaPolygon: i.area_polygon ?? '',
      areaCircle: i.area_circle ?? '',
      capCategory: i.cap_category,
      capCertainty: i.cap_certainty,
      alertInstruction: i.alert_instruction,
      alertInstructionEn: i.alert_instruction_en ?? '',
      alertExpiresHours: String(i.alert_expires_hours),
    }));
    return incidentFormPage(c, values, {}, false);
  });

  app.post(
    '/staff/crisis/incidents/:id{[0-9]+}/edit',
    submit(
      incidentSchema,
      refusedEdit,
      async (c, f) => {
        const id = idParam(c);
        await service.updateIncident(c.get('deps'), actor(c), id, f);
        return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
      },
      { catalog: crisisText, picker: { names: ['unitId', 'unitIds'] } },
    ),
  );

  /** A form on the incident page: the service call, then back to the page (or the page with the refusal). */
  const pageForm = <S extends z.ZodType>(
    path: string,
    schema: S,
    run: (c: Ctx, id: number, f: z.infer<S>) => Promise<unknown>,
  ) =>
    app.post(
      `/staff/crisis/incidents/:id{[0-9]+}/${path}`,
      submit(
        schema,
        incidentPage,
        async (c, f) => {
          const id = idParam(c);
          await run(c, id, f);
          return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
        },
        { catalog: crisisText },
      ),
    );

  pageForm('status', statusSchema, (c, id, f) => service.changeStatus(c.get('deps'), actor(c), id, f.status, site(c)));
  pageForm('team', teamSchema, (c, id, f) => service.addTeamMember(c.get('deps').db, actor(c), id, f.email, f.role));
  pageForm('factchecks', factcheckSchema, (c, id, f) => service.linkFactcheck(c.get('deps'), actor(c), id, f.itemId));
}
