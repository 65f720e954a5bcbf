/**
 * Staff pages for residents' claims: the clusters of the reader's units, one cluster and each step on it (status,
 * merge, assign, reply: one route each), and the screenshots residents sent. The service checks the cluster's scope.
 */
import type { Hono } from 'hono';
import type { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { type FieldErrors, type Refused, submit } from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import { can, scopeOf } from '../../../platform/auth/permissions.js';
import { askedInNeighbouringProvinces } from '../../exchange/public.js';
import { dt } from '../i18n.js';
import { matchItems, thresholdsFor } from '../service/match/matching.js';
import * as repo from '../repo.js';
import type { ClusterStatus, ItemSummary } from '../repo.js';
import * as svc from '../service.js';
import {
  clusterAssignForm,
  CLUSTER_STATUSES,
  clusterMergeForm,
  clusterReplyForm,
  clusterStatusForm,
} from '../service/forms.js';
import { ClusterPage, ClustersPage } from '../views/staff.js';

const CLUSTER = '/staff/desk/clusters/:id{[0-9]+}';

type Extra = { values?: Record<string, string>; errors?: FieldErrors; notice?: string };

async function clusterPage(c: Ctx, extra: Extra = {}) {
  const db = c.get('deps').db;
  const p = staff(c);
  const cluster = await repo.getCluster(db, pathId(c));
  if (!cluster) throw notFound();
  await svc.assertClusterScope(db, actor(c), cluster.id);
  const [claims, [handling], assignees, replies] = await Promise.all([
    repo.claimsOfCluster(db, cluster.id),
    repo.clusterHandling(db, [cluster.id]),
    repo.possibleAssignees(db, cluster.id),
    repo.clusterReplies(db, cluster.id),
  ]);
  const scored = await matchItems(c.get('deps'), cluster.title, { limit: 5 });
  const answerAt = thresholdsFor(c.get('deps'), cluster.title).answer;
  const sItems = scored.length ? await repo.listPublished(db, { ids: scored.map((s) => s.id), limit: 5 }) : [];
  const byId = new Map(sItems.map((i) => [i.id, i]));
  // the same rule as residents see: only a suggestion past the answer threshold may answer; the rest are related
  const suggestions = scored
    .map((s) => (byId.has(s.id) ? { ...byId.get(s.id)!, score: s.score, answers: s.score >= answerAt } : null))
    .filter((x): x is ItemSummary & { score: number; answers: boolean } => Boolean(x));
  const open = await repo.listItems(db, { kind: 'factcheck', limit: 100, paths: scopeOf(p, 'desk.view') });
  if (extra.errors) c.status(422);
  return c.html(
    <ClusterPage
      ctx={pageCtx(c)}
      cluster={cluster}
      claims={claims}
      suggestions={suggestions}
      factchecks={open.filter((i) => i.status !== 'unpublished')}
      handling={{ handling, assignees, replies, mayStartFactcheck: can(p, 'desk.edit') }}
      {...extra}
    />,
  );
}

/**
 * One step on a cluster through submit(): a refused form or rule brings the cluster's page back (422) with the message
 * beside the field and what was typed, else "done".
 */
function step<S extends z.ZodType>(schema: S, run: (c: Ctx, id: number, data: z.infer<S>) => Promise<void>) {
  return submit(
    schema,
    (c: Ctx, r: Refused) => clusterPage(c, r),
    async (c, data) => {
      await run(c, pathId(c), data);
      return c.redirect(`/staff/desk/clusters/${c.req.param('id')}?done=1`, 303);
    },
    { catalog: dt },
  );
}

export function staffClaimRoutes(app: Hono<AppEnv>): void {
  app.get('/staff/desk/claims', need('desk.claims'), async (c) => {
    const s = c.req.query('status');
    const status = s && CLUSTER_STATUSES.includes(s) ? (s as ClusterStatus) : null;
    const p = staff(c);
    const mine = c.req.query('mine') === '1';
    const db = c.get('deps').db;
    const clusters = await repo.listClustersInScope(db, {
      status,
      limit: 200,
      paths: scopeOf(p, 'desk.claims'),
      assigneeId: mine ? p.userId : null,
    });
    // partners' open questions (personal data removed, never who asked): a rumour next door is checked before it arrives
    const neighbours = can(p, 'exchange.warnings') ? await askedInNeighbouringProvinces(db, 5) : [];
    return c.html(
      <ClustersPage ctx={pageCtx(c)} clusters={clusters} status={status} mine={mine} neighbours={neighbours} />,
    );
  });

  app.get(CLUSTER, need('desk.view'), async (c) =>
    clusterPage(c, { notice: c.req.query('done') ? dt.t(c.get('locale'))('wf.done') : undefined }),
  );

  app.post(
    CLUSTER,
    need('desk.view'),
    step(clusterStatusForm, (c, id, f) =>
      svc.setClusterStatus(
        c.get('deps').db,
        actor(c),
        id,
        f.status as ClusterStatus,
        f.factcheck_id,
        f.reason,
        c.get('deps').config.baseUrl,
      ),
    ),
  );

  app.post(
    `${CLUSTER}/merge`,
    need('desk.claims'),
    step(clusterMergeForm, (c, id, f) => svc.mergeClusters(c.get('deps').db, actor(c), id, f.from)),
  );

  app.post(
    `${CLUSTER}/assign`,
    need('desk.claims'),
    step(clusterAssignForm, (c, id, f) => svc.assignCluster(c.get('deps').db, actor(c), id, f.assignee_id, f.priority)),
  );

  app.post(
    `${CLUSTER}/reply`,
    need('desk.claims'),
    step(clusterReplyForm, (c, id, f) =>
      svc.replyToResidents(c.get('deps').db, actor(c), id, f.reply, c.get('deps').config.baseUrl),
    ),
  );

  app.get('/staff/desk/files/:id{[0-9a-f-]{36}}', need('desk.claims'), async (c) => {
    const { db, blobs } = c.get('deps');
    const file = await svc.claimScreenshot(db, actor(c), c.req.param('id'));
    const bytes = file ? await blobs.get(file.storage_key) : null;
    if (!file || !bytes) throw notFound();
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': file.mime,
      'content-disposition': 'inline',
    });
  });
}
