import type { CliCommand } from '../../http/module.js';
import { rollupCommand } from '../../cli/rollup-command.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { rebuildRollup, rollupDifferences } from './figures-repo.js';
import * as repo from './repo.js';
import { createApiKey, forgetCachedConfig } from './service.js';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

export const mailboxCli: Record<string, CliCommand> = {
  'mailbox-category': {
    summary: '--code C --name N --name-en N --days D: add or change a report category (handling time in working days)',
    async run({ deps, flags, out }) {
      const code = str(flags.code);
      const name = str(flags.name);
      const days = Number(str(flags.days) ?? '10');
      if (!code || !/^[a-z0-9-]{2,40}$/.test(code) || !name || !Number.isInteger(days) || days < 1 || days > 90) {
        out('usage: npm run cli -- mailbox-category --code C --name N [--name-en N] [--days 1..90]');
        return 2;
      }
      const id = await repo.upsertCategory(deps.db, { code, name, nameEn: str(flags['name-en']) ?? name, handlingDays: days, description: str(flags.description) });
      repo.forgetPickerLists(deps.db);
      await recordAudit(deps.db, { actorLabel: 'cli', action: 'mailbox.category.save', entityType: 'mailbox.category', entityId: code, data: { name, days } });
      out(`category ${code} (id ${id}): ${name}, ${days} working days`);
    },
  },
  'mailbox-route': {
    summary: '--unit CODE --agency CODE [--category CODE]: routing rule category × unit → agency',
    async run({ deps, flags, out }) {
      const unit = str(flags.unit) ? await repo.findUnitByCode(deps.db, str(flags.unit)!) : undefined;
      const agency = str(flags.agency) ? await deps.db.one<{ id: number }>(`SELECT id FROM agencies WHERE code = $1 AND retired_at IS NULL`, [str(flags.agency)]) : undefined;
      const category = str(flags.category) ? await repo.findCategoryByCode(deps.db, str(flags.category)!) : null;
      if (!unit || !agency || category === undefined) {
        out('usage: npm run cli -- mailbox-route --unit UNIT_CODE --agency AGENCY_CODE [--category CATEGORY_CODE] (all must exist)');
        return 2;
      }
      await repo.upsertRoutingRule(deps.db, { categoryId: category?.id ?? null, unitId: unit.id, agencyId: agency.id });
      forgetCachedConfig(deps.db);
      await recordAudit(deps.db, { actorLabel: 'cli', action: 'mailbox.route.save', entityType: 'mailbox.route', entityId: `${category?.code ?? '*'}@${unit.code}`, data: { agency: str(flags.agency) } });
      out(`reports ${category ? `of ${category.code} ` : ''}in ${unit.full_name} go to ${str(flags.agency)}`);
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
      if (n) await recordAudit(deps.db, { actorLabel: 'cli', action: 'mailbox.api-key.revoke', entityType: 'mailbox.api_key', entityId: name });
      out(n ? `revoked ${n} key(s)` : `no active key named ${name}`);
      return n ? 0 : 1;
    },
  },
  'list-api-keys': {
    summary: 'list Open311 API keys',
    async run({ deps, out }) {
      for (const k of await repo.listApiKeys(deps.db)) out(`${k.prefix}…  ${k.name}  ${k.revoked_at ? 'revoked' : 'active'}  created ${k.created_at.toISOString()}`);
    },
  },
  'mailbox-holiday': {
    summary: '--date YYYY-MM-DD --name N: add a public holiday (deadlines skip it)',
    async run({ deps, flags, out }) {
      const date = str(flags.date);
      const name = str(flags.name);
      if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !name) {
        out('usage: npm run cli -- mailbox-holiday --date YYYY-MM-DD --name N');
        return 2;
      }
      await repo.addHoliday(deps.db, date, name);
      forgetCachedConfig(deps.db);
      await recordAudit(deps.db, { actorLabel: 'cli', action: 'mailbox.holiday.add', entityType: 'mailbox.holiday', entityId: date, data: { name } });
      out(`holiday ${date} (${name}) saved`);
    },
  },
  'mailbox-settings': {
    summary: '[--reopen-days N] [--retention-days N]: show or change the mailbox settings',
    async run({ deps, flags, out }) {
      for (const [flag, key] of [['reopen-days', 'mailbox.reopenDays'], ['retention-days', 'mailbox.retentionDays']] as const) {
        const v = str(flags[flag]);
        if (v === undefined) continue;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 3650) {
          out(`--${flag} must be a whole number of days between 1 and 3650`);
          return 2;
        }
        await repo.setSetting(deps.db, key, n);
        await recordAudit(deps.db, { actorLabel: 'cli', action: 'mailbox.settings', entityType: 'settings', entityId: key, data: { value: n } });
      }
      out(`reopen-days ${await repo.getSetting(deps.db, 'mailbox.reopenDays', 30)}, retention-days ${await repo.getSetting(deps.db, 'mailbox.retentionDays', 365)}`);
    },
  },
  'mailbox-rollup': rollupCommand({ command: 'mailbox-rollup', rows: 'reports', action: 'mailbox.rollup.rebuild', differences: rollupDifferences, rebuild: rebuildRollup }),
};
