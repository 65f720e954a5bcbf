/** One staff action on one report: locked, permission checked on the report (unit and agency), audited in the same transaction. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, ForbiddenError } from '../../../platform/auth/permissions.js';
import { mayOnReport } from './access.js';
import * as repo from '../repo.js';
import { MailboxError } from './errors.js';
import { publicChanged } from './public-cache.js';

export interface Audited<T> {
  out: T;
  /** what the audit entry records: old and new values */
  audit: Record<string, unknown>;
}

export async function onReport<T>(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  action: string,
  auditAction: string,
  fn: (tx: Db, r: repo.ReportRow) => Promise<Audited<T>>,
): Promise<T> {
  const { principal: p, ip } = a;
  publicChanged(deps.state);
  return deps.db
    .tx(async (tx) => {
      const r = await repo.reportById(tx, id, true);
      if (!r) throw new MailboxError(404, 'not_found');
      if (!mayOnReport(p, action, { ...r, shared_agency_ids: await repo.sharedAgencyIds(tx, r.id) }))
        throw new ForbiddenError(action);
      const { out, audit } = await fn(tx, r);
      await recordAudit(tx, {
        actorId: p.userId,
        actorLabel: p.email,
        action: auditAction,
        entityType: 'mailbox.report',
        entityId: r.code,
        unitId: r.unit_id,
        ip,
        data: audit,
      });
      return out;
    })
    .finally(() => publicChanged(deps.state));
}
