/** The reports module's routes: staff pages and the JSON API, each behind `reports.view`; the unit is the service's question. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { projectRoot } from '../../../db/paths.js';
import type { AppEnv } from '../../../http/context.js';
import { need } from '../../../http/guard.js';
import type { FigureSource } from '../service.js';
import { reportApiRoutes } from './api.js';
import { staffReportRoutes } from './staff.js';

export function reportRoutes(app: Hono<AppEnv>, sources: () => readonly FigureSource[]): void {
  // the stylesheet is registered before the guard: it is served to anyone
  const cssFile = path.join(projectRoot(), 'src/modules/reports/views/reports.css');
  app.get('/staff/reports/assets/reports.css', async (c) =>
    c.body(await readFile(cssFile, 'utf8'), 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );

  app.use('/staff/reports/*', need('reports.view'));
  app.use('/api/v1/reports/*', need('reports.view'));
  staffReportRoutes(app, sources);
  reportApiRoutes(app, sources);
}
