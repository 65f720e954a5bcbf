/** Reading a report: its public page, the look-up by code, the resident's private view and the staff view. */
import type { Db } from '../../../db/client.js';
import { ForbiddenError, inSubtree, type Principal } from '../../../platform/auth/permissions.js';
import { inboxScopeOf, mayOnReport, type InboxScope } from './access.js';
import * as repo from '../repo.js';
import { isPublic, type Status } from './rules.js';
import { MailboxError } from './errors.js';
import { sha256 } from './private-links.js';
import { maskView } from './public-text.js';

export interface ReportView {
  report: repo.ReportRow;
  events: repo.EventRow[];
  /** pending: still being cleaned (never served); failed: could not be read, bytes deleted */
  photos: { file_id: string; state: repo.PhotoState }[];
  /** contact details, only for staff who may see them */
  showContact: boolean;
}

export async function publicReport(db: Db, code: string): Promise<ReportView | null> {
  const report = await repo.reportByCode(db, code);
  if (!report || !isPublic(report.status) || report.not_public) return null;
  const [events, photos] = await Promise.all([
    repo.listEvents(db, report.id, ['public']),
    repo.listPhotos(db, report.id),
  ]);
  return maskView(db, {
    report: redact(report),
    events,
    photos: photos.filter((p) => p.state !== 'failed'),
    showContact: false,
  });
}

/** A code as residents type it (pa-2026-97, PA 2026 000097) in its canonical form, or null. */
export function normaliseCode(input: string): string | null {
  const m = input.trim().match(/^PA[\s._-]*(\d{4})[\s._-]*(\d{1,6})$/i);
  return m ? `PA-${m[1]}-${m[2].padStart(6, '0')}` : null;
}

export type Lookup =
  | { kind: 'public'; view: ReportView }
  /** it exists but is not public: its status and public steps, nothing written, no category or place */
  | { kind: 'hidden'; code: string; status: Status; events: repo.EventRow[] }
  | null;

export async function lookupReport(db: Db, code: string): Promise<Lookup> {
  const report = await repo.reportByCode(db, code);
  if (!report) return null;
  if (isPublic(report.status) && !report.not_public) return { kind: 'public', view: (await publicReport(db, code))! };
  const events = (await repo.listEvents(db, report.id, ['public'])).map((e) => ({ ...e, body: null, actor_label: '' }));
  return { kind: 'hidden', code: report.code, status: report.status === 'spam' ? 'rejected' : report.status, events };
}

/** Drops everything personal unless the resident allowed the name. */
export function redact(r: repo.ReportRow): repo.ReportRow {
  return {
    ...r,
    contact_name: r.show_name ? r.contact_name : null,
    contact_phone: null,
    contact_email: null,
    answer_draft: null,
    token_hash: '',
  };
}

export async function residentReport(db: Db, token: string): Promise<ReportView | null> {
  if (!/^[\w-]{20,64}$/.test(token)) return null;
  const report = await repo.reportByTokenHash(db, sha256(token));
  if (!report) return null;
  const [events, photos] = await Promise.all([
    repo.listEvents(db, report.id, ['public', 'resident']),
    repo.listPhotos(db, report.id),
  ]);
  return { report: { ...report, answer_draft: null }, events, photos, showContact: true };
}

export async function staffReport(
  db: Db,
  p: Principal,
  id: number,
): Promise<ReportView & { duplicates: Awaited<ReturnType<typeof repo.duplicates>> }> {
  const report = await repo.reportById(db, id);
  if (!report) throw new MailboxError(404, 'not_found');
  const ref = { ...report, shared_agency_ids: await repo.sharedAgencyIds(db, report.id) };
  // an agency asked for an opinion sees the case while it is open, without contact details
  const viewRef = { ...report, shared_agency_ids: await repo.sharedAgencyIds(db, report.id, true) };
  if (!mayOnReport(p, 'mailbox.view', viewRef)) throw new ForbiddenError('mailbox.view');
  const [events, photos, dups] = await Promise.all([
    repo.listEvents(db, report.id, ['public', 'resident', 'internal']),
    repo.listPhotos(db, report.id),
    repo.duplicates(db, report),
  ]);
  const showContact = mayOnReport(p, 'mailbox.view-personal', ref);
  return {
    report: showContact ? report : { ...report, contact_name: null, contact_phone: null, contact_email: null },
    events,
    photos,
    showContact,
    duplicates: dups,
  };
}

/** An agency may take a report of its own unit, of a unit above (a city department) or below it. */
export function onReportLine(agencyPath: string, reportPath: string): boolean {
  return inSubtree(reportPath, agencyPath) || inSubtree(agencyPath, reportPath);
}

export function inboxScope(p: Principal): InboxScope {
  return inboxScopeOf(p, 'mailbox.view');
}
