import type { Db } from '../../db/client.js';
import { recordAudit } from '../audit/audit.js';

/**
 * Loading the administrative tree from a file: the reference JSON lists in ../shared/data
 * (thanglequoc/vietnamese-provinces-database) or a CSV of `code,name,type,parent_code` (any depth).
 * Re-importing is idempotent; units missing from the new file are retired, never deleted.
 */
export interface UnitRecord {
  code: string;
  name: string;
  fullName: string;
  nameEn: string | null;
  type: string;
  parentCode: string | null;
  /** Where the record came from, for error messages ("line 12"). */
  at?: string;
}

export class UnitsFileError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} problems in the units file:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
    );
  }
}

const nfc = (s: unknown) =>
  typeof s === 'string' ? s.normalize('NFC').trim() : s == null ? '' : String(s).normalize('NFC').trim();
const orNull = (s: string) => (s === '' ? null : s);

/** AdministrativeUnitId in the reference lists → our unit type. */
const REFERENCE_TYPES: Record<number, string> = {
  1: 'municipality',
  2: 'province',
  3: 'ward',
  4: 'commune',
  5: 'special_zone',
};

interface ReferenceUnit {
  Code: string;
  Name: string;
  FullName?: string;
  FullNameEn?: string;
  NameEn?: string;
  Type?: string;
  AdministrativeUnitId?: number;
  ProvinceCode?: string;
  Wards?: ReferenceUnit[];
  [k: string]: unknown;
}

function referenceRecord(u: ReferenceUnit, parentCode: string | null, at: string): UnitRecord {
  const type = REFERENCE_TYPES[Number(u.AdministrativeUnitId)] ?? nfc(u.Type) ?? (parentCode ? 'commune' : 'province');
  return {
    code: nfc(u.Code),
    name: nfc(u.Name),
    fullName: nfc(u.FullName) || nfc(u.Name),
    nameEn: orNull(nfc(u.FullNameEn) || nfc(u.NameEn)),
    type,
    parentCode,
    at,
  };
}

/** The thanglequoc reference JSON (provinces with `Wards`), or a JSON array of CSV-shaped objects. */
export function parseUnitsJson(data: unknown): UnitRecord[] {
  if (!Array.isArray(data)) throw new UnitsFileError(['a JSON units file must be an array']);
  const out: UnitRecord[] = [];
  data.forEach((item, i) => {
    if (item && typeof item === 'object' && 'Code' in item) {
      const p = item as ReferenceUnit;
      out.push(referenceRecord(p, null, `item ${i + 1}`));
      (p.Wards ?? []).forEach((w, j) => out.push(referenceRecord(w, nfc(p.Code), `item ${i + 1}, ward ${j + 1}`)));
    } else if (item && typeof item === 'object' && 'code' in item) {
      out.push(csvShaped(item as Record<string, unknown>, `item ${i + 1}`));
    } else throw new UnitsFileError([`item ${i + 1}: expected an object with "Code" (reference list) or "code"`]);
  });
  return out;
}

function csvShaped(r: Record<string, unknown>, at: string): UnitRecord {
  const name = nfc(r.name);
  return {
    code: nfc(r.code),
    name,
    fullName: nfc(r.full_name) || name,
    nameEn: orNull(nfc(r.name_en)),
    type: nfc(r.type),
    parentCode: orNull(nfc(r.parent_code)),
    at,
  };
}

/** RFC 4180 CSV (quoted fields, "" inside quotes, CRLF or LF, optional BOM) → rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}

export const CSV_REQUIRED = ['code', 'name', 'type', 'parent_code'] as const;
export const CSV_OPTIONAL = ['name_en', 'full_name'] as const;

/** `code,name,type,parent_code[,name_en][,full_name]` with a header row; columns in any order, others ignored. */
export function parseUnitsCsv(text: string): UnitRecord[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new UnitsFileError(['the CSV file is empty']);
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const missing = CSV_REQUIRED.filter((c) => !header.includes(c));
  if (missing.length)
    throw new UnitsFileError([
      `line 1: the header needs the columns ${CSV_REQUIRED.join(', ')} (missing: ${missing.join(', ')})`,
    ]);
  return rows.slice(1).map((cells, i) => {
    const obj: Record<string, string> = {};
    header.forEach((h, k) => (obj[h] = cells[k] ?? ''));
    return csvShaped(obj, `line ${i + 2}`);
  });
}

