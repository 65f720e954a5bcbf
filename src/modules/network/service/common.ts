/** Shared by every capability of the network service: form outcomes, the module's error, unit labels, who is who. */
import { AppError } from '../../../platform/errors.js';
import { nt } from '../i18n.js';
import { ForbiddenError, scopeOf, type Principal } from '../../../platform/auth/permissions.js';
import type { CommonKey } from '../../../platform/i18n/common.js';
import type { Locale, Vars } from '../../../platform/i18n/index.js';
import type { NetKey } from '../i18n.js';

export type Errors = Record<string, string>;
export type Values = Record<string, string>;

export class NetworkError extends AppError {
  constructor(
    status: 404 | 409 | 410 | 422 | 503,
    override readonly key: NetKey,
    vars: Record<string, string | number> = {},
  ) {
    super({ status, key, vars, catalog: nt });
  }
}

/**
 * A form the service refuses for a rule its schema cannot check (a unit outside the leader's scope, a date before the
 * campaign's start): 422 with the message beside each field. The form route shows the form again with what was typed.
 */
export class FormRefused extends AppError {
  constructor(fields: Partial<Record<string, NetKey | CommonKey>>, vars: Vars = {}) {
    super({ status: 422, key: 'error.validation', fields: fields as Record<string, string>, vars, catalog: nt });
  }
}

export const unitLabel = (
  l: Locale,
  r: { full_name?: string; unit_name?: string; name_en?: string | null; unit_name_en?: string | null },
) =>
  l === 'en' ? (r.name_en ?? r.unit_name_en ?? r.full_name ?? r.unit_name ?? '') : (r.full_name ?? r.unit_name ?? '');

// ---------- who is who ----------

export function memberGrants(p: Principal | null) {
  return (p?.grants ?? []).filter((g) => g.role === 'member');
}

/** The member's home unit (first member grant): clicks and shares count there. */
export function requireMember(p: Principal | null): { p: Principal; unitId: number; unitPath: string } {
  const g = memberGrants(p)[0];
  if (!p || !g) throw new ForbiddenError('network.member');
  return { p, unitId: g.unitId, unitPath: g.unitPath };
}

export function leaderScope(p: Principal | null, action = 'network.lead'): string[] {
  const paths = scopeOf(p, action);
  if (!p || paths.length === 0) throw new ForbiddenError(action);
  return paths;
}
