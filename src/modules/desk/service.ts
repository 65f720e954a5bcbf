/** The desk's rules: permissions, workflow transitions, versions, corrections, claims, notifications, audit. */
import { assertCanForInstallation } from '../../platform/auth/installation.js';
import { AppError } from '../../platform/errors.js';
import { dt } from './i18n.js';
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { invalidateHomePage } from '../../http/routes/home.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { assertCan, can, ForbiddenError, inSubtree, scopeOf, type Principal } from '../../platform/auth/permissions.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { send } from '../../platform/notify/notify.js';
import type { ItemInput } from './forms.js';
import type { DeskKey } from './i18n.js';
import * as mrepo from './match/repo.js';
import { matchSettings, nearestClaimCluster, rankAll, RELATED_MAX, thresholdsFor } from './matching.js';
import * as repo from './repo.js';
import type { ClusterStatus, ItemFields, ItemRow, ItemSummary, Kind } from './repo.js';
import { fold, normalize } from './text.js';

/** A rule was broken; `fields` name the form fields with catalog keys. */
export class DeskError extends AppError {
  constructor(override readonly fields: Record<string, DeskKey>) {
    super({ status: 422, key: Object.values(fields)[0] ?? 'error.validation', fields, catalog: dt });
  }
}

export interface Actor {
  who: Principal;
  ip?: string | null;
}

const PATH: Record<Kind, string> = { article: 'articles', video: 'videos', factcheck: 'factchecks' };
export const itemPath = (i: { id: number; kind: Kind; slug: string }) => `/${PATH[i.kind]}/${i.id}-${i.slug}`;

export const PUBLISH_JOB = 'desk.publish-scheduled';

function snapshot(f: ItemFields, topicIds: number[], unitIds: number[]) {
  return { ...f, topicIds, unitIds };
}

async function audit(
  db: Db,
  a: Actor | null,
  action: string,
  entityType: string,
  entityId: number | string,
  data: Record<string, unknown> = {},
) {
  await recordAudit(db, {
    actorId: a?.who.userId ?? null,
    actorLabel: a?.who.email ?? 'system',
    action,
    entityType,
    entityId,
    ip: a?.ip ?? null,
    data,
  });
}

