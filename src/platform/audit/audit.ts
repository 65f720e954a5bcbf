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
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** The hash of one entry chained to `prevHash` (exported for tests that forge a consistent rewrite). */
export function entryHash(
  prevHash: string,
  at: string,
  e: Required<Omit<AuditEntry, 'data'>> & { data: Record<string, unknown> },
): string {
  const body = canonical({
    at,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    unitId: e.unitId,
    ip: e.ip,
    data: e.data,
  });
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
      [
        at,
        e.actorId,
        e.actorLabel,
        e.action,
        e.entityType,
        e.entityId,
        e.unitId,
        e.ip,
        JSON.stringify(e.data),
        prev,
        hash,
      ],
    );
  });
}

/** An anchor that no longer matches the chain. */
export interface BrokenAnchor {
  id: number;
  at: string;
  lastId: number;
  hash: string;
  /** Why, in words. */
  reason: string;
  /** Where the anchor came from: this database, or a copy kept outside it (verify-audit --anchors). */
  source?: 'database' | 'published';
}

/** An anchor from a copy kept outside the database (a mirror of /audit/anchors.json). */
export interface ExternalAnchor {
  id: number;
  at: string;
  lastId: number;
  hash: string;
}

export interface AuditCheck {
  ok: boolean;
  entries: number;
  /** The first entry whose link or content does not match. */
  brokenAt?: number;
  reason?: string;
  /** How many anchors (audit_anchors) were checked, when there are any. */
  anchors?: number;
  /** The first anchor that no longer matches the chain. */
  brokenAnchor?: BrokenAnchor;
}

interface AnchorRow {
  id: number;
  at: Date | string;
  last_id: string | number;
  hash: string;
  source?: 'published';
}

const anchorOf = (a: AnchorRow, reason: string): BrokenAnchor => ({
  id: a.id,
  at: new Date(a.at).toISOString(),
  lastId: Number(a.last_id),
  hash: a.hash,
  reason,
  source: a.source ?? 'database',
});

/**
 * Re-computes the whole chain, and checks that every recorded anchor still matches it: the entry an
 * anchor names must still exist with the anchored hash, and no entry at or below it may be broken.
 * A history rewritten consistently (every hash recomputed) passes the chain check but not its anchors.
 */
export async function verifyAudit(
  db: Db,
  batch = 5000,
  opts: { external?: ExternalAnchor[] } = {},
): Promise<AuditCheck> {
  const own = await db.query<AnchorRow>(`SELECT id, at, last_id, hash FROM audit_anchors ORDER BY last_id, id`);
  // A published copy (kept outside this database) counts like the database's own anchors: the tail cut off or the
  // history rewritten consistently, anchors deleted along with it, still fails against the copy.
  const external: AnchorRow[] = (opts.external ?? []).map((a) => ({
    id: a.id,
    at: a.at,
    last_id: a.lastId,
    hash: a.hash,
    source: 'published',
  }));
  const anchors = [...own, ...external].sort(
    (a, b) => Number(a.last_id) - Number(b.last_id) || (a.source ? 1 : 0) - (b.source ? 1 : 0) || a.id - b.id,
  );
  let next = 0; // the first anchor not yet reached
  const withAnchors = (r: AuditCheck): AuditCheck => (anchors.length ? { ...r, anchors: anchors.length } : r);
  const broken = (count: number, id: number, reason: string): AuditCheck => {
    // Every anchor at or above a broken entry certified a history that has since changed.
    const a = anchors.find((x) => Number(x.last_id) >= id);
    return withAnchors({
      ok: false,
      entries: count,
      brokenAt: id,
      reason,
      ...(a ? { brokenAnchor: anchorOf(a, `the history below it was changed (entry ${id}: ${reason})`) } : {}),
    });
  };
  let prev = GENESIS;
  let lastId = 0;
  let count = 0;
  for (;;) {
    const rows = await db.query<{
      id: number;
      at: Date;
      actor_id: number | null;
      actor_label: string;
      action: string;
      entity_type: string;
      entity_id: string | null;
      unit_id: number | null;
      ip: string | null;
      data: Record<string, unknown>;
      prev_hash: string;
      hash: string;
    }>(`SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`, [lastId, batch]);
    if (rows.length === 0) break;
    for (const r of rows) {
      const id = Number(r.id);
      // An anchored entry that vanished (from the middle): the anchor names it.
      const skipped = next < anchors.length && Number(anchors[next].last_id) < id ? anchors[next] : undefined;
      if (skipped) {
        return withAnchors({
          ok: false,
          entries: count,
          brokenAt: Number(skipped.last_id),
          reason: 'the anchored entry is missing',
          brokenAnchor: anchorOf(skipped, `entry ${skipped.last_id} is missing from the log`),
        });
      }
      if (r.prev_hash !== prev) return broken(count, id, 'link to the previous entry does not match');
      const h = entryHash(prev, new Date(r.at).toISOString(), {
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        unitId: r.unit_id,
        ip: r.ip,
        data: r.data,
      });
      if (h !== r.hash) return broken(count, id, 'entry content does not match its hash');
      for (; next < anchors.length && Number(anchors[next].last_id) === id; next++) {
        const a = anchors[next];
        if (a.hash !== r.hash) {
          return withAnchors({
            ok: false,
            entries: count,
            brokenAt: id,
            reason: 'the entry no longer has the anchored hash',
            brokenAnchor: anchorOf(
              a,
              `entry ${id} now has hash ${r.hash.slice(0, 16)}…: the history up to it was rewritten after it was anchored`,
            ),
          });
        }
      }
      prev = r.hash;
      lastId = id;
      count++;
    }
  }
  // Anchored entries past the end: the tail of the log was cut off.
  const missing = anchors[next];
  if (missing)
    return withAnchors({
      ok: false,
      entries: count,
      brokenAt: Number(missing.last_id),
      reason: 'the anchored entry is missing',
      brokenAnchor: anchorOf(missing, `entry ${missing.last_id} is missing from the log`),
    });
  return withAnchors({ ok: true, entries: count });
}

/** One line naming a broken anchor, for the CLI. */
export function describeBrokenAnchor(a: BrokenAnchor): string {
  return `${a.source === 'published' ? 'published anchor' : 'anchor'} #${a.id} of ${a.at} (entry ${a.lastId}, hash ${a.hash}) no longer matches the audit log: ${a.reason}`;
}
