/** Helpers the capability files share; service.ts does not re-export them. */
import type { Db } from '../../../db/client.js';
import { type Actor, can } from '../../../platform/auth/permissions.js';
import { findUnitById } from '../../../platform/units/repo.js';

/** An audit entry by the actor, with their address. */
export const audit = (
  a: Actor,
  action: string,
  entityType: string,
  entityId: number | string,
  unitId?: number | null,
  data?: Record<string, unknown>,
) => ({
  actorId: a.principal.userId,
  actorLabel: a.principal.email,
  action,
  entityType,
  entityId,
  unitId: unitId ?? null,
  ip: a.ip,
  data,
});

export async function unitInScope(db: Db, a: Actor, action: string, unitId: number | null) {
  const unit = unitId ? await findUnitById(db, unitId) : undefined;
  if (!unit) return null;
  return can(a.principal, action, unit.path) ? unit : null;
}

export const dateRe = /^\d{4}-\d{2}-\d{2}$/;
export const vnStart = (d: string) => new Date(`${d}T00:00:00+07:00`);
export const vnEnd = (d: string) => new Date(new Date(`${d}T00:00:00+07:00`).getTime() + 86400_000);

export const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v == null || v === '' ? [] : [String(v)];
