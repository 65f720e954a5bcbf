import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AppState } from '../platform/app-state.js';
import type { AnchorSigner } from '../platform/audit/signer.js';
import type { Db } from '../db/client.js';
import type { Principal } from '../platform/auth/permissions.js';
import type { BlobStore } from '../platform/files/store.js';
import { common, type CommonKey } from '../platform/i18n/common.js';
import type { Locale, Translate } from '../platform/i18n/index.js';
import type { Channels } from '../platform/notify/channels.js';
import type { JobRegistry } from '../platform/jobs/registry.js';
import type { Templates } from '../platform/notify/templates.js';
import type { Metrics } from './metrics.js';

/** What every route and job can reach. Built once in main.ts (or by the test harness). */
export interface Deps {
  db: Db;
  config: Config;
  log: Logger;
  blobs: BlobStore;
  channels: Channels;
  /** This app's Prometheus registry (never shared with another app in the same process). */
  metrics: Metrics;
  /** This app's caches and other memory (never shared with another app in the same process). */
  state: AppState;
  /** This app's job handlers, schedules and channel deliverers, built from its modules at boot. */
  jobs: JobRegistry;
  /** This app's notification templates, built from its modules at boot. */
  templates: Templates;
  /** This app's menus, built from its modules at boot; the layout shows them. */
  menus: Menus;
  /** Signs this app's audit anchors with the installation's key (the crisis centre's); null: anchors are unsigned. */
  anchorSigner: AnchorSigner | null;
}

/** The staff menu (each item shown to those who may perform its action) and the public navigation. */
export interface Menus {
  staff: MenuItem[];
  public: NavItem[];
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    principal: Principal | null;
    locale: Locale;
    csrf: string;
    requestId: string;
    sessionId: string | null;
    ip: string;
  };
};

export type Ctx = Context<AppEnv>;

/** A link in the staff menu, shown only to those who may perform `action`. */
export interface MenuItem {
  href: string;
  label: Record<Locale, string>;
  action: string;
}

export interface NavItem {
  href: string;
  label: Record<Locale, string>;
}

/** What a view needs to know about the request. Views are pure functions of this and their data. */
export interface PageCtx {
  locale: Locale;
  t: Translate<CommonKey>;
  principal: Principal | null;
  csrf: string;
  path: string;
  orgName: string;
  /** the organisation's English name (ORG_NAME_EN), if configured */
  orgNameEn?: string;
  mapTileUrl: string;
  /** The app's menus (absent in views rendered outside a request). */
  menus?: Menus;
}

export function pageCtx(c: Ctx): PageCtx {
  const locale = c.get('locale');
  const url = new URL(c.req.url);
  return {
    locale,
    t: common.t(locale),
    principal: c.get('principal'),
    csrf: c.get('csrf'),
    path: url.pathname + url.search,
    orgName: c.get('deps').config.ORG_NAME,
    orgNameEn: c.get('deps').config.ORG_NAME_EN,
    mapTileUrl: c.get('deps').config.MAP_TILE_URL ?? '',
    menus: c.get('deps').menus,
  };
}
