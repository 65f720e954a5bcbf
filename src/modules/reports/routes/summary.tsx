import type { Child } from 'hono/jsx';
import type { Ctx } from '../../../http/context.js';
import { scopeOf } from '../../../platform/auth/permissions.js';
import { addDays, addMonths, makePeriod } from '../service/period.js';
import { localDate } from '../../../platform/i18n/index.js';
import * as repo from '../repo.js';
import { buildReport, type FigureSource } from '../service.js';
import { StaffSummary } from '../views/report.js';

/** The staff overview's small block: this month so far for the root of the user's scope. */
export async function staffSummary(c: Ctx, sources: () => readonly FigureSource[]): Promise<Child | null> {
  const db = c.get('deps').db;
  const root = scopeOf(c.get('principal'), 'reports.view')[0];
  const unit = root ? await repo.unitByPath(db, root) : undefined;
  if (!unit) return null;
  const first = localDate(new Date()).slice(0, 8) + '01';
  const period = makePeriod(first, addDays(addMonths(first, 1), -1));
  try {
    // the overview is opened often: this month's figures may be up to ten minutes old there
    const r = await buildReport(sources(), db, unit, period, { children: false, trend: false, openTtlSeconds: 600 });
    return <StaffSummary locale={c.get('locale')} r={r} />;
  } catch (err) {
    c.get('deps').log.error({ err }, 'reports summary failed');
    return null;
  }
}
