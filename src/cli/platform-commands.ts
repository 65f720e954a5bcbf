import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliCommand } from '../http/module.js';
import { formatImportReport, importUnits, parseUnitsFile, UnitsFileError } from '../platform/units/import.js';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

/** import-units, backup and restore: filled in by the units and operations work. */
export const platformExtraCommands: Record<string, CliCommand> = {
  'import-units': {
    summary: 'FILE [--root CODE] [--dry-run]: load administrative units (reference JSON or CSV code,name,type,parent_code)',
    async run({ deps, args, flags, out }) {
      const file = args[0];
      if (!file) {
        out('usage: npm run cli -- import-units FILE [--root CODE] [--dry-run]');
        out('  FILE: the reference JSON (../shared/data/vn-admin-2025/…/full_json_generated_data_vn_units*.json)');
        out('        or a CSV with the header code,name,type,parent_code[,name_en,full_name] (docs/operations.md)');
        return 2;
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        out(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        return 1;
      }
      try {
        const records = parseUnitsFile(text, file);
        const started = Date.now();
        const report = await importUnits(deps.db, records, { root: str(flags.root), dryRun: flags['dry-run'] === true, actor: 'cli', source: path.basename(file) });
        out(`${formatImportReport(report)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        return 0;
      } catch (err) {
        if (err instanceof UnitsFileError) {
          out(`${file}: ${err.message}`);
          out('nothing was imported.');
          return 1;
        }
        throw err;
      }
    },
  },
};
