/** Pieces (articles, videos, fact-checks): drafts, saved versions, the unit a piece belongs to. */
import type { Db } from '../../../db/client.js';
import { type Actor, assertCan, can, inSubtree, type Principal, scopeOf } from '../../../platform/auth/permissions.js';
import { AppError } from '../../../platform/errors.js';
import type { ItemInput } from './forms.js';
import * as repo from '../repo.js';
import type { ItemFields, ItemRow, ItemView, RevisionRow } from '../repo.js';
import { assertClusterScope } from './claims.js';
import { audit, DeskError } from './shared.js';

function snapshot(f: ItemFields, topicIds: number[], unitIds: number[]) {
  return { ...f, topicIds, unitIds };
}

/** The unit a new piece belongs to: the one chosen in the form, else the actor's own (the top of its editing scope). */
async function ownerUnit(
  tx: Db,
  a: Actor,
  unitId: number | null | undefined,
): Promise<{ id: number; path: string } | null> {
  if (unitId) {
    const u = await repo.unitById(tx, unitId);
    if (!u || !can(a.principal, 'desk.edit', u.path)) throw new DeskError({ owner_unit_id: 'err.unitScope' });
    return u;
  }
  const top = scopeOf(a.principal, 'desk.edit')[0];
  const g = a.principal.grants.find((x) => x.unitPath === top);
  return g ? { id: g.unitId, path: g.unitPath } : null;
}

/** Units a piece is tagged with lie inside the piece's own unit (a ward cannot file under another ward or the city). */
async function checkTags(tx: Db, ownerPath: string | null, unitIds: number[]): Promise<void> {
  if (!ownerPath || unitIds.length === 0) return;
  const rows = await repo.unitPathsByIds(tx, unitIds);
  if (rows.length !== new Set(unitIds).size || rows.some((u) => !inSubtree(u.path, ownerPath)))
    throw new DeskError({ units: 'err.unitScope' });
}

/** Creates a draft. Started from a claims cluster, the fact-check is linked to it and the cluster shows "checking". */
export async function createItem(
  db: Db,
  a: Actor,
  input: ItemInput,
  opts: { clusterId?: number | null } = {},
): Promise<number> {
  assertCan(a.principal, 'desk.edit');
  return db.tx(async (tx) => {
    if (opts.clusterId) {
      assertCan(a.principal, 'desk.claims');
      const cl = await repo.getCluster(tx, opts.clusterId);
      if (!cl || input.fields.kind !== 'factcheck') throw new DeskError({ _form: 'err.cluster' });
      await assertClusterScope(tx, a, opts.clusterId);
    }
    const owner = await ownerUnit(tx, a, input.ownerUnitId);
    await checkTags(tx, owner?.path ?? null, input.unitIds);
    const id = await repo.insertItem(tx, input.fields, { authorId: a.principal.userId, unitId: owner?.id ?? null });
    await repo.setItemTags(tx, id, input.topicIds, input.unitIds);
    await repo.insertVersion(
      tx,
      id,
      1,
      snapshot(input.fields, input.topicIds, input.unitIds),
      a.principal.userId,
      null,
    );
    await audit(tx, a, 'desk.item.create', 'desk.item', id, {
      kind: input.fields.kind,
      title: input.fields.title,
      unitId: owner?.id ?? null,
      clusterId: opts.clusterId ?? undefined,
    });
    if (opts.clusterId) {
      await repo.setClusterStatus(tx, opts.clusterId, 'checking', id, null);
      await audit(tx, a, 'desk.cluster.status', 'desk.cluster', opts.clusterId, {
        status: 'checking',
        factcheckId: id,
        started: true,
      });
    }
    return id;
  });
}

async function lockItem(tx: Db, id: number): Promise<ItemRow> {
  const item = await repo.getItemForUpdate(tx, id);
  if (!item) throw new DeskError({ _form: 'err.transition' });
  return item;
}

/** Locks the piece and checks the actor may do `action` on the piece's own unit (never a unit sent in the form). */
export async function lockFor(tx: Db, a: Actor, id: number, action: string): Promise<ItemRow> {
  const item = await lockItem(tx, id);
  assertCan(a.principal, action, item.unit_path);
  return item;
}

/** May `who` see this piece on the staff side (its unit within the reader's scope)? */
export const canSee = (who: Principal | null | undefined, item: { unit_path: string | null }) =>
  can(who, 'desk.view', item.unit_path);

