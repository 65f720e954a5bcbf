import type { AppModule } from '../../http/module.js';
import { can, scopeOf } from '../../platform/auth/permissions.js';
import { staffSummary } from './routes/summary.js';
import { reportJobs, reportTemplates } from './jobs.js';
import { reportsOpenApi } from './routes/openapi.js';
import { reportRoutes } from './routes/index.js';
import type { FigureSource } from './service.js';
import { reportsActions } from './permissions.js';

/**
 * reports: period figures per unit from every module's `figures()`, charts, exports, monthly e-mail.
 * The AppModule reads its figures from `sources()`: the module list (src/modules/index.ts) passes itself, tests pass
 * fakes. Taking the list as an argument, not importing it, keeps the list → module imports one-way.
 */
export function createReportsModule(sources: () => readonly FigureSource[]): AppModule {
  const others = () => sources().filter((m) => m.name !== 'reports' && m.figures);
  return {
    name: 'reports',
    routes: (app) => reportRoutes(app, others),
    jobs: (deps) => reportJobs(deps, others),
    actions: reportsActions,
    templates: reportTemplates,
    staffMenu: [{ href: '/staff/reports', label: { vi: 'Báo cáo', en: 'Reports' }, action: 'reports.view' }],
    staffSection: async (c) => {
      const p = c.get('principal');
      if (!can(p, 'reports.view') || !scopeOf(p, 'reports.view').length) return null;
      return staffSummary(c, others);
    },
    openapi: reportsOpenApi,
  };
}
