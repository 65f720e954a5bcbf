import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliCommand } from '../http/module.js';
import { BackupError, backupDatabase, restoreDatabase, verifyBackup } from '../platform/ops/backup.js';
import {
  BackupKeyError,
  describeEncryption,
  readIdentityFile,
  readPassphraseFile,
  type BackupKeys,
  type EncryptTo,
} from '../platform/ops/backup-crypto.js';
import { anchorAudit, BrokenChainError } from '../platform/audit/anchors.js';
import { describeBrokenAnchor, verifyAudit } from '../platform/audit/audit.js';
import { enqueue, jobCounts } from '../platform/jobs/queue.js';
import {
  formatImportReport,
  importUnitMapping,
  importUnits,
  parseUnitsFile,
  UnitsFileError,
} from '../platform/units/import.js';
import { installationRoot, setInstallationRoot } from '../platform/units/picker.js';
import { recordAudit } from '../platform/audit/audit.js';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(0)} KiB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** import-units, backup and restore: filled in by the units and operations work. */

/** A damaged, altered or unreadable archive is reported as "FILE: what is wrong" with exit code 1, not a crash. */
async function readingBackup(file: string, out: (line: string) => void, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof BackupError || err instanceof BackupKeyError) {
      out(`${file}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

/** --passphrase-file F / --identity F: the keys that open an encrypted backup. */
async function readKeys(flags: Record<string, string | boolean>): Promise<BackupKeys> {
  const keys: BackupKeys = {};
  if (typeof flags['passphrase-file'] === 'string')
    keys.passphrase = await readPassphraseFile(flags['passphrase-file']);
  if (typeof flags.identity === 'string') keys.identities = await readIdentityFile(flags.identity);
  return keys;
}

/** --passphrase-file F or --recipient age1…[,age1…]: how to encrypt a new backup (none: plain). */
async function readEncryptTo(flags: Record<string, string | boolean>): Promise<EncryptTo | undefined> {
  const recipients =
    typeof flags.recipient === 'string'
      ? flags.recipient
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean)
      : [];
  if (flags.recipient === true) throw new BackupKeyError('--recipient needs an age public key (age1…)');
  if (flags['passphrase-file'] === true) throw new BackupKeyError('--passphrase-file needs a file name');
  const passphrase =
    typeof flags['passphrase-file'] === 'string' ? await readPassphraseFile(flags['passphrase-file']) : undefined;
  if (passphrase === undefined && recipients.length === 0) return undefined;
  return { passphrase, recipients };
}

export const platformExtraCommands: Record<string, CliCommand> = {
  'import-units': {
    summary:
      'FILE [--root CODE] [--dry-run] [--mapping MERGES.json]: load administrative units (reference JSON or CSV code,name,type,parent_code)',
    async run({ deps, args, flags, out }) {
      const file = args[0];
      const mapping = str(flags.mapping);
      if (!file && !mapping) {
        out('usage: npm run cli -- import-units FILE [--root CODE] [--dry-run] [--mapping MERGES.json]');
        out('  FILE: the reference JSON (../shared/data/vn-admin-2025/…/full_json_generated_data_vn_units*.json)');
        out('        or a CSV with the header code,name,type,parent_code[,name_en,full_name] (docs/operations.md)');
        out('  --mapping: old → new codes (../shared/data/vn-admin-2025/dvhcvn-20250701/merges.json), kept as aliases');
        return 2;
      }
      const read = async (f: string) => {
        try {
          return await readFile(f, 'utf8');
        } catch (err) {
          out(`cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
          return null;
        }
      };
      try {
        if (file) {
          const text = await read(file);
          if (text === null) return 1;
          const records = parseUnitsFile(text, file);
          const started = Date.now();
          const report = await importUnits(deps.db, records, {
            root: str(flags.root),
            dryRun: flags['dry-run'] === true,
            actor: 'cli',
            source: path.basename(file),
          });
          out(`${formatImportReport(report)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        }
        if (mapping && flags['dry-run'] !== true) {
          const text = await read(mapping);
          if (text === null) return 1;
          let data: unknown;
          try {
            data = JSON.parse(text);
          } catch {
            out(`${mapping}: not valid JSON`);
            return 1;
          }
          const m = await importUnitMapping(deps.db, data, { source: path.basename(mapping), actor: 'cli' });
          out(
            `mapping: ${m.aliases} old codes kept as aliases (${m.full} full, ${m.partial} partial, ${m.matchedByName} new codes matched by name)${m.unknown.length ? `; ${m.unknown.length} new codes not found: ${m.unknown.slice(0, 10).join(', ')}${m.unknown.length > 10 ? ' …' : ''}` : ''}`,
          );
        }
        return 0;
      } catch (err) {
        if (err instanceof UnitsFileError) {
          out(`${file ?? mapping}: ${err.message}`);
          out('nothing was imported.');
          return 1;
        }
        throw err;
      }
    },
  },
  backup: {
    summary:
      '[FILE] [--passphrase-file F | --recipient age1…]: write a portable backup of every table and every uploaded file, with checksums, readable by its owner only, encrypted (age) when asked (default DATA_DIR/backups/…)',
    async run({ deps, args, flags, out }) {
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      let encrypt: EncryptTo | undefined;
      try {
        encrypt = await readEncryptTo(flags);
      } catch (err) {
        if (!(err instanceof BackupKeyError)) throw err;
        out(err.message);
        return 2;
      }
      const file =
        args[0] ?? path.join(deps.config.dataDir, 'backups', `caunoi-${stamp}.jsonl.gz${encrypt ? '.age' : ''}`);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const started = Date.now();
      let r;
      try {
        r = await backupDatabase(deps.db, file, { blobs: deps.blobs, encrypt });
      } catch (err) {
        if (!(err instanceof BackupKeyError)) throw err;
        out(err.message);
        return 2;
      }
      out(
        `backup written to ${r.file}: ${r.tables} tables, ${r.rows} rows, ${r.files} files (${size(r.fileBytes)}), ${size(r.bytes)} in all, ${describeEncryption(r.encryption)}, readable by its owner only (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      if (!r.encryption.encrypted)
        out(
          'note: it holds password hashes, signing keys and personal data unencrypted: keep it safe, or use --passphrase-file F or --recipient age1… (docs/operations.md)',
        );
      for (const k of r.missingFiles.slice(0, 20))
        out(`warning: file ${k} is listed in the database but missing from the file store; not in the backup`);
      if (r.missingFiles.length > 20) out(`warning: … and ${r.missingFiles.length - 20} more missing files`);
    },
  },
  'root-unit': {
    summary: "[CODE]: show or set the installation's root unit (what every unit picker offers: its subtree)",
    async run({ deps, args, out }) {
      const code = args[0];
      if (code) {
        const unit = await deps.db.one<{ full_name: string; retired_at: Date | null }>(
          `SELECT full_name, retired_at FROM units WHERE code = $1`,
          [code],
        );
        if (!unit || unit.retired_at) {
          out(`no active unit with code ${code} (import-units first)`);
          return 1;
        }
        await deps.db.tx(async (tx) => {
          const before = await installationRoot(tx);
          await setInstallationRoot(tx, code);
          await recordAudit(tx, {
            actorLabel: 'cli',
            action: 'units.root',
            entityType: 'units',
            data: { old: before?.code ?? null, new: code },
          });
        });
      }
      const root = await installationRoot(deps.db);
      if (!root) {
        out('no units yet (import-units FILE)');
        return 1;
      }
      const named = await deps.db.one<{ full_name: string }>(`SELECT full_name FROM units WHERE id = $1`, [root.id]);
      out(`root unit: ${root.code} ${named?.full_name ?? ''}`);
      return 0;
    },
  },
  'verify-backup': {
    summary:
      'FILE [--passphrase-file F | --identity F]: check a backup against its manifest (every table and file checksum) without restoring it; says whether it is encrypted',
    async run({ args, flags, out }) {
      const file = args[0];
      if (!file) {
        out('usage: npm run cli -- verify-backup FILE [--passphrase-file F | --identity F]');
        return 2;
      }
      return readingBackup(file, out, async () => {
        const r = await verifyBackup(file, { keys: await readKeys(flags) });
        if (!r.checksums)
          out(
            `${file}: a version 1 backup (${r.rows} rows in ${r.tables} tables, complete) without checksums or files, ${describeEncryption(r.encryption)}`,
          );
        else
          out(
            `backup intact: ${r.rows} rows in ${r.tables} tables, ${r.files} files (${size(r.fileBytes)}), made ${r.header.createdAt} on ${r.header.source}, ${describeEncryption(r.encryption)}`,
          );
        return 0;
      });
    },
  },
  restore: {
    summary:
      "FILE [--yes] [--passphrase-file F | --identity F]: replace every row with the backup's (one transaction; --yes when the database has data)",
    async run({ deps, args, flags, out }) {
      const file = args[0];
      if (!file) {
        out('usage: npm run cli -- restore FILE [--yes] [--passphrase-file F | --identity F]');
        return 2;
      }
      const has = await deps.db.one<{ users: number; units: number }>(
        `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM units)::int AS units`,
      );
      if ((has!.users > 0 || has!.units > 0) && flags.yes !== true) {
        out(
          `this database already holds ${has!.users} accounts and ${has!.units} units; restore replaces ALL of its data.`,
        );
        out(`run again with --yes to go ahead: npm run cli -- restore ${file} --yes`);
        return 1;
      }
      const started = Date.now();
      return readingBackup(file, out, async () => {
        const r = await restoreDatabase(deps.db, file, { blobs: deps.blobs, keys: await readKeys(flags) });
        for (const w of r.warnings) out(`warning: ${w}`);
        out(
          `restored ${r.rows} rows into ${r.tables} tables from a ${r.header.source} backup of ${r.header.createdAt} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
        if (r.header.version >= 2)
          out(`restored ${r.files} uploaded files (${size(r.fileBytes)}), every checksum verified`);
        if (r.removedFiles) out(`removed ${r.removedFiles} uploaded files that belonged only to the replaced data`);
        const audit = await verifyAudit(deps.db);
        out(
          audit.ok
            ? `audit log intact: ${audit.entries} entries`
            : `warning: audit log chain broken at entry ${audit.brokenAt}: ${audit.reason}`,
        );
        if (audit.brokenAnchor) out(`warning: ${describeBrokenAnchor(audit.brokenAnchor)}`);
        out('restart the server (every process, on PostgreSQL) so that cached settings are read again.');
        return 0;
      });
    },
  },
  'anchor-audit': {
    summary:
      "record the audit log's head (last id and hash) in audit_anchors now, and e-mail it to AUDIT_ANCHOR_EMAIL (also daily)",
    async run({ deps, out }) {
      const email = deps.config.AUDIT_ANCHOR_EMAIL;
      try {
        const r = await anchorAudit(deps.db, {
          email,
          site: deps.config.baseUrl,
          org: deps.config.ORG_NAME,
          signer: deps.anchorSigner,
        });
        if (r.status === 'empty') out('the audit log is empty: nothing to anchor');
        else if (r.status === 'unchanged')
          out(`no new entries since anchor #${r.anchor.id} (entry ${r.anchor.last_id}): nothing recorded`);
        else
          out(
            `anchor #${r.anchor.id}: entry ${r.anchor.last_id}, hash ${r.anchor.hash}${email ? ` (e-mail to ${email} queued)` : ' (AUDIT_ANCHOR_EMAIL is not set: kept in the database only)'}`,
          );
        return 0;
      } catch (err) {
        if (err instanceof BrokenChainError) {
          out(err.message);
          return 1;
        }
        throw err;
      }
    },
  },
  'enqueue-job': {
    summary: 'TYPE [--payload JSON]: queue a job now (e.g. ops.delay --payload \'{"ms":1000}\')',
    async run({ deps, args, flags, out }) {
      const type = args[0];
      if (!type) {
        out(`usage: npm run cli -- enqueue-job TYPE [--payload JSON]`);
        return 2;
      }
      let payload: Record<string, unknown> = {};
      if (typeof flags.payload === 'string') {
        try {
          payload = JSON.parse(flags.payload);
        } catch {
          out('--payload must be a JSON object');
          return 2;
        }
      }
      const id = await enqueue(deps.db, type, payload);
      out(`queued job ${id} (${type})`);
    },
  },
  jobs: {
    summary: '[ID]: job counts by status, or one job',
    async run({ deps, args, out }) {
      if (args[0]) {
        const j = await deps.db.one<{
          id: number;
          type: string;
          status: string;
          attempts: number;
          last_error: string | null;
        }>(`SELECT id, type, status, attempts, last_error FROM jobs WHERE id = $1`, [Number(args[0]) || 0]);
        if (!j) {
          out(`no job ${args[0]}`);
          return 1;
        }
        out(
          `job ${j.id} ${j.type}: ${j.status} after ${j.attempts} attempt(s)${j.last_error ? ` (last error: ${j.last_error})` : ''}`,
        );
        return 0;
      }
      const c = await jobCounts(deps.db);
      out(
        Object.entries(c)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      );
    },
  },
};
