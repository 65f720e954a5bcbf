/** What the resident does through the private link: reply, rate, reopen, export and erase their data. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import type { CheckedImage } from '../../../platform/files/files.js';
import { addWorkingDays } from './deadline.js';
import * as repo from '../repo.js';
import { canTransition, isOpen, type Status } from './rules.js';
import { holidaySet, settings } from './config-cache.js';
import { afterReopen, resumeOnAnswer } from './consult.js';
import { MailboxError } from './errors.js';
import { eraseContact, withToken } from './internal.js';
import { storePhotos } from './photos.js';
import { residentReport } from './reading.js';
import { LIMITS } from './report-input.js';
import { queueStaffEvent } from './staff-notify.js';

export async function residentReply(
  deps: Pick<Deps, 'db' | 'blobs' | 'state'>,
  token: string,
  body: string,
  photos: CheckedImage[] = [],
): Promise<void> {
  if (!body.trim() && photos.length === 0) throw new MailboxError(422, 'field.required', {}, 'body');
  const found = await residentReport(deps.db, token);
  if (!found) throw new MailboxError(404, 'not_found');
  const replyable = (s: Status) => isOpen(s) || s === 'answered';
  // refused before anything is stored
  if (!replyable(found.report.status)) throw new MailboxError(409, 'err.transition');
  const ids = await storePhotos(deps, photos);
  await withToken(deps, token, async (tx, r) => {
    if (!replyable(r.status)) throw new MailboxError(409, 'err.transition');
    if (body.trim())
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'reply',
        visibility: 'resident',
        actorLabel: 'resident',
        body: body.slice(0, LIMITS.note),
      });
    const n = await repo.attachPhotos(tx, r.id, ids, 'resident');
    if (n)
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'photos',
        visibility: 'public',
        actorLabel: 'resident',
        data: { n },
      });
    await resumeOnAnswer(tx, r.id);
    await queueStaffEvent(tx, { kind: 'reply', reportId: r.id });
  });
}

export async function rate(
  deps: Pick<Deps, 'db' | 'state'>,
  token: string,
  rating: number,
  comment: string | null,
): Promise<void> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new MailboxError(422, 'err.rating', {}, 'rating');
  await withToken(deps, token, async (tx, r) => {
    if (r.status !== 'answered' && r.status !== 'closed') throw new MailboxError(409, 'err.transition');
    await repo.updateReport(tx, r.id, {
      rating,
      rating_comment: comment?.slice(0, LIMITS.reason) ?? null,
      rated_at: new Date(),
      status: 'closed',
      closed_at: r.closed_at ?? new Date(),
    });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'rated',
      visibility: 'public',
      actorLabel: 'resident',
      data: { n: rating },
    });
    if (r.status === 'answered')
      await repo.insertEvent(tx, { reportId: r.id, kind: 'closed', visibility: 'public', actorLabel: 'system' });
  });
}

export async function reopen(deps: Pick<Deps, 'db' | 'state'>, token: string, reason: string): Promise<void> {
  if (!reason.trim()) throw new MailboxError(422, 'err.reason', {}, 'reason');
  const days = await settings.reopenDays(deps.db);
  await withToken(deps, token, async (tx, r) => {
    if (!canTransition(r.status, 'reopened') || !r.answered_at) throw new MailboxError(409, 'err.transition');
    if (Date.now() - new Date(r.answered_at).getTime() > days * 86400_000)
      throw new MailboxError(409, 'err.reopenExpired', { days });
    const cat = (await repo.findCategory(tx, r.category_id))!;
    await repo.updateReport(tx, r.id, {
      status: 'reopened',
      reopened_count: r.reopened_count + 1,
      closed_at: null,
      deadline_at: addWorkingDays(new Date(), cat.handling_days, await holidaySet(tx)),
      reminded_at: null,
      escalated_at: null,
    });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'reopened',
      visibility: 'public',
      actorLabel: 'resident',
      body: reason.slice(0, LIMITS.reason),
    });
    await afterReopen(tx, r.id);
  });
}

/** Everything held about the resident of this report. */
export async function exportData(db: Db, token: string): Promise<Record<string, unknown>> {
  const v = await residentReport(db, token);
  if (!v) throw new MailboxError(404, 'not_found');
  const r = v.report;
  return {
    code: r.code,
    received_at: r.received_at,
    category: r.category_name,
    unit: r.unit_full_name,
    title: r.title,
    description: r.description,
    address: r.address,
    lat: r.lat,
    lon: r.lon,
    contact: { name: r.contact_name, phone: r.contact_phone, email: r.contact_email, show_name: r.show_name },
    status: r.status,
    answer: r.answer,
    rating: r.rating,
    rating_comment: r.rating_comment,
    personal_data_erased_at: r.erased_at,
    photos: v.photos.map((p) => p.file_id),
    timeline: v.events.map((e) => ({
      at: e.at,
      kind: e.kind,
      by: e.actor_label === 'resident' ? 'resident' : 'staff',
      text: e.body,
    })),
  };
}

export async function erase(deps: Pick<Deps, 'db' | 'state'>, token: string): Promise<void> {
  await withToken(deps, token, async (tx, r) => eraseContact(tx, r.id, 'erased'));
}
