/** The JSON API: /api/v1/reports (live figures) and report runs. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { isLocale, type Locale } from '../../../platform/i18n/index.js';
import { rt } from '../i18n.js';
import * as repo from '../repo.js';
import {
  buildReport,
  getRun,
  requestRun,
  type RequestRefused,
  tooLongMessage,
  type FigureSource,
  type ReportData,
} from '../service.js';
import { pathId } from '../../../http/params.js';
import { actor, staff } from '../../../http/guard.js';
import { input, resolveOr } from './common.js';

export function reportApiRoutes(app: Hono<AppEnv>, sources: () => readonly FigureSource[]): void {
  // ---- JSON API ----
  const apiError = (
    c: Ctx,
    status: 401 | 403 | 404 | 422,
    code: string,
    message: string,
    fields: Record<string, string> = {},
  ) => c.json({ error: { code, message, fields } }, status);

  /** A refused request in the API's error shape, in the language asked for (`?lang=` may differ from the page's). */
  const refusedIn = (c: Ctx, locale: Locale) => (e: RequestRefused) =>
    apiError(c, e.status, e.code, e.translated(locale), e.fieldMessages(locale));

  const toJson = (r: ReportData) => ({
    unit: r.unit,
    period: { ...r.period },
    previousPeriod: { ...r.previousPeriod },
    figures: r.figures,
    previous: r.previous,
    children: r.children,
    trend: r.trend,
    unavailable: r.unavailable,
    generatedAt: r.generatedAt,
  });

  app.get('/api/v1/reports', async (c) => {
    const locale = isLocale(c.req.query('lang')) ? (c.req.query('lang') as Locale) : c.get('locale');
    const db = c.get('deps').db;
    const res = await resolveOr(c, input(c), refusedIn(c, locale));
    if (res instanceof Response) return res;
    if (!res.live)
      return apiError(c, 422, 'period_too_long', `${tooLongMessage(locale)} POST /api/v1/reports/runs`, {
        to: tooLongMessage(locale),
      });
    const r = await buildReport(sources(), db, res.unit, res.period, {
      onError: (name, err) => c.get('deps').log.error({ err, module: name }, 'module figures failed'),
    });
    return c.json(toJson(r));
  });

  app.post('/api/v1/reports/runs', async (c) => {
    staff(c); // a 401 before the body is read
    const locale = c.get('locale');
    const db = c.get('deps').db;
    let body: Record<string, unknown> = {};
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      body = {};
    }
    const s = (k: string) => (typeof body[k] === 'string' || typeof body[k] === 'number' ? String(body[k]) : undefined);
    const res = await resolveOr(
      c,
      { unit: s('unit'), from: s('from'), to: s('to'), period: s('period') },
      refusedIn(c, locale),
    );
    if (res instanceof Response) return res;
    const id = await requestRun(db, actor(c), res.unit, res.period, locale);
    const run = (await repo.runById(db, id))!;
    return c.json(
      { id, status: run.status, url: `/api/v1/reports/runs/${id}`, page: `/staff/reports/runs/${id}` },
      202,
    );
  });

  app.get('/api/v1/reports/runs/:id{[0-9]+}', async (c) => {
    const p = staff(c);
    const found = await getRun(c.get('deps').db, p, pathId(c));
    if (!found) return apiError(c, 404, 'not_found', rt.t(c.get('locale'))('reports.unitUnknown'));
    const { run } = found;
    return c.json({
      id: run.id,
      status: run.status,
      report: run.status === 'done' ? toJson(run.result as ReportData) : null,
    });
  });
}
