import { existsSync } from 'node:fs';
import path from 'node:path';
import { absolutiseFiles } from './cli/args.js';
import { sendToServer } from './cli/client.js';
import { ConfigError, loadConfig } from './config.js';
import { liveOwner } from './platform/ops/pidfile.js';

/** File arguments are made absolute here, because a running server may have another working directory. */
function absolutise(argv: string[]): string[] {
  const looksLikeFile = (a: string) => a.includes('/') || existsSync(a) || /\.(csv|json|jsonl|gz|tsv|txt|xml|xlsx|sql|md)$/i.test(a);
  return absolutiseFiles(argv, (a) => (looksLikeFile(a) ? path.resolve(a) : a));
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
    // A running server owns the embedded database: hand it the command (light imports only so far).
    const remote = await sendToServer(config.cliSocket, argv, (s) => process.stdout.write(s));
    if (remote !== null) return remote;
    const owner = liveOwner(config.dataDir);
    if (owner) {
      console.error(`The server (pid ${owner}) holds the embedded database in ${config.dataDir} but its command socket ${config.cliSocket} does not answer.\nRestart the server (or stop it: kill ${owner}), then run this command again.`);
      return 75;
    }
  }
  // No server (or PostgreSQL, which any number of processes share): open the database here.
  const [{ boot }, { runCommand }, { createLogger }, { modules }] = await Promise.all([
    import('./bootstrap.js'),
    import('./cli/commands.js'),
    import('./log.js'),
    import('./modules/index.js'),
  ]);
  const log = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn'); // quieter than the server unless asked
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
