/**
 * What other modules may import from reports. Nothing today: reports reads the others through `AppModule.figures`
 * and no module reads reports. The module list builds it with `createReportsModule` from index.ts.
 */
export type { FigureSource } from './service.js';
