/** Residents' claims: filing (joined to a near-identical open cluster), cluster status and merging. */
import { randomInt } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import { type Actor, assertCan, ForbiddenError, scopeOf } from '../../../platform/auth/permissions.js';
import { readFileRow } from '../../../platform/files/files.js';
import * as mrepo from './match/repo.js';
import {
  type MatchDeps,
  matchSettings,
  nearestClaimCluster,
  RELATED_MAX,
  rankAll,
  thresholdsFor,
} from './match/matching.js';
import * as repo from '../repo.js';
import type { ClusterStatus, ItemSummary } from '../repo.js';
import { fold, normalize } from './text.js';
import { notifyAskers } from './askers.js';
import { canSee } from './items.js';
import { audit, DeskError } from './shared.js';

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
export async function fileClaim(deps: MatchDeps, c: NewClaim): Promise<FiledClaim> {
  const { db } = deps;
  const text = normalize(c.text).length ? c.text.normalize('NFC').trim() : c.text;
  const folded = fold(text);
  const code = newClaimCode();
  const near = await nearestClaimCluster(
    deps,
    text,
    async (ids) => new Set((await mrepo.openClusters(db, ids)).map((r) => r.id)),
  );
  const joinId = near && near.similarity >= matchSettings(deps).clusterThreshold ? near.clusterId : null;
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
      await repo.markClaimAnswered(tx, code);
    }
    return id;
  });
  const fused = await rankAll(deps, text, { kinds: ['factcheck'], limit: RELATED_MAX + 1 });
  const cluster = await repo.getCluster(db, clusterId);
  const staffAnswer = cluster?.factcheck_id && cluster.factcheck_status === 'published' ? cluster.factcheck_id : null;
  // the text's language decides the thresholds (calibrated per language); below `related` nothing is shown
  const th = thresholdsFor(deps, text);
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
  if (!(await repo.clusterInScope(db, clusterId, scopeOf(a.principal, 'desk.claims'))))
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
  assertCan(a.principal, 'desk.claims');
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
      if (!fc || fc.kind !== 'factcheck' || (fc.status !== 'published' && !canSee(a.principal, fc)))
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
  assertCan(a.principal, 'desk.claims');
  if (intoId === fromId) throw new DeskError({ from: 'err.cluster' });
  await db.tx(async (tx) => {
    const from = await repo.getCluster(tx, fromId);
    if (!from || from.size === 0) throw new DeskError({ from: 'err.cluster' });
    await assertClusterScope(tx, a, intoId);
    if (!(await repo.clusterInScope(tx, fromId, scopeOf(a.principal, 'desk.claims'))))
      throw new DeskError({ from: 'err.cluster' });
    await repo.mergeClusters(tx, intoId, fromId);
    await repo.moveClusterReplies(tx, intoId, fromId);
    await audit(tx, a, 'desk.cluster.merge', 'desk.cluster', intoId, { from: fromId });
  });
}

/** A screenshot a resident sent, for staff who handle its cluster; null when no claim carries it. */
export async function claimScreenshot(
  db: Db,
  a: Actor,
  fileId: string,
): Promise<Awaited<ReturnType<typeof readFileRow>> | null> {
  const row = await readFileRow(db, fileId);
  const clusterId = row ? await repo.clusterOfScreenshot(db, row.id) : null;
  if (!row || clusterId === null) return null;
  await assertClusterScope(db, a, clusterId);
  return row;
}
