import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';

export interface AuditEntry {
  actorId?: number | null;
  /** e.g. the staff email, "cli", "system", "resident". */
  actorLabel: string;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  unitId?: number | null;
  ip?: string | null;
  data?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

function entryHash(prevHash: string, at: string, e: Required<Omit<AuditEntry, 'data'>> & { data: Record<string, unknown> }): string {
  const body = canonical({ at, actorId: e.actorId, actorLabel: e.actorLabel, action: e.action, entityType: e.entityType, entityId: e.entityId, unitId: e.unitId, ip: e.ip, data: e.data });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends one entry, chained to the previous one. Call it inside the transaction of the change
 * it records, so that the change and its record commit together.
 */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.tx(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7412002)`);
    const last = await tx.one<{ hash: string }>(`SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`);
    const prev = last?.hash ?? GENESIS;
    const at = new Date().toISOString();
    const e = {
      actorId: entry.actorId ?? null,
      actorLabel: entry.actorLabel,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      unitId: entry.unitId ?? null,
      ip: entry.ip ?? null,
      data: JSON.parse(JSON.stringify(entry.data ?? {})) as Record<string, unknown>,
    };
    const hash = entryHash(prev, at, e);
    await tx.query(
      `INSERT INTO audit_log (at, actor_id, actor_label, action, entity_type, entity_id, unit_id, ip, data, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [at, e.actorId, e.actorLabel, e.action, e.entityType, e.entityId, e.unitId, e.ip, JSON.stringify(e.data), prev, hash],
    );
  });
}

export interface AuditCheck {
  ok: boolean;
  entries: number;
  /** The first entry whose link or content does not match. */
  brokenAt?: number;
  reason?: string;
}

/** Re-computes the whole chain. */
export async function verifyAudit(db: Db, batch = 5000): Promise<AuditCheck> {
  let prev = GENESIS;
  let lastId = 0;
  let count = 0;
  for (;;) {
    const rows = await db.query<{
      id: number; at: Date; actor_id: number | null; actor_label: string; action: string; entity_type: string;
      entity_id: string | null; unit_id: number | null; ip: string | null; data: Record<string, unknown>; prev_hash: string; hash: string;
    }>(`SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`, [lastId, batch]);
    if (rows.length === 0) return { ok: true, entries: count };
    for (const r of rows) {
      if (r.prev_hash !== prev) return { ok: false, entries: count, brokenAt: r.id, reason: 'link to the previous entry does not match' };
      const h = entryHash(prev, new Date(r.at).toISOString(), {
        actorId: r.actor_id, actorLabel: r.actor_label, action: r.action, entityType: r.entity_type,
        entityId: r.entity_id, unitId: r.unit_id, ip: r.ip, data: r.data,
      });
      if (h !== r.hash) return { ok: false, entries: count, brokenAt: r.id, reason: 'entry content does not match its hash' };
      prev = r.hash;
      lastId = r.id;
      count++;
    }
  }
}
