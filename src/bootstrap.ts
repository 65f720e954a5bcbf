import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDb, type Db } from './db/client.js';
import { migrate } from './db/migrate.js';
import type { Deps } from './http/context.js';
import { createMetrics } from './http/metrics.js';
import type { AppModule, DemoContext } from './http/module.js';
import { AppState } from './platform/app-state.js';
import { seedPlatformDemo } from './platform/demo/seed.js';
import { FsBlobStore, type BlobStore } from './platform/files/store.js';
import { outboundOptions } from './platform/net/outbound.js';
import { createChannels, type Channels } from './platform/notify/channels.js';
import { notifyJobs } from './platform/notify/notify.js';
import { getOrCreateVapidKeys } from './platform/notify/vapid.js';
import { platformJobs } from './platform/jobs/platform-jobs.js';
import { JobRegistry } from './platform/jobs/registry.js';
import { opsJobs } from './platform/ops/jobs.js';
import { defineActions } from './platform/auth/permissions.js';
import { invitationTemplates } from './platform/auth/invitation.js';
import { anchorTemplates } from './platform/audit/anchors.js';
import { platformTemplates, Templates } from './platform/notify/templates.js';
import { buildMenus } from './http/menu.js';
import type { AnchorSigner } from './platform/audit/signer.js';
import { installationPublicKeys, signWithInstallationKey } from './modules/crisis/public.js';

export interface BootOptions {
  config: Config;
  log: Logger;
  modules: readonly AppModule[];
  db?: Db;
  blobs?: BlobStore;
  channels?: Channels;
}

/**
 * Opens the database, applies migrations and builds this app's registries from the module list (job handlers,
 * schedules, channel deliverers, templates, menus: all carried in Deps, never process-wide): the same for the server,
 * the CLI and tests.
 */
export async function boot(o: BootOptions): Promise<Deps> {
  defineActions(...o.modules.map((m) => m.actions));
  const db = o.db ?? (await openDb({ databaseUrl: o.config.DATABASE_URL, dataDir: o.config.dataDir }));
  await migrate(
    db,
    o.modules.map((m) => m.name),
    (msg) => o.log.info(msg),
  );
  const vapid =
    o.config.VAPID_PUBLIC_KEY && o.config.VAPID_PRIVATE_KEY
      ? { publicKey: o.config.VAPID_PUBLIC_KEY, privateKey: o.config.VAPID_PRIVATE_KEY }
      : await getOrCreateVapidKeys(db);
  const channels =
    o.channels ??
    createChannels({
      smtpUrl: o.config.SMTP_URL,
      outboxDir: o.config.mailOutbox,
      mailFrom: o.config.MAIL_FROM,
      vapid: { ...vapid, subject: o.config.VAPID_SUBJECT },
      outbound: () => outboundOptions(o.config),
    });
  const deps: Deps = {
    db,
    config: o.config,
    log: o.log,
    blobs: o.blobs ?? new FsBlobStore(path.join(o.config.dataDir, 'files')),
    channels,
    metrics: createMetrics(db),
    state: new AppState(),
    jobs: new JobRegistry(),
    templates: appTemplates(o.modules),
    menus: buildMenus(o.modules),
    anchorSigner: anchorSigner(o.modules),
  };
  deps.jobs
    .add(notifyJobs(deps), 'notify')
    .add(platformJobs(), 'platform')
    .add(opsJobs(o.config, deps.anchorSigner), 'ops');
  for (const m of o.modules) deps.jobs.add(m.jobs?.(deps), m.name);
  return deps;
}

/**
 * The installation's key is the crisis centre's statement key: the platform signs this app's audit anchors with it
 * through this object, without importing the module. An app without the crisis centre records them unsigned.
 */
function anchorSigner(modules: readonly AppModule[]): AnchorSigner | null {
  if (!modules.some((m) => m.name === 'crisis')) return null;
  return {
    async sign(db, text) {
      const { keyId, signature } = await signWithInstallationKey(db, text);
      return { keyId, signature };
    },
    publicKeys: installationPublicKeys,
  };
}

/** An app's message templates: the platform's and its modules'. */
export function appTemplates(modules: readonly AppModule[]): Templates {
  return new Templates([platformTemplates, invitationTemplates, anchorTemplates, ...modules.map((m) => m.templates)]);
}

/**
 * Loads the demo data once (first start with DEMO on). Returns true when it did. Several processes
 * starting at once on one PostgreSQL database: the first to claim the `demo.seeding` key loads it.
 */
export async function seedDemoIfEmpty(deps: Deps, modules: readonly AppModule[]): Promise<boolean> {
  const done = await deps.db.one(`SELECT 1 FROM settings WHERE key = 'demo.seeded'`);
  const anyUser = await deps.db.one(`SELECT 1 FROM users LIMIT 1`);
  if (done || anyUser) return false;
  const claimed = await deps.db.one(
    `INSERT INTO settings (key, value) VALUES ('demo.seeding', $1) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [JSON.stringify({ pid: process.pid, at: new Date().toISOString() })],
  );
  if (!claimed) return false;
  try {
    // Another process may have finished loading between the check above and the claim.
    if (await deps.db.one(`SELECT 1 FROM settings WHERE key = 'demo.seeded'`)) return false;
    const demo: DemoContext = await seedPlatformDemo(deps.db, deps.config.DEMO_PASSWORD);
    for (const m of modules) {
      if (!m.seedDemo) continue;
      deps.log.info(`seeding demo data: ${m.name}`);
      await m.seedDemo(deps, demo);
    }
    await deps.db.query(`INSERT INTO settings (key, value) VALUES ('demo.seeded', $1)`, [
      JSON.stringify({ at: new Date().toISOString() }),
    ]);
    return true;
  } finally {
    await deps.db.query(`DELETE FROM settings WHERE key = 'demo.seeding'`);
  }
}
