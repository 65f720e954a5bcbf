/**
 * What the person looking at a report may do with it now, decided once for the page: views show a form when its
 * flag is set and never ask the permissions or the status themselves. The services check each action again.
 */
import { can, type Principal } from '../../../platform/auth/permissions.js';
import type { ReportRow } from '../repo.js';
import { isOpen, isPublic } from './rules.js';
import type { ReportView } from '../service.js';

export interface StaffMay {
  /** accept, reject or mark as spam a report just received */
  triage: boolean;
  /** merge, route, share, change category or ward: triage rights on an open report */
  manage: boolean;
  /** start handling, ask the resident, draft the answer: an open report past triage */
  answer: boolean;
  /** "start handling": not already in progress */
  start: boolean;
  /** approve or return the drafted answer */
  approve: boolean;
  /** close with an outcome: triage rights on a report that was accepted */
  close: boolean;
}

export function staffMay(
  p: Principal | null | undefined,
  r: Pick<ReportRow, 'status' | 'unit_path' | 'answer_draft'>,
): StaffMay {
  const open = isOpen(r.status);
  const triage = can(p, 'mailbox.triage', r.unit_path);
  const answer = can(p, 'mailbox.answer', r.unit_path) && open && r.status !== 'received';
  return {
    triage: triage && r.status === 'received',
    manage: triage && open,
    answer,
    start: answer && r.status !== 'in_progress',
    approve: can(p, 'mailbox.approve', r.unit_path) && open && !!r.answer_draft,
    close: triage && !['received', 'rejected', 'spam', 'merged'].includes(r.status),
  };
}

export interface ResidentMay {
  /** answer a question or add information */
  reply: boolean;
  rate: boolean;
  /** within the reopening period after the answer */
  reopen: boolean;
  /** the report has a public page to link to */
  publicPage: boolean;
}

export function residentMay(view: ReportView, reopenDays: number, now = Date.now()): ResidentMay {
  const r = view.report;
  const answered = r.status === 'answered' || r.status === 'closed';
  return {
    reply: isOpen(r.status) || r.status === 'answered',
    rate: r.status === 'answered',
    reopen: answered && !!r.answered_at && now - new Date(r.answered_at).getTime() <= reopenDays * 86400_000,
    publicPage: isPublic(r.status),
  };
}
