/** Command-line contracts: exchange-add, exchange-list, exchange-remove, exchange-pull. */
import type { CliCommand } from '../../http/module.js';
import { exchangeText, type ExchangeKey } from './i18n.js';
import * as repo from './repo.js';
import * as svc from './service/index.js';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : '');
const en = (k: ExchangeKey) => exchangeText.en[k];

function explain(e: unknown, out: (l: string) => void): number {
  if (!(e instanceof svc.ExchangeError)) throw e;
  for (const k of Object.values(e.fields)) out(en(k));
  if (e.detail) out(e.detail);
  return 1;
}

export const exchangeCli: Record<string, CliCommand> = {
  'exchange-add': {
    summary:
      "--url URL [--pin FINGERPRINT]: show a partner installation's key fingerprint (exit 2), or add it with that fingerprint pinned",
    async run({ deps, flags, out }) {
      const url = str(flags.url);
      if (!url) {
        out('usage: npm run cli -- exchange-add --url URL [--pin FINGERPRINT]');
        return 2;
      }
      const pin = typeof flags.pin === 'string' ? flags.pin : null;
      try {
        const r = await svc.addPartner(deps.db, svc.outboundFor(deps.config), null, url, pin);
        if (r.status === 'needsPin') {
          out(
            `partner: ${r.inspected.base}${r.inspected.name ? ` (${r.inspected.name})` : ''}, key ${r.inspected.keyId}`,
          );
          out(
            "compare this fingerprint with the one the partner's administrator gives you, then run again with --pin FINGERPRINT",
          );
          out(r.inspected.fingerprint);
          return 2;
        }
        out(
          `${r.status === 'added' ? 'added' : r.status === 'repinned' ? 're-pinned' : 'already pinned'}: ${r.inspected.base}${r.inspected.name ? ` (${r.inspected.name})` : ''} ${r.inspected.fingerprint}`,
        );
        return 0;
      } catch (e) {
        return explain(e, out);
      }
    },
  },
  'exchange-list': {
    summary: 'list partners and unsigned sources with their state',
    async run({ deps, out }) {
      const rows = await repo.listSources(deps.db);
      if (!rows.length) out('no sources');
      for (const s of rows) {
        const state =
          s.status === 'paused'
            ? `paused: ${en(`problem.${s.problem}` as ExchangeKey)}`
            : s.problem
              ? `retrying: ${en(`problem.${s.problem}` as ExchangeKey)}`
              : 'ok';
        out([s.url, s.kind, s.name || '-', `${s.items} items`, s.fingerprint ?? 'unsigned', state].join('\t'));
      }
    },
  },
  'exchange-remove': {
    summary: '--url URL: remove a partner or source with everything pulled from it',
    async run({ deps, flags, out }) {
      const url = str(flags.url);
      if (!url) {
        out('usage: npm run cli -- exchange-remove --url URL');
        return 2;
      }
      try {
        const s = await svc.removeByUrl(deps.db, null, url);
        out(`removed ${s.url} (${s.items} items)`);
        return 0;
      } catch (e) {
        return explain(e, out);
      }
    },
  },
  'exchange-pull': {
    summary: 'pull every partner and source now (exit 0 when all succeeded)',
    async run({ deps, out }) {
      const env = { db: deps.db, outbound: svc.outboundFor(deps.config) };
      let failed = 0;
      for (const s of await repo.listSources(deps.db)) {
        if (s.status === 'paused') {
          failed++;
          out(
            `PAUSED ${s.url}: ${en(`problem.${s.problem}` as ExchangeKey)}${s.problem_detail ? ` (${s.problem_detail})` : ''}`,
          );
          continue;
        }
        const r = await svc.pullSource(env, s.id);
        if (r.ok) out(`ok ${s.url}: ${r.updated} updated, ${r.removed} withdrawn`);
        else {
          failed++;
          out(`FAILED ${s.url}: ${en(`problem.${r.problem}` as ExchangeKey)} (${r.detail})`);
        }
      }
      return failed ? 1 : 0;
    },
  },
};
