import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { projectRoot } from '../../db/paths.js';
import type { AppEnv, Ctx } from '../../http/context.js';
import { pageCtx } from '../../http/context.js';
import { notFound, unauthorized } from '../../http/errors.js';
import { assertCan, scopeOf, type Principal } from '../../platform/auth/permissions.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { isLocale, type Locale } from '../../platform/i18n/index.js';
import { toCsv, toXlsx } from './export.js';
import { rt } from './i18n.js';
import { metricById } from './metrics.js';
import { periodLabel } from './period.js';
import * as repo from './repo.js';
import { chooseMail, mailChoices } from './monthly-mail.js';
import {
  buildReport,
  findUnit,
  getRun,
  liveSettings,
  periodOf,
  requestRun,
  resolveRequest,
  tooLongMessage,
  type FigureSource,
  type ReportData,
  type ReportInput,
} from './service.js';
import { allTables, TABLE_KEYS, tableByKey, type TableKey } from './tables.js';
import { MailPage } from './views/mail.js';
import { PrintPage, ReportPage, RunPage, type ReportRef, type Sort } from './views/report.js';
import { pathId } from '../../http/params.js';
import { htmlToPdf, PdfUnavailableError } from './pdf.js';
import { officialHeader } from './official-header.js';
import { unitPicker } from '../../http/unit-picker.js';

function requirePrincipal(c: Ctx): Principal {
  const p = c.get('principal');
  if (!p) throw unauthorized();
  assertCan(p, 'reports.view');
  return p;
}

const input = (c: Ctx): ReportInput => ({
  unit: c.req.query('unit'),
  from: c.req.query('from'),
  to: c.req.query('to'),
  period: c.req.query('period'),
});

function readSort(c: Ctx): Sort | undefined {
  const key = c.req.query('sort');
  if (!key || (key !== 'unit' && !metricById.has(key))) return undefined;
  return { key, dir: c.req.query('dir') === 'asc' ? 'asc' : 'desc' };
}

async function unitsFor(c: Ctx, p: Principal) {
  return repo.unitsWithin(c.get('deps').db, scopeOf(p, 'reports.view'));
}

const unitLabel = (r: ReportData, locale: Locale) => (locale === 'en' && r.unit.nameEn ? r.unit.nameEn : r.unit.name);

/** A finished report from `?run=` or a live one from `?unit=&from=&to=`, for print and exports. */
async function reportFor(
  c: Ctx,
  sources: () => readonly FigureSource[],
): Promise<{ r: ReportData; ref: ReportRef } | { error: Response }> {
  const p = requirePrincipal(c);
  const db = c.get('deps').db;
  const locale = c.get('locale');
  const runId = c.req.query('run');
  if (runId) {
    const found = /^\d{1,9}$/.test(runId) ? await getRun(db, p, Number(runId)) : null;
    if (!found || found.run.status !== 'done') throw notFound();
    return { r: found.run.result as ReportData, ref: { run: found.run.id } };
  }
  const res = await resolveRequest(db, p, input(c), locale);
  if (!res.ok) return { error: c.text(Object.values(res.errors).join('\n'), res.status) };
  if (!res.live) return { error: c.text(tooLongMessage(locale), 422) };
  const r = await buildReport(sources(), db, res.unit, res.period, {
    onError: (name, err) => c.get('deps').log.error({ err, module: name }, 'module figures failed'),
  });
  return { r, ref: { unit: res.unit.code, from: res.period.from, to: res.period.to } };
}

/** Figures leaving the platform as a file are recorded in the audit log. */
async function auditExport(c: Ctx, r: ReportData, format: string, table?: string) {
  const p = c.get('principal')!;
  await recordAudit(c.get('deps').db, {
    actorId: p.userId,
    actorLabel: p.email,
    action: 'reports.export',
    entityType: 'unit',
    entityId: r.unit.id,
    unitId: r.unit.id,
    ip: c.get('ip'),
    data: { format, table, from: r.period.from, to: r.period.to },
  });
}

const fileName = (r: ReportData, ext: string, table?: string) =>
  `bao-cao-${r.unit.code}-${r.period.from}-${r.period.to}${table ? '-' + table : ''}.${ext}`;

