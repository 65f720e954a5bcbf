import type { AppModule } from '../../http/module.js';

/** reports: see issue text; routes, jobs, demo data and figures are wired here. */
export const reportsModule: AppModule = {
  name: 'reports',
};
