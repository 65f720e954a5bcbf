/**
 * Telling staff: new reports in their scope, routing to their agency, cases assigned to them, opinions asked of
 * their agency, residents' replies and reopenings. Each person chooses e-mail as it happens (with web push in the
 * browsers they turned it on in), a daily digest, or nothing. The staff action only queues a job in its own
 * transaction; the job works out who hears and sends, so a slow mail server never slows the desk.
 */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Actor, Principal } from '../../../platform/auth/permissions.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import type { ModuleJobs } from '../../../platform/jobs/registry.js';
import { outboundOptions } from '../../../platform/net/outbound.js';
import {
  pushSubscriptionIds,
  savePushSubscription,
  send,
  type Message,
  type PushSubscriptionInput,
} from '../../../platform/notify/notify.js';
import { getOrCreateVapidKeys } from '../../../platform/notify/vapid.js';
import { formatDateTime } from '../../../platform/i18n/index.js';
import * as repo from '../repo.js';
import * as nrepo from '../repo/staff-notify.js';
import { pt, type PracticeKey } from '../views/practice-i18n.js';
import { PracticeError } from './errors.js';

export type StaffEventKind = 'new' | 'routed' | 'assigned' | 'reply' | 'reopened' | 'consult';

export interface StaffEvent {
  kind: StaffEventKind;
  reportId: number;
  /** routed / consult: the agency whose handlers hear */
  agencyId?: number | null;
  /** assigned: the person */
  userId?: number | null;
  /** who did it (never told about their own action) */
  actorId?: number | null;
}

export const STAFF_NOTIFY_JOB = 'mailbox.staff-notify';
export const STAFF_DIGEST_JOB = 'mailbox.staff-digest';

/** Called inside the transaction of the change: the notification goes out only if the change is committed. */
export async function queueStaffEvent(tx: Db, e: StaffEvent): Promise<void> {
  await enqueue(tx, STAFF_NOTIFY_JOB, { ...e }, { maxAttempts: 3 });
}

async function recipients(db: Db, e: StaffEvent, r: repo.ReportRow): Promise<nrepo.Recipient[]> {
  switch (e.kind) {
    case 'new':
      return nrepo.handlersFor(db, r.unit_path, e.agencyId === undefined ? r.agency_id : e.agencyId, false);
    case 'routed':
    case 'consult':
      return e.agencyId ? nrepo.handlersFor(db, r.unit_path, e.agencyId, true) : [];
    case 'assigned':
      return e.userId ? nrepo.recipientById(db, e.userId) : [];
    case 'reply':
    case 'reopened':
      // the person on the case, else whoever handles the report's unit and agency
      if (r.assignee_id) {
        const who = await nrepo.recipientById(db, r.assignee_id);
        if (who.length) return who;
      }
      return nrepo.handlersFor(db, r.unit_path, r.agency_id, false);
  }
}

/** The job: who hears about the event, and how each of them chose to. */
export async function deliverStaffEvent(deps: Pick<Deps, 'db' | 'config'>, e: StaffEvent): Promise<number> {
  const db = deps.db;
  const r = await repo.reportById(db, e.reportId);
  if (!r) return 0;
  const agency = e.agencyId && e.kind !== 'new' ? await repo.findAgency(db, e.agencyId) : null;
  const to = (await recipients(db, e, r)).filter((x) => x.id !== e.actorId);
  const messages: Message[] = [];
  for (const person of to) {
    if (person.mode === 'off') continue;
    if (person.mode === 'digest') {
      await nrepo.queueDigest(db, person.id, r.id, e.kind);
      continue;
    }
    const locale: Locale = person.locale === 'en' ? 'en' : 'vi';
    const vars = {
      code: r.code,
      title: r.title,
      url: `${deps.config.baseUrl}/staff/mailbox/${r.id}`,
      unit: locale === 'en' ? (r.unit_name_en ?? r.unit_full_name) : r.unit_full_name,
      category: locale === 'en' ? r.category_name_en : r.category_name,
      agency: agency ? (locale === 'en' ? (agency.name_en ?? agency.name) : agency.name) : (r.agency_name ?? ''),
      deadline: formatDateTime(locale, r.deadline_at),
    };
    const template = `mailbox.staff-${e.kind}`;
    messages.push({
      channel: 'email',
      recipient: person.email,
      template,
      locale,
      vars,
      refType: 'mailbox.report',
      refId: r.id,
    });
    if (person.push)
      for (const sub of await pushSubscriptionIds(db, person.id))
        messages.push({
          channel: 'push',
          recipient: sub,
          template,
          locale,
          vars,
          refType: 'mailbox.report',
          refId: r.id,
        });
  }
  await send(db, messages);
  return messages.length;
}

