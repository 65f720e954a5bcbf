/** Answering: handling, notes and questions, the two-person draft and approval of the answer. */
import type { Deps } from '../../../http/context.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import { canTransition, isOpen } from './rules.js';
import { pauseForQuestion } from './consult.js';
import { MailboxError } from './errors.js';
import { move, notifyResident, staffLabel, withReport } from './internal.js';
import { LIMITS } from './report-input.js';

export async function startHandling(deps: Pick<Deps, 'db' | 'config' | 'state'>, a: Actor, id: number): Promise<void> {
  const p = a.principal;
  await withReport(deps, a, id, 'mailbox.answer', async (tx, r) => {
    move(r, 'in_progress');
    await repo.updateReport(tx, r.id, { status: 'in_progress', assignee_id: p.userId });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'in_progress',
      visibility: 'public',
      actorId: p.userId,
      actorLabel: staffLabel(p),
    });
  });
}

export async function addNote(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  body: string,
  kind: 'note' | 'question',
): Promise<void> {
  const p = a.principal;
  if (!body.trim()) throw new MailboxError(422, 'field.required', {}, 'body');
  await withReport(deps, a, id, kind === 'note' ? 'mailbox.view' : 'mailbox.answer', async (tx, r) => {
    if (kind === 'question' && !isOpen(r.status)) throw new MailboxError(409, 'err.transition');
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind,
      visibility: kind === 'note' ? 'internal' : 'resident',
      actorId: p.userId,
      actorLabel: staffLabel(p),
      body: body.slice(0, LIMITS.note),
    });
    if (kind === 'question') await notifyResident(tx, deps, r, 'mailbox.question', r.status, body, false);
    if (kind === 'question') await pauseForQuestion(tx, r);
  });
}

export async function draftAnswer(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  body: string,
): Promise<void> {
  const p = a.principal;
  if (!body.trim()) throw new MailboxError(422, 'field.required', {}, 'answer');
  await withReport(deps, a, id, 'mailbox.answer', async (tx, r) => {
    if (!isOpen(r.status) || r.status === 'received') throw new MailboxError(409, 'err.transition');
    await repo.updateReport(tx, r.id, {
      answer_draft: body.slice(0, LIMITS.description),
      answer_draft_by: p.userId,
      answer_draft_at: new Date(),
      status:
        r.status === 'in_progress' ? undefined : canTransition(r.status, 'in_progress') ? 'in_progress' : undefined,
    });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'draft',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: staffLabel(p),
      body,
    });
  });
}

export async function approveAnswer(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  edited: string | null,
): Promise<void> {
  const p = a.principal;
  await withReport(deps, a, id, 'mailbox.approve', async (tx, r) => {
    // two people: a handler drafts, someone else approves; a reviewer alone never publishes
    if (!r.answer_draft || !r.answer_draft_by) throw new MailboxError(409, 'err.noDraft');
    if (r.answer_draft_by === p.userId) throw new MailboxError(409, 'err.ownDraft');
    // approval publishes exactly what someone else drafted: a rewrite on approval would be one person's text (issue 12)
    const plain = (x: string) => x.replace(/\r\n?/g, '\n').trim();
    if (edited && edited.trim() && plain(edited) !== plain(r.answer_draft))
      throw new MailboxError(409, 'err.approveAsDrafted', {}, 'answer');
    const text = r.answer_draft;
    move(r, 'answered');
    const now = new Date();
    const onTime = r.deadline_at ? now.getTime() <= new Date(r.deadline_at).getTime() : true;
    await repo.updateReport(tx, r.id, {
      status: 'answered',
      answer: text,
      answered_at: now,
      answered_by: r.answer_draft_by,
      approved_by: p.userId,
      answer_draft: null,
      answer_draft_by: null,
      answer_draft_at: null,
      first_answered_at: r.first_answered_at ? undefined : now,
      answered_on_time: r.first_answered_at ? undefined : onTime,
    });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'answered',
      visibility: 'public',
      actorId: p.userId,
      actorLabel: r.agency_name ?? staffLabel(p),
      body: text,
    });
    await notifyResident(tx, deps, r, 'mailbox.answered', 'answered', text, true);
  });
}

export async function returnDraft(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  a: Actor,
  id: number,
  reason: string,
): Promise<void> {
  const p = a.principal;
  if (!reason.trim()) throw new MailboxError(422, 'err.reason', {}, 'reason');
  await withReport(deps, a, id, 'mailbox.approve', async (tx, r) => {
    if (!r.answer_draft) throw new MailboxError(409, 'err.transition');
    await repo.updateReport(tx, r.id, { answer_draft: null, answer_draft_at: null });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'draftReturned',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: staffLabel(p),
      body: `${reason}\n\n— ${r.answer_draft}`,
    });
  });
}
