/** Staff incident pages: open, view, edit, change status, the team, linked fact-checks. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { formValues, type FieldErrors, type FormValues } from '../../../http/forms.js';
import { requireStaff } from '../../../http/routes/staff.js';
import { can, ForbiddenError } from '../../../platform/auth/permissions.js';
import { recentPublished } from '../../desk/public.js';
import { factcheckSchema, incidentSchema, parseCrisisForm, teamSchema } from '../forms.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { IncidentForm, IncidentStaffPage } from '../views/staff.js';
import { actor, body, flashText, formErrors, idParam, site } from './helpers.js';

/** /staff/crisis/incidents: new, open, view, edit, status, team, fact-checks. */
export function staffIncidentRoutes(app: Hono<AppEnv>): void {
  const incidentFormPage = async (
    c: Ctx,
    values: FormValues,
    errors: FieldErrors,
    action: string,
    isNew: boolean,
    status: 200 | 422 = 200,
  ) => {
    const p = requireStaff(c);
    const units = (await repo.activeUnits(c.get('deps').db)).filter((u) => can(p, 'crisis.manage', u.path));
    c.status(status);
    return c.html(
      <IncidentForm ctx={pageCtx(c)} values={values} errors={errors} units={units} action={action} isNew={isNew} />,
    );
  };

  app.get('/staff/crisis/incidents/new', async (c) => {
    const p = requireStaff(c);
    if (!can(p, 'crisis.manage')) throw new ForbiddenError('crisis.manage');
    const units = (await repo.activeUnits(c.get('deps').db)).filter((u) => can(p, 'crisis.manage', u.path));
    return incidentFormPage(
      c,
      {
        type: 'natural',
        severity: 'moderate',
        unitId: String(units[0]?.id ?? ''),
        capCertainty: 'Observed',
        alertExpiresHours: '24',
      },
      {},
      '/staff/crisis/incidents',
      true,
    );
  });

  app.post('/staff/crisis/incidents', async (c) => {
    const a = actor(c);
    if (!can(a.principal, 'crisis.manage')) throw new ForbiddenError('crisis.manage');
    const b = await body(c);
    const r = parseCrisisForm(incidentSchema, b, c.get('locale'));
    if (!r.ok) return incidentFormPage(c, r.values, r.errors, '/staff/crisis/incidents', true, 422);
    try {
      const id = await service.openIncident(c.get('deps').db, a, r.data);
      return c.redirect(`/staff/crisis/incidents/${id}?flash=opened`, 303);
    } catch (e) {
      return incidentFormPage(c, formValues(b), formErrors(c, e), '/staff/crisis/incidents', true, 422);
    }
  });

  const incidentPage = async (
    c: Ctx,
    id: number,
    values: FormValues = {},
    errors: FieldErrors = {},
    status: 200 | 422 = 200,
  ) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const i = await repo.getIncident(db, id);
    if (!i) throw notFound();
    await service.assertView(db, p, i);
    const [units, team, statements, events, factchecks, canDraft, suggestions] = await Promise.all([
      repo.incidentUnits(db, id),
      repo.listTeam(db, id),
      repo.listStatements(db, { incidentId: id }),
      repo.eventsOf(db, id, false),
      service.knownFalse(db, id),
      service.mayDraft(db, p, i, i.unit_path),
      recentPublished(db, { kind: 'factcheck', limit: 20 }).catch(() => []),
    ]);
    c.status(status);
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
        errors={errors}
        values={values}
        canManage={can(p, 'crisis.manage', i.unit_path)}
        canDraft={canDraft}
        canTeam={can(p, 'crisis.manage', i.unit_path) || can(p, 'crisis.approve', i.unit_path)}
      />,
    );
  };

  app.get('/staff/crisis/incidents/:id{[0-9]+}', (c) => incidentPage(c, idParam(c)));

  app.get('/staff/crisis/incidents/:id{[0-9]+}/edit', async (c) => {
    const p = requireStaff(c);
    const i = await repo.getIncident(c.get('deps').db, idParam(c));
    if (!i) throw notFound();
    if (!can(p, 'crisis.manage', i.unit_path)) throw new ForbiddenError('crisis.manage');
    const units = await repo.incidentUnits(c.get('deps').db, i.id);
    const values: FormValues = {
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
    };
    return incidentFormPage(c, values, {}, `/staff/crisis/incidents/${i.id}/edit`, false);
  });

  app.post('/staff/crisis/incidents/:id{[0-9]+}/edit', async (c) => {
    const id = idParam(c);
    const a = actor(c);
    const b = await body(c);
    const action = `/staff/crisis/incidents/${id}/edit`;
    const r = parseCrisisForm(incidentSchema, b, c.get('locale'));
    if (!r.ok) return incidentFormPage(c, r.values, r.errors, action, false, 422);
    try {
      await service.updateIncident(c.get('deps').db, a, id, r.data);
      return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
    } catch (e) {
      return incidentFormPage(c, formValues(b), formErrors(c, e), action, false, 422);
    }
  });

  app.post('/staff/crisis/incidents/:id{[0-9]+}/status', async (c) => {
    const id = idParam(c);
    const b = await body(c);
    const status = String(b.status ?? '');
    if (!['active', 'monitoring', 'closed'].includes(status))
      return incidentPage(c, id, formValues(b), { status: crisisText.t(c.get('locale'))('form.errorTitle') }, 422);
    try {
      await service.changeStatus(c.get('deps').db, actor(c), id, status as repo.IncidentStatus, site(c));
    } catch (e) {
      return incidentPage(c, id, formValues(b), formErrors(c, e), 422);
    }
    return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
  });

  app.post('/staff/crisis/incidents/:id{[0-9]+}/team', async (c) => {
    const id = idParam(c);
    const b = await body(c);
    const r = parseCrisisForm(teamSchema, b, c.get('locale'));
    if (!r.ok) return incidentPage(c, id, r.values, r.errors, 422);
    try {
      await service.addTeamMember(c.get('deps').db, actor(c), id, r.data.email, r.data.role);
    } catch (e) {
      return incidentPage(c, id, formValues(b), formErrors(c, e), 422);
    }
    return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
  });

  app.post('/staff/crisis/incidents/:id{[0-9]+}/factchecks', async (c) => {
    const id = idParam(c);
    const b = await body(c);
    const r = parseCrisisForm(factcheckSchema, b, c.get('locale'));
    if (!r.ok) return incidentPage(c, id, r.values, r.errors, 422);
    try {
      await service.linkFactcheck(c.get('deps').db, actor(c), id, r.data.itemId);
    } catch (e) {
      return incidentPage(c, id, formValues(b), formErrors(c, e), 422);
    }
    return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
  });
}
