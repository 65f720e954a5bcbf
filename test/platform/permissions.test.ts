import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modules } from '../../src/modules/index.js';
import {
  assertCan,
  can,
  defineActions,
  ForbiddenError,
  registeredActions,
  ROLES,
  scopeOf,
  type Principal,
  type Role,
} from '../../src/platform/auth/permissions.js';

// The table as boot() builds it: from the `actions` of the modules in src/modules/index.ts.
defineActions(...modules.map((m) => m.actions));
const viaIndex = new Set(registeredActions().keys());
// Every action table a module's permissions.ts exports, so one its AppModule forgets to list is caught.
const declared = new Map<string, readonly Role[]>();
const modulesDir = path.resolve('src/modules');
for (const name of readdirSync(modulesDir)) {
  const file = path.join(modulesDir, name, 'permissions.ts');
  if (!existsSync(file)) continue;
  for (const table of Object.values(await import(pathToFileURL(file).href)))
    if (table && typeof table === 'object') for (const [a, r] of Object.entries(table)) declared.set(a, r as Role[]);
}

// A province (1) with two wards (1.2, 1.3) and a village under the first ward (1.2.4).
const PROVINCE = '1';
const WARD = '1.2';
const SIBLING = '1.3';
const VILLAGE = '1.2.4';

const principal = (grants: { role: Role; unitPath: string }[]): Principal => ({
  userId: 1,
  email: 'x@example.org',
  name: 'X',
  locale: 'vi',
  via: 'session',
  grants: grants.map((g, i) => ({ ...g, unitId: i + 1 })),
});

const actions = [...registeredActions()];

describe('permission matrix: every action × every role × inside/outside the unit', () => {
  it('knows the platform actions and every role list names real roles', () => {
    const names = actions.map(([a]) => a);
    for (const a of ['staff.enter', 'tokens.manage-own', 'users.manage', 'units.manage', 'audit.read'])
      expect(names).toContain(a);
    for (const [, roles] of actions) for (const r of roles) expect(ROLES).toContain(r);
  });

  for (const [action, roles] of actions) {
    for (const role of ROLES) {
      const allowed = role === 'admin' || roles.includes(role);
      it(`${action} · ${role} → ${allowed ? 'allowed' : 'denied'} in its subtree only`, () => {
        const onWard = principal([{ role, unitPath: WARD }]);
        // inside: the ward itself and a unit below it
        expect(can(onWard, action, WARD)).toBe(allowed);
        expect(can(onWard, action, VILLAGE)).toBe(allowed);
        // outside: the parent province and a sibling ward
        expect(can(onWard, action, PROVINCE)).toBe(false);
        expect(can(onWard, action, SIBLING)).toBe(false);
        // "anywhere" (menus, list pages)
        expect(can(onWard, action)).toBe(allowed);
        // a grant on the province reaches every ward below it
        const onProvince = principal([{ role, unitPath: PROVINCE }]);
        expect(can(onProvince, action, PROVINCE)).toBe(allowed);
        expect(can(onProvince, action, WARD)).toBe(allowed);
        expect(can(onProvince, action, SIBLING)).toBe(allowed);
        expect(can(onProvince, action, VILLAGE)).toBe(allowed);
        // assertCan agrees with can
        if (allowed) expect(() => assertCan(onWard, action, WARD)).not.toThrow();
        else expect(() => assertCan(onWard, action, WARD)).toThrow(ForbiddenError);
        expect(() => assertCan(onWard, action, SIBLING)).toThrow(ForbiddenError);
      });
    }
  }

  it('a ward path that merely shares a prefix is not inside the subtree (1.2 vs 1.20)', () => {
    const p = principal([{ role: 'admin', unitPath: WARD }]);
    expect(can(p, 'users.manage', '1.20')).toBe(false);
    expect(can(p, 'users.manage', '1.2.20')).toBe(true);
  });

  it('nobody (a resident) may do anything, and an unknown action is a programming error', () => {
    for (const [action] of actions) {
      expect(can(null, action)).toBe(false);
      expect(can(undefined, action, WARD)).toBe(false);
    }
    expect(() => can(principal([{ role: 'admin', unitPath: PROVINCE }]), 'no.such-action')).toThrow(/unknown action/);
  });

  it('several grants add up: editor on one ward and handler on another', () => {
    const p = principal([
      { role: 'editor', unitPath: WARD },
      { role: 'member', unitPath: SIBLING },
    ]);
    expect(can(p, 'users.manage', WARD)).toBe(false);
    expect(can(p, 'staff.enter', WARD)).toBe(true);
    expect(can(p, 'staff.enter', SIBLING)).toBe(true);
    expect(can(p, 'staff.enter', PROVINCE)).toBe(false);
  });
});

describe('scopeOf', () => {
  it('returns the roots of the subtrees where the action is allowed', () => {
    const p = principal([
      { role: 'admin', unitPath: WARD },
      { role: 'member', unitPath: SIBLING },
    ]);
    expect(scopeOf(p, 'users.manage')).toEqual([WARD]);
    expect(scopeOf(p, 'staff.enter').sort()).toEqual([WARD, SIBLING].sort());
  });

  it('drops a unit already covered by a grant higher up', () => {
    const p = principal([
      { role: 'admin', unitPath: VILLAGE },
      { role: 'admin', unitPath: PROVINCE },
      { role: 'admin', unitPath: WARD },
    ]);
    expect(scopeOf(p, 'audit.read')).toEqual([PROVINCE]);
  });

  it('is empty for nobody and for roles that may not', () => {
    expect(scopeOf(null, 'staff.enter')).toEqual([]);
    expect(scopeOf(principal([{ role: 'member', unitPath: PROVINCE }]), 'audit.read')).toEqual([]);
    expect(() => scopeOf(principal([]), 'no.such-action')).toThrow(/unknown action/);
  });

  it('agrees with can for every action and role', () => {
    for (const [action] of actions) {
      for (const role of ROLES) {
        const p = principal([{ role, unitPath: WARD }]);
        const scope = scopeOf(p, action);
        expect(scope.length > 0).toBe(can(p, action, WARD));
      }
    }
  });
});

describe('staff menus', () => {
  it('the app knows every action of every module (each permissions.ts table is listed in its AppModule)', () => {
    const missing = [...declared.keys()].filter((a) => !viaIndex.has(a));
    expect(declared.size).toBeGreaterThan(10);
    expect(missing, 'actions declared in a permissions.ts but not in its module').toEqual([]);
  });

  it('refuses a second, different role list for an action, and accepts the same list again (a second app)', () => {
    expect(() => defineActions(...modules.map((m) => m.actions))).not.toThrow();
    expect(() => defineActions({ 'mailbox.view': ['member'] })).toThrow(/two role lists/);
    expect(registeredActions().get('mailbox.view')).toEqual(['handler', 'reviewer']);
  });

  it('every module menu item names a registered action and has a label in both languages', () => {
    const known = registeredActions();
    for (const m of modules) {
      for (const item of m.staffMenu ?? []) {
        expect(known.has(item.action), `${m.name}: ${item.href} uses unknown action ${item.action}`).toBe(true);
        expect(item.href.startsWith('/'), item.href).toBe(true);
        expect(item.label.vi.trim(), `${item.href} vi label`).not.toBe('');
        expect(item.label.en.trim(), `${item.href} en label`).not.toBe('');
      }
    }
  });
});
