import type { AppModule } from '../../http/module.js';

/** desk: see issue text; routes, jobs, demo data and figures are wired here. */
export const deskModule: AppModule = {
  name: 'desk',
};
