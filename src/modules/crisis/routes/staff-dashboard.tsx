/** The staff crisis dashboard (/staff/crisis): incidents, statements awaiting approval, drafts, notices. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { staff } from '../../../http/guard.js';
import { can } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { Dashboard } from '../views/staff.js';
import { flashText } from './helpers.js';

/** /staff/crisis. */
export function staffDashboardRoutes(app: Hono<AppEnv>): void {
  app.get('/staff/crisis', async (c) => {
    const p = staff(c);
    const db = c.get('deps').db;
    await service.assertView(db, p, null).catch(async (e) => {
      // an incident team member without a unit role still reaches the dashboard
      if (!(await db.one(`SELECT 1 FROM crisis_team WHERE user_id = $1`, [p.userId]))) throw e;
    });
    const [allIncidents, allAwaiting, allDrafts, notices, teamOf] = await Promise.all([
      repo.listIncidents(db, { limit: 100 }),
      repo.listStatements(db, { status: 'submitted' }),
      repo.listStatements(db, { status: 'draft' }),
      repo.listStatements(db, { status: 'released', outsideIncidents: true, limit: 30 }),
      repo.teamIncidentIds(db, p.userId),
    ]);
    // each row by its own unit (or the incident team the person is on): another ward's drafts are not listed
    const sees = (unitPath: string, incidentId: number | null) =>
      can(p, 'crisis.view', unitPath) ||
      can(p, 'crisis.draft', unitPath) ||
      (incidentId !== null && teamOf.includes(incidentId));
    const incidents = allIncidents.filter((i) => sees(i.unit_path, i.id));
    const awaiting = allAwaiting.filter((s) => sees(s.unit_path, s.incident_id));
    const drafts = allDrafts.filter((s) => sees(s.unit_path, s.incident_id));
    return c.html(
      <Dashboard
        ctx={pageCtx(c)}
        incidents={incidents}
        awaiting={awaiting}
        drafts={drafts}
        notices={notices}
        flash={flashText(c)}
        canManage={can(p, 'crisis.manage')}
        canKeys={await service.mayManageKeys(db, p)}
      />,
    );
  });
}