export function reportRoutes(app: Hono<AppEnv>, sources: () => readonly FigureSource[]): void {
  const cssFile = path.join(projectRoot(), 'src/modules/reports/views/reports.css');
  app.get('/staff/reports/assets/reports.css', async (c) =>
    c.body(await readFile(cssFile, 'utf8'), 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );

  app.get('/staff/reports', async (c) => {
    const p = requirePrincipal(c);
    const ctx = pageCtx(c);
    const db = c.get('deps').db;
    const units = await unitsFor(c, p);
    const runs = (await repo.runsOf(db, p.userId, 10)).map((x) => ({
      ...x,
      unitName: units.find((u) => u.id === x.unit_id)?.full_name ?? String(x.unit_id),
    }));
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(input(c))) if (v != null) values[k] = v;
    // the unit picker: its search (without JavaScript) re-renders the form with what was typed, without a report
    const pick = (unit?: string) =>
      unitPicker(c, {
        name: 'unit',
        within: scopeOf(p, 'reports.view'),
        valueKind: 'code',
        values: { unit: unit ?? values.unit ?? '', unit_q: c.req.query('unit_q') ?? '' },
      });
    if (c.req.query('_pick') !== undefined)
      return c.html(<ReportPage ctx={ctx} units={units} values={values} runs={runs} picker={await pick()} />);
    const res = await resolveRequest(db, p, input(c), ctx.locale);
    if (!res.ok) {
      c.status(res.status);
      return c.html(
        <ReportPage ctx={ctx} units={units} values={values} errors={res.errors} runs={runs} picker={await pick()} />,
      );
    }
    values.unit = res.unit.code;
    values.from = res.period.from;
    values.to = res.period.to;
    delete values.period;
    const picker = await pick(res.unit.code);
    if (!res.live) {
      return c.html(
        <ReportPage
          ctx={ctx}
          units={units}
          values={values}
          runs={runs}
          picker={picker}
          longRun={{
            unit: res.unit.code,
            from: res.period.from,
            to: res.period.to,
            message: tooLongMessage(ctx.locale),
          }}
        />,
      );
    }
    const r = await buildReport(sources(), db, res.unit, res.period, {
      budgetMs: liveSettings.budgetMs,
      onError: (name, err) => c.get('deps').log.error({ err, module: name }, 'module figures failed'),
    });
    return c.html(
      <ReportPage
        ctx={ctx}
        units={units}
        values={values}
        report={r}
        reportRef={{ unit: res.unit.code, from: res.period.from, to: res.period.to }}
        sort={readSort(c)}
        runs={runs}
        picker={picker}
      />,
    );
  });

  app.post('/staff/reports/runs', async (c) => {
    const p = requirePrincipal(c);
    const ctx = pageCtx(c);
    const db = c.get('deps').db;
    const body = await c.req.parseBody();
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const res = await resolveRequest(db, p, { unit: str('unit'), from: str('from'), to: str('to') }, ctx.locale);
    if (!res.ok) {
      c.status(res.status);
      return c.html(
        <ReportPage
          ctx={ctx}
          units={await unitsFor(c, p)}
          values={{ unit: str('unit') ?? '', from: str('from') ?? '', to: str('to') ?? '' }}
          errors={res.errors}
        />,
      );
    }
    const id = await requestRun(db, p, res.unit, res.period, ctx.locale, c.get('ip'));
    return c.redirect(`/staff/reports/runs/${id}`, 303);
  });

  app.get('/staff/reports/mail', async (c) => {
    const p = requirePrincipal(c);
    const ctx = pageCtx(c);
    const db = c.get('deps').db;
    const done = c.req.query('unit') ? await findUnit(db, c.req.query('unit')!) : undefined;
    const state = c.req.query('saved');
    const saved =
      done && (state === 'on' || state === 'off')
        ? rt.t(ctx.locale)(state === 'on' ? 'mail.saved.on' : 'mail.saved.off', {
            unit: ctx.locale === 'en' && done.name_en ? done.name_en : done.full_name,
          })
        : undefined;
    return c.html(<MailPage ctx={ctx} choices={await mailChoices(db, p)} units={await unitsFor(c, p)} saved={saved} />);
  });

  app.post('/staff/reports/mail', async (c) => {
    const p = requirePrincipal(c);
    const ctx = pageCtx(c);
    const db = c.get('deps').db;
    const body = await c.req.parseBody();
    const form = {
      unit: typeof body.unit === 'string' ? body.unit : undefined,
      wants: typeof body.wants === 'string' ? body.wants : undefined,
    };
    const res = await chooseMail(db, p, form, ctx.locale, c.get('ip'));
    if (!res.ok) {
      c.status(res.status);
      return c.html(
        <MailPage
          ctx={ctx}
          choices={await mailChoices(db, p)}
          units={await unitsFor(c, p)}
          values={{ unit: form.unit ?? '' }}
          errors={res.errors}
        />,
      );
    }
    return c.redirect(
      `/staff/reports/mail?saved=${res.wants ? 'on' : 'off'}&unit=${encodeURIComponent(res.unit.code)}`,
      303,
    );
  });

  app.get('/staff/reports/runs/:id{[0-9]+}', async (c) => {
    const p = requirePrincipal(c);
    const found = await getRun(c.get('deps').db, p, pathId(c));
    if (!found) throw notFound();
    const r = found.run.status === 'done' ? (found.run.result as ReportData) : undefined;
    return c.html(
      <RunPage ctx={pageCtx(c)} run={found.run} unit={found.unit} r={r} reportRef={{ run: found.run.id }} />,
    );
  });

  app.get('/staff/reports/print', async (c) => {
    const got = await reportFor(c, sources);
    if ('error' in got) return got.error;
    return c.html(<PrintPage ctx={pageCtx(c)} r={got.r} />);
  });

  app.get('/staff/reports/export.csv', async (c) => {
    const key = (c.req.query('table') ?? 'summary') as TableKey;
    if (!TABLE_KEYS.includes(key)) throw notFound();
    const got = await reportFor(c, sources);
    if ('error' in got) return got.error;
    const locale = c.get('locale');
    await auditExport(c, got.r, 'csv', key);
    return c.body(toCsv(tableByKey(got.r, locale, key)), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(got.r, 'csv', key)}"`,
      'cache-control': 'private, no-store',
    });
  });

  app.get('/staff/reports/export.pdf', async (c) => {
    const got = await reportFor(c, sources);
    if ('error' in got) return got.error;
    const ctx = pageCtx(c);
    const official = officialHeader(c, got.r);
    if ('error' in official) return c.text(official.error, 422);
    await auditExport(c, got.r, 'pdf');
    const html = String(await (<PrintPage ctx={ctx} r={got.r} official={official} />).toString());
    try {
      const pdf = await htmlToPdf(`<!DOCTYPE html>${html.replace(/^<!DOCTYPE html>/i, '')}`, {
        chromiumPath: c.get('deps').config.CHROMIUM_PATH,
        pageLabel: rt.t(ctx.locale)('pdf.page'),
      });
      return c.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${fileName(got.r, 'pdf')}"`,
        'cache-control': 'private, no-store',
      });
    } catch (err) {
      if (!(err instanceof PdfUnavailableError)) throw err;
      c.get('deps').log.error({ err }, 'report PDF: Chromium did not start');
      return c.text(rt.t(ctx.locale)('pdf.unavailable'), 503);
    }
  });

  app.get('/staff/reports/export.xlsx', async (c) => {
    const got = await reportFor(c, sources);
    if ('error' in got) return got.error;
    const locale = c.get('locale');
    const t = rt.t(locale);
    await auditExport(c, got.r, 'xlsx');
    const buf = await toXlsx(allTables(got.r, locale), {
      title: `${t('page.heading', { unit: unitLabel(got.r, locale) })}`,
      subtitle: periodLabel(periodOf(got.r.period), locale),
    });
    return c.body(new Uint8Array(buf), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${fileName(got.r, 'xlsx')}"`,
      'cache-control': 'private, no-store',
    });
  });

  // ---- JSON API ----
  const apiError = (
    c: Ctx,
    status: 401 | 403 | 404 | 422,
    code: string,
    message: string,
    fields: Record<string, string> = {},
  ) => c.json({ error: { code, message, fields } }, status);

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
    const p = requirePrincipal(c);
    const locale = isLocale(c.req.query('lang')) ? (c.req.query('lang') as Locale) : c.get('locale');
    const db = c.get('deps').db;
    const res = await resolveRequest(db, p, input(c), locale);
    if (!res.ok) return apiError(c, res.status, res.code, Object.values(res.errors)[0] ?? '', res.errors);
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
    const p = requirePrincipal(c);
    const locale = c.get('locale');
    const db = c.get('deps').db;
    let body: Record<string, unknown> = {};
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      body = {};
    }
    const s = (k: string) => (typeof body[k] === 'string' || typeof body[k] === 'number' ? String(body[k]) : undefined);
    const res = await resolveRequest(
      db,
      p,
      { unit: s('unit'), from: s('from'), to: s('to'), period: s('period') },
      locale,
    );
    if (!res.ok) return apiError(c, res.status, res.code, Object.values(res.errors)[0] ?? '', res.errors);
    const id = await requestRun(db, p, res.unit, res.period, locale, c.get('ip'));
    const run = (await repo.runById(db, id))!;
    return c.json(
      { id, status: run.status, url: `/api/v1/reports/runs/${id}`, page: `/staff/reports/runs/${id}` },
      202,
    );
  });

  app.get('/api/v1/reports/runs/:id{[0-9]+}', async (c) => {
    const p = requirePrincipal(c);
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
