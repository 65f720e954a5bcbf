import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { boot, seedDemoIfEmpty } from './bootstrap.js';
import { startCliSocket } from './cli/socket.js';
import { loadConfigOrReport } from './config.js';
import { createApp } from './http/app.js';
import { fastPathServer } from './http/fast-path.js';
import { createLogger } from './log.js';
import { modules } from './modules/index.js';
import { DEMO_LOGINS } from './platform/demo/seed.js';
import { Worker } from './platform/jobs/queue.js';
import { liveOwner, writePidFile } from './platform/ops/pidfile.js';

async function main() {
  const config = loadConfigOrReport();
  if (!config) process.exit(78);
  const log = createLogger(config.LOG_LEVEL);
  const owner = config.DATABASE_URL ? null : liveOwner(config.dataDir);
  if (owner) {
    console.error(
      `Another Cầu Nối server (pid ${owner}) already uses the embedded database in ${config.dataDir}.\nStop it first, or start this one with another DATA_DIR or with DATABASE_URL.`,
    );
    process.exit(75);
  }
  const releasePid = config.DATABASE_URL ? () => {} : writePidFile(config.dataDir);
  process.on('exit', releasePid);
  if (config.demoWarning) {
    const bar = '!'.repeat(78);
    console.error(`${bar}\n${config.demoWarning}\n${bar}`);
    log.warn(config.demoWarning);
  }
  if (config.RATE_LIMIT_DISABLED)
    log.warn('RATE_LIMIT_DISABLED=1: every rate limit is off. Use this for benchmarks only.');
  const deps = await boot({ config, log, modules });
  if (config.DEMO && (await seedDemoIfEmpty(deps, modules))) log.info('demo data loaded');

  const app = createApp(deps, modules);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port: config.PORT, hostname: config.HOST, createServer: fastPathServer(app, deps) },
      () => resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE')
      console.error(`Port ${config.PORT} is already in use: stop what listens there, or start with another PORT.`);
    else if (err.code === 'EACCES')
      console.error(
        `Not allowed to listen on port ${config.PORT}: use a port above 1023 (and a reverse proxy for 80/443).`,
      );
    else console.error(err);
    process.exit(1);
  });
  const port = (server.address() as AddressInfo).port;
  for (const m of modules) m.warmUp?.(deps).catch((err) => log.warn({ err, module: m.name }, 'warm-up failed'));
  const worker = config.WORKER
    ? new Worker(deps.db, deps.jobs, {
        concurrency: config.WORKER_CONCURRENCY,
        listenUrl: config.DATABASE_URL,
        onError: (err, job) => log.error({ err, job: job.id }, 'job crashed'),
      })
    : null;
  worker?.start();
  const cliSocket = config.DATABASE_URL ? null : await startCliSocket(deps, modules, config.cliSocket);

  const address = config.BASE_URL ? config.baseUrl : `http://localhost:${port}`;
  // One write, so that whoever reads the output sees the address and the logins together.
  const banner = [
    `\nCầu Nối is running at ${address}  (database: ${config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`})`,
  ];
  if (config.DEMO) {
    banner.push(`Demo logins (password: ${config.DEMO_PASSWORD === 'demo1234' ? 'demo1234' : 'DEMO_PASSWORD'}):`);
    for (const r of DEMO_LOGINS) banner.push(`  ${r}@demo.local`);
  }
  if (!config.DATABASE_URL && (config.NODE_ENV === 'production' || config.baseUrl.startsWith('https://'))) {
    // Measured (docs/deploy.md): PGlite runs with fsync off and its file layer has no fsync; commits reach the OS, not the disk.
    const durability =
      'Durability: the embedded database (PGlite) never calls fsync. A crashed or killed server loses nothing it has confirmed, but a power cut or an operating-system crash can lose the last committed reports and damage the database. For production use PostgreSQL (DATABASE_URL=postgres://…), or at least a UPS and encrypted backups off the machine (docs/deploy.md).';
    banner.push(durability);
    log.warn(durability);
  }
  if (config.mailOutbox)
    banner.push(`E-mail is not sent but written to ${config.mailOutbox} (set SMTP_URL to send it)`);
  else if (!config.SMTP_URL)
    banner.push('E-mail cannot be sent: set SMTP_URL (or MAIL_OUTBOX=DIR to keep it in a folder)');
  if (!config.DATABASE_URL)
    banner.push(`Admin commands: npm run cli  (they reach this server through ${config.cliSocket})`);
  console.log(banner.join('\n'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    const grace = config.SHUTDOWN_GRACE_MS;
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    log.info(`${signal}: no new requests or jobs; finishing those in flight`);
    console.log(`${signal}: finishing in-flight requests and jobs…`);
    const force = setTimeout(() => {
      log.error(`still busy after ${grace} ms: exiting anyway`);
      process.exit(1);
    }, grace);
    force.unref();
    // Keep-alive connections with no request in flight are closed now and as they become idle.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    try {
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        worker?.stop(),
        cliSocket?.close(),
      ]);
      clearInterval(idle);
      deps.channels.close?.();
      await deps.db.close();
      releasePid();
      log.info(`stopped cleanly in ${Date.now() - started} ms`);
      console.log('stopped.');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'error while stopping');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
