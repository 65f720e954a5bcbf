import { serve } from '@hono/node-server';
import { boot, seedDemoIfEmpty } from './bootstrap.js';
import { startCliSocket } from './cli/socket.js';
import { ConfigError, loadConfig } from './config.js';
import { createApp } from './http/app.js';
import { createLogger } from './log.js';
import { modules } from './modules/index.js';
import { DEMO_LOGINS } from './platform/demo/seed.js';
import { Worker } from './platform/jobs/queue.js';
import { liveOwner, writePidFile } from './platform/ops/pidfile.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const owner = config.DATABASE_URL ? null : liveOwner(config.dataDir);
  if (owner) {
    console.error(`Another Cầu Nối server (pid ${owner}) already uses the embedded database in ${config.dataDir}.\nStop it first, or start this one with another DATA_DIR or with DATABASE_URL.`);
    process.exit(75);
  }
  const releasePid = config.DATABASE_URL ? () => {} : writePidFile(config.dataDir);
  if (config.RATE_LIMIT_DISABLED) log.warn('RATE_LIMIT_DISABLED=1: every rate limit is off. Use this for benchmarks only.');
  const deps = await boot({ config, log, modules });
  if (config.DEMO && (await seedDemoIfEmpty(deps, modules))) log.info('demo data loaded');

  const app = createApp(deps, modules);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  const worker = config.WORKER ? new Worker(deps.db, { concurrency: config.WORKER_CONCURRENCY, onError: (err, job) => log.error({ err, job: job.id }, 'job crashed') }) : null;
  worker?.start();
  const cliSocket = config.DATABASE_URL ? null : await startCliSocket(deps, modules, config.cliSocket);

  const address = `http://localhost:${config.PORT}`;
  console.log(`\nCầu Nối is running at ${address}  (database: ${config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`})`);
  if (config.DEMO) {
    console.log('Demo logins (password: DEMO_PASSWORD, default demo1234):');
    for (const r of DEMO_LOGINS) console.log(`  ${r}@demo.local`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing in-flight requests and jobs`);
    const force = setTimeout(() => process.exit(1), 25_000);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await worker?.stop();
    await cliSocket?.close();
    await deps.db.close();
    releasePid();
    clearTimeout(force);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
