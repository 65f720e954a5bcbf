/** Publishing now or on schedule, the scheduled job, and withdrawal. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { publicContentChanged } from '../../../platform/public-content.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, assertCan } from '../../../platform/auth/permissions.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import type { ItemRow } from '../repo.js';
import * as repo from '../repo.js';
import { notifyAskers } from './askers.js';
import { lockFor } from './items.js';
import { checkPublishable } from './review.js';
import { audit, DeskError } from './shared.js';

export const PUBLISH_JOB = 'desk.publish-scheduled';

/** Publishes an approved piece now, or schedules it (a job publishes it at that time). Only the approved version. */
export async function publish(
  deps: Pick<Deps, 'db' | 'state' | 'config'>,
  a: Actor,
  id: number,
  at: Date | null,
): Promise<void> {
  const { baseUrl } = deps.config;
  assertCan(a.principal, 'desk.publish');
  await deps.db.tx(async (tx) => {
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
  publicContentChanged(deps);
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
export async function publishDue(deps: Pick<Deps, 'db' | 'state' | 'config'>): Promise<number> {
  const { baseUrl } = deps.config;
  let n = 0;
  for (const { id } of await repo.dueScheduled(deps.db)) {
    await deps.db.tx(async (tx) => {
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
  if (n) publicContentChanged(deps);
  return n;
}

export async function unpublish(deps: Pick<Deps, 'db' | 'state'>, a: Actor, id: number, reason: string): Promise<void> {
  assertCan(a.principal, 'desk.unpublish');
  if (!reason.trim()) throw new DeskError({ reason: 'err.reason' });
  await deps.db.tx(async (tx) => {
    const item = await lockFor(tx, a, id, 'desk.unpublish');
    if (item.status !== 'published') throw new DeskError({ _form: 'err.transition' });
    await repo.setStatus(tx, id, 'unpublished', { unpublishReason: reason.trim(), unpublishedAt: new Date() });
    await repo.deleteRevision(tx, id);
    await audit(tx, a, 'desk.item.unpublish', 'desk.item', id, { reason });
  });
  publicContentChanged(deps);
}

/** "2026-05-01T09:30" typed in Vietnam time. */
export function parseLocalDateTime(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Schedules an approved piece for the time typed in the form (Vietnam time), which must be in the future. */
export async function schedule(
  deps: Pick<Deps, 'db' | 'state' | 'config'>,
  a: Actor,
  id: number,
  typed: string,
): Promise<void> {
  const at = parseLocalDateTime(typed);
  if (!at || at.getTime() <= Date.now()) throw new DeskError({ publish_at: 'err.publishAt' });
  await publish(deps, a, id, at);
}
