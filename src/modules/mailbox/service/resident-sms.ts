/**
 * Updates where the resident is (issue 16). E-mail goes to a resident who gave an address; a resident who gave a
 * phone number also hears by SMS or Zalo, through the office's SMS/Zalo gateway registered as a signed webhook
 * endpoint (event `mailbox.sms`, documented in docs/sms-gateway.md), when the report is accepted, when an officer asks
 * a question, when it is answered and when it passes its deadline. The gateway gets the least it needs to send one
 * message: the phone number, the code, the status in words, the text and the private link. Never the name, the
 * e-mail address, the title or what the resident wrote.
 */
import type { Db } from '../../../db/client.js';
import { defineCatalog, type Locale } from '../../../platform/i18n/index.js';
import { send, sendWebhookEvent } from '../../../platform/notify/notify.js';
import type { TemplateTable } from '../../../platform/notify/templates.js';

export const RESIDENT_SMS_EVENT = 'mailbox.sms';
export const OVERDUE_TEMPLATE = 'mailbox.overdue';

export type ResidentUpdate = 'accepted' | 'question' | 'answered' | 'overdue';

/** Each under 160 characters before the link; Vietnamese with diacritics travels as UCS-2, so keep them short. */
const sms = defineCatalog(
  {
    'status.accepted': 'Đã tiếp nhận',
    'status.question': 'Cần bạn bổ sung thông tin',
    'status.answered': 'Đã có trả lời',
    'status.overdue': 'Quá hạn xử lý',
    'text.accepted': 'Phản ánh {code} đã được tiếp nhận và đang được xử lý. Theo dõi: {url}',
    'text.question': 'Cán bộ có câu hỏi về phản ánh {code}. Trả lời tại: {url}',
    'text.answered': 'Phản ánh {code} đã có trả lời. Xem tại: {url}',
    'text.overdue': 'Phản ánh {code} đã quá hạn xử lý và được báo lên cấp trên. Theo dõi: {url}',
  },
  {
    'status.accepted': 'Accepted',
    'status.question': 'Your answer is needed',
    'status.answered': 'Answered',
    'status.overdue': 'Overdue',
    'text.accepted': 'Your report {code} was accepted and is being handled. Follow it: {url}',
    'text.question': 'An officer has a question about your report {code}. Answer here: {url}',
    'text.answered': 'Your report {code} has been answered. Read it: {url}',
    'text.overdue': 'Your report {code} is past its deadline and was escalated. Follow it: {url}',
  },
);

export const overdueTemplates: TemplateTable = {
  [OVERDUE_TEMPLATE]: {
    vi: {
      subject: 'Phản ánh {code} đã quá hạn xử lý',
      text: 'Phản ánh “{title}” ({code}) đã quá thời hạn xử lý ({deadline}). Chúng tôi đã báo cáo lên cấp trên để đôn đốc.\n\nTheo dõi tại: {url}',
    },
    en: {
      subject: 'Report {code} is overdue',
      text: 'Your report “{title}” ({code}) has passed its deadline ({deadline}). It has been escalated to the level above.\n\nFollow it here: {url}',
    },
  },
};

/** Which update a resident's notification is, if it is one the phone hears about. */
export function residentUpdateOf(template: string, status: string): ResidentUpdate | null {
  if (template === 'mailbox.question') return 'question';
  if (template === 'mailbox.answered') return 'answered';
  if (template === 'mailbox.status' && (status === 'accepted' || status === 'assigned')) return 'accepted';
  return null;
}

export interface SmsReport {
  id: number;
  code: string;
  contact_phone: string | null;
  locale: string | null;
}

/** The gateway's payload (`data` of the signed webhook body). */
export function smsPayload(
  r: SmsReport & { contact_phone: string },
  kind: ResidentUpdate,
  url: string,
): Record<string, string> {
  const locale: Locale = r.locale === 'en' ? 'en' : 'vi';
  const t = sms.t(locale);
  return {
    phone: r.contact_phone,
    code: r.code,
    kind,
    status: t(`status.${kind}`),
    text: t(`text.${kind}`, { code: r.code, url }),
    url,
    locale,
  };
}

/** Inside the change's transaction: the message is queued only if the change commits. Nothing without a phone. */
export async function textResident(tx: Db, r: SmsReport, kind: ResidentUpdate | null, url: string): Promise<void> {
  if (!kind || !r.contact_phone?.trim()) return;
  await sendWebhookEvent(
    tx,
    RESIDENT_SMS_EVENT,
    smsPayload({ ...r, contact_phone: r.contact_phone.trim() }, kind, url),
    { type: 'mailbox.report', id: r.id },
  );
}

/** A report passed its deadline and went up a level: the resident hears by e-mail and by phone. */
export async function tellResidentOverdue(
  tx: Db,
  r: SmsReport & { title: string; contact_email: string | null },
  deadline: string,
  url: string,
): Promise<void> {
  const locale: Locale = r.locale === 'en' ? 'en' : 'vi';
  if (r.contact_email)
    await send(tx, [
      {
        channel: 'email',
        recipient: r.contact_email,
        template: OVERDUE_TEMPLATE,
        locale,
        vars: { code: r.code, title: r.title, deadline, url },
        refType: 'mailbox.report',
        refId: r.id,
      },
    ]);
  await textResident(tx, r, 'overdue', url);
}
