import type { AppModule } from '../../http/module.js';

/** network: see issue text; routes, jobs, demo data and figures are wired here. */
export const networkModule: AppModule = {
  name: 'network',
};
