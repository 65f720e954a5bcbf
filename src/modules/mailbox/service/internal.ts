/** Helpers the mailbox service files share; not re-exported by service.ts. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Actor, Principal } from '../../../platform/auth/permissions.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { send, type Message } from '../../../platform/notify/notify.js';
import { mt } from '../i18n.js';
import * as repo from '../repo.js';
import { canTransition, type Status } from './rules.js';
import { MailboxError } from './errors.js';
import { privateToken, privateUrl } from './private-links.js';
import { publicChanged } from './public-cache.js';
import { residentReport } from './reading.js';
import { onReport } from './staff-tx.js';
import { RESIDENT_SMS_EVENT, residentUpdateOf, textResident } from './resident-sms.js';

export type Tx = Db;

export async function withReport<T>(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  action: string,
  fn: (tx: Tx, r: repo.ReportRow) => Promise<T>,
): Promise<T> {
  // audited under the action's own name, with the status the report had
  return onReport(deps, a, id, action, action, async (tx, r) => ({
    out: await fn(tx, r),
    audit: { status: r.status },
  }));
}

export function move(r: repo.ReportRow, to: Status): void {
  if (!canTransition(r.status, to)) throw new MailboxError(409, 'err.transition');
}

export async function notifyResident(
  tx: Tx,
  deps: Pick<Deps, 'config' | 'state'>,
  r: repo.ReportRow,
  template: string,
  status: Status,
  message: string,
  _public?: boolean,
): Promise<void> {
  const locale: Locale = r.locale === 'en' ? 'en' : 'vi';
  const t = mt.t(locale);
  const url = privateUrl(deps.config.baseUrl, await privateToken({ db: tx, state: deps.state }, r.api_token));
  const vars = { code: r.code, title: r.title, status: t(`status.${status}` as never), message, url };
  const msgs: Message[] = r.contact_email
    ? [{ channel: 'email', recipient: r.contact_email, template, locale, vars, refType: 'mailbox.report', refId: r.id }]
    : [];
  await send(tx, msgs);
  await sendReportEvent(tx, template, { ...vars, locale }, { id: r.id, phone: r.contact_phone });
  await textResident(tx, r, residentUpdateOf(template, status), url);
}

export const staffLabel = (p: Principal) => p.name;

export async function withToken<T>(
  deps: Pick<Deps, 'db' | 'state'>,
  token: string,
  fn: (tx: Tx, r: repo.ReportRow) => Promise<T>,
): Promise<T> {
  const found = await residentReport(deps.db, token);
  if (!found) throw new MailboxError(404, 'not_found');
  publicChanged(deps.state);
  return deps.db
    .tx(async (tx) => fn(tx, (await repo.reportById(tx, found.report.id, true))!))
    .finally(() => publicChanged(deps.state));
}

export async function eraseContact(tx: Tx, id: number, kind: 'erased' | 'purged'): Promise<void> {
  await repo.updateReport(tx, id, {
    contact_name: null,
    contact_phone: null,
    contact_email: null,
    show_name: false,
    erased_at: new Date(),
  });
  await tx.query(
    `UPDATE mailbox_events SET actor_label = 'resident' WHERE report_id = $1 AND actor_label <> 'resident' AND actor_id IS NULL AND actor_label NOT IN ('system')`,
    [id],
  );
  await repo.insertEvent(tx, { reportId: id, kind, visibility: 'public', actorLabel: 'system' });
  await recordAudit(tx, {
    actorLabel: kind === 'erased' ? 'resident' : 'system',
    action: `mailbox.personal-data-${kind}`,
    entityType: 'mailbox.report',
    entityId: id,
  });
}

/**
 * The report events for partner systems (mailbox.received, .status, .question, .answered). The resident's phone
 * travels only to endpoints that also receive the SMS gateway's event (mailbox.sms, which carries it anyway):
 * a partner subscribed to these events alone never gets it (docs/sms-gateway.md).
 */
export async function sendReportEvent(
  tx: Tx,
  event: string,
  vars: Record<string, string>,
  report: { id: number; phone: string | null },
): Promise<void> {
  const endpoints = await repo.webhookEndpointsFor(tx, event, RESIDENT_SMS_EVENT);
  await send(
    tx,
    endpoints.map((e) => ({
      channel: 'webhook' as const,
      recipient: String(e.id),
      template: event,
      vars: e.personal ? { ...vars, phone: report.phone ?? '' } : vars,
      refType: 'mailbox.report',
      refId: report.id,
    })),
  );
}
