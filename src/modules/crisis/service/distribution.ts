/** Distribution of a released statement: its recipients, the delivery job, re-sending failed deliveries. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { ForbiddenError } from '../../../platform/auth/permissions.js';
import { formatDateTime, type Locale } from '../../../platform/i18n/index.js';
import { enqueue, type JobContext } from '../../../platform/jobs/queue.js';
import type { ModuleJobs } from '../../../platform/jobs/registry.js';
import { send, type Message } from '../../../platform/notify/notify.js';
import type { TemplateTable } from '../../../platform/notify/templates.js';
import { membersOfUnits } from '../../network/public.js';
import { tiplineAlertRecipients } from '../../tipline/public.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import { mayResend } from './access.js';
import type { Actor, SiteInfo } from './common.js';
import { label, statementContext } from './internal.js';
import { statementUrl, verifyUrl } from './statement-links.js';

export const DISTRIBUTE_JOB = 'crisis.distribute';
export const TEMPLATE = 'crisis.statement';

export const distributionTemplates: TemplateTable = {
  [TEMPLATE]: {
    vi: { subject: crisisText.vi['tpl.subject'], text: crisisText.vi['tpl.text'] },
    en: { subject: crisisText.en['tpl.subject'], text: crisisText.en['tpl.text'] },
  },
};

type Recipient = { channel: 'email' | 'webhook' | 'push' | 'tipline'; address: string; locale: Locale };

/** Recipients of a released statement: its lists' contacts, network members and tipline subscribers of the affected units. */
export async function recipientsFor(db: Db, statementId: number): Promise<Recipient[]> {
  const s = await repo.getStatement(db, statementId);
  if (!s) return [];
  // residents who asked for alerts for a ward in a chat get every statement for it, whatever the lists
  const affected = s.incident_id ? (await repo.incidentUnits(db, s.incident_id)).map((u) => u.path) : [];
  const tipline = await tiplineAlertRecipients(db, affected.length ? affected : [s.unit_path]);
  const listIds = await repo.statementListIds(db, statementId);
  if (listIds.length === 0) return tipline;
  const lists = (await repo.listLists(db)).filter((l) => listIds.includes(l.id));
  const out = new Map<string, Recipient>(tipline.map((r) => [`tipline:${r.address}`, r]));
  for (const c of await repo.contactsOfLists(
    db,
    lists.filter((l) => l.kind !== 'network').map((l) => l.id),
  )) {
    out.set(`${c.channel}:${c.address.toLowerCase()}`, {
      channel: c.channel,
      address: c.address,
      locale: c.locale === 'en' ? 'en' : 'vi',
    });
  }
  if (lists.some((l) => l.kind === 'network')) {
    const paths = s.incident_id ? (await repo.incidentUnits(db, s.incident_id)).map((u) => u.path) : [s.unit_path];
    const members = await membersOfUnits(db, paths.length ? paths : [s.unit_path]);
    for (const m of members)
      if (m.email) out.set(`email:${m.email.toLowerCase()}`, { channel: 'email', address: m.email, locale: 'vi' });
    for (const p of await repo.pushSubscriptionsOf(
      db,
      members.map((m) => m.userId),
    ))
      out.set(`push:${p.id}`, { channel: 'push', address: String(p.id), locale: 'vi' });
  }
  // gateways (SMS/Zalo, one call reaching many people) and push first, then e-mail: the queue runs in order
  const rank = { webhook: 0, tipline: 1, push: 1, email: 2 } as const;
  return [...out.values()].sort((a, b) => rank[a.channel] - rank[b.channel]);
}

export function crisisJobs(site: () => SiteInfo): ModuleJobs {
  const distribute = async ({ statementId }: { statementId: number }, { db }: JobContext) => {
    const s = await repo.getStatement(db, statementId);
    if (!s || s.status !== 'released') return;
    if (await repo.deliveriesStarted(db, statementId)) return;
    const recipients = await recipientsFor(db, statementId);
    const info = site();
    // who answers questions about it: the incident's spokesperson (their address as Reply-To), else the office
    const incident = s.incident_id ? await repo.getIncident(db, s.incident_id) : null;
    const spokesperson = incident
      ? [incident.spokesperson_name, incident.spokesperson_title].filter(Boolean).join(', ')
      : info.orgName;
    const spokespersonContact = incident
      ? [incident.spokesperson_phone, incident.spokesperson_email].filter(Boolean).join(' — ') || info.baseUrl
      : info.baseUrl;
    const replyTo = incident?.spokesperson_email || '';
    const varsFor = (locale: Locale) => {
      const en = locale === 'en' && s.body_en;
      return {
        org: info.orgName,
        number: s.number!,
        title: en ? s.title_en || s.title : s.title,
        body: en ? s.body_en! : s.body,
        releasedAt: formatDateTime(locale, s.released_at),
        released_at_iso: new Date(s.released_at!).toISOString(),
        code: s.code!,
        verifyUrl: verifyUrl(info, s.code!),
        url: statementUrl(info, s.number!),
        signature: s.signature!,
        keyId: s.key_id!,
        spokesperson,
        spokespersonContact,
        replyTo,
      };
    };
    const vars = { vi: varsFor('vi'), en: varsFor('en') };
    const messages: Message[] = recipients.map((r) => ({
      channel: r.channel,
      recipient: r.address,
      template: TEMPLATE,
      locale: r.locale,
      vars: vars[r.locale],
      refType: 'crisis.statement',
      refId: statementId,
    }));
    await db.tx(async (tx) => {
      for (let i = 0; i < messages.length; i += 5000) await send(tx, messages.slice(i, i + 5000));
    });
  };
  return { handlers: { [DISTRIBUTE_JOB]: distribute } };
}

export async function resendFailed(db: Db, a: Actor, id: number): Promise<number> {
  const { s, incident } = await statementContext(db, id);
  if (!(await mayResend(db, a.principal, incident, s.unit_path))) throw new ForbiddenError('crisis.manage');
  const ids = await repo.failedNotificationIds(db, id);
  await db.tx(async (tx) => {
    for (const n of ids) await enqueue(tx, 'notify.deliver', { notificationId: n }, { maxAttempts: 6 });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.statement.resend',
      entityType: 'crisis.statement',
      entityId: id,
      unitId: s.unit_id,
      ip: a.ip,
      data: { count: ids.length },
    });
  });
  return ids.length;
}
