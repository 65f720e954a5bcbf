/** What was asked (the unit within the user's scope, a valid period), and report runs queued as jobs. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { assertCan, can, scopeOf, type Actor, type Principal } from '../../../platform/auth/permissions.js';
import { AppError } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import { rt } from '../i18n.js';
import { isLive, LIVE_MAX_DAYS, MAX_YEARS, parsePeriod, type Period } from './period.js';
import * as repo from '../repo.js';
import type { ReportUnit } from '../repo.js';
import { JOB_RUN } from './figures.js';

export interface ReportInput {
  unit?: string;
  from?: string;
  to?: string;
  period?: string;
}

export interface Resolved {
  unit: ReportUnit;
  period: Period;
  live: boolean;
}

/**
 * What was asked cannot be reported: the unit unknown (422) or outside the person's scope (403), or the period wrong;
 * each message (a key of the reports catalog or the common one) beside its field, the first one as the message.
 */
export class RequestRefused extends AppError {
  declare readonly status: 403 | 422;
  constructor(status: 403 | 422, code: string, fields: Record<string, string>) {
    const key = Object.values(fields)[0] ?? 'error.validation';
    super({ status, code, key, fields, vars: { max: MAX_YEARS }, catalog: rt });
  }
}

/** Reads and checks what was asked: the unit (id or code) within the user's scope and a valid period. */
/** A unit named by its official code (stable, public) or, when no code matches, by its numeric id. */
export async function findUnit(db: Db, raw: string): Promise<ReportUnit | undefined> {
  const unit = raw.length <= 40 ? await repo.unitByCode(db, raw) : undefined;
  return unit ?? (/^\d{1,9}$/.test(raw) ? repo.unitById(db, Number(raw)) : undefined);
}

export async function resolveRequest(
  db: Db,
  who: Principal | null,
  input: ReportInput,
  now = new Date(),
): Promise<Resolved> {
  assertCan(who, 'reports.view');
  const errors: Record<string, string> = {};
  let unit: ReportUnit | undefined;
  const raw = input.unit?.trim();
  if (!raw) {
    const root = scopeOf(who, 'reports.view')[0];
    unit = root ? await repo.unitByPath(db, root) : undefined;
  } else {
    unit = await findUnit(db, raw);
  }
  let status: 403 | 422 = 422;
  let code = 'validation';
  if (!unit) errors.unit = 'reports.unitUnknown';
  else if (!can(who, 'reports.view', unit.path)) {
    errors.unit = 'reports.unitOutOfScope';
    status = 403;
    code = 'unit_out_of_scope';
  }
  const p = parsePeriod(input, now);
  if (!p.ok) {
    for (const e of p.errors) errors[e.field] ??= e.key;
    if (status !== 403) code = 'invalid_period';
  }
  if (Object.keys(errors).length || !unit || !p.ok) throw new RequestRefused(status, code, errors);
  return { unit, period: p.period, live: isLive(p.period) };
}

export const tooLongMessage = (locale: Locale) => rt.t(locale)('reports.tooLongLive', { days: LIVE_MAX_DAYS });

/** Queues a long report (or finds the same one already asked for); audited with the request. */
export async function requestRun(db: Db, a: Actor, unit: ReportUnit, period: Period, locale: Locale): Promise<number> {
  const { principal: who, ip } = a;
  assertCan(who, 'reports.view', unit.path);
  const existing = await repo.findReusableRun(db, {
    userId: who.userId,
    unitId: unit.id,
    from: period.from,
    to: period.to,
  });
  if (existing) return existing.id;
  return db.tx(async (tx) => {
    const id = await repo.insertRun(tx, {
      userId: who.userId,
      unitId: unit.id,
      from: period.from,
      to: period.to,
      locale,
    });
    await enqueue(tx, JOB_RUN, { runId: id });
    await recordAudit(tx, {
      actorId: who.userId,
      actorLabel: who.email,
      action: 'reports.run.request',
      entityType: 'report_run',
      entityId: id,
      unitId: unit.id,
      ip,
      data: { from: period.from, to: period.to },
    });
    return id;
  });
}

/** A run, if `who` asked for it (or may see its unit). */
export async function getRun(
  db: Db,
  who: Principal | null,
  id: number,
): Promise<{ run: repo.RunRow; unit: ReportUnit } | null> {
  assertCan(who, 'reports.view');
  const run = await repo.runById(db, id);
  if (!run) return null;
  const unit = await repo.unitById(db, run.unit_id);
  if (!unit || (run.user_id !== who.userId && !can(who, 'reports.view', unit.path))) return null;
  return { run, unit };
}
