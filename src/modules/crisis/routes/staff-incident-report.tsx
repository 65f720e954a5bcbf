/** An incident's after-action record, as a page and as CSV. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { staff } from '../../../http/guard.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { ReportPage, type ReportData } from '../views/staff.js';
import { idParam } from './helpers.js';

/** /staff/crisis/incidents/:id/report and report.csv. */
export function incidentReportRoutes(app: Hono<AppEnv>): void {
  const reportData = async (c: Ctx, id: number): Promise<ReportData> => {
    const p = staff(c);
    const db = c.get('deps').db;
    const incident = await repo.getIncident(db, id);
    if (!incident) throw notFound();
    await service.assertView(db, p, incident);
    const [units, events, statements, claims] = await Promise.all([
      repo.incidentUnits(db, id),
      repo.eventsOf(db, id, false),
      repo.listStatements(db, { incidentId: id, status: 'released' }),
      service.knownFalse(db, id),
    ]);
    const ordered = [...statements].reverse();
    const perStatement = await Promise.all(
      ordered.map(async (s) => ({ s, counts: await repo.deliveryCounts(db, [s.id]) })),
    );
    const totals = await repo.deliveryCounts(
      db,
      statements.map((s) => s.id),
    );
    return { incident, units, events, statements: ordered, perStatement, totals, claims, generatedAt: new Date() };
  };

  app.get('/staff/crisis/incidents/:id{[0-9]+}/report', async (c) => {
    const d = await reportData(c, idParam(c));
    return c.html(<ReportPage ctx={pageCtx(c)} d={d} />);
  });

  app.get('/staff/crisis/incidents/:id{[0-9]+}/report.csv', async (c) => {
    const d = await reportData(c, idParam(c));
    const locale = c.get('locale');
    const cell = (v: unknown) => {
      let s = v == null ? '' : String(v);
      if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const rows: unknown[][] = [
      ['section', 'at', 'number', 'event', 'actor', 'recipients', 'delivered', 'failed', 'code'],
    ];
    for (const { s, counts } of d.perStatement)
      rows.push([
        'statement',
        new Date(s.released_at!).toISOString(),
        s.number,
        s.title,
        s.approver_name,
        counts.total,
        counts.sent,
        counts.failed,
        s.code,
      ]);
    rows.push(['distribution-total', '', '', '', '', d.totals.total, d.totals.sent, d.totals.failed, '']);
    for (const cl of d.claims)
      rows.push([
        'claim',
        new Date(cl.publishedAt).toISOString(),
        '',
        `${cl.title}${cl.verdictLabel ? ` — ${cl.verdictLabel}` : ''}`,
        '',
        '',
        '',
        '',
        '',
      ]);
    const { eventText } = await import('../views/public.js');
    for (const e of d.events)
      rows.push([
        'event',
        new Date(e.at).toISOString(),
        e.data.number ?? '',
        eventText(locale, e),
        e.actor_label,
        '',
        '',
        '',
        '',
      ]);
    const csv = '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="incident-${d.incident.id}-after-action.csv"`,
    });
  });
}
