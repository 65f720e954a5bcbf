import { AppError } from '../errors.js';
export const ROLES = ['admin', 'editor', 'reviewer', 'handler', 'member'] as const;
export type Role = (typeof ROLES)[number];

export interface Grant {
  role: Role;
  unitId: number;
  /** ltree path of the unit the role is granted on, e.g. "1.7". */
  unitPath: string;
  agencyId?: number | null;
}

/** Who is acting: a signed-in staff account, an API token's owner, or nobody (a resident). */
export interface Principal {
  userId: number;
  email: string;
  name: string;
  locale: string;
  grants: Grant[];
  via: 'session' | 'token';
  /** A token's scopes ('read' and named write actions) and expiry; only for via 'token'. */
  token?: { scopes: readonly string[]; expiresAt: Date | null };
  /** Set on a token's state-changing request: the only actions `can` allows (the token's write scopes). */
  writeScopes?: readonly string[];
}

/** Actions with the roles that may perform them (admin may always): what a module declares as its AppModule's `actions`. */
export type ActionTable = Record<string, readonly Role[]>;

/** The platform's own actions. */
export const platformActions: ActionTable = {
  'staff.enter': ['admin', 'editor', 'reviewer', 'handler', 'member'],
  'tokens.manage-own': ['admin', 'editor', 'reviewer', 'handler', 'member'],
  'users.manage': ['admin'],
  'units.manage': ['admin'],
  'audit.read': ['admin'],
};

/**
 * Every action in the platform with the roles that may perform it; `can` is the one function that decides. Unlike job
 * handlers and caches, this table may be process-wide: it is constant code (the modules' `actions` consts), identical
 * in every app, holds no app's dependencies or data, and is only ever extended with the same entries. boot() fills it
 * from the module list (defineActions); a second app adds nothing new, and a different role list is refused.
 */
const actions = new Map<string, readonly Role[]>(Object.entries(platformActions));

const sameRoles = (a: readonly Role[], b: readonly Role[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Adds the modules' action tables. Two different role lists for one action are refused: one would silently win. */
export function defineActions(...tables: readonly (ActionTable | undefined)[]): void {
  const next = new Map(actions);
  for (const table of tables) {
    for (const [action, roles] of Object.entries(table ?? {})) {
      const had = next.get(action);
      if (had && !sameRoles(had, roles))
        throw new Error(`action ${action} declared with two role lists: [${had}] and [${roles}]`);
      next.set(action, roles);
    }
  }
  for (const [action, roles] of next) actions.set(action, roles);
}

export function registeredActions(): ReadonlyMap<string, readonly Role[]> {
  return actions;
}

export function inSubtree(path: string, ancestorPath: string): boolean {
  return path === ancestorPath || path.startsWith(ancestorPath + '.');
}

/**
 * May `who` perform `action` on something that belongs to the unit at `unitPath`?
 * Without a unitPath the question is "anywhere at all" (used for menus and list pages).
 */
export function can(who: Principal | null | undefined, action: string, unitPath?: string | null): boolean {
  if (!who) return false;
  const roles = actions.get(action);
  if (!roles) throw new Error(`unknown action: ${action}`);
  if (who.writeScopes && action !== 'staff.enter' && !who.writeScopes.includes(action)) return false;
  return who.grants.some(
    (g) => (g.role === 'admin' || roles.includes(g.role)) && (unitPath == null || inSubtree(unitPath, g.unitPath)),
  );
}

/** The unit paths where `who` may perform `action`: the roots of the subtrees it reaches. */
export function scopeOf(who: Principal | null | undefined, action: string): string[] {
  if (!who) return [];
  const roles = actions.get(action);
  if (!roles) throw new Error(`unknown action: ${action}`);
  const paths = who.grants.filter((g) => g.role === 'admin' || roles.includes(g.role)).map((g) => g.unitPath);
  return paths.filter((p) => !paths.some((q) => q !== p && inSubtree(p, q)));
}

export class ForbiddenError extends AppError {
  constructor(public readonly action: string) {
    super({ status: 403, key: 'error.forbidden' });
  }
}

export function assertCan(
  who: Principal | null | undefined,
  action: string,
  unitPath?: string | null,
): asserts who is Principal {
  if (!can(who, action, unitPath)) throw new ForbiddenError(action);
}

/** Who performs a service call, one shape in every module: the staff member, and the address for the audit log. */
export interface Actor {
  principal: Principal;
  ip: string | null;
}