/** Picks the parser from the file name or, failing that, the first character. */
export function parseUnitsFile(text: string, fileName = ''): UnitRecord[] {
  const body = text.replace(/^\uFEFF/, '');
  if (/\.json$/i.test(fileName) || (!/\.csv$/i.test(fileName) && /^\s*[[{]/.test(body))) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (err) {
      throw new UnitsFileError([`not valid JSON: ${(err as Error).message}`]);
    }
    return parseUnitsJson(data);
  }
  return parseUnitsCsv(body);
}

export interface ImportOptions {
  /** Import only this unit's subtree from the file, and retire only inside it. */
  root?: string;
  /** Compute the report without writing anything. */
  dryRun?: boolean;
  /** Who ran it (audit log). */
  actor?: string;
  /** Shown in the audit entry. */
  source?: string;
}

export interface ImportReport {
  /** Units in the file (after --root). */
  total: number;
  added: number;
  /** Changed name, full name, English name, type or parent (includes un-retired). */
  updated: number;
  /** Of the updated: retired units that reappeared. */
  unretired: number;
  retired: number;
  unchanged: number;
  dryRun: boolean;
}

interface Existing {
  id: number;
  code: string;
  name: string;
  full_name: string;
  name_en: string | null;
  type: string;
  parent_id: number | null;
  path: string;
  depth: number;
  retired: boolean;
}

function validate(records: UnitRecord[]): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const r of records) {
    const at = r.at ?? r.code;
    if (!r.code) problems.push(`${at}: code is empty`);
    else if (seen.has(r.code)) problems.push(`${at}: code ${r.code} appears twice (also ${seen.get(r.code)})`);
    else seen.set(r.code, at);
    if (!r.name) problems.push(`${at}: name is empty`);
    if (!r.type) problems.push(`${at}: type is empty`);
    if (r.parentCode === r.code && r.code) problems.push(`${at}: unit ${r.code} is its own parent`);
  }
  if (problems.length) throw new UnitsFileError(problems);
}

/** Only `root` and what lies below it in the file. */
function subtreeOf(records: UnitRecord[], root: string): UnitRecord[] {
  const children = new Map<string, UnitRecord[]>();
  for (const r of records)
    if (r.parentCode) (children.get(r.parentCode) ?? children.set(r.parentCode, []).get(r.parentCode)!).push(r);
  const top = records.find((r) => r.code === root);
  if (!top) throw new UnitsFileError([`--root ${root}: no unit with that code in the file`]);
  const out: UnitRecord[] = [];
  const stack = [top];
  while (stack.length) {
    const r = stack.pop()!;
    out.push(r);
    stack.push(...(children.get(r.code) ?? []));
  }
  return out;
}

const CHUNK = 1000;