/** The unit a new piece belongs to: the one chosen in the form, else the actor's own (the top of its editing scope). */
async function ownerUnit(
  tx: Db,
  a: Actor,
  unitId: number | null | undefined,
): Promise<{ id: number; path: string } | null> {
  if (unitId) {
    const u = await repo.unitById(tx, unitId);
    if (!u || !can(a.who, 'desk.edit', u.path)) throw new DeskError({ owner_unit_id: 'err.unitScope' });
    return u;
  }
  const top = scopeOf(a.who, 'desk.edit')[0];
  const g = a.who.grants.find((x) => x.unitPath === top);
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
  assertCan(a.who, 'desk.edit');
  return db.tx(async (tx) => {
    if (opts.clusterId) {
      assertCan(a.who, 'desk.claims');
      const cl = await repo.getCluster(tx, opts.clusterId);
      if (!cl || input.fields.kind !== 'factcheck') throw new DeskError({ _form: 'err.cluster' });
      await assertClusterScope(tx, a, opts.clusterId);
    }
    const owner = await ownerUnit(tx, a, input.ownerUnitId);
    await checkTags(tx, owner?.path ?? null, input.unitIds);
    const id = await repo.insertItem(tx, input.fields, { authorId: a.who.userId, unitId: owner?.id ?? null });
    await repo.setItemTags(tx, id, input.topicIds, input.unitIds);
    await repo.insertVersion(tx, id, 1, snapshot(input.fields, input.topicIds, input.unitIds), a.who.userId, null);
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
async function lockFor(tx: Db, a: Actor, id: number, action: string): Promise<ItemRow> {
  const item = await lockItem(tx, id);
  assertCan(a.who, action, item.unit_path);
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
  assertCan(a.who, 'desk.edit');
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
        editedBy: a.who.userId,
      });
      await repo.insertVersion(
        tx,
        id,
        version,
        data,
        a.who.userId,
        `${input.correction.what} — ${input.correction.why}`,
      );
      await audit(tx, a, 'desk.item.revise', 'desk.item', id, { version, correction: input.correction });
      return;
    }
    await repo.updateItemFields(tx, id, fields, version);
    await repo.setItemTags(tx, id, input.topicIds, input.unitIds);
    await repo.insertVersion(tx, id, version, snapshot(fields, input.topicIds, input.unitIds), a.who.userId, null);
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

export async function submitForReview(db: Db, a: Actor, id: number): Promise<void> {
  assertCan(a.who, 'desk.edit');
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

function checkPublishable(item: Pick<ItemRow, 'kind' | 'sources' | 'verdict'>) {
  if (item.kind === 'factcheck') {
    if (!item.sources || item.sources.length === 0) throw new DeskError({ sources: 'err.sourceRequired' });
    if (!item.verdict) throw new DeskError({ verdict: 'err.verdict' });
  }
}

/**
 * Approves the exact version the reviewer read (`version`, from the page). Nobody who wrote a version under review
 * may approve it. An approved revision of a published piece goes live at once, with its correction note.
 */
export async function approve(db: Db, a: Actor, id: number, version: number | null): Promise<void> {
  assertCan(a.who, 'desk.approve');
  if (!version) throw new DeskError({ _form: 'err.versionMissing' });
  const live = await db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.approve');
    if (item.status === 'published') {
      const rev = await repo.getRevision(tx, id);
      if (rev && rev.version !== version) throw new DeskError({ _form: 'err.versionStale' });
      if (!rev || rev.status !== 'in_review') throw new DeskError({ _form: 'err.transition' });
      assertCan(a.who, 'desk.publish', item.unit_path);
      const editors = await repo.versionEditors(tx, id, item.version);
      if (editors.includes(a.who.userId) || rev.edited_by === a.who.userId)
        throw new DeskError({ _form: 'err.twoPerson' });
      const fields = { ...rev.data, kind: item.kind };
      checkPublishable(fields);
      await repo.updateItemFields(tx, id, fields, rev.version);
      await repo.setItemTags(tx, id, rev.data.topicIds ?? [], rev.data.unitIds ?? []);
      await repo.insertCorrection(tx, id, rev.version, rev.correction_what, rev.correction_why, rev.edited_by);
      await repo.setStatus(tx, id, 'published', {
        updatedPublicAt: new Date(),
        approvedBy: a.who.userId,
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
    if (item.author_id === a.who.userId || editors.includes(a.who.userId))
      throw new DeskError({ _form: 'err.twoPerson' });
    checkPublishable(item);
    await repo.setStatus(tx, id, 'approved', {
      approvedBy: a.who.userId,
      approvedAt: new Date(),
      approvedVersion: item.version,
    });
    await audit(tx, a, 'desk.item.approve', 'desk.item', id, { version: item.version });
    return false;
  });
  if (live) invalidateHomePage();
}

/** The longest note a reviewer may send a piece back with. */
export const RETURN_NOTE_MAX = 2000;

/** Sends a piece (or a published piece's pending change) in review, approved or scheduled back to draft, with a note for the author. */
export async function returnToDraft(db: Db, a: Actor, id: number, note: string): Promise<void> {
  assertCan(a.who, 'desk.approve');
  const text = (note ?? '').normalize('NFC').trim();
  if (!text) throw new DeskError({ note: 'err.returnNote' });
  if (text.length > RETURN_NOTE_MAX) throw new DeskError({ note: 'err.returnNoteLong' });
  await db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.approve');
    if (item.status === 'published') {
      const rev = await repo.getRevision(tx, id);
      if (!rev || rev.status !== 'in_review') throw new DeskError({ _form: 'err.transition' });
      await repo.setRevisionStatus(tx, id, 'draft');
      await repo.insertReturnNote(tx, id, rev.version, 'in_review', text, a.who.userId);
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
    await repo.insertReturnNote(tx, id, item.version, item.status, text, a.who.userId);
    await audit(tx, a, 'desk.item.return', 'desk.item', id, { from: item.status, version: item.version, note: text });
  });
}

/** Publishes an approved piece now, or schedules it (a job publishes it at that time). Only the approved version. */
export async function publish(db: Db, a: Actor, id: number, at: Date | null, baseUrl: string): Promise<void> {
  assertCan(a.who, 'desk.publish');
  await db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.publish');
    if (item.status !== 'approved' && item.status !== 'scheduled') throw new DeskError({ _form: 'err.transition' });
    if (item.approved_by === null || item.approved_by === item.author_id)
      throw new DeskError({ _form: 'err.twoPerson' });
    if (item.approved_version !== item.version) throw new DeskError({ _form: 'err.versionStale' });
    checkPublishable(item);
    if (at && at.getTime() > Date.now()) {
      await repo.setStatus(tx, id, 'scheduled', { publishAt: at });
      await enqueue(tx, PUBLISH_JOB, { id }, { runAt: at, uniqueKey: `desk.publish:${id}:${at.toISOString()}` });
      await audit(tx, a, 'desk.item.schedule', 'desk.item', id, { at: at.toISOString(), version: item.version });
      return;
    }
    await doPublish(tx, item, baseUrl);
    await audit(tx, a, 'desk.item.publish', 'desk.item', id, { version: item.version });
  });
  invalidateHomePage();
}

