import path from 'node:path';
import { boot } from './bootstrap.js';
import { absolutiseFiles } from './cli/args.js';
import { runCommand } from './cli/commands.js';
import { sendToServer } from './cli/socket.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { modules } from './modules/index.js';
import { liveOwner } from './platform/ops/pidfile.js';

/** File arguments are made absolute here, because a running server may have another working directory. */
function absolutise(argv: string[]): string[] {
  return absolutiseFiles(argv, (a) => (a.includes('/') || a.includes('.') ? path.resolve(a) : a));
}

async function main() {
  const argv = absolutise(process.argv.slice(2));
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    throw err;
  }
  if (!config.DATABASE_URL) {
    const remote = await sendToServer(config.cliSocket, argv, (s) => process.stdout.write(s));
    if (remote !== null) return remote;
    const owner = liveOwner(config.dataDir);
    if (owner) {
      console.error(`The server (pid ${owner}) holds the embedded database in ${config.dataDir} but its command socket ${config.cliSocket} does not answer.\nRestart the server (or stop it: kill ${owner}), then run this command again.`);
      return 75;
    }
  }
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const deps = await boot({ config, log, modules });
  try {
    return await runCommand(deps, modules, argv, (line) => console.log(line));
  } finally {
    await deps.db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
