/** Triage: accepting, rejecting, editing, routing, sharing and merging reports. */
import type { Deps } from '../../../http/context.js';
import { type Actor, assertCan, scopeOf } from '../../../platform/auth/permissions.js';
import { mayOnReport } from './access.js';
import { addWorkingDays } from './deadline.js';
import * as repo from '../repo.js';
import { isOpen, pickRoute } from './rules.js';
import { holidaySet } from './config-cache.js';
import { MailboxError } from './errors.js';
import { move, notifyResident, staffLabel, withReport } from './internal.js';
import { publicUrl } from './private-links.js';
import { onReportLine } from './reading.js';
import { LIMITS } from './report-input.js';
import { queueStaffEvent } from './staff-notify.js';

/** Shares a report with another agency (an opinion, a joint case): that agency's handlers see it too. */
export async function share(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  agencyId: number | null,
): Promise<void> {
  const p = a.principal;
  await withReport(deps, a, id, 'mailbox.triage', async (tx, r) => {
    const agency = agencyId ? await repo.findAgency(tx, agencyId) : undefined;
    if (!agency) throw new MailboxError(422, 'field.invalidChoice', {}, 'share_agency');
    if (!onReportLine(agency.unit_path, r.unit_path))
      throw new MailboxError(422, 'err.agencyOutside', {}, 'share_agency');
    await repo.shareReport(tx, r.id, agency.id, p.userId);
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'shared',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: staffLabel(p),
      data: { agency: agency.name, agency_en: agency.name_en ?? agency.name },
    });
  });
}

export type TriageAction = 'accept' | 'reject' | 'spam';

export async function triage(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  action: TriageAction,
  reason: string | null,
): Promise<void> {
  const p = a.principal;
  await withReport(deps, a, id, 'mailbox.triage', async (tx, r) => {
    if (action === 'accept') {
      if (r.agency_id) {
        move(r, 'assigned');
        await repo.updateReport(tx, r.id, { status: 'assigned', accepted_at: new Date(), assigned_at: new Date() });
        await repo.insertEvent(tx, {
          reportId: r.id,
          kind: 'accepted',
          visibility: 'public',
          actorId: p.userId,
          actorLabel: staffLabel(p),
        });
        await repo.insertEvent(tx, {
          reportId: r.id,
          kind: 'assigned',
          visibility: 'public',
          actorId: p.userId,
          actorLabel: staffLabel(p),
          data: { agency: r.agency_name, agency_en: r.agency_name_en },
        });
      } else {
        move(r, 'accepted');
        await repo.updateReport(tx, r.id, { status: 'accepted', accepted_at: new Date() });
        await repo.insertEvent(tx, {
          reportId: r.id,
          kind: 'accepted',
          visibility: 'public',
          actorId: p.userId,
          actorLabel: staffLabel(p),
        });
      }
      await notifyResident(tx, deps, r, 'mailbox.status', r.agency_id ? 'assigned' : 'accepted', '', true);
    } else if (action === 'reject') {
      if (!reason) throw new MailboxError(422, 'err.reason', {}, 'reason');
      move(r, 'rejected');
      await repo.updateReport(tx, r.id, {
        status: 'rejected',
        reject_reason: reason.slice(0, LIMITS.reason),
        closed_at: new Date(),
      });
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'rejected',
        visibility: 'resident',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        body: reason,
      });
      await notifyResident(tx, deps, r, 'mailbox.status', 'rejected', reason, false);
    } else {
      move(r, 'spam');
      await repo.updateReport(tx, r.id, { status: 'spam', closed_at: new Date() });
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'spam',
        visibility: 'internal',
        actorId: p.userId,
        actorLabel: staffLabel(p),
      });
    }
  });
}