async function doPublish(tx: Db, item: ItemRow, baseUrl: string): Promise<void> {
  const now = new Date();
  await repo.setStatus(tx, item.id, 'published', {
    publishedAt: item.published_at ?? now,
    updatedPublicAt: now,
    publishAt: null,
  });
  if (item.kind === 'factcheck') {
    const clusters = await repo.clustersWaitingFor(tx, item.id);
    for (const c of clusters) await repo.setClusterStatus(tx, c.id, 'answered', item.id, null);
    await notifyAskers(
      tx,
      clusters.map((c) => c.id),
      item,
      baseUrl,
    );
  }
}

/** The job: publishes a scheduled piece whose time has come (any due piece, to catch up after downtime). */
export async function publishDue(db: Db, baseUrl: string): Promise<number> {
  let n = 0;
  for (const { id } of await repo.dueScheduled(db)) {
    await db.tx(async (tx) => {
      const item = await repo.getItemForUpdate(tx, id);
      if (!item || item.status !== 'scheduled' || !item.publish_at || item.publish_at.getTime() > Date.now()) return;
      if (item.approved_version !== item.version) return;
      await doPublish(tx, item, baseUrl);
      await recordAudit(tx, {
        actorLabel: 'system',
        action: 'desk.item.publish',
        entityType: 'desk.item',
        entityId: id,
        data: { scheduled: true, version: item.version },
      });
      n++;
    });
  }
  if (n) invalidateHomePage();
  return n;
}

export async function unpublish(db: Db, a: Actor, id: number, reason: string): Promise<void> {
  assertCan(a.who, 'desk.unpublish');
  if (!reason.trim()) throw new DeskError({ reason: 'err.reason' });
  await db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.unpublish');
    if (item.status !== 'published') throw new DeskError({ _form: 'err.transition' });
    await repo.setStatus(tx, id, 'unpublished', { unpublishReason: reason.trim(), unpublishedAt: new Date() });
    await repo.deleteRevision(tx, id);
    await audit(tx, a, 'desk.item.unpublish', 'desk.item', id, { reason });
  });
  invalidateHomePage();
}

/** The policy pages are the whole installation's: only an admin of the root unit edits them (not a ward's admin). */
export async function assertPolicyEditor(db: Db, who: Principal | null | undefined): Promise<void> {
  await assertCanForInstallation(db, who, 'desk.policies');
}

export async function savePolicy(
  db: Db,
  a: Actor,
  p: { slug: string; title: string; titleEn: string; body: string; bodyEn: string },
): Promise<void> {
  assertCan(a.who, 'desk.policies');
  await assertPolicyEditor(db, a.who);
  await db.tx(async (tx) => {
    await repo.upsertPolicy(tx, p, a.who.userId);
    await audit(tx, a, 'desk.policy.update', 'desk.policy', p.slug, { title: p.title });
  });
}