/** The daily digest: one e-mail per person with everything waiting for them. */
export async function sendDigests(deps: Pick<Deps, 'db' | 'config'>): Promise<number> {
  let n = 0;
  for (const { user_id } of await nrepo.digestUsers(deps.db)) {
    await deps.db.tx(async (tx) => {
      const [person] = await nrepo.recipientById(tx, user_id);
      const items = await nrepo.digestItems(tx, user_id);
      if (items.length === 0) return;
      if (person && person.mode === 'digest') {
        const locale: Locale = person.locale === 'en' ? 'en' : 'vi';
        const t = pt.t(locale);
        const lines = items.map(
          (i) =>
            `- ${i.code} — ${i.title} (${t(`notify.kind.${i.kind}` as PracticeKey)}, ${formatDateTime(locale, i.at)})\n  ${deps.config.baseUrl}/staff/mailbox/${i.report_id}`,
        );
        await send(tx, [
          {
            channel: 'email',
            recipient: person.email,
            template: 'mailbox.staff-digest',
            locale,
            vars: {
              n: items.length,
              items: lines.join('\n'),
              settings: `${deps.config.baseUrl}/staff/mailbox/notifications`,
            },
            refType: 'mailbox.digest',
            refId: user_id,
          },
        ]);
        n++;
      }
      await nrepo.markDigestSent(
        tx,
        items.map((i) => i.id),
      );
    });
  }
  return n;
}

const HOUR = 3600_000;
/** Next 07:00 in Vietnam (00:00 UTC) after `after`. */
const morning = (after: Date) => {
  const d = new Date(after);
  d.setUTCHours(0, 0, 0, 0);
  if (d.getTime() <= after.getTime()) d.setTime(d.getTime() + 24 * HOUR);
  return d;
};

/** The staff notification jobs of one app. */
export function staffNotifyJobs(deps: Deps): ModuleJobs {
  return {
    handlers: {
      [STAFF_NOTIFY_JOB]: async (p: StaffEvent) => void (await deliverStaffEvent(deps, p)),
      [STAFF_DIGEST_JOB]: async () => void (await sendDigests(deps)),
    },
    schedules: [{ name: STAFF_DIGEST_JOB, jobType: STAFF_DIGEST_JOB, next: morning }],
  };
}

// ---------- the person's settings ----------

export interface NotifySettings {
  mode: nrepo.NotifyMode;
  push: boolean;
  devices: number;
  vapidKey: string;
}

export async function notifySettings(db: Db, p: Principal): Promise<NotifySettings> {
  const [prefs, subs, vapid] = await Promise.all([
    nrepo.getPrefs(db, p.userId),
    pushSubscriptionIds(db, p.userId),
    getOrCreateVapidKeys(db),
  ]);
  return {
    mode: prefs?.mode ?? 'immediate',
    push: prefs?.push ?? true,
    devices: subs.length,
    vapidKey: vapid.publicKey,
  };
}

const MODES: readonly nrepo.NotifyMode[] = ['immediate', 'digest', 'off'];

export async function saveNotifySettings(db: Db, a: Actor, form: { mode: string; push: string }): Promise<void> {
  const { principal: p, ip } = a;
  if (!MODES.includes(form.mode as nrepo.NotifyMode)) throw new PracticeError(422, 'notify.err.mode', 'mode');
  const mode = form.mode as nrepo.NotifyMode;
  const push = form.push === 'on' || form.push === '1' || form.push === 'true';
  await db.tx(async (tx) => {
    const old = await nrepo.getPrefs(tx, p.userId);
    await nrepo.savePrefs(tx, p.userId, mode, push);
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: 'mailbox.notify-settings',
      entityType: 'user',
      entityId: p.userId,
      ip,
      data: { old: old ?? null, new: { mode, push } },
    });
  });
}

/** A browser's push subscription for this staff member (sent by the settings page's script). */
export async function savePush(
  deps: Pick<Deps, 'db' | 'config'>,
  a: Actor,
  sub: PushSubscriptionInput,
): Promise<number> {
  const { principal: p, ip } = a;
  return deps.db.tx(async (tx) => {
    const id = await savePushSubscription(tx, p.userId, sub, outboundOptions(deps.config));
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: 'mailbox.notify-push',
      entityType: 'user',
      entityId: p.userId,
      ip,
      data: { subscription: id },
    });
    return id;
  });
}