/** Loads records into the units table in a few batched statements, in one transaction. */
export async function importUnits(db: Db, input: UnitRecord[], opts: ImportOptions = {}): Promise<ImportReport> {
  validate(input);
  const records = opts.root ? subtreeOf(input, opts.root) : input;
  return db.tx(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7412003)`);
    const existing = await tx.query<Existing>(
      `SELECT id, code, name, full_name, name_en, type, parent_id, path::text AS path, depth, retired_at IS NOT NULL AS retired FROM units`,
    );
    const byCode = new Map(existing.map((u) => [u.code, u]));
    const inFile = new Map(records.map((r) => [r.code, r]));

    // Units the import may retire: everything, or the existing subtree of --root.
    const rootRow = opts.root ? byCode.get(opts.root) : undefined;
    const inScope = (u: Existing) =>
      opts.root ? Boolean(rootRow) && (u.path === rootRow!.path || u.path.startsWith(rootRow!.path + '.')) : true;

    const problems: string[] = [];
    for (const r of records) {
      if (!r.parentCode || inFile.has(r.parentCode)) continue;
      const p = byCode.get(r.parentCode);
      if (!p)
        problems.push(`${r.at ?? r.code}: parent_code ${r.parentCode} is neither in the file nor in the database`);
      else if (inScope(p))
        problems.push(
          `${r.at ?? r.code}: parent_code ${r.parentCode} is not in the file, so it would be retired while ${r.code} stays`,
        );
    }
    if (problems.length) throw new UnitsFileError(problems);

    // Ids: existing ones kept, new ones taken from the sequence (placeholders on a dry run).
    const fresh = records.filter((r) => !byCode.has(r.code));
    let ids: number[];
    if (opts.dryRun) ids = fresh.map((_, i) => -(i + 1));
    else
      ids = (
        await tx.query<{ id: number }>(
          `SELECT nextval(pg_get_serial_sequence('units', 'id'))::int AS id FROM generate_series(1, $1::int)`,
          [fresh.length],
        )
      ).map((r) => r.id);
    const idOf = new Map<string, number>(existing.map((u) => [u.code, u.id]));
    fresh.forEach((r, i) => idOf.set(r.code, ids[i]));

    // Parent of every unit in the final tree: from the file, else as it is now.
    const parentOf = new Map<number, number | null>();
    for (const u of existing) parentOf.set(u.id, u.parent_id);
    for (const r of records) parentOf.set(idOf.get(r.code)!, r.parentCode ? idOf.get(r.parentCode)! : null);

    const paths = new Map<number, string>();
    const pathOf = (id: number): string => {
      const known = paths.get(id);
      if (known) return known;
      const chain: number[] = [];
      let cur: number | null = id;
      while (cur !== null && !paths.has(cur)) {
        if (chain.includes(cur)) {
          const codes = chain.map((c) => [...idOf].find(([, v]) => v === c)?.[0]);
          throw new UnitsFileError([`the parent links form a loop: ${codes.join(' → ')}`]);
        }
        chain.push(cur);
        cur = parentOf.get(cur) ?? null;
      }
      let prefix = cur === null ? '' : paths.get(cur)!;
      for (const c of chain.reverse()) {
        prefix = prefix ? `${prefix}.${c < 0 ? `n${-c}` : c}` : String(c < 0 ? `n${-c}` : c);
        paths.set(c, prefix);
      }
      return paths.get(id)!;
    };

    type Row = {
      id: number;
      code: string;
      name: string;
      full_name: string;
      name_en: string | null;
      type: string;
      parent_id: number | null;
      path: string;
      depth: number;
    };
    const inserts: Row[] = [];
    const updates: Row[] = [];
    let unchanged = 0;
    let unretired = 0;
    for (const r of records) {
      const id = idOf.get(r.code)!;
      const path = pathOf(id);
      const row: Row = {
        id,
        code: r.code,
        name: r.name,
        full_name: r.fullName,
        name_en: r.nameEn,
        type: r.type,
        parent_id: parentOf.get(id) ?? null,
        path,
        depth: path.split('.').length - 1,
      };
      const old = byCode.get(r.code);
      if (!old) inserts.push(row);
      else if (
        old.retired ||
        old.name !== row.name ||
        old.full_name !== row.full_name ||
        old.name_en !== row.name_en ||
        old.type !== row.type ||
        old.parent_id !== row.parent_id
      ) {
        updates.push(row);
        if (old.retired) unretired++;
      } else unchanged++;
    }
    // Units below a moved unit: their path follows; that alone does not count as a change.
    const pathOnly: { id: number; path: string; depth: number }[] = [];
    const updated = new Set(updates.map((u) => u.id));
    for (const u of existing) {
      if (updated.has(u.id)) continue;
      const p = pathOf(u.id);
      if (p !== u.path) pathOnly.push({ id: u.id, path: p, depth: p.split('.').length - 1 });
    }
    const toRetire = existing.filter((u) => !u.retired && !inFile.has(u.code) && inScope(u)).map((u) => u.id);

    const report: ImportReport = {
      total: records.length,
      added: inserts.length,
      updated: updates.length,
      unretired,
      retired: toRetire.length,
      unchanged,
      dryRun: Boolean(opts.dryRun),
    };
    if (opts.dryRun) return report;

    inserts.sort((a, b) => a.depth - b.depth);
    for (let i = 0; i < inserts.length; i += CHUNK) {
      await tx.query(
        `INSERT INTO units (id, code, name, full_name, name_en, type, parent_id, path, depth)
         SELECT id, code, name, full_name, name_en, type, parent_id, path::ltree, depth
         FROM jsonb_to_recordset($1::jsonb) AS x(id int, code text, name text, full_name text, name_en text, type text, parent_id int, path text, depth int)`,
        [JSON.stringify(inserts.slice(i, i + CHUNK))],
      );
    }
    for (let i = 0; i < updates.length; i += CHUNK) {
      await tx.query(
        `UPDATE units u SET name = x.name, full_name = x.full_name, name_en = x.name_en, type = x.type, parent_id = x.parent_id,
           path = x.path::ltree, depth = x.depth, retired_at = NULL, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id int, name text, full_name text, name_en text, type text, parent_id int, path text, depth int)
         WHERE u.id = x.id`,
        [JSON.stringify(updates.slice(i, i + CHUNK))],
      );
    }
    for (let i = 0; i < pathOnly.length; i += CHUNK) {
      await tx.query(
        `UPDATE units u SET path = x.path::ltree, depth = x.depth, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id int, path text, depth int) WHERE u.id = x.id`,
        [JSON.stringify(pathOnly.slice(i, i + CHUNK))],
      );
    }
    if (toRetire.length)
      await tx.query(`UPDATE units SET retired_at = now(), updated_at = now() WHERE id = ANY($1::int[])`, [toRetire]);
    if (report.added || report.updated || report.retired) {
      const { dryRun: _d, ...counts } = report;
      await recordAudit(tx, {
        actorLabel: opts.actor ?? 'cli',
        action: 'units.import',
        entityType: 'units',
        data: { ...counts, source: opts.source ?? null, root: opts.root ?? null },
      });
    }
    return report;
  });
}

export const formatImportReport = (r: ImportReport) =>
  `${r.dryRun ? 'dry run, nothing written: ' : ''}${r.total} units in the file: ${r.added} added, ${r.updated} updated${r.unretired ? ` (${r.unretired} un-retired)` : ''}, ${r.retired} retired, ${r.unchanged} unchanged`;

/**
 * The old → new mapping (dvhcvn `merges.json`: `{data:[{level1_id, merges:[{old_id,name,type}], level2s:[{level2_id,
 * name, merges:[…]}]}]}`) loaded as aliases: an old code then resolves to the unit(s) it became. A new code that is
 * not in the units table (sources disagree on a few: 06970/06978, 23737/23938) is matched by name within its province
 * and kept as an alias too.
 */
export interface MappingReport {
  aliases: number;
  full: number;
  partial: number;
  matchedByName: number;
  unknown: string[];
}

interface MergeLink {
  old_id: string;
  name?: string;
  type?: string;
}
interface MergeLevel2 {
  level2_id: string;
  name: string;
  merges?: MergeLink[];
}
interface MergeLevel1 {
  level1_id: string;
  name: string;
  merges?: MergeLink[];
  level2s?: MergeLevel2[];
}

const foldName = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

export async function importUnitMapping(
  db: Db,
  data: unknown,
  opts: { source?: string; actor?: string } = {},
): Promise<MappingReport> {
  const list = (data as { data?: MergeLevel1[] })?.data;
  if (!Array.isArray(list))
    throw new UnitsFileError([
      'a mapping file must look like merges.json: {"data": [{"level1_id", "merges", "level2s"}]}',
    ]);
  return db.tx(async (tx) => {
    const units = await tx.query<{ id: number; code: string; full_name: string; parent_id: number | null }>(
      `SELECT id, code, full_name, parent_id FROM units`,
    );
    const byCode = new Map(units.map((u) => [u.code, u]));
    const report: MappingReport = { aliases: 0, full: 0, partial: 0, matchedByName: 0, unknown: [] };
    const rows: { code: string; unit_id: number; kind: string; name: string | null }[] = [];
    const resolve = (code: string, name: string, parentId: number | null) => {
      const hit = byCode.get(code);
      if (hit) return hit;
      const folded = foldName(name);
      const byName = units.filter((u) => u.parent_id === parentId && foldName(u.full_name) === folded);
      if (byName.length === 1) {
        report.matchedByName++;
        rows.push({ code, unit_id: byName[0].id, kind: 'alias', name: name.normalize('NFC') });
        return byName[0];
      }
      report.unknown.push(code);
      return undefined;
    };
    const link = (unitId: number, unitCode: string, m: MergeLink) => {
      if (!m.old_id || m.old_id === unitCode) return;
      const kind = m.type === 'partial' ? 'partial' : 'full';
      rows.push({ code: String(m.old_id), unit_id: unitId, kind, name: m.name ? m.name.normalize('NFC') : null });
      report[kind]++;
    };
    for (const p of list) {
      const province = resolve(String(p.level1_id), p.name, null);
      if (!province) continue;
      for (const m of p.merges ?? []) link(province.id, province.code, m);
      for (const c of p.level2s ?? []) {
        const commune = resolve(String(c.level2_id), c.name, province.id);
        if (!commune) continue;
        for (const m of c.merges ?? []) link(commune.id, commune.code, m);
      }
    }
    const unique = [...new Map(rows.map((r) => [`${r.code}|${r.unit_id}`, r])).values()];
    rows.length = 0;
    rows.push(...unique);
    for (let i = 0; i < rows.length; i += CHUNK) {
      await tx.query(
        `INSERT INTO unit_aliases (code, unit_id, kind, name, source)
         SELECT code, unit_id, kind, name, $2 FROM jsonb_to_recordset($1::jsonb) AS x(code text, unit_id int, kind text, name text)
         ON CONFLICT (code, unit_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, source = EXCLUDED.source`,
        [JSON.stringify(rows.slice(i, i + CHUNK)), opts.source ?? null],
      );
    }
    report.aliases = rows.length;
    await recordAudit(tx, {
      actorLabel: opts.actor ?? 'cli',
      action: 'units.mapping',
      entityType: 'units',
      data: {
        aliases: report.aliases,
        full: report.full,
        partial: report.partial,
        matchedByName: report.matchedByName,
        unknown: report.unknown.length,
        source: opts.source ?? null,
      },
    });
    return report;
  });
}

/** The active or retired unit(s) a code names: the unit with that code, else those it is an alias of. */
export async function resolveUnitCode(
  db: Db,
  code: string,
): Promise<{ id: number; code: string; full_name: string; via: 'code' | 'full' | 'partial' | 'alias' }[]> {
  const own = await db.query<{ id: number; code: string; full_name: string }>(
    `SELECT id, code, full_name FROM units WHERE code = $1`,
    [code],
  );
  if (own.length) return own.map((u) => ({ ...u, via: 'code' as const }));
  return db.query(
    `SELECT u.id, u.code, u.full_name, a.kind AS via FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE a.code = $1 ORDER BY a.kind = 'partial', u.code`,
    [code],
  );
}
