import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import {
  importUnits,
  parseUnitsCsv,
  parseUnitsFile,
  resolveUnitCode,
  UnitsFileError,
  type UnitRecord,
} from '../../src/platform/units/import.js';
import { findUnitByCode, findUnitById, listSubtree, searchUnits, upsertAgency } from '../../src/platform/units/repo.js';
import { testApp, type TestApp } from '../helpers/app.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const REFERENCE = path.join(fixtures, 'units-vn-2025-07-01.json');
const CSV4 = path.join(fixtures, 'units-4-levels.csv');

async function cli(t: TestApp, ...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

const idsByCode = async (t: TestApp) =>
  new Map((await t.db.query<{ code: string; id: number }>(`SELECT code, id FROM units`)).map((r) => [r.code, r.id]));

describe('import-units with the national reference list', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ demo: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  let firstIds: Map<string, number>;

  it('loads 34 provinces and 3,321 communes in one go', async () => {
    const started = Date.now();
    const r = await cli(t, 'import-units', REFERENCE);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^3355 units in the file: 3355 added, 0 updated, 0 retired, 0 unchanged/);
    expect(seconds).toBeLessThan(30);
    const counts = await t.db.query<{ depth: number; type: string; n: number }>(
      `SELECT depth, type, count(*)::int AS n FROM units WHERE retired_at IS NULL GROUP BY depth, type ORDER BY depth, type`,
    );
    expect(counts).toEqual([
      { depth: 0, type: 'municipality', n: 6 },
      { depth: 0, type: 'province', n: 28 },
      { depth: 1, type: 'commune', n: 2621 },
      { depth: 1, type: 'special_zone', n: 13 },
      { depth: 1, type: 'ward', n: 687 },
    ]);
    const hue = await findUnitByCode(t.db, '46');
    expect(hue).toMatchObject({
      full_name: 'Thành phố Huế',
      name_en: 'Hue City',
      type: 'municipality',
      path: String(hue!.id),
      depth: 0,
    });
    const ward = await findUnitByCode(t.db, '19753');
    expect(ward).toMatchObject({
      full_name: 'Phường Phú Xuân',
      parent_id: hue!.id,
      path: `${hue!.id}.${ward!.id}`,
      depth: 1,
    });
    expect((await listSubtree(t.db, hue!.path)).length).toBe(41);
    // Found without diacritics.
    expect((await searchUnits(t.db, 'phu xuan', 5, hue!.path)).map((u) => u.code)).toContain('19753');
    firstIds = await idsByCode(t);
  });

  it('re-importing the same file changes nothing and keeps every id', async () => {
    const r = await cli(t, 'import-units', REFERENCE);
    expect(r.out).toMatch(/^3355 units in the file: 0 added, 0 updated, 0 retired, 3355 unchanged/);
    expect(await idsByCode(t)).toEqual(firstIds);
  });

  it('a newer list updates names and types in place', async () => {
    const data = JSON.parse(readFileSync(REFERENCE, 'utf8'));
    const dongNai = data.find((p: { Code: string }) => p.Code === '75');
    Object.assign(dongNai, { FullName: 'Thành phố Đồng Nai', AdministrativeUnitId: 1 }); // Resolution 30/2026/QH16
    const hue = data.find((p: { Code: string }) => p.Code === '46');
    hue.Wards.find((w: { Code: string }) => w.Code === '19789').FullName = 'Phường Thuận Hoá'; // tone mark moved
    const report = await importUnits(t.db, parseUnitsFile(JSON.stringify(data), 'x.json'));
    expect(report).toMatchObject({ added: 0, updated: 2, retired: 0, unchanged: 3353 });
    expect(await findUnitByCode(t.db, '75')).toMatchObject({
      full_name: 'Thành phố Đồng Nai',
      type: 'municipality',
      id: firstIds.get('75'),
    });
    expect(await findUnitByCode(t.db, '19789')).toMatchObject({
      full_name: 'Phường Thuận Hoá',
      id: firstIds.get('19789'),
    });
    const audit = await t.db.query<{ data: { updated: number } }>(
      `SELECT data FROM audit_log WHERE action = 'units.import' ORDER BY id`,
    );
    expect(audit.map((a) => a.data.updated)).toEqual([0, 2]);
  });

  it('--root imports one province only and retires only inside it', async () => {
    const data = JSON.parse(readFileSync(REFERENCE, 'utf8'));
    const hue = data.find((p: { Code: string }) => p.Code === '46');
    hue.Wards = hue.Wards.filter((w: { Code: string }) => w.Code !== '19945');
    const report = await importUnits(t.db, parseUnitsFile(JSON.stringify(data), 'x.json'), {
      root: '46',
      dryRun: true,
    });
    expect(report).toMatchObject({ total: 40, added: 0, retired: 1, dryRun: true });
    expect((await findUnitByCode(t.db, '19945'))!.retired_at).toBeNull(); // dry run wrote nothing
    const real = await importUnits(t.db, parseUnitsFile(JSON.stringify(data), 'x.json'), { root: '46' });
    expect(real).toMatchObject({ total: 40, retired: 1 });
    expect((await findUnitByCode(t.db, '19945'))!.retired_at).not.toBeNull();
    expect(await t.db.one(`SELECT count(*)::int AS n FROM units WHERE retired_at IS NOT NULL`)).toEqual({ n: 1 });
  });
});

