/** The staff pages: the report, runs, the monthly e-mail choices, print and the files (CSV, XLSX, PDF). */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { type FormStatus, type Refused, submit } from '../../../http/forms.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { scopeOf } from '../../../platform/auth/permissions.js';
import { toCsv, toXlsx } from '../service/export.js';
import { rt } from '../i18n.js';
import { periodLabel } from '../service/period.js';
import * as repo from '../repo.js';
import { mailSchema, runSchema } from '../service/forms.js';
import { chooseMail, mailChoices } from '../service/monthly-mail.js';
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
} from '../service.js';
import { allTables, TABLE_KEYS, tableByKey, type TableKey } from '../service/tables.js';
import { MailPage } from '../views/mail.js';
import { PrintPage, ReportPage, RunPage } from '../views/report.js';
import { pathId } from '../../../http/params.js';
import { htmlToPdf, PdfUnavailableError } from '../service/pdf.js';
import { officialHeader } from './official-header.js';
import { unitPicker, enterSearches } from '../../../http/unit-picker.js';
import { actor, staff } from '../../../http/guard.js';
import { auditExport, fileName, input, readSort, reportFor, resolveOr, unitLabel, unitsFor } from './common.js';

export function staffReportRoutes(app: Hono<AppEnv>, sources: () => readonly FigureSource[]): void {
  app.get('/staff/reports', async (c) => {
    const p = staff(c);
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
    if (c.req.query('_pick') !== undefined || enterSearches(c.req.query(), 'unit'))
      return c.html(<ReportPage ctx={ctx} units={units} values={values} runs={runs} picker={await pick()} />);
    const res = await resolveOr(c, input(c), async (e) =>
      c.html(
        <ReportPage
          ctx={ctx}
          units={units}
          values={values}
          errors={e.fieldMessages(ctx.locale)}
          runs={runs}
          picker={await pick()}
        />,
        e.status,
      ),
    );
    if (res instanceof Response) return res;
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

  /** The run form refused: the report page with what was typed and the messages beside the fields. */
  const runForm = async (c: Ctx, r: Refused, status: FormStatus) => {
    c.status(status);
    return c.html(
      <ReportPage ctx={pageCtx(c)} units={await unitsFor(c, staff(c))} values={r.values} errors={r.errors} />,
    );
  };

  app.post(
    '/staff/reports/runs',
    submit(
      runSchema,
      runForm,
      async (c, f) => {
        const db = c.get('deps').db;
        const res = await resolveRequest(db, staff(c), f);
        const id = await requestRun(db, actor(c), res.unit, res.period, c.get('locale'));
        return c.redirect(`/staff/reports/runs/${id}`, 303);
      },
      { catalog: rt, refuse: [403, 422] },
    ),
  );

  app.get('/staff/reports/mail', async (c) => {
    const p = staff(c);
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

  /** The mail form refused: the choices with the unit typed and the message beside it. */
  const mailForm = async (c: Ctx, r: Refused, status: FormStatus) => {
    const p = staff(c);
    c.status(status);
    return c.html(
      <MailPage
        ctx={pageCtx(c)}
        choices={await mailChoices(c.get('deps').db, p)}
        units={await unitsFor(c, p)}
        values={r.values}
        errors={r.errors}
      />,
    );
  };

  app.post(
    '/staff/reports/mail',
    submit(
      mailSchema,
      mailForm,
      async (c, f) => {
        const res = await chooseMail(c.get('deps').db, actor(c), f);
        return c.redirect(
          `/staff/reports/mail?saved=${res.wants ? 'on' : 'off'}&unit=${encodeURIComponent(res.unit.code)}`,
          303,
        );
      },
      { catalog: rt, refuse: [403, 422] },
    ),
  );

  app.get('/staff/reports/runs/:id{[0-9]+}', async (c) => {
    const p = staff(c);
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
      const pdf = await htmlToPdf(html, {
        chromiumPath: c.get('deps').config.CHROMIUM_PATH,
        pageLabel: rt.t(ctx.locale)('pdf.page'),
      });
      return c.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${fileName(got.r, 'pdf')}"`,
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
    });
  });
}
