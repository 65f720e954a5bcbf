import { modules } from '../index.js';
import { createReportsModule } from './module.js';

/** reports: period figures per unit from every module's `figures()`, charts, exports, monthly e-mail. */
export const reportsModule = createReportsModule(() => modules);
