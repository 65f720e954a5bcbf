/** Review: submit, approve the exact version read (two people), return to draft with a note. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { publicContentChanged } from '../../../platform/public-content.js';
import { type Actor, assertCan } from '../../../platform/auth/permissions.js';
import type { ItemRow } from '../repo.js';
import * as repo from '../repo.js';
import { lockFor } from './items.js';
import { audit, DeskError } from './shared.js';

export async function submitForReview(db: Db, a: Actor, id: number): Promise<void> {
  assertCan(a.principal, 'desk.edit');
  await db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.edit');
    if (item.status === 'published') {
      const rev = await repo.getRevision(tx, id);
      if (!rev || rev.status !== 'draft') throw new DeskError({ _form: 'err.transition' });
      await repo.setRevisionStatus(tx, id, 'in_review');
      await audit(tx, a, 'desk.item.submit', 'desk.item', id, { version: rev.version, revision: true });
      return;
    }
    if (item.status !== 'draft') throw new DeskError({ _form: 'err.transition' });
    await repo.setStatus(tx, id, 'in_review');
    await audit(tx, a, 'desk.item.submit', 'desk.item', id, { version: item.version });
  });
}

export function checkPublishable(item: Pick<ItemRow, 'kind' | 'sources' | 'verdict'>) {
  if (item.kind === 'factcheck') {
    if (!item.sources || item.sources.length === 0) throw new DeskError({ sources: 'err.sourceRequired' });
    if (!item.verdict) throw new DeskError({ verdict: 'err.verdict' });
  }
}

/**
 * Approves the exact version the reviewer read (`version`, from the page). Nobody who wrote a version under review
 * may approve it. An approved revision of a published piece goes live at once, with its correction note.
 */
export async function approve(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  version: number | null,
): Promise<void> {
  assertCan(a.principal, 'desk.approve');
  if (!version) throw new DeskError({ _form: 'err.versionMissing' });
  const live = await deps.db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.approve');
    if (item.status === 'published') {
      const rev = await repo.getRevision(tx, id);
      if (rev && rev.version !== version) throw new DeskError({ _form: 'err.versionStale' });
      if (!rev || rev.status !== 'in_review') throw new DeskError({ _form: 'err.transition' });
      assertCan(a.principal, 'desk.publish', item.unit_path);
      const editors = await repo.versionEditors(tx, id, item.version);
      if (editors.includes(a.principal.userId) || rev.edited_by === a.principal.userId)
        throw new DeskError({ _form: 'err.twoPerson' });
      const fields = { ...rev.data, kind: item.kind };
      checkPublishable(fields);
      await repo.updateItemFields(tx, id, fields, rev.version);
      await repo.setItemTags(tx, id, rev.data.topicIds ?? [], rev.data.unitIds ?? []);
      await repo.insertCorrection(tx, id, rev.version, rev.correction_what, rev.correction_why, rev.edited_by);
      await repo.setStatus(tx, id, 'published', {
        updatedPublicAt: new Date(),
        approvedBy: a.principal.userId,
        approvedAt: new Date(),
        approvedVersion: rev.version,
      });
      await repo.deleteRevision(tx, id);
      await audit(tx, a, 'desk.item.correct', 'desk.item', id, {
        version: rev.version,
        from: item.version,
        correction: { what: rev.correction_what, why: rev.correction_why },
      });
      return true;
    }
    if (item.version !== version) throw new DeskError({ _form: 'err.versionStale' });
    if (item.status !== 'in_review') throw new DeskError({ _form: 'err.transition' });
    const editors = await repo.versionEditors(tx, id, 0);
    if (item.author_id === a.principal.userId || editors.includes(a.principal.userId))
      throw new DeskError({ _form: 'err.twoPerson' });
    checkPublishable(item);
    await repo.setStatus(tx, id, 'approved', {
      approvedBy: a.principal.userId,
      approvedAt: new Date(),
      approvedVersion: item.version,
    });
    await audit(tx, a, 'desk.item.approve', 'desk.item', id, { version: item.version });
    return false;
  });
  if (live) publicContentChanged(deps);
}

/** The longest note a reviewer may send a piece back with. */
export const RETURN_NOTE_MAX = 2000;

/** Sends a piece (or a published piece's pending change) in review, approved or scheduled back to draft, with a note for the author. */
export async function returnToDraft(db: Db, a: Actor, id: number, note: string): Promise<void> {
  assertCan(a.principal, 'desk.approve');
  const text = (note ?? '').normalize('NFC').trim();
  if (!text) throw new DeskError({ note: 'err.returnNote' });
  if (text.length > RETURN_NOTE_MAX) throw new DeskError({ note: 'err.returnNoteLong' });
  await db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.approve');
    if (item.status === 'published') {
      const rev = await repo.getRevision(tx, id);
      if (!rev || rev.status !== 'in_review') throw new DeskError({ _form: 'err.transition' });
      await repo.setRevisionStatus(tx, id, 'draft');
      await repo.insertReturnNote(tx, id, rev.version, 'in_review', text, a.principal.userId);
      await audit(tx, a, 'desk.item.return', 'desk.item', id, {
        from: 'in_review',
        version: rev.version,
        revision: true,
        note: text,
      });
      return;
    }
    if (!['in_review', 'approved', 'scheduled'].includes(item.status)) throw new DeskError({ _form: 'err.transition' });
    await repo.setStatus(tx, id, 'draft', {
      approvedBy: null,
      approvedAt: null,
      approvedVersion: null,
      publishAt: null,
    });
    await repo.insertReturnNote(tx, id, item.version, item.status, text, a.principal.userId);
    await audit(tx, a, 'desk.item.return', 'desk.item', id, { from: item.status, version: item.version, note: text });
  });
}
