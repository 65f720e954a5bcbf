/**
 * Who receives each unit's monthly report. A unit's admins receive it unless they say otherwise; anyone
 * else who may see the unit's reports can ask for it. Each choice is the user's own and is audited.
 */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { assertCan, can, registeredActions, type Actor, type Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import type { ReportUnit } from '../repo.js';
import { findUnit, RequestRefused } from './requests.js';

/** The roles that may see reports: an opt-in counts only while the user holds one of them on the unit or above. */
export const viewRoles = (): readonly string[] => registeredActions().get('reports.view') ?? ['admin'];

export const unitsWithRecipients = (db: Db) => repo.unitsWithRecipients(db, viewRoles());
export const recipientsOf = (db: Db, unitId: number) => repo.recipientsOf(db, unitId, viewRoles());

export interface MailChoice {
  unit: ReportUnit;
  /** an admin of the unit itself: receives it unless they opted out */
  leader: boolean;
  receives: boolean;
  /** false when an opt-in outlived the role that allowed it */
  inScope: boolean;
}

export async function mailChoices(db: Db, p: Principal): Promise<MailChoice[]> {
  return (await repo.mailChoicesOf(db, p.userId)).map(({ leader, wants, ...unit }) => {
    const inScope = can(p, 'reports.view', unit.path);
    return { unit, leader, inScope, receives: inScope && (wants ?? leader) };
  });
}

/** Records that `p` wants (or no longer wants) the monthly report of the unit named in the form. */
export async function chooseMail(
  db: Db,
  a: Actor,
  form: { unit?: string; wants?: string },
): Promise<{ unit: ReportUnit; wants: boolean }> {
  const { principal: p, ip } = a;
  assertCan(p, 'reports.view');
  const raw = form.unit?.trim();
  const unit = raw ? await findUnit(db, raw) : undefined;
  if (!unit || unit.retired_at)
    throw new RequestRefused(422, 'validation', { unit: raw ? 'reports.unitUnknown' : 'mail.unitRequired' });
  const wants = form.wants === '1';
  // leaving is always allowed (a role may have gone since); asking needs the right to see the unit's reports
  if (wants && !can(p, 'reports.view', unit.path))
    throw new RequestRefused(403, 'unit_out_of_scope', { unit: 'reports.unitOutOfScope' });
  await db.tx(async (tx) => {
    await repo.setMailChoice(tx, p.userId, unit.id, wants);
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: wants ? 'reports.mail.subscribe' : 'reports.mail.unsubscribe',
      entityType: 'unit',
      entityId: unit.id,
      unitId: unit.id,
      ip,
    });
  });
  return { unit, wants };
}
