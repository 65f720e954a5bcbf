import type { Db } from '../../db/client.js';
import { PermanentJobError } from '../jobs/queue.js';
import type { ModuleJobs } from '../jobs/registry.js';
import { send } from '../notify/notify.js';
import type { TemplateTable } from '../notify/templates.js';
import { verifyAudit } from './audit.js';
import { type AnchorSigner, anchorText } from './signer.js';

export const ANCHOR_JOB = 'audit.anchor';
export const ANCHOR_TEMPLATE = 'audit.anchor';

export interface AuditAnchor {
  id: number;
  at: Date;
  last_id: number;
  hash: string;
  entries: number;
  emailed_to: string | null;
  /** The signed statement of this anchor, the key that signed it and the signature (null before signing existed, or without a key). */
  signed_text: string | null;
  key_id: string | null;
  signature: string | null;
}

const COLUMNS = `id, at, last_id::int AS last_id, hash, entries, emailed_to, signed_text, key_id, signature`;

export interface AnchorOptions {
  /** Where a copy of the head hash goes (AUDIT_ANCHOR_EMAIL); none: recorded in the database only. */
  email?: string;
  /** Named in the e-mail, so that whoever keeps it knows which installation it is about. */
  site?: string;
  org?: string;
  /** This app's signer (deps.anchorSigner); none: the anchor is recorded unsigned. */
  signer?: AnchorSigner | null;
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
    throw new BrokenChainError(
      `the audit log is broken at entry ${check.brokenAt} (${check.reason})${check.brokenAnchor ? `; anchor #${check.brokenAnchor.id} no longer matches` : ''}: not anchored; run npm run cli -- verify-audit`,
    );
  }
  return db.tx(async (tx) => {
    // One anchor at a time (two workers firing together record one).
    await tx.query(`SELECT pg_advisory_xact_lock(7412003)`);
    const last = await tx.one<AuditAnchor>(`SELECT ${COLUMNS} FROM audit_anchors ORDER BY id DESC LIMIT 1`);
    if (last && Number(last.last_id) === Number(head.id) && last.hash === head.hash)
      return { status: 'unchanged' as const, anchor: last };
    const entries = (await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE id <= $1`, [head.id]))!
      .n;
    const at = new Date();
    // Signed with the installation's key, so that a copy kept elsewhere shows who vouched for this head.
    const signer = opts.signer ?? null;
    const signedText = signer
      ? anchorText({ site: opts.site ?? '', lastId: Number(head.id), hash: head.hash, entries, at: at.toISOString() })
      : null;
    const signed = signer && signedText ? await signer.sign(tx, signedText) : null;
    let notificationId: number | null = null;
    if (opts.email) {
      [notificationId] = await send(tx, [
        {
          channel: 'email',
          recipient: opts.email,
          template: ANCHOR_TEMPLATE,
          vars: {
            lastId: String(head.id),
            hash: head.hash,
            at: at.toISOString(),
            entries,
            site: opts.site ?? '',
            org: opts.org ?? '',
            keyId: signed?.keyId ?? '-',
            signature: signed?.signature ?? '-',
          },
          refType: 'audit.anchor',
          refId: String(head.id),
        },
      ]);
    }
    const anchor = (await tx.one<AuditAnchor>(
      `INSERT INTO audit_anchors (at, last_id, hash, entries, emailed_to, notification_id, signed_text, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${COLUMNS}`,
      [
        at.toISOString(),
        head.id,
        head.hash,
        entries,
        opts.email ?? null,
        notificationId,
        signedText,
        signed?.keyId ?? null,
        signed?.signature ?? null,
      ],
    ))!;
    return { status: 'anchored' as const, anchor, notificationId };
  });
}

/** The most recent anchors, newest first (the staff audit page). */
export async function latestAnchors(db: Db, limit = 5): Promise<AuditAnchor[]> {
  return db.query<AuditAnchor>(`SELECT ${COLUMNS} FROM audit_anchors ORDER BY id DESC LIMIT $1`, [limit]);
}

export const ANCHOR_FEED_FORMAT = 'cau-noi-audit-anchors/v1';

export interface AnchorFeed {
  format: typeof ANCHOR_FEED_FORMAT;
  site: string;
  org: string;
  generatedAt: string;
  keys: { keyId: string; algorithm: string; publicKeyPem: string; status: string }[];
  /** Newest first. */
  anchors: {
    id: number;
    at: string;
    lastId: number;
    hash: string;
    entries: number;
    keyId: string | null;
    signature: string | null;
    signed: string | null;
  }[];
}

/**
 * What /audit/anchors.json publishes: every anchor (newest first) with its signature and the keys
 * that verify them. Anyone may mirror it; `verify-audit --anchors FILE|URL` checks the log against a copy.
 */
export async function anchorFeed(
  db: Db,
  opts: { site: string; org: string; limit?: number; signer: AnchorSigner | null },
): Promise<AnchorFeed> {
  const rows = await latestAnchors(db, opts.limit ?? 5000);
  const signer = opts.signer;
  return {
    format: ANCHOR_FEED_FORMAT,
    site: opts.site,
    org: opts.org,
    generatedAt: new Date().toISOString(),
    keys: signer ? await signer.publicKeys(db) : [],
    anchors: rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      lastId: Number(r.last_id),
      hash: r.hash,
      entries: r.entries,
      keyId: r.key_id,
      signature: r.signature,
      signed: r.signed_text,
    })),
  };
}

/** Daily at 00:15 Vietnam time (17:15 UTC), after the day's last entries. */
export function nextAnchorRun(after: Date): Date {
  const d = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), 17, 15));
  if (d.getTime() <= after.getTime()) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export function auditAnchorJobs(opts: AnchorOptions): ModuleJobs {
  return {
    handlers: { [ANCHOR_JOB]: async (_payload, { db }) => void (await anchorAudit(db, opts)) },
    schedules: [{ name: ANCHOR_JOB, jobType: ANCHOR_JOB, next: nextAnchorRun }],
  };
}

export const anchorTemplates: TemplateTable = {
  [ANCHOR_TEMPLATE]: {
    vi: {
      subject: 'Mốc nhật ký thao tác {org}: mục {lastId}',
      text:
        'Đây là mốc kiểm chứng hằng ngày của nhật ký thao tác {org} ({site}).\n\n' +
        'Mục cuối: {lastId}\nMã băm (SHA-256): {hash}\nThời điểm (UTC): {at}\nSố mục: {entries}\n' +
        'Khóa ký: {keyId}\nChữ ký (Ed25519): {signature}\n\n' +
        'Danh sách mốc công khai: {site}/audit/anchors (bản JSON: {site}/audit/anchors.json).\n' +
        'Xin lưu giữ thư này, không sửa. Nếu sau này có nghi ngờ nhật ký bị sửa, so mã băm trên với kết quả của ' +
        'lệnh "npm run cli -- verify-audit" trên máy chủ: mục {lastId} phải vẫn mang đúng mã băm này.',
    },
    en: {
      subject: 'Audit log anchor for {org}: entry {lastId}',
      text:
        'This is the daily anchor of the audit log of {org} ({site}).\n\n' +
        'Last entry: {lastId}\nHash (SHA-256): {hash}\nTime (UTC): {at}\nEntries: {entries}\n' +
        'Signing key: {keyId}\nSignature (Ed25519): {signature}\n\n' +
        'Published anchors: {site}/audit/anchors (JSON: {site}/audit/anchors.json).\n' +
        'Please keep this message unchanged. If the log is ever suspected of having been altered, compare this hash ' +
        'with "npm run cli -- verify-audit" on the server: entry {lastId} must still carry exactly this hash.',
    },
  },
};
