import type { Db } from '../../db/client.js';
import { PermanentJobError, registerJob, registerSchedule } from '../jobs/queue.js';
import { send } from '../notify/notify.js';
import { registerTemplates } from '../notify/templates.js';
import { verifyAudit } from './audit.js';

export const ANCHOR_JOB = 'audit.anchor';
export const ANCHOR_TEMPLATE = 'audit.anchor';

export interface AuditAnchor {
  id: number;
  at: Date;
  last_id: number;
  hash: string;
  entries: number;
  emailed_to: string | null;
}

export interface AnchorOptions {
  /** Where a copy of the head hash goes (AUDIT_ANCHOR_EMAIL); none: recorded in the database only. */
  email?: string;
  /** Named in the e-mail, so that whoever keeps it knows which installation it is about. */
  site?: string;
  org?: string;
}

export type AnchorOutcome =
  | { status: 'anchored'; anchor: AuditAnchor; notificationId: number | null }
  | { status: 'unchanged'; anchor: AuditAnchor }
  | { status: 'empty' };

/** Thrown when the chain is already broken: a broken history is never anchored. */
export class BrokenChainError extends PermanentJobError {}

/**
 * Records the head of the audit chain (last id, its hash, the time) in audit_anchors, after checking
 * the whole chain and every earlier anchor; with an e-mail address, mails the head hash there in the
 * same transaction (the notification is queued with the anchor, delivered by the worker). Nothing is
 * recorded when the head has not moved since the last anchor.
 */
export async function anchorAudit(db: Db, opts: AnchorOptions = {}): Promise<AnchorOutcome> {
  const head = await db.one<{ id: string; hash: string }>(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`);
  if (!head) return { status: 'empty' };
  const check = await verifyAudit(db);
  if (!check.ok) {
    throw new BrokenChainError(`the audit log is broken at entry ${check.brokenAt} (${check.reason})${check.brokenAnchor ? `; anchor #${check.brokenAnchor.id} no longer matches` : ''}: not anchored; run npm run cli -- verify-audit`);
  }
  return db.tx(async (tx) => {
    // One anchor at a time (two workers firing together record one).
    await tx.query(`SELECT pg_advisory_xact_lock(7412003)`);
    const last = await tx.one<AuditAnchor>(`SELECT id, at, last_id::int AS last_id, hash, entries, emailed_to FROM audit_anchors ORDER BY id DESC LIMIT 1`);
    if (last && Number(last.last_id) === Number(head.id) && last.hash === head.hash) return { status: 'unchanged' as const, anchor: last };
    const entries = (await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE id <= $1`, [head.id]))!.n;
    const at = new Date();
    let notificationId: number | null = null;
    if (opts.email) {
      [notificationId] = await send(tx, [{
        channel: 'email',
        recipient: opts.email,
        template: ANCHOR_TEMPLATE,
        vars: { lastId: String(head.id), hash: head.hash, at: at.toISOString(), entries, site: opts.site ?? '', org: opts.org ?? '' },
        refType: 'audit.anchor',
        refId: String(head.id),
      }]);
    }
    const anchor = (await tx.one<AuditAnchor>(
      `INSERT INTO audit_anchors (at, last_id, hash, entries, emailed_to, notification_id) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, at, last_id::int AS last_id, hash, entries, emailed_to`,
      [at.toISOString(), head.id, head.hash, entries, opts.email ?? null, notificationId],
    ))!;
    return { status: 'anchored' as const, anchor, notificationId };
  });
}

/** The most recent anchors, newest first (the staff audit page). */
export async function latestAnchors(db: Db, limit = 5): Promise<AuditAnchor[]> {
  return db.query<AuditAnchor>(
    `SELECT id, at, last_id::int AS last_id, hash, entries, emailed_to FROM audit_anchors ORDER BY id DESC LIMIT $1`,
    [limit],
  );
}

/** Daily at 00:15 Vietnam time (17:15 UTC), after the day's last entries. */
export function nextAnchorRun(after: Date): Date {
  const d = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), 17, 15));
  if (d.getTime() <= after.getTime()) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export function registerAuditAnchorJob(opts: AnchorOptions): void {
  registerJob(ANCHOR_JOB, async (_payload, { db }) => {
    await anchorAudit(db, opts);
  });
  registerSchedule({ name: ANCHOR_JOB, jobType: ANCHOR_JOB, next: nextAnchorRun });
}

registerTemplates({
  [ANCHOR_TEMPLATE]: {
    vi: {
      subject: 'Mốc nhật ký thao tác {org}: mục {lastId}',
      text:
        'Đây là mốc kiểm chứng hằng ngày của nhật ký thao tác {org} ({site}).\n\n' +
        'Mục cuối: {lastId}\nMã băm (SHA-256): {hash}\nThời điểm (UTC): {at}\nSố mục: {entries}\n\n' +
        'Xin lưu giữ thư này, không sửa. Nếu sau này có nghi ngờ nhật ký bị sửa, so mã băm trên với kết quả của ' +
        'lệnh "npm run cli -- verify-audit" trên máy chủ: mục {lastId} phải vẫn mang đúng mã băm này.',
    },
    en: {
      subject: 'Audit log anchor for {org}: entry {lastId}',
      text:
        'This is the daily anchor of the audit log of {org} ({site}).\n\n' +
        'Last entry: {lastId}\nHash (SHA-256): {hash}\nTime (UTC): {at}\nEntries: {entries}\n\n' +
        'Please keep this message unchanged. If the log is ever suspected of having been altered, compare this hash ' +
        'with "npm run cli -- verify-audit" on the server: entry {lastId} must still carry exactly this hash.',
    },
  },
});
