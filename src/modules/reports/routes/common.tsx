/** What the staff pages and the API of reports share: the request read from the query, a report for print and files. */
import type { Ctx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { scopeOf, type Principal } from '../../../platform/auth/permissions.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { metricById } from '../service/metrics.js';
import * as repo from '../repo.js';
import {
  buildReport,
  getRun,
  RequestRefused,
  resolveRequest,
  tooLongMessage,
  type FigureSource,
  type ReportData,
  type ReportInput,
  type Resolved,
} from '../service.js';
import type { ReportRef, Sort } from '../views/report.js';
import { staff } from '../../../http/guard.js';

export const input = (c: Ctx): ReportInput => ({
  unit: c.req.query('unit'),
  from: c.req.query('from'),
  to: c.req.query('to'),
  period: c.req.query('period'),
});

/** What was asked (resolveRequest), or the refusal answered by `refused` in the caller's own format (text, page, JSON). */
export async function resolveOr(
  c: Ctx,
  asked: ReportInput,
  refused: (e: RequestRefused) => Response | Promise<Response>,
): Promise<Resolved | Response> {
  try {
    return await resolveRequest(c.get('deps').db, staff(c), asked);
  } catch (e) {
    if (e instanceof RequestRefused) return refused(e);
    throw e;
  }
}

export function readSort(c: Ctx): Sort | undefined {
  const key = c.req.query('sort');
  if (!key || (key !== 'unit' && !metricById.has(key))) return undefined;
  return { key, dir: c.req.query('dir') === 'asc' ? 'asc' : 'desc' };
}

export async function unitsFor(c: Ctx, p: Principal) {
  return repo.unitsWithin(c.get('deps').db, scopeOf(p, 'reports.view'));
}

export const unitLabel = (r: ReportData, locale: Locale) =>
  locale === 'en' && r.unit.nameEn ? r.unit.nameEn : r.unit.name;

/** A finished report from `?run=` or a live one from `?unit=&from=&to=`, for print and exports. */
export async function reportFor(
  c: Ctx,
  sources: () => readonly FigureSource[],
): Promise<{ r: ReportData; ref: ReportRef } | { error: Response }> {
  const p = staff(c);
  const db = c.get('deps').db;
  const locale = c.get('locale');
  const runId = c.req.query('run');
  if (runId) {
    const found = /^\d{1,9}$/.test(runId) ? await getRun(db, p, Number(runId)) : null;
    if (!found || found.run.status !== 'done') throw notFound();
    return { r: found.run.result as ReportData, ref: { run: found.run.id } };
  }
  const res = await resolveOr(c, input(c), (e) => c.text(Object.values(e.fieldMessages(locale)).join('\n'), e.status));
  if (res instanceof Response) return { error: res };
  if (!res.live) return { error: c.text(tooLongMessage(locale), 422) };
  const r = await buildReport(sources(), db, res.unit, res.period, {
    onError: (name, err) => c.get('deps').log.error({ err, module: name }, 'module figures failed'),
  });
  return { r, ref: { unit: res.unit.code, from: res.period.from, to: res.period.to } };
}

/** Figures leaving the platform as a file are recorded in the audit log. */
export async function auditExport(c: Ctx, r: ReportData, format: string, table?: string) {
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

export const fileName = (r: ReportData, ext: string, table?: string) =>
  `bao-cao-${r.unit.code}-${r.period.from}-${r.period.to}${table ? '-' + table : ''}.${ext}`;
