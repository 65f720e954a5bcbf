/** The desk's rules: permissions, workflow transitions, versions, corrections, claims, notifications, audit. */
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { invalidateHomePage } from '../../http/routes/home.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { assertCan, type Principal } from '../../platform/auth/permissions.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { send } from '../../platform/notify/notify.js';
import type { ItemInput } from './forms.js';
import type { DeskKey } from './i18n.js';
import { matchItems, SHOW_THRESHOLD } from './matching.js';
import * as repo from './repo.js';
import type { ClusterStatus, ItemFields, ItemRow, ItemSummary, Kind } from './repo.js';
import { fold, normalize } from './text.js';

/** A rule was broken; `fields` name the form fields with catalog keys. */
export class DeskError extends Error {
  constructor(public readonly fields: Record<string, DeskKey>) {
    super(Object.values(fields)[0]);
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

async function audit(db: Db, a: Actor | null, action: string, entityType: string, entityId: number | string, data: Record<string, unknown> = {}) {
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

export async function createItem(db: Db, a: Actor, input: ItemInput): Promise<number> {
  assertCan(a.who, 'desk.edit');
  return db.tx(async (tx) => {
    const id = await repo.insertItem(tx, input.fields, { authorId: a.who.userId });
    await repo.setItemTags(tx, id, input.topicIds, input.unitIds);
    await repo.insertVersion(tx, id, 1, snapshot(input.fields, input.topicIds, input.unitIds), a.who.userId, null);
    await audit(tx, a, 'desk.item.create', 'desk.item', id, { kind: input.fields.kind, title: input.fields.title });
    return id;
  });
}

async function lockItem(tx: Db, id: number): Promise<ItemRow> {
  const item = await repo.getItemForUpdate(tx, id);
  if (!item) throw new DeskError({ _form: 'err.transition' });
  return item;
}

/** Saves a new version. A published piece needs a correction note, shown publicly; other changes reset approval. */
export async function updateItem(db: Db, a: Actor, id: number, input: ItemInput): Promise<void> {
  assertCan(a.who, 'desk.edit');
  const published = await db.tx(async (tx) => {
    const item = await lockItem(tx, id);
    if (item.status === 'unpublished') throw new DeskError({ _form: 'err.transition' });
    const fields = { ...input.fields, kind: item.kind };
    const published = item.status === 'published';
    if (published && (!input.correction?.what || !input.correction?.why)) throw new DeskError({ correction_what: 'err.correction' });
    if (published && item.kind === 'factcheck' && fields.sources.length === 0) throw new DeskError({ sources: 'err.sourceRequired' });
    const version = item.version + 1;
    await repo.updateItemFields(tx, id, fields, version);
    await repo.setItemTags(tx, id, input.topicIds, input.unitIds);
    await repo.insertVersion(tx, id, version, snapshot(fields, input.topicIds, input.unitIds), a.who.userId, input.correction ? `${input.correction.what} — ${input.correction.why}` : null);
    if (published) {
      await repo.insertCorrection(tx, id, version, input.correction!.what, input.correction!.why, a.who.userId);
      await repo.setStatus(tx, id, 'published', { updatedPublicAt: new Date() });
    } else if (item.status === 'approved' || item.status === 'scheduled') {
      await repo.setStatus(tx, id, 'draft', { approvedBy: null, approvedAt: null, publishAt: null });
    }
    await audit(tx, a, published ? 'desk.item.correct' : 'desk.item.update', 'desk.item', id, { version, correction: input.correction ?? undefined });
    return published;
  });
  if (published) invalidateHomePage();
}

export async function submitForReview(db: Db, a: Actor, id: number): Promise<void> {
  assertCan(a.who, 'desk.edit');
  await db.tx(async (tx) => {
    const item = await lockItem(tx, id);
    if (item.status !== 'draft') throw new DeskError({ _form: 'err.transition' });
    await repo.setStatus(tx, id, 'in_review');
    await audit(tx, a, 'desk.item.submit', 'desk.item', id);
  });
}

function checkPublishable(item: ItemRow) {
  if (item.kind === 'factcheck') {
    if (!item.sources || item.sources.length === 0) throw new DeskError({ sources: 'err.sourceRequired' });
    if (!item.verdict) throw new DeskError({ verdict: 'err.verdict' });
  }
}

export async function approve(db: Db, a: Actor, id: number): Promise<void> {
  assertCan(a.who, 'desk.approve');
  await db.tx(async (tx) => {
    const item = await lockItem(tx, id);
    if (item.status !== 'in_review') throw new DeskError({ _form: 'err.transition' });
    if (item.author_id === a.who.userId) throw new DeskError({ _form: 'err.twoPerson' });
    checkPublishable(item);
    await repo.setStatus(tx, id, 'approved', { approvedBy: a.who.userId, approvedAt: new Date() });
    await audit(tx, a, 'desk.item.approve', 'desk.item', id, { version: item.version });
  });
}

/** The longest note a reviewer may send a piece back with. */
export const RETURN_NOTE_MAX = 2000;

/** Sends a piece in review, approved or scheduled back to draft, with a note telling the author what to change. */
export async function returnToDraft(db: Db, a: Actor, id: number, note: string): Promise<void> {
  assertCan(a.who, 'desk.approve');
  const text = (note ?? '').normalize('NFC').trim();
  if (!text) throw new DeskError({ note: 'err.returnNote' });
  if (text.length > RETURN_NOTE_MAX) throw new DeskError({ note: 'err.returnNoteLong' });
  await db.tx(async (tx) => {
    const item = await lockItem(tx, id);
    if (!['in_review', 'approved', 'scheduled'].includes(item.status)) throw new DeskError({ _form: 'err.transition' });
    await repo.setStatus(tx, id, 'draft', { approvedBy: null, approvedAt: null, publishAt: null });
    await repo.insertReturnNote(tx, id, item.version, item.status, text, a.who.userId);
    await audit(tx, a, 'desk.item.return', 'desk.item', id, { from: item.status, version: item.version, note: text });
  });
}

/** Publishes an approved piece now, or schedules it (a job publishes it at that time). */
export async function publish(db: Db, a: Actor, id: number, at: Date | null, baseUrl: string): Promise<void> {
  assertCan(a.who, 'desk.publish');
  await db.tx(async (tx) => {
    const item = await lockItem(tx, id);
    if (item.status !== 'approved' && item.status !== 'scheduled') throw new DeskError({ _form: 'err.transition' });
    if (item.approved_by === null || item.approved_by === item.author_id) throw new DeskError({ _form: 'err.twoPerson' });
    checkPublishable(item);
    if (at && at.getTime() > Date.now()) {
      await repo.setStatus(tx, id, 'scheduled', { publishAt: at });
      await enqueue(tx, PUBLISH_JOB, { id }, { runAt: at, uniqueKey: `desk.publish:${id}:${at.toISOString()}` });
      await audit(tx, a, 'desk.item.schedule', 'desk.item', id, { at: at.toISOString() });
      return;
    }
    await doPublish(tx, item, baseUrl);
    await audit(tx, a, 'desk.item.publish', 'desk.item', id, { version: item.version });
  });
  invalidateHomePage();
}

async function doPublish(tx: Db, item: ItemRow, baseUrl: string): Promise<void> {
  const now = new Date();
  await repo.setStatus(tx, item.id, 'published', { publishedAt: item.published_at ?? now, updatedPublicAt: now, publishAt: null });
  if (item.kind === 'factcheck') {
    const clusters = await repo.clustersWaitingFor(tx, item.id);
    for (const c of clusters) await repo.setClusterStatus(tx, c.id, 'answered', item.id, null);
    await notifyAskers(tx, clusters.map((c) => c.id), item, baseUrl);
  }
}

/** The job: publishes a scheduled piece whose time has come (any due piece, to catch up after downtime). */
export async function publishDue(db: Db, baseUrl: string): Promise<number> {
  let n = 0;
  for (const { id } of await repo.dueScheduled(db)) {
    await db.tx(async (tx) => {
      const item = await repo.getItemForUpdate(tx, id);
      if (!item || item.status !== 'scheduled' || !item.publish_at || item.publish_at.getTime() > Date.now()) return;
      await doPublish(tx, item, baseUrl);
      await recordAudit(tx, { actorLabel: 'system', action: 'desk.item.publish', entityType: 'desk.item', entityId: id, data: { scheduled: true } });
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
    const item = await lockItem(tx, id);
    if (item.status !== 'published') throw new DeskError({ _form: 'err.transition' });
    await repo.setStatus(tx, id, 'unpublished', { unpublishReason: reason.trim(), unpublishedAt: new Date() });
    await audit(tx, a, 'desk.item.unpublish', 'desk.item', id, { reason });
  });
  invalidateHomePage();
}

export async function savePolicy(db: Db, a: Actor, p: { slug: string; title: string; titleEn: string; body: string; bodyEn: string }): Promise<void> {
  assertCan(a.who, 'desk.policies');
  await db.tx(async (tx) => {
    await repo.upsertPolicy(tx, p, a.who.userId);
    await audit(tx, a, 'desk.policy.update', 'desk.policy', p.slug, { title: p.title });
  });
}

/** The verdict scale is configurable (CLI `desk-verdict`); every change is audited. */
export async function upsertVerdictAudited(db: Db, v: repo.VerdictRow): Promise<void> {
  await db.tx(async (tx) => {
    await repo.upsertVerdict(tx, v);
    await recordAudit(tx, { actorLabel: 'cli', action: 'desk.verdict.save', entityType: 'desk.verdict', entityId: v.code, data: { ...v } });
  });
}

// ---------- claims ----------

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function newClaimCode(): string {
  let s = 'KC-';
  for (let i = 0; i < 7; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Similarity (trigram, folded) from which two claims are "near-identical" and share a cluster. */
export const CLUSTER_THRESHOLD = 0.55;

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

export async function fileClaim(db: Db, c: NewClaim): Promise<{ code: string; clusterId: number; matches: ItemSummary[]; scores: Map<number, number> }> {
  const text = normalize(c.text).length ? c.text.normalize('NFC').trim() : c.text;
  const folded = fold(text);
  const code = newClaimCode();
  const clusterId = await db.tx(async (tx) => {
    const near = await repo.nearestCluster(tx, folded, CLUSTER_THRESHOLD);
    const id = near?.id ?? (await repo.insertCluster(tx, text.slice(0, 300), folded, c.createdAt));
    await repo.insertClaim(tx, {
      code, clusterId: id, text, link: c.link ?? null, seenWhere: c.seenWhere ?? null, screenshotId: c.screenshotId ?? null, unitId: c.unitId ?? null,
      memberUserId: c.memberUserId ?? null, contactEmail: c.contactEmail ?? null, locale: c.locale ?? 'vi', source: c.source, createdAt: c.createdAt,
    });
    const cl = await repo.getCluster(tx, id);
    if (cl && (cl.status === 'answered' || cl.status === 'answered_existing') && cl.factcheck_status === 'published') {
      await tx.query(`UPDATE desk_claims SET answered_at = now(), notified_at = now() WHERE code = $1`, [code]);
    }
    return id;
  });
  const scored = await matchItems(db, text, { limit: 5, minScore: SHOW_THRESHOLD });
  const cluster = await repo.getCluster(db, clusterId);
  const ids = scored.map((s) => s.id);
  if (cluster?.factcheck_id && cluster.factcheck_status === 'published' && !ids.includes(cluster.factcheck_id)) ids.unshift(cluster.factcheck_id);
  const items = ids.length ? await repo.listPublished(db, { ids, limit: ids.length }) : [];
  const byId = new Map(items.map((i) => [i.id, i]));
  return { code, clusterId, matches: ids.map((id) => byId.get(id)).filter((x): x is ItemSummary => Boolean(x)), scores: new Map(scored.map((s) => [s.id, s.score])) };
}

export async function setClusterStatus(db: Db, a: Actor, clusterId: number, status: ClusterStatus, factcheckId: number | null, reason: string | null, baseUrl: string): Promise<void> {
  assertCan(a.who, 'desk.claims');
  if ((status === 'answered_existing' || status === 'answered') && !factcheckId) throw new DeskError({ factcheck_id: 'err.factcheck' });
  if (status === 'not_checkable' && !reason?.trim()) throw new DeskError({ reason: 'err.reason' });
  await db.tx(async (tx) => {
    const cl = await repo.getCluster(tx, clusterId);
    if (!cl) throw new DeskError({ _form: 'err.transition' });
    let fc: repo.ItemView | undefined;
    if (factcheckId) {
      fc = await repo.getItem(tx, factcheckId);
      if (!fc || fc.kind !== 'factcheck') throw new DeskError({ factcheck_id: 'err.factcheck' });
    }
    let effective = status;
    // an answer that is not published yet: the cluster waits, and is answered when the piece is published
    if ((status === 'answered' || status === 'answered_existing') && fc && fc.status !== 'published') effective = 'checking';
    await repo.setClusterStatus(tx, clusterId, effective, factcheckId, status === 'not_checkable' ? reason!.trim() : null);
    if ((effective === 'answered' || effective === 'answered_existing') && fc) await notifyAskers(tx, [clusterId], fc, baseUrl);
    await audit(tx, a, 'desk.cluster.status', 'desk.cluster', clusterId, { status: effective, factcheckId, reason });
  });
}

export async function mergeClusters(db: Db, a: Actor, intoId: number, fromId: number): Promise<void> {
  assertCan(a.who, 'desk.claims');
  if (intoId === fromId) throw new DeskError({ from: 'err.cluster' });
  await db.tx(async (tx) => {
    const from = await repo.getCluster(tx, fromId);
    if (!from || from.size === 0) throw new DeskError({ from: 'err.cluster' });
    await repo.mergeClusters(tx, intoId, fromId);
    await audit(tx, a, 'desk.cluster.merge', 'desk.cluster', intoId, { from: fromId });
  });
}

async function notifyAskers(tx: Db, clusterIds: number[], item: { id: number; kind: Kind; slug: string; title: string; verdict: string | null }, baseUrl: string): Promise<void> {
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
      vars: { code: c.code, title: item.title, verdict: (c.locale === 'en' ? v?.label_en : v?.label) ?? '', url: `${baseUrl}${itemPath(item)}`, track: `${baseUrl}/claims/${c.code}` },
      refType: 'desk.claim',
      refId: c.id,
    })),
  );
}
