/** Handling residents' claims: assignment and priority, free-text replies to the residents, a fact-check started from a cluster. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, assertCan } from '../../../platform/auth/permissions.js';
import { send } from '../../../platform/notify/notify.js';
import { appearancesToText } from './forms.js';
import * as repo from '../repo.js';
import type { Priority } from '../repo.js';
import { assertClusterScope } from './claims.js';
import { DeskError } from './shared.js';

/** The longest reply to residents. */
export const REPLY_MAX = 2000;

async function audit(db: Db, a: Actor, action: string, clusterId: number, data: Record<string, unknown>) {
  await recordAudit(db, {
    actorId: a.principal.userId,
    actorLabel: a.principal.email,
    action,
    entityType: 'desk.cluster',
    entityId: clusterId,
    ip: a.ip ?? null,
    data,
  });
}

/** Assigns the cluster to a checker who may handle it (or to nobody) and sets its priority. */
export async function assignCluster(
  db: Db,
  a: Actor,
  clusterId: number,
  assigneeId: number | null,
  priority: string,
): Promise<void> {
  assertCan(a.principal, 'desk.claims');
  if (!repo.PRIORITIES.includes(priority as Priority)) throw new DeskError({ priority: 'err.priority' });
  await db.tx(async (tx) => {
    const cl = await repo.getCluster(tx, clusterId);
    if (!cl) throw new DeskError({ _form: 'err.transition' });
    await assertClusterScope(tx, a, clusterId);
    if (assigneeId && !(await repo.possibleAssignees(tx, clusterId)).some((u) => u.id === assigneeId))
      throw new DeskError({ assignee_id: 'err.assignee' });
    const [before] = await repo.clusterHandling(tx, [clusterId]);
    await repo.setClusterHandling(tx, clusterId, assigneeId, priority as Priority);
    await audit(tx, a, 'desk.cluster.assign', clusterId, {
      from: { assigneeId: before?.assignee_id ?? null, priority: before?.priority },
      to: { assigneeId, priority },
    });
  });
}

/** A free-text reply to the residents of a cluster: shown on each claim's status page, e-mailed to those who left an address. */
export async function replyToResidents(
  db: Db,
  a: Actor,
  clusterId: number,
  text: string,
  baseUrl: string,
): Promise<void> {
  assertCan(a.principal, 'desk.claims');
  const body = (text ?? '').normalize('NFC').replace(/\r\n/g, '\n').trim();
  if (!body) throw new DeskError({ reply: 'err.reply' });
  if (body.length > REPLY_MAX) throw new DeskError({ reply: 'err.replyLong' });
  await db.tx(async (tx) => {
    const cl = await repo.getCluster(tx, clusterId);
    if (!cl) throw new DeskError({ _form: 'err.transition' });
    await assertClusterScope(tx, a, clusterId);
    const id = await repo.insertClusterReply(tx, clusterId, body, a.principal.userId);
    const contacts = await repo.clusterContacts(tx, clusterId);
    await send(
      tx,
      contacts.map((c) => ({
        channel: 'email' as const,
        recipient: c.contact_email,
        template: 'desk.claim-reply',
        locale: c.locale === 'en' ? ('en' as const) : ('vi' as const),
        vars: { code: c.code, reply: body, track: `${baseUrl}/claims/${c.code}` },
        refType: 'desk.claim',
        refId: c.id,
      })),
    );
    // the text is the office's own words to the public; residents' addresses stay out of the log
    await audit(tx, a, 'desk.cluster.reply', clusterId, { replyId: id, text: body, emailed: contacts.length });
  });
}

/** What the new fact-check's form starts with: the cluster's claim and where residents saw it. */
export async function factcheckFromCluster(db: Db, a: Actor, clusterId: number): Promise<Record<string, string>> {
  assertCan(a.principal, 'desk.edit');
  assertCan(a.principal, 'desk.claims');
  const cl = await repo.getCluster(db, clusterId);
  if (!cl) throw new DeskError({ _form: 'err.cluster' });
  await assertClusterScope(db, a, clusterId);
  const claims = await repo.claimsOfCluster(db, clusterId);
  const seen = new Map<string, { description: string; url: string | null }>();
  for (const c of claims) {
    if (!c.link && !c.seen_where) continue;
    const description = (c.seen_where ?? '').trim().slice(0, 500) || (c.link ? safeHost(c.link) : '');
    const key = `${description}|${c.link ?? ''}`;
    if (description && !seen.has(key)) seen.set(key, { description, url: c.link });
  }
  return {
    kind: 'factcheck',
    claim: (claims[0]?.text ?? cl.title).slice(0, 2000),
    appearances: appearancesToText([...seen.values()]),
    cluster_id: String(clusterId),
  };
}

function safeHost(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return '';
  }
}
