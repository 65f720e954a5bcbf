import { seedDemoIfEmpty } from '../bootstrap.js';
import { migrate } from '../db/migrate.js';
import type { Deps } from '../http/context.js';
import type { AppModule, CliCommand, CliContext } from '../http/module.js';
import { describeBrokenAnchor, verifyAudit, type ExternalAnchor } from '../platform/audit/audit.js';
import { AnchorFeedError, checkAnchorFeed, loadAnchorFeed } from '../platform/audit/published.js';
import { grantRole } from '../platform/auth/repo.js';
import { createToken, createUser, MIN_PASSWORD, tokenScopeChoices } from '../platform/auth/service.js';
import { findUserByEmail } from '../platform/auth/repo.js';
import { Worker } from '../platform/jobs/queue.js';
import { parseArgs } from './args.js';
import { platformExtraCommands } from './platform-commands.js';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

const platformCommands: Record<string, CliCommand> = {
  'create-admin': {
    summary: '--email E --password P [--name N]: create an admin on the top unit',
    async run({ deps, flags, out }) {
      const email = str(flags.email);
      const password = str(flags.password);
      if (!email || !password) {
        out('usage: npm run cli -- create-admin --email E --password P [--name N]');
        return 2;
      }
      if (password.length < MIN_PASSWORD) {
        out(`the password needs at least ${MIN_PASSWORD} characters`);
        return 2;
      }
      if (await findUserByEmail(deps.db, email)) {
        out(`an account with ${email} already exists`);
        return 1;
      }
      const root = await deps.db.one<{ id: number }>(
        `SELECT id FROM units WHERE parent_id IS NULL AND retired_at IS NULL ORDER BY id LIMIT 1`,
      );
      if (!root) {
        out('no administrative unit exists yet: run `npm run cli -- import-units FILE` first');
        return 1;
      }
      const id = await createUser(deps.db, { email, name: str(flags.name) ?? email, password }, 'cli');
      await grantRole(deps.db, id, 'admin', root.id);
      out(`created admin ${email} (user ${id})`);
    },
  },
  'create-token': {
    summary:
      '--email E --name N [--scope read,ACTION,…] [--expires 90d|YYYY-MM-DD|never]: print a new bearer token for /api/ and /open311/ (default: read, 90 days)',
    async run({ deps, flags, out }) {
      const email = str(flags.email);
      const name = str(flags.name);
      if (!email || !name) {
        out(
          'usage: npm run cli -- create-token --email E --name N [--scope read,ACTION,…] [--expires 90d|YYYY-MM-DD|never]',
        );
        return 2;
      }
      const scopes = (str(flags.scope) ?? 'read')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      const unknown = scopes.filter((x) => !tokenScopeChoices().includes(x));
      if (unknown.length) {
        out(`unknown scope ${unknown.join(', ')}; choose from: ${tokenScopeChoices().join(', ')}`);
        return 2;
      }
      const expires = str(flags.expires) ?? '90d';
      const days = /^(\d{1,4})d?$/.exec(expires)?.[1];
      const expiresAt =
        expires === 'never'
          ? null
          : days
            ? new Date(Date.now() + Number(days) * 86400_000)
            : /^\d{4}-\d{2}-\d{2}$/.test(expires)
              ? new Date(`${expires}T23:59:59+07:00`)
              : undefined;
      if (
        expiresAt === undefined ||
        (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()))
      ) {
        out('--expires takes a number of days (90d), a future date (2027-12-31) or never');
        return 2;
      }
      const user = await findUserByEmail(deps.db, email);
      if (!user) {
        out(`no account with ${email}`);
        return 1;
      }
      out(await createToken(deps.db, user.id, name, 'cli', null, { scopes, expiresAt }));
    },
  },
  'verify-audit': {
    summary:
      '[--anchors FILE|URL]: check the hash chain of the audit log and every recorded anchor, and those of a published copy (/audit/anchors.json) kept elsewhere',
    async run({ deps, flags, out }) {
      let external: ExternalAnchor[] | undefined;
      if (flags.anchors !== undefined) {
        if (typeof flags.anchors !== 'string') {
          out('usage: npm run cli -- verify-audit --anchors FILE|URL (a copy of /audit/anchors.json)');
          return 2;
        }
        try {
          const checked = checkAnchorFeed(await loadAnchorFeed(flags.anchors));
          for (const b of checked.badSignatures) out(`published copy: ${b}`);
          out(
            `published copy: ${checked.anchors.length} anchors (${checked.signed} with a valid signature, ${checked.unsigned} unsigned)`,
          );
          if (checked.badSignatures.length) {
            out('the published copy does not verify: it was altered, or signed by a key it does not list');
            return 1;
          }
          external = checked.anchors;
        } catch (err) {
          if (!(err instanceof AnchorFeedError)) throw err;
          out(err.message);
          return 1;
        }
      }
      const r = await verifyAudit(deps.db, undefined, { external });
      if (r.ok) out(`audit log intact: ${r.entries} entries`);
      else out(`audit log BROKEN at entry ${r.brokenAt}: ${r.reason} (${r.entries} entries verified before it)`);
      if (r.brokenAnchor) out(describeBrokenAnchor(r.brokenAnchor));
      else if (r.ok && r.anchors) out(`${r.anchors} anchors match the log`);
      return r.ok ? 0 : 1;
    },
  },
  'run-jobs': {
    summary: 'run every due job now and exit',
    async run({ deps, out }) {
      out(`ran ${await new Worker(deps.db, deps.jobs).drain()} jobs`);
    },
  },
};

export function allCommands(modules: readonly AppModule[]): Record<string, CliCommand> {
  const all: Record<string, CliCommand> = { ...platformCommands, ...platformExtraCommands };
  all.migrate = {
    summary: 'apply pending database migrations',
    async run({ deps, out }) {
      const applied = await migrate(
        deps.db,
        modules.map((m) => m.name),
      );
      out(applied.length ? applied.join('\n') : 'database is up to date');
    },
  };
  all['seed-demo'] = {
    summary: 'load the demo data into an empty database',
    async run({ deps, out }) {
      out(
        (await seedDemoIfEmpty(deps, modules))
          ? 'demo data loaded'
          : 'the database already has accounts; demo data not loaded',
      );
    },
  };
  for (const m of modules) Object.assign(all, m.cli ?? {});
  return all;
}

export async function runCommand(
  deps: Deps,
  modules: readonly AppModule[],
  argv: string[],
  out: (line: string) => void,
): Promise<number> {
  const [name, ...rest] = argv;
  const commands = allCommands(modules);
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    out(name ? `unknown command: ${name}` : 'usage: npm run cli -- COMMAND [options]');
    out('commands:');
    for (const [n, c] of Object.entries(commands).sort()) out(`  ${n.padEnd(20)} ${c.summary}`);
    return name ? 2 : 0;
  }
  const { args, flags } = parseArgs(rest);
  const ctx: CliContext = { deps, args, flags, out };
  return (await cmd.run(ctx)) ?? 0;
}
