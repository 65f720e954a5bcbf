/** `<module>-rollup [--rebuild]`: a module's daily rollup checked against its rows, and recounted on demand. */
import type { Db } from '../db/client.js';
import type { CliCommand } from '../http/module.js';
import { recordAudit } from '../platform/audit/audit.js';

export function rollupCommand(o: {
  command: string;
  rows: string;
  action: string;
  differences: (db: Db) => Promise<number>;
  rebuild: (db: Db) => Promise<unknown>;
}): CliCommand {
  return {
    summary: `[--rebuild]: check the daily figures against the ${o.rows}; --rebuild recounts them (after a bulk import with triggers off)`,
    async run({ deps, flags, out }) {
      const before = await o.differences(deps.db);
      if (!flags.rebuild) {
        out(
          before
            ? `${before} daily figure row(s) differ from the ${o.rows}: run npm run cli -- ${o.command} --rebuild`
            : `daily figures match the ${o.rows}`,
        );
        return before ? 1 : 0;
      }
      await o.rebuild(deps.db);
      await recordAudit(deps.db, {
        actorLabel: 'cli',
        action: o.action,
        entityType: o.action.replace(/\.rebuild$/, ''),
        entityId: 'daily',
        data: { differences: before },
      });
      out(`daily figures recounted from the ${o.rows} (${before} row(s) were different)`);
    },
  };
}
