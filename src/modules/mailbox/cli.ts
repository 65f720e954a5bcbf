import type { CliCommand } from '../../http/module.js';
import { rollupCommand } from '../../cli/rollup-command.js';
import { recordAudit } from '../../platform/audit/audit.js';
import * as setup from './service/setup.js';
import * as setupRepo from './repo/setup.js';
import { rebuildRollup, rollupDifferences } from './repo/figures.js';
import * as repo from './repo.js';
import { createApiKey } from './service.js';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
const CLI: setup.SetupActor = null;

const flag = (field: string) => (field === '_form' ? 'error' : `--${field.replace('_', '-')}`);

/** A set-up change from the terminal: a refusal is printed a line per field and the command exits with 2. */
async function change(
  out: (line: string) => void,
  run: () => Promise<void>,
  flagOf: (field: string) => string = flag,
): Promise<number | undefined> {
  try {
    await run();
    return undefined;
  } catch (e) {
    if (!(e instanceof setup.SetupRefused)) throw e;
    // in English, for the operator's terminal
    for (const [field, message] of Object.entries(e.fieldMessages('en'))) out(`${flagOf(field)}: ${message}`);
    return 2;
  }
}

export const mailboxCli: Record<string, CliCommand> = {
  'mailbox-agency': {
    summary: '--code C --name N --unit UNIT_CODE [--name-en N] [--email E]… [--inactive]: create or update an agency',
    async run({ deps, flags, out }) {
      const code = str(flags.code);
      const existing = code ? await setupRepo.agencyByCode(deps.db, code) : undefined;
      const name = str(flags.name) ?? existing?.name;
      const unit = str(flags.unit) ?? existing?.unit_code;
      if (!code || !name || !unit) {
        out(
          'usage: npm run cli -- mailbox-agency --code C --name N --unit UNIT_CODE [--name-en N] [--email E]… [--inactive]',
        );
        return 2;
      }
      const emails = flags.email === undefined ? (existing?.emails ?? []).join('\n') : (str(flags.email) ?? '');
      return change(out, async () => {
        await setup.saveAgency(deps, CLI, null, {
          code,
          name,
          name_en: str(flags['name-en']) ?? existing?.name_en ?? '',
          unit,
          emails,
          active: flags.inactive !== true,
        });
        const a = (await setupRepo.agencyByCode(deps.db, code))!;
        out(
          `agency ${a.code} (id ${a.id}): ${a.name}, ${a.unit_name}${a.emails.length ? `, ${a.emails.join(', ')}` : ''}${a.active ? '' : ' (inactive)'}`,
        );
      });
    },
  },
  'mailbox-category': {
    summary:
      '--code C --name N --name-en N --days D [--inactive]: add or change a report category (handling time in working days)',
    async run({ deps, flags, out }) {
      const code = str(flags.code);
      const existing = code ? await repo.findCategoryByCode(deps.db, code) : undefined;
      const name = str(flags.name) ?? existing?.name;
      if (!code || !name) {
        out('usage: npm run cli -- mailbox-category --code C --name N [--name-en N] [--days 1..90] [--inactive]');
        return 2;
      }
      const qs = existing?.questions ?? [];
      return change(out, async () => {
        const id = await setup.saveCategory(deps, CLI, null, {
          code,
          name,
          name_en: str(flags['name-en']) ?? existing?.name_en ?? name,
          handling_days: str(flags.days) ?? String(existing?.handling_days ?? 10),
          questions: qs.map((q) => q.vi).join('\n'),
          questions_en: qs.map((q) => q.en).join('\n'),
          active: flags.inactive !== true,
        });
        const c = (await repo.findCategoryByCode(deps.db, code))!;
        out(`category ${code} (id ${id}): ${c.name}, ${c.handling_days} working days${c.active ? '' : ' (inactive)'}`);
      });
    },
  },
  'mailbox-route': {
    summary: '--unit CODE --agency CODE [--category CODE]: routing rule category × unit → agency',
    async run({ deps, flags, out }) {
      if (!str(flags.unit) || !str(flags.agency)) {
        out(
          'usage: npm run cli -- mailbox-route --unit UNIT_CODE --agency AGENCY_CODE [--category CATEGORY_CODE] (all must exist)',
        );
        return 2;
      }
      return change(out, async () => {
        await setup.saveRule(deps, CLI, {
          unit: str(flags.unit),
          agency: str(flags.agency),
          category: str(flags.category) ?? null,
        });
        const unit = (await repo.findUnitByCode(deps.db, str(flags.unit)!))!;
        out(
          `reports ${str(flags.category) ? `of ${str(flags.category)} ` : ''}in ${unit.full_name} go to ${str(flags.agency)}`,
        );
      });
    },
  },
  'create-api-key': {
    summary: '--name N: print a new Open311 API key (shown once)',
    async run({ deps, flags, out }) {
      const name = str(flags.name);
      if (!name) {
        out('usage: npm run cli -- create-api-key --name N');
        return 2;
      }
      out(await createApiKey(deps.db, name, 'cli'));
    },
  },
  'revoke-api-key': {
    summary: '--name N (or the key prefix): revoke Open311 API keys',
    async run({ deps, flags, out }) {
      const name = str(flags.name);
      if (!name) {
        out('usage: npm run cli -- revoke-api-key --name N');
        return 2;
      }
      const n = await repo.revokeApiKey(deps.db, name);
      if (n)
        await recordAudit(deps.db, {
          actorLabel: 'cli',
          action: 'mailbox.api-key.revoke',
          entityType: 'mailbox.api_key',
          entityId: name,
        });
      out(n ? `revoked ${n} key(s)` : `no active key named ${name}`);
      return n ? 0 : 1;
    },
  },
  'list-api-keys': {
    summary: 'list Open311 API keys',
    async run({ deps, out }) {
      for (const k of await repo.listApiKeys(deps.db))
        out(`${k.prefix}…  ${k.name}  ${k.revoked_at ? 'revoked' : 'active'}  created ${k.created_at.toISOString()}`);
    },
  },
  'mailbox-holiday': {
    summary:
      '--date YYYY-MM-DD --name N | --remove YYYY-MM-DD | --year YYYY (add the public holidays) | --list [--year YYYY]',
    async run({ deps, flags, out }) {
      const year = str(flags.year) ? Number(str(flags.year)) : undefined;
      if (flags.list === true) {
        const y = year ?? new Date().getUTCFullYear();
        for (const h of await setupRepo.holidaysOfYear(deps.db, y)) out(`${h.day}  ${h.name}`);
        return;
      }
      if (str(flags.remove)) {
        return change(out, async () => {
          await setup.removeHoliday(deps, CLI, str(flags.remove)!);
          out(`holiday ${str(flags.remove)} removed`);
        });
      }
      if (year !== undefined && !str(flags.date)) {
        return change(out, async () => {
          const added = await setup.loadYear(deps, CLI, year);
          out(`${added.length} holidays of ${year} added${added.length ? `: ${added.join(', ')}` : ''}`);
        });
      }
      const date = str(flags.date);
      const name = str(flags.name);
      if (!date || !name) {
        out(
          'usage: npm run cli -- mailbox-holiday --date YYYY-MM-DD --name N | --remove YYYY-MM-DD | --year YYYY | --list [--year YYYY]',
        );
        return 2;
      }
      return change(out, async () => {
        await setup.addHoliday(deps, CLI, date, name);
        out(`holiday ${date} (${name}) saved`);
      });
    },
  },
  'mailbox-settings': {
    summary: '[--reopen-days N] [--retention-days N]: show or change the mailbox settings',
    async run({ deps, flags, out }) {
      return change(
        out,
        async () => {
          await setup.saveSettings(deps.db, CLI, {
            reopenDays: str(flags['reopen-days']),
            retentionDays: str(flags['retention-days']),
          });
          const v = await setup.readSettings(deps.db);
          out(`reopen-days ${v.reopenDays}, retention-days ${v.retentionDays}`);
        },
        (f) => `--${f === 'reopenDays' ? 'reopen-days' : 'retention-days'}`,
      );
    },
  },
  'mailbox-rollup': rollupCommand({
    command: 'mailbox-rollup',
    rows: 'reports',
    action: 'mailbox.rollup.rebuild',
    differences: rollupDifferences,
    rebuild: rebuildRollup,
  }),
};
