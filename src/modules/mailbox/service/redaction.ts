/**
 * Redaction: staff hide a passage of a report from the public (the original stays for the report's
 * handlers), and keep a report out of every public output ("not for publication"). Audited with old and new.
 */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import type { Actor, Principal } from '../../../platform/auth/permissions.js';
import { mayOnReport } from './access.js';
import * as redactionRepo from '../repo/redaction.js';
import * as repo from '../repo.js';
import { MailboxError } from './errors.js';
import type { ReportView } from './reading.js';
import { findPersonalData, maskPassages, maskText, type PiiKind } from './masking.js';
import { onReport } from './staff-tx.js';

export const PASSAGE = { min: 2, max: 1000 };

const fold = (s: string) => s.toLocaleLowerCase('vi');

/** The report's public text as it stands (title, description, answer, public timeline bodies). */
async function publicTexts(db: Db, r: repo.ReportRow): Promise<Record<string, string>> {
  const bodies = await redactionRepo.publicBodies(db, r.id);
  const out: Record<string, string> = { title: r.title, description: r.description };
  if (r.answer) out.answer = r.answer;
  if (r.outcome_note) out.outcome_note = r.outcome_note;
  bodies.forEach((b, i) => (out[`timeline.${i}`] = b));
  return out;
}

function publicVersion(
  texts: Record<string, string>,
  passages: string[],
  hiddenName: string | null,
): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, maskText(v, { passages, hiddenName })]));
}

/** Hides a passage (selected by its text) wherever it appears in the report's public text. */
export async function redactPassage(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  passage: string,
): Promise<number> {
  const p = a.principal;
  const text = passage.replace(/\r\n/g, '\n').trim();
  if (text.length < PASSAGE.min) throw new MailboxError(422, 'redact.err.short', { min: PASSAGE.min }, 'passage');
  if (text.length > PASSAGE.max) throw new MailboxError(422, 'redact.err.long', { max: PASSAGE.max }, 'passage');
  return onReport(deps, a, id, 'mailbox.triage', 'mailbox.redact', async (tx, r) => {
    const texts = await publicTexts(tx, r);
    const where = Object.keys(texts).filter((k) => fold(texts[k]).includes(fold(text)));
    if (where.length === 0) throw new MailboxError(422, 'redact.err.notFound', {}, 'passage');
    const existing = await redactionRepo.listRedactions(tx, r.id);
    if (existing.some((x) => fold(x.passage) === fold(text)))
      throw new MailboxError(422, 'redact.err.already', {}, 'passage');
    const hidden = r.show_name ? null : r.contact_name;
    const before = publicVersion(
      texts,
      existing.map((x) => x.passage),
      hidden,
    );
    const after = publicVersion(texts, [...existing.map((x) => x.passage), text], hidden);
    const rid = await redactionRepo.insertRedaction(tx, r.id, text, p.userId);
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'redacted',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: p.name,
    });
    const changed = where.filter((k) => before[k] !== after[k]);
    return {
      out: rid,
      audit: {
        redaction: rid,
        fields: where,
        old: Object.fromEntries(changed.map((k) => [k, before[k]])),
        new: Object.fromEntries(changed.map((k) => [k, after[k]])),
      },
    };
  });
}

/** Shows a hidden passage again. */
export async function unredact(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  redactionId: number,
): Promise<void> {
  const p = a.principal;
  await onReport(deps, a, id, 'mailbox.triage', 'mailbox.unredact', async (tx, r) => {
    const x = await redactionRepo.findRedaction(tx, r.id, redactionId);
    if (!x) throw new MailboxError(404, 'not_found');
    const texts = await publicTexts(tx, r);
    const all = (await redactionRepo.listRedactions(tx, r.id)).map((y) => y.passage);
    const hidden = r.show_name ? null : r.contact_name;
    const before = publicVersion(texts, all, hidden);
    const after = publicVersion(
      texts,
      all.filter((y) => y !== x.passage),
      hidden,
    );
    await redactionRepo.removeRedaction(tx, x.id, p.userId);
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'unredacted',
      visibility: 'internal',
      actorId: p.userId,
      actorLabel: p.name,
    });
    const changed = Object.keys(texts).filter((k) => before[k] !== after[k]);
    return {
      out: undefined,
      audit: {
        redaction: x.id,
        old: Object.fromEntries(changed.map((k) => [k, before[k]])),
        new: Object.fromEntries(changed.map((k) => [k, after[k]])),
      },
    };
  });
}

/** "Not for publication": never in a public output; the resident still follows it through the code. */
export async function setPublication(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  notPublic: boolean,
): Promise<void> {
  const p = a.principal;
  await onReport(deps, a, id, 'mailbox.triage', 'mailbox.publication', async (tx, r) => {
    const old = Boolean(r.not_public);
    if (old !== notPublic) {
      await redactionRepo.setNotPublic(tx, r.id, notPublic);
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: notPublic ? 'notPublic' : 'madePublic',
        visibility: 'internal',
        actorId: p.userId,
        actorLabel: p.name,
      });
    }
    return { out: undefined, audit: { old: { not_public: old }, new: { not_public: notPublic } } };
  });
}

export interface RedactionPanel {
  redactions: redactionRepo.RedactionRow[];
  /** the report's text as the public sees it */
  publicTitle: string;
  publicDescription: string;
  publicAnswer: string | null;
  /** personal data found by pattern in the text (for the staff's attention) */
  found: { kind: PiiKind; text: string }[];
  notPublic: boolean;
  /** the viewer may see and manage the original (the report's handlers) */
  mayManage: boolean;
}

/**
 * The report as one staff member sees it: the report's handlers (who may see personal data) read the
 * original; other staff read it with the hidden passages masked. Plus what the public sees.
 */
export async function staffTextView<V extends ReportView>(
  db: Db,
  p: Principal,
  view: V,
): Promise<{ view: V; panel: RedactionPanel }> {
  const r = view.report;
  const [redactions, shared] = await Promise.all([
    redactionRepo.listRedactions(db, r.id),
    repo.sharedAgencyIds(db, r.id),
  ]);
  const passages = redactions.map((x) => x.passage);
  const original = (await repo.reportById(db, r.id))!;
  const hiddenName = original.show_name ? null : original.contact_name;
  const src = { passages, hiddenName };
  const mayManage =
    mayOnReport(p, 'mailbox.view-personal', { ...r, shared_agency_ids: shared }) &&
    mayOnReport(p, 'mailbox.triage', { ...r, shared_agency_ids: shared });
  const panel: RedactionPanel = {
    redactions: mayManage ? redactions : [],
    publicTitle: maskText(r.title, src),
    publicDescription: maskText(r.description, src),
    publicAnswer: maskText(r.answer, src),
    found: mayManage
      ? [...findPersonalData(r.title), ...findPersonalData(r.description), ...findPersonalData(r.answer ?? '')]
      : [],
    notPublic: Boolean(r.not_public),
    mayManage,
  };
  if (view.showContact) return { view, panel };
  const masked = {
    ...view,
    report: {
      ...r,
      title: maskPassages(r.title, passages)!,
      description: maskPassages(r.description, passages)!,
      answer: maskPassages(r.answer, passages),
    },
    events: view.events.map((e) => (e.body ? { ...e, body: maskPassages(e.body, passages) } : e)),
  };
  return { view: masked, panel };
}
