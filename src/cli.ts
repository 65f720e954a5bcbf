import { existsSync } from 'node:fs';
import path from 'node:path';
import { absolutiseFiles } from './cli/args.js';
import { sendToServer } from './cli/client.js';
import { loadConfigOrReport } from './config.js';
import { liveOwner } from './platform/ops/pidfile.js';

/** File arguments are made absolute here, because a running server may have another working directory. */
function absolutise(argv: string[]): string[] {
  const looksLikeFile = (a: string) =>
    !/^https?:\/\//i.test(a) &&
    (a.includes('/') || existsSync(a) || /\.(csv|json|jsonl|gz|tsv|txt|xml|xlsx|sql|md)$/i.test(a));
  return absolutiseFiles(argv, (a) => (looksLikeFile(a) ? path.resolve(a) : a));
}

/** Where the CLI looked, without a password. */
function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `the PostgreSQL database ${u.pathname.slice(1) || '(default)'} on ${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return 'the PostgreSQL database of DATABASE_URL';
  }
}

async function main() {
  const all = process.argv.slice(2);
  // --init: a first set-up, or a restore into a new place; without it the CLI never creates a database.
  const init = all.includes('--init');
  const argv = absolutise(all.filter((a) => a !== '--init'));
  const config = loadConfigOrReport();
  if (!config) return 78;
  if (!config.DATABASE_URL) {
    // A running server owns the embedded database: hand it the command (light imports only so far).
    const remote = await sendToServer(config.cliSocket, argv, (s) => process.stdout.write(s));
    if (remote !== null) return remote;
    const owner = liveOwner(config.dataDir);
    if (owner) {
      console.error(
        `The server (pid ${owner}) holds the embedded database in ${config.dataDir} but its command socket ${config.cliSocket} does not answer.\nRestart the server (or stop it: kill ${owner}), then run this command again.`,
      );
      return 75;
    }
  }
  // No server (or PostgreSQL, which any number of processes share): open the database here.
  const [{ boot }, { runCommand, allCommands }, { createLogger }, { modules }, { openDb }] = await Promise.all([
    import('./bootstrap.js'),
    import('./cli/commands.js'),
    import('./log.js'),
    import('./modules/index.js'),
    import('./db/client.js'),
  ]);
  const name = argv[0];
  // The list of commands (no command, or an unknown one) needs no database.
  if (!name || !allCommands(modules)[name]) return runCommand({} as never, modules, argv, (line) => console.log(line));
  const pgliteDir = path.join(config.dataDir, 'pg');
  if (!init && !config.DATABASE_URL && !existsSync(path.join(pgliteDir, 'PG_VERSION'))) {
    console.error(
      noDatabase(`no server is running for ${config.dataDir} and there is no database in ${pgliteDir}`, name),
    );
    return 66;
  }
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  if (!init && config.DATABASE_URL) {
    const r = await db.one<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
    if (!r?.t) {
      await db.close();
      console.error(noDatabase(`${describeDatabase(config.DATABASE_URL)} holds no Cầu Nối tables`, name));
      return 66;
    }
  }
  const log = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn'); // quieter than the server unless asked
  const deps = await boot({ config, log, modules, db });
  try {
    return await runCommand(deps, modules, argv, (line) => console.log(line));
  } finally {
    await deps.db.close();
  }
}

function noDatabase(what: string, command: string): string {
  return [
    `Stopped: ${what}.`,
    'Run the command with the same DATA_DIR (or DATABASE_URL) as the server, e.g. DATA_DIR=/srv/caunoi/data npm run cli -- ' +
      command +
      ' …',
    `For a first set-up, or to restore a backup into a new place, add --init: npm run cli -- ${command} … --init`,
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
