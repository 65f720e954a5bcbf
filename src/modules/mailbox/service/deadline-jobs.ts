/** The deadline jobs: a reminder the day before, an escalation to the unit above once overdue. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { formatDateTime, type Locale } from '../../../platform/i18n/index.js';
import { send } from '../../../platform/notify/notify.js';
import { addWorkingDays } from './deadline.js';
import * as repo from '../repo.js';
import { holidaySet } from './config-cache.js';
import { privateToken, privateUrl } from './private-links.js';
import { tellResidentOverdue } from './resident-sms.js';

export async function runReminders(deps: Pick<Deps, 'db' | 'config' | 'state'>): Promise<number> {
  const holidays = await holidaySet(deps.db);
  const soon = addWorkingDays(new Date(), 1, holidays);
  let n = 0;
  for (const { id } of await repo.dueForReminder(deps.db, soon)) {
    await deps.db.tx(async (tx) => {
      const r = (await repo.reportById(tx, id, true))!;
      if (r.reminded_at) return;
      await repo.updateReport(tx, id, { reminded_at: new Date() });
      await repo.insertEvent(tx, { reportId: id, kind: 'reminder', visibility: 'internal', actorLabel: 'system' });
      const to = await staffRecipients(tx, r);
      await send(
        tx,
        to.map((s) => ({
          channel: 'email' as const,
          recipient: s.email,
          template: 'mailbox.staff-reminder',
          locale: (s.locale === 'en' ? 'en' : 'vi') as Locale,
          vars: {
            code: r.code,
            title: r.title,
            deadline: formatDateTime('vi', r.deadline_at),
            url: `${deps.config.baseUrl}/staff/mailbox/${r.id}`,
          },
          refType: 'mailbox.report',
          refId: r.id,
        })),
      );
      n++;
    });
  }
  return n;
}

async function staffRecipients(db: Db, r: repo.ReportRow): Promise<{ email: string; locale: string }[]> {
  const out = await repo.handlersOf(db, r.unit_path, r.agency_id);
  if (r.agency_id) {
    const a = await repo.findAgency(db, r.agency_id);
    if (a?.email) out.push({ email: a.email, locale: 'vi' });
  }
  return out;
}

/** Overdue and still open: escalated once to the parent unit (its handlers are told). */
export async function runEscalations(deps: Pick<Deps, 'db' | 'config' | 'state'>): Promise<number> {
  let n = 0;
  for (const { id } of await repo.dueForEscalation(deps.db)) {
    await deps.db.tx(async (tx) => {
      const r = (await repo.reportById(tx, id, true))!;
      if (r.escalated_at) return;
      const parent = r.unit_parent_id ? await repo.findUnit(tx, r.unit_parent_id) : null;
      const target = parent ?? (await repo.findUnit(tx, r.unit_id))!;
      await repo.updateReport(tx, id, { escalated_at: new Date(), escalated_unit_id: target.id });
      await repo.insertEvent(tx, {
        reportId: id,
        kind: 'escalated',
        visibility: 'internal',
        actorLabel: 'system',
        data: { unit: target.full_name },
      });
      await recordAudit(tx, {
        actorLabel: 'system',
        action: 'mailbox.escalate',
        entityType: 'mailbox.report',
        entityId: r.code,
        unitId: target.id,
      });
      const to = [...(await repo.handlersOf(tx, target.path, r.agency_id)), ...(await staffRecipients(tx, r))];
      const seen = new Set<string>();
      await send(
        tx,
        to
          .filter((s) => !seen.has(s.email) && seen.add(s.email))
          .map((s) => ({
            channel: 'email' as const,
            recipient: s.email,
            template: 'mailbox.staff-escalation',
            locale: (s.locale === 'en' ? 'en' : 'vi') as Locale,
            vars: {
              code: r.code,
              title: r.title,
              deadline: formatDateTime('vi', r.deadline_at),
              unit: target.full_name,
              url: `${deps.config.baseUrl}/staff/mailbox/${r.id}`,
            },
            refType: 'mailbox.report',
            refId: r.id,
          })),
      );
      await tellResidentOverdue(
        tx,
        r,
        formatDateTime(r.locale === 'en' ? 'en' : 'vi', r.deadline_at),
        privateUrl(deps.config.baseUrl, await privateToken({ db: tx, state: deps.state }, r.api_token)),
      );
      n++;
    });
  }
  return n;
}