/** The verdict scale is configurable (CLI `desk-verdict`); every change is audited. */
export async function upsertVerdictAudited(db: Db, v: repo.VerdictRow): Promise<void> {
  await db.tx(async (tx) => {
    await repo.upsertVerdict(tx, v);
    await recordAudit(tx, {
      actorLabel: 'cli',
      action: 'desk.verdict.save',
      entityType: 'desk.verdict',
      entityId: v.code,
      data: { ...v },
    });
  });
}

// ---------- claims ----------

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function newClaimCode(): string {
  let s = 'KC-';
  for (let i = 0; i < 7; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

export interface NewClaim {
  text: string;
  link?: string | null;
  seenWhere?: string | null;
  screenshotId?: string | null;
  unitId?: number | null;
  memberUserId?: number | null;
  contactEmail?: string | null;
  locale?: string;
  source: 'public' | 'member' | 'api';
  createdAt?: Date | null;
}

export interface FiledClaim {
  code: string;
  clusterId: number;
  /** a published fact-check answers the claim: the cluster's own, else the best match above the answer threshold */
  answered: boolean;
  answer: ItemSummary | null;
  /** up to RELATED_MAX other matches: shown as related, never as the verdict on this claim */
  related: ItemSummary[];
  /** the answer (if any) then the related ones */
  matches: ItemSummary[];
  scores: Map<number, number>;
}

/**
 * Files a claim. It joins the open cluster whose claims it matches above the cluster threshold (the same index as
 * fact-check matching), else starts a cluster of its own.
 */
export async function fileClaim(db: Db, c: NewClaim): Promise<FiledClaim> {
  const text = normalize(c.text).length ? c.text.normalize('NFC').trim() : c.text;
  const folded = fold(text);
  const code = newClaimCode();
  const near = await nearestClaimCluster(
    db,
    text,
    async (ids) => new Set((await mrepo.openClusters(db, ids)).map((r) => r.id)),
  );
  const joinId = near && near.similarity >= matchSettings().clusterThreshold ? near.clusterId : null;
  const clusterId = await db.tx(async (tx) => {
    const id = joinId ?? (await repo.insertCluster(tx, text.slice(0, 300), folded, c.createdAt));
    await repo.insertClaim(tx, {
      code,
      clusterId: id,
      text,
      link: c.link ?? null,
      seenWhere: c.seenWhere ?? null,
      screenshotId: c.screenshotId ?? null,
      unitId: c.unitId ?? null,
      memberUserId: c.memberUserId ?? null,
      contactEmail: c.contactEmail ?? null,
      locale: c.locale ?? 'vi',
      source: c.source,
      createdAt: c.createdAt,
    });
    const cl = await repo.getCluster(tx, id);
    if (cl && (cl.status === 'answered' || cl.status === 'answered_existing') && cl.factcheck_status === 'published') {
      await tx.query(`UPDATE desk_claims SET answered_at = now(), notified_at = now() WHERE code = $1`, [code]);
    }
    return id;
  });
  const fused = await rankAll(db, text, { kinds: ['factcheck'], limit: RELATED_MAX + 1 });
  const cluster = await repo.getCluster(db, clusterId);
  const staffAnswer = cluster?.factcheck_id && cluster.factcheck_status === 'published' ? cluster.factcheck_id : null;
  // the text's language decides the thresholds (calibrated per language); below `related` nothing is shown
  const th = thresholdsFor(text);
  const matched = fused[0] && fused[0].score >= th.answer ? fused[0].meta.id : null;
  const answerId = staffAnswer ?? matched;
  const relatedIds = fused
    .filter((f) => f.score >= th.related)
    .map((f) => f.meta.id)
    .filter((id) => id !== answerId)
    .slice(0, RELATED_MAX);
  const ids = answerId ? [answerId, ...relatedIds] : relatedIds;
  const items = ids.length ? await repo.listPublished(db, { ids, limit: ids.length }) : [];
  const byId = new Map(items.map((i) => [i.id, i]));
  const answer = (answerId && byId.get(answerId)) || null;
  const related = relatedIds.map((id) => byId.get(id)).filter((x): x is ItemSummary => Boolean(x));
  return {
    code,
    clusterId,
    answered: Boolean(answer),
    answer,
    related,
    matches: answer ? [answer, ...related] : related,
    scores: new Map(fused.map((f) => [f.meta.id, f.score])),
  };
}

/** A cluster is handled by staff whose scope holds every claim in it (see repo.clusterInScopeSql). */
export async function assertClusterScope(db: Db, a: Actor, clusterId: number): Promise<void> {
  if (!(await repo.clusterInScope(db, clusterId, scopeOf(a.who, 'desk.claims'))))
    throw new ForbiddenError('desk.claims');
}

export async function setClusterStatus(
  db: Db,
  a: Actor,
  clusterId: number,
  status: ClusterStatus,
  factcheckId: number | null,
  reason: string | null,
  baseUrl: string,
): Promise<void> {
  assertCan(a.who, 'desk.claims');
  if ((status === 'answered_existing' || status === 'answered') && !factcheckId)
    throw new DeskError({ factcheck_id: 'err.factcheck' });
  if (status === 'not_checkable' && !reason?.trim()) throw new DeskError({ reason: 'err.reason' });
  await db.tx(async (tx) => {
    const cl = await repo.getCluster(tx, clusterId);
    if (!cl) throw new DeskError({ _form: 'err.transition' });
    await assertClusterScope(tx, a, clusterId);
    let fc: repo.ItemView | undefined;
    if (factcheckId) {
      fc = await repo.getItem(tx, factcheckId);
      // a published fact-check is public; an unpublished one only if the actor may see it
      if (!fc || fc.kind !== 'factcheck' || (fc.status !== 'published' && !canSee(a.who, fc)))
        throw new DeskError({ factcheck_id: 'err.factcheck' });
    }
    let effective = status;
    // an answer that is not published yet: the cluster waits, and is answered when the piece is published
    if ((status === 'answered' || status === 'answered_existing') && fc && fc.status !== 'published')
      effective = 'checking';
    await repo.setClusterStatus(
      tx,
      clusterId,
      effective,
      factcheckId,
      status === 'not_checkable' ? reason!.trim() : null,
    );
    if ((effective === 'answered' || effective === 'answered_existing') && fc)
      await notifyAskers(tx, [clusterId], fc, baseUrl);
    await audit(tx, a, 'desk.cluster.status', 'desk.cluster', clusterId, { status: effective, factcheckId, reason });
  });
}

export async function mergeClusters(db: Db, a: Actor, intoId: number, fromId: number): Promise<void> {
  assertCan(a.who, 'desk.claims');
  if (intoId === fromId) throw new DeskError({ from: 'err.cluster' });
  await db.tx(async (tx) => {
    const from = await repo.getCluster(tx, fromId);
    if (!from || from.size === 0) throw new DeskError({ from: 'err.cluster' });
    await assertClusterScope(tx, a, intoId);
    if (!(await repo.clusterInScope(tx, fromId, scopeOf(a.who, 'desk.claims'))))
      throw new DeskError({ from: 'err.cluster' });
    await repo.mergeClusters(tx, intoId, fromId);
    await repo.moveClusterReplies(tx, intoId, fromId);
    await audit(tx, a, 'desk.cluster.merge', 'desk.cluster', intoId, { from: fromId });
  });
}

async function notifyAskers(
  tx: Db,
  clusterIds: number[],
  item: { id: number; kind: Kind; slug: string; title: string; verdict: string | null },
  baseUrl: string,
): Promise<void> {
  const claims = await repo.takeClaimsToNotify(tx, clusterIds);
  if (claims.length === 0) return;
  const verdicts = new Map((await repo.listVerdicts(tx)).map((v) => [v.code, v]));
  const v = item.verdict ? verdicts.get(item.verdict) : undefined;
  await send(
    tx,
    claims.map((c) => ({
      channel: 'email' as const,
      recipient: c.contact_email,
      template: 'desk.claim-answered',
      locale: c.locale === 'en' ? ('en' as const) : ('vi' as const),
      vars: {
        code: c.code,
        title: item.title,
        verdict: (c.locale === 'en' ? v?.label_en : v?.label) ?? '',
        url: `${baseUrl}${itemPath(item)}`,
        track: `${baseUrl}/claims/${c.code}`,
      },
      refType: 'desk.claim',
      refId: c.id,
    })),
  );
}