const MERGES = path.resolve(import.meta.dirname, '../../../shared/data/vn-admin-2025/dvhcvn-20250701/merges.json');

describe('import-units --mapping (old → new codes)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    await importUnits(t.db, parseUnitsFile(readFileSync(REFERENCE, 'utf8'), 'x.json'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(!existsSync(MERGES))(
    'keeps pre-2025 codes as aliases, and the two codes the sources disagree on',
    async () => {
      const r = await cli(t, 'import-units', '--mapping', MERGES);
      expect(r.code).toBe(0);
      const m = r.out.match(
        /mapping: (\d+) old codes kept as aliases \((\d+) full, (\d+) partial, (\d+) new codes matched by name\)$/,
      );
      expect(m, r.out).toBeTruthy();
      expect(Number(m![1])).toBeGreaterThanOrEqual(7319);
      expect(Number(m![4])).toBe(2);
      // An old ward merged whole into Phường Ba Đình.
      expect(await resolveUnitCode(t.db, '00013')).toEqual([
        expect.objectContaining({ code: '00004', full_name: 'Phường Ba Đình', via: 'full' }),
      ]);
      // An old commune split between two new ones.
      expect((await resolveUnitCode(t.db, '09538')).map((u) => u.code).sort()).toEqual(['09552', '09556']);
      // The letter's code for Xã Ba Chẽ (06970) finds the unit the reference list calls 06978.
      expect((await resolveUnitCode(t.db, '06970')).map((u) => u.code)).toEqual(['06978']);
      expect(await resolveUnitCode(t.db, '06978')).toEqual([expect.objectContaining({ code: '06978', via: 'code' })]);
      // Loading it again changes nothing.
      const n = await t.db.one(`SELECT count(*)::int AS n FROM unit_aliases`);
      expect((await cli(t, 'import-units', '--mapping', MERGES)).code).toBe(0);
      expect(await t.db.one(`SELECT count(*)::int AS n FROM unit_aliases`)).toEqual(n);
    },
  );
});

