import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { Db } from '../db/client.js';
import type { ActionTable } from '../platform/auth/permissions.js';
import type { ModuleJobs } from '../platform/jobs/registry.js';
import type { TemplateTable } from '../platform/notify/templates.js';
import type { FigureQuery, ModuleFigures } from '../platform/figures.js';
import type { AppEnv, Ctx, Deps, MenuItem, NavItem } from './context.js';

/** Units and accounts the platform's demo seed made, for modules to hang their demo data on. */
export interface DemoContext {
  provinceId: number;
  communeIds: number[];
  agencyIds: number[];
  users: Record<'admin' | 'editor' | 'reviewer' | 'handler' | 'member', number>;
}

export interface CliContext {
  deps: Deps;
  args: string[];
  flags: Record<string, string | boolean>;
  out: (line: string) => void;
}

/** Returns the process exit code (0 when omitted). */
export type CliCommand = { summary: string; run: (ctx: CliContext) => Promise<number | void> };

export interface OpenApiFragment {
  paths?: Record<string, unknown>;
  schemas?: Record<string, unknown>;
}

/**
 * One capability of the platform. Modules live in src/modules/<name>/ and are listed once in
 * src/modules/index.ts; the app, the CLI, the worker and the demo seed all read that list.
 */
export interface AppModule {
  name: string;
  /** Mounts the module's pages and API routes. */
  routes?(app: Hono<AppEnv>): void;
  /** The module's actions and the roles that may perform them (its permissions.ts table); defined at boot. */
  actions?: ActionTable;
  /** The module's job handlers, schedules and channel deliverers, closing over this app's deps (never registered globally). */
  jobs?(deps: Deps): ModuleJobs;
  /** The module's notification message templates, in both languages. */
  templates?: TemplateTable;
  seedDemo?(deps: Deps, demo: DemoContext): Promise<void>;
  staffMenu?: MenuItem[];
  publicNav?: NavItem[];
  /** A block on the public home page (latest answers, active incidents…). */
  homeSection?(c: Ctx): Promise<Child | null>;
  /** Where that block goes: lower first (default 100). An active incident must lead the page. */
  homePriority?: number;
  /** A block on the staff overview page, for those who may see it. */
  staffSection?(c: Ctx): Promise<Child | null>;
  openapi?: OpenApiFragment;
  cli?: Record<string, CliCommand>;
  /** Work started in the background once the server listens (e.g. building an in-memory index); never awaited by requests. */
  warmUp?(deps: Deps): Promise<void>;
  /** The module's figures for a unit subtree and period, for the reports module. */
  figures?(db: Db, q: FigureQuery): Promise<ModuleFigures>;
}
