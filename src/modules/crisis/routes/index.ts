/**
 * The crisis centre's pages and API: one registrar per area under routes/. Hono matches routes in the order they
 * are registered, so crisisRoutes keeps this order.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { need } from '../../../http/guard.js';
import { crisisApiRoutes } from './api.js';
import { publicFeedRoutes } from './public-feeds.js';
import { publicPageRoutes } from './public-pages.js';
import { staffDashboardRoutes } from './staff-dashboard.js';
import { incidentReportRoutes } from './staff-incident-report.js';
import { staffIncidentRoutes } from './staff-incidents.js';
import { signingKeyRoutes } from './staff-keys.js';
import { distributionListRoutes } from './staff-lists.js';
import { staffStatementRoutes } from './staff-statements.js';

export { loadIncidentPage } from './incident-page-data.js';

export function crisisRoutes(app: Hono<AppEnv>): void {
  publicPageRoutes(app);
  publicFeedRoutes(app);
  crisisApiRoutes(app);
  // every staff page: a signed-in staff member first; what they may do on the thing is the service's question
  app.use('/staff/crisis/*', need());
  staffDashboardRoutes(app);
  signingKeyRoutes(app);
  staffIncidentRoutes(app);
  incidentReportRoutes(app);
  staffStatementRoutes(app);
  distributionListRoutes(app);
}