/**
 * Saves a new version. Before publication the piece itself changes and goes back to draft (approval is for the text read).
 * After publication the change is a pending revision with its correction note; the published version stays live
 * until a reviewer approves the revision (see approve).
 */
export async function updateItem(db: Db, a: Actor, id: number, input: ItemInput): Promise<void> {
  assertCan(a.principal, 'desk.edit');
  await db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.edit');
    if (item.status === 'unpublished') throw new DeskError({ _form: 'err.transition' });
    let ownerPath = item.unit_path;
    if (input.ownerUnitId && input.ownerUnitId !== item.unit_id && item.status !== 'published') {
      const owner = await ownerUnit(tx, a, input.ownerUnitId);
      ownerPath = owner?.path ?? ownerPath;
      await repo.setItemUnit(tx, id, owner?.id ?? null);
    }
    await checkTags(tx, ownerPath, input.unitIds);
    const fields = { ...input.fields, kind: item.kind };
    const version = (await repo.maxVersion(tx, id)) + 1;
    if (item.status === 'published') {
      if (!input.correction?.what || !input.correction?.why) throw new DeskError({ correction_what: 'err.correction' });
      if (item.kind === 'factcheck' && fields.sources.length === 0)
        throw new DeskError({ sources: 'err.sourceRequired' });
      const data = snapshot(fields, input.topicIds, input.unitIds);
      await repo.saveRevision(tx, {
        itemId: id,
        version,
        data,
        what: input.correction.what,
        why: input.correction.why,
        editedBy: a.principal.userId,
      });
      await repo.insertVersion(
        tx,
        id,
        version,
        data,
        a.principal.userId,
        `${input.correction.what} — ${input.correction.why}`,
      );
      await audit(tx, a, 'desk.item.revise', 'desk.item', id, { version, correction: input.correction });
      return;
    }
    await repo.updateItemFields(tx, id, fields, version);
    await repo.setItemTags(tx, id, input.topicIds, input.unitIds);
    await repo.insertVersion(
      tx,
      id,
      version,
      snapshot(fields, input.topicIds, input.unitIds),
      a.principal.userId,
      null,
    );
    // a change after submission or approval sends the piece back to draft: the approval was for another text
    if (item.status !== 'draft')
      await repo.setStatus(tx, id, 'draft', {
        approvedBy: null,
        approvedAt: null,
        approvedVersion: null,
        publishAt: null,
      });
    await audit(tx, a, 'desk.item.update', 'desk.item', id, { version, from: item.status });
  });
}

/** What the reader may do with a piece now; the editor page shows only these buttons. */
export interface ItemMay {
  save: boolean;
  submit: boolean;
  approve: boolean;
  return: boolean;
  publish: boolean;
  unpublish: boolean;
}

export function itemMay(
  who: Principal | null | undefined,
  item: ItemView | null,
  revision: RevisionRow | null | undefined,
): ItemMay {
  if (!item)
    return {
      save: can(who, 'desk.edit'),
      submit: false,
      approve: false,
      return: false,
      publish: false,
      unpublish: false,
    };
  const u = item.unit_path;
  // a published piece's pending change follows its own draft → review → approved (live) path
  const st = revision ? revision.status : item.status;
  return {
    save: can(who, 'desk.edit', u),
    submit: st === 'draft' && can(who, 'desk.edit', u),
    approve: st === 'in_review' && can(who, 'desk.approve', u),
    return: ['in_review', 'approved', 'scheduled'].includes(st) && can(who, 'desk.approve', u),
    publish: (item.status === 'approved' || item.status === 'scheduled') && can(who, 'desk.publish', u),
    unpublish: item.status === 'published' && can(who, 'desk.unpublish', u),
  };
}

/** A new piece's default unit: the top of the units the reader may write for, or none. */
export async function defaultOwnerUnit(db: Db, who: Principal): Promise<number | null> {
  const scope = scopeOf(who, 'desk.edit');
  const [top] = scope.length ? await repo.unitsWithin(db, scope, 1) : [];
  return top ? top.id : null;
}

/**
 * The piece, if the reader may see it on the staff side (its own unit within the reader's scope) and, when asked,
 * may also do `action` on it; else 404 or 403.
 */
export async function staffItem(db: Db, who: Principal, id: number, action?: string): Promise<ItemView> {
  const item = await repo.getItem(db, id);
  if (!item) throw new AppError({ status: 404, key: 'error.notFound' });
  assertCan(who, 'desk.view', item.unit_path);
  if (action) assertCan(who, action, item.unit_path);
  return item;
}