export async function editReport(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  categoryId: number | null,
  unitId: number | null,
): Promise<void> {
  const p = a.principal;
  await withReport(deps, a, id, 'mailbox.triage', async (tx, r) => {
    const cat = categoryId ? await repo.findCategory(tx, categoryId) : undefined;
    if (!cat) throw new MailboxError(422, 'err.category', {}, 'category');
    // a ward or commune of the installation inside this person's reach: any other is refused on the form
    const unit = unitId ? await repo.leafUnitInRoot(tx, unitId, scopeOf(p, 'mailbox.triage')) : undefined;
    if (!unit) throw new MailboxError(422, 'err.unit', {}, 'unit');
    assertCan(p, 'mailbox.triage', unit.path);
    const fields: Record<string, unknown> = { category_id: cat.id, unit_id: unit.id };
    if (isOpen(r.status) && cat.id !== r.category_id)
      fields.deadline_at = addWorkingDays(new Date(r.received_at), cat.handling_days, await holidaySet(tx));
    if (!r.agency_id) fields.agency_id = pickRoute(await repo.listRoutingRules(tx), cat.id, unit.path);
    await repo.updateReport(tx, r.id, fields);
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'edited',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: staffLabel(p),
      data: { from: `${r.category_code}/${r.unit_code}`, to: `${cat.code}/${unit.code}` },
    });
  });
}

export async function route(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  agencyId: number | null,
  reason: string | null,
): Promise<void> {
  const p = a.principal;
  await withReport(deps, a, id, 'mailbox.triage', async (tx, r) => {
    const agency = agencyId ? await repo.findAgency(tx, agencyId) : undefined;
    if (!agency) throw new MailboxError(422, 'field.invalidChoice', {}, 'agency');
    // an agency of another ward can never receive this ward's report (and its contact details)
    if (!onReportLine(agency.unit_path, r.unit_path)) throw new MailboxError(422, 'err.agencyOutside', {}, 'agency');
    const reassign = Boolean(r.agency_id) && r.status !== 'received' && r.status !== 'accepted';
    if (reassign && !reason) throw new MailboxError(422, 'err.reason', {}, 'reason');
    move(r, 'assigned');
    await repo.updateReport(tx, r.id, {
      status: 'assigned',
      agency_id: agency.id,
      assigned_at: new Date(),
      accepted_at: r.status === 'received' ? new Date() : undefined,
    });
    if (r.status === 'received')
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'accepted',
        visibility: 'public',
        actorId: p.userId,
        actorLabel: staffLabel(p),
      });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: reassign ? 'reassigned' : 'assigned',
      visibility: 'public',
      actorId: p.userId,
      actorLabel: staffLabel(p),
      data: { agency: agency.name, agency_en: agency.name_en ?? agency.name },
    });
    if (reason)
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'note',
        visibility: 'internal',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        body: reason,
      });
    await queueStaffEvent(tx, { kind: 'routed', reportId: r.id, agencyId: agency.id, actorId: p.userId });
  });
}

export async function merge(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  intoCode: string,
): Promise<void> {
  const p = a.principal;
  await withReport(deps, a, id, 'mailbox.triage', async (tx, r) => {
    const target = await repo.reportByCode(tx, intoCode.trim().toUpperCase());
    if (!target || target.id === r.id || target.status === 'merged' || target.status === 'spam')
      throw new MailboxError(422, 'field.invalidChoice', {}, 'into');
    if (!mayOnReport(p, 'mailbox.triage', { ...target, shared_agency_ids: await repo.sharedAgencyIds(tx, target.id) }))
      throw new MailboxError(422, 'field.invalidChoice', {}, 'into');
    move(r, 'merged');
    await repo.updateReport(tx, r.id, { status: 'merged', duplicate_of: target.id, closed_at: new Date() });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'merged',
      visibility: 'resident',
      actorId: p.userId,
      actorLabel: staffLabel(p),
      data: { code: target.code },
    });
    await repo.insertEvent(tx, {
      reportId: target.id,
      kind: 'duplicateAdded',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: staffLabel(p),
      data: { code: r.code },
    });
    await notifyResident(
      tx,
      deps,
      r,
      'mailbox.status',
      'merged',
      `→ ${publicUrl(deps.config.baseUrl, target.code)}`,
      false,
    );
  });
}
