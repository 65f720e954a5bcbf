import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../src/db/client.js';
import { appliedMigrations, listMigrations, migrate } from '../../src/db/migrate.js';
import { moduleNames } from '../../src/modules/index.js';
import { testDb, testDbKind } from '../helpers/db.js';

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => {
  await db?.close();
});

const fold = async (t: string) => (await db.one<{ f: string }>(`SELECT vn_fold($1) AS f`, [t]))!.f;

describe(`data layer on ${testDbKind()}`, () => {
  it('has ltree, unaccent and pg_trgm', async () => {
    const rows = await db.query<{ extname: string }>(`SELECT extname FROM pg_extension ORDER BY extname`);
    expect(rows.map((r) => r.extname)).toEqual(expect.arrayContaining(['ltree', 'pg_trgm', 'unaccent']));
    const r = await db.one<{ anc: boolean; sim: number }>(
      `SELECT '1.7.42'::ltree <@ '1.7'::ltree AS anc, similarity('nguyen hue', 'nguyen hue') AS sim`,
    );
    expect(r).toEqual({ anc: true, sim: 1 });
  });

  it('folds Vietnamese diacritics and đ', async () => {
    expect(await fold('Đường Nguyễn Huệ')).toBe('duong nguyen hue');
    expect(await fold('Phường Thuận Hoá')).toBe(await fold('Phường Thuận Hóa'));
    expect(await fold('THỪA THIÊN HUẾ')).toBe('thua thien hue');
  });

  it('folds NFC and NFD input the same', async () => {
    const nfc = 'Phường Vỹ Dạ'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(await fold(nfd)).toBe(await fold(nfc));
    expect(await fold(nfd)).toBe('phuong vy da');
  });

  it('the vietnamese text search configuration matches with or without diacritics', async () => {
    const r = await db.one<{ v: string; hit: boolean; hit2: boolean; miss: boolean }>(
      `SELECT to_tsvector('vietnamese', $1)::text AS v,
              to_tsvector('vietnamese', $1) @@ plainto_tsquery('vietnamese', 'duong nguyen hue') AS hit,
              to_tsvector('vietnamese', $1) @@ plainto_tsquery('vietnamese', $2) AS hit2,
              to_tsvector('vietnamese', $1) @@ plainto_tsquery('vietnamese', 'le loi') AS miss`,
      ['Ngập nước trên Đường Nguyễn Huệ', 'ĐƯỜNG NGUYỄN HUỆ'.normalize('NFD')],
    );
    expect(r!.v).toContain("'duong'");
    expect(r!.v).toContain("'nguyen'");
    expect(r!.v).not.toMatch(/[ạ-ỹđ]/);
    expect(r).toMatchObject({ hit: true, hit2: true, miss: false });
  });

  it('a second migrate applies nothing', async () => {
    const before = await appliedMigrations(db);
    expect(before.length).toBe(listMigrations(moduleNames).length);
    expect(await migrate(db, moduleNames)).toEqual([]);
    expect(await appliedMigrations(db)).toEqual(before);
  });

  it('two migrate calls racing on an empty database apply each migration once', async () => {
    let a: Db, b: Db;
    let drop = async () => {};
    if (testDbKind() === 'pg') {
      // Two separate pools, as two app processes would have.
      const url = process.env.TEST_DATABASE_URL!;
      const name = `caunoi_race_${process.pid}_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(url);
      u.pathname = `/${name}`;
      a = await openPostgres(u.toString(), 2);
      b = await openPostgres(u.toString(), 2);
      drop = async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      };
    } else {
      a = await openPglite();
      b = a;
    }
    try {
      const [ra, rb] = await Promise.all([migrate(a, moduleNames), migrate(b, moduleNames)]);
      const all = listMigrations(moduleNames).map((m) => m.id);
      expect([...ra, ...rb].sort()).toEqual([...all].sort());
      expect(ra.length === 0 || rb.length === 0).toBe(true);
      const n = await a.one<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migrations`);
      expect(n!.n).toBe(all.length);
      // The first start's own connection passes array parameters of the types the migrations just created
      // (PGlite learns array types when it opens; without a refresh `$1::ltree[]` broke every staff page until a restart).
      await a.query(
        `INSERT INTO units (code, name, full_name, type, path, depth) VALUES ('X1', 'X', 'X', 'province', 'x1', 1)`,
      );
      const found = await a.query<{ code: string }>(`SELECT code FROM units WHERE path <@ ANY($1::ltree[])`, [
        ['x1', 'y2'],
      ]);
      expect(found).toEqual([{ code: 'X1' }]);
    } finally {
      await a.close();
      if (b !== a) await b.close();
      await drop();
    }
  }, 180_000); // two full migrations of an empty database: minutes on a loaded 2-core machine
});