describe('import-units with a CSV of any depth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ demo: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  const csv = readFileSync(CSV4, 'utf8');
  const rows = (text: string) => text.trimEnd().split('\n');

  it('loads province → district → commune → village with no code change', async () => {
    const r = await cli(t, 'import-units', CSV4);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^10 units in the file: 10 added, 0 updated, 0 retired, 0 unchanged/);
    const province = (await findUnitByCode(t.db, 'T'))!;
    const district = (await findUnitByCode(t.db, 'T-D1'))!;
    const commune = (await findUnitByCode(t.db, 'T-D1-C1'))!;
    const village = (await findUnitByCode(t.db, 'T-D1-C1-V1'))!;
    expect(village).toMatchObject({
      depth: 3,
      type: 'village',
      name: 'Thôn Hoà Duân',
      full_name: 'Thôn Hoà Duân',
      path: [province.id, district.id, commune.id, village.id].join('.'),
    });
    expect(province).toMatchObject({
      name: 'Thừa Thiên',
      full_name: 'Tỉnh Thừa Thiên',
      name_en: 'Thua Thien Province',
    });
    expect((await findUnitByCode(t.db, 'T-D2'))!.full_name).toBe('Huyện Quảng Điền, cũ');
    expect((await findUnitByCode(t.db, 'T-D1-C2-V1'))!.name).toBe('Thôn "Biển" Hải');
    expect((await listSubtree(t.db, district.path)).map((u) => u.code).sort()).toEqual([
      'T-D1',
      'T-D1-C1',
      'T-D1-C1-V1',
      'T-D1-C1-V2',
      'T-D1-C2',
      'T-D1-C2-V1',
    ]);
    expect((await searchUnits(t.db, 'hoa duan')).map((u) => u.code)).toEqual(['T-D1-C1-V1']);
  });

  it('re-import: changed names update, moved units carry their subtree, missing units are retired, not deleted', async () => {
    const before = await idsByCode(t);
    const village = (await findUnitByCode(t.db, 'T-D2-C1-V1'))!;
    const agency = await upsertAgency(t.db, { unitId: village.id, code: 'AG-TT', name: 'Tổ dân phố Tân Thành' });
    const changed = rows(csv)
      .filter((l) => !l.startsWith('T-D2-C1-V1,')) // village dropped
      .map((l) => (l.startsWith('T-D1-C2,') ? 'T-D1-C2,Phú Hải Mới,commune,T-D2,,,' : l)) // renamed and moved to district 2
      .concat('T-D1-C1-V3,Thôn Mới,village,T-D1-C1,,,');
    const report = await importUnits(t.db, parseUnitsCsv(changed.join('\r\n') + '\r\n'));
    expect(report).toMatchObject({ total: 10, added: 1, updated: 1, retired: 1, unretired: 0, unchanged: 8 });

    const after = await idsByCode(t);
    for (const [code, id] of before) expect(after.get(code)).toBe(id);
    const moved = (await findUnitByCode(t.db, 'T-D1-C2'))!;
    const d2 = (await findUnitByCode(t.db, 'T-D2'))!;
    expect(moved).toMatchObject({ name: 'Phú Hải Mới', parent_id: d2.id, path: `${d2.path}.${moved.id}` });
    expect((await findUnitByCode(t.db, 'T-D1-C2-V1'))!.path).toBe(`${moved.path}.${after.get('T-D1-C2-V1')}`);

    // The retired village still resolves for the records that point at it, but is no longer offered.
    const gone = (await findUnitById(t.db, village.id))!;
    expect(gone.code).toBe('T-D2-C1-V1');
    expect(gone.retired_at).not.toBeNull();
    expect(await t.db.one(`SELECT unit_id FROM agencies WHERE id = $1`, [agency])).toEqual({ unit_id: village.id });
    expect((await searchUnits(t.db, 'tan thanh')).length).toBe(0);
    expect((await listSubtree(t.db, d2.path)).map((u) => u.code)).not.toContain('T-D2-C1-V1');
  });

  it('a retired unit that reappears is un-retired with its old id', async () => {
    const old = (await findUnitByCode(t.db, 'T-D2-C1-V1'))!;
    const r = await cli(t, 'import-units', CSV4);
    expect(r.out).toMatch(/10 units in the file: 0 added, 2 updated \(1 un-retired\), 1 retired, 8 unchanged/);
    const back = (await findUnitByCode(t.db, 'T-D2-C1-V1'))!;
    expect(back).toMatchObject({ id: old.id, retired_at: null });
    expect((await findUnitByCode(t.db, 'T-D1-C1-V3'))!.retired_at).not.toBeNull();
    expect((await findUnitByCode(t.db, 'T-D1-C2'))!.parent_id).toBe((await findUnitByCode(t.db, 'T-D1'))!.id);
  });

  it('a bad file is refused with the line, and nothing is written', async () => {
    const count = async () => (await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM units`))!.n;
    const n = await count();
    const bad = (text: string) => {
      try {
        parseUnitsCsv(text);
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(bad('code,name,parent_code\nX,Y,\n')).toMatch(/line 1: .*missing: type/);
    const records: UnitRecord[] = parseUnitsCsv(
      'code,name,type,parent_code\nX1,Xã Một,commune,NOPE\nX2,,commune,\nX1,Lặp,commune,\n',
    );
    await expect(importUnits(t.db, records)).rejects.toThrow(UnitsFileError);
    await expect(importUnits(t.db, records)).rejects.toThrow(
      /line 3: name is empty[\s\S]*line 4: code X1 appears twice \(also line 2\)/,
    );
    await expect(importUnits(t.db, parseUnitsCsv('code,name,type,parent_code\nX1,Một,commune,NOPE\n'))).rejects.toThrow(
      /line 2: parent_code NOPE is neither in the file nor in the database/,
    );
    await expect(importUnits(t.db, parseUnitsCsv('code,name,type,parent_code\nA,A,x,B\nB,B,x,A\n'))).rejects.toThrow(
      /loop/,
    );
    const r = await cli(t, 'import-units', path.join(fixtures, 'no-such-units.csv'));
    expect(r).toMatchObject({ code: 1 });
    expect(r.out).toContain('cannot read');
    expect(await count()).toBe(n);
  });
});

describe('import-units over the demo data', () => {
  it('the national list extends the demo province in place: nothing retired, the demo accounts keep their units', async () => {
    const t = await testApp();
    try {
      const huế = (await findUnitByCode(t.db, '46'))!;
      const grants = await t.db.query(`SELECT user_id, role, unit_id FROM role_grants ORDER BY id`);
      const r = await cli(t, 'import-units', REFERENCE);
      expect(r.out).toMatch(/^3355 units in the file: 3348 added, \d+ updated, 0 retired, \d+ unchanged/);
      expect((await findUnitByCode(t.db, '46'))!.id).toBe(huế.id);
      expect(await t.db.query(`SELECT user_id, role, unit_id FROM role_grants ORDER BY id`)).toEqual(grants);
      expect((await listSubtree(t.db, huế.path)).length).toBe(41);
    } finally {
      await t.close();
    }
  });
});
