/** A resident's claim after filing: what was shown at submission, kept; the status page's data. */
import type { Db } from '../../../db/client.js';
import * as shownRepo from '../repo/claim-shown.js';
import * as repo from '../repo.js';
import type { ClaimRow, ClusterReply, ClusterRow, ItemSummary } from '../repo.js';
import type { FiledClaim } from './claims.js';

/** Keeps the fact-checks the matcher showed when the claim was filed (answer first, then related ones). */
export async function recordShown(db: Db, filed: Pick<FiledClaim, 'code' | 'answer' | 'related'>): Promise<void> {
  const shown = [
    ...(filed.answer ? [{ itemId: filed.answer.id, answers: true }] : []),
    ...filed.related.map((r) => ({ itemId: r.id, answers: false })),
  ];
  await shownRepo.insertShown(db, filed.code, shown);
}

export interface ClaimStatus {
  claim: ClaimRow;
  cluster: ClusterRow;
  /** the desk's answer to the cluster, once published */
  answer: ItemSummary | null;
  /** shown at submission: the fact-check that answered the claim then, and related ones (still published) */
  shown: { answer: ItemSummary | null; related: ItemSummary[] };
  replies: ClusterReply[];
  /** the date the desk commits to reply by */
  replyBy: Date;
}

export async function claimStatus(db: Db, code: string, replyDays: number): Promise<ClaimStatus | null> {
  const claim = await repo.getClaimByCode(db, code);
  if (!claim) return null;
  const cluster = (await repo.getCluster(db, claim.cluster_id))!;
  const shownRows = await shownRepo.shownForClaim(db, claim.id);
  const ids = [
    ...new Set([
      ...shownRows.map((s) => s.item_id),
      ...(cluster.factcheck_id && cluster.factcheck_status === 'published' ? [cluster.factcheck_id] : []),
    ]),
  ];
  const [items, replies] = await Promise.all([
    ids.length ? repo.listPublished(db, { ids, limit: ids.length }) : Promise.resolve([]),
    repo.clusterReplies(db, cluster.id),
  ]);
  const byId = new Map(items.map((i) => [i.id, i]));
  const answer =
    (cluster.factcheck_id && cluster.factcheck_status === 'published' && byId.get(cluster.factcheck_id)) || null;
  const shownAnswer = shownRows.find((s) => s.answers);
  return {
    claim,
    cluster,
    answer,
    shown: {
      answer: (shownAnswer && byId.get(shownAnswer.item_id)) || null,
      related: shownRows
        .filter((s) => !s.answers)
        .map((s) => byId.get(s.item_id))
        .filter((x): x is ItemSummary => Boolean(x)),
    },
    replies,
    replyBy: new Date(new Date(claim.created_at).getTime() + replyDays * 86_400_000),
  };
}
