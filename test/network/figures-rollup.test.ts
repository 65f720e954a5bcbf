/**
 * The network's daily rollup (migration 002_daily_rollup.sql) must give exactly the clicks and shares
 * counted from their rows, through clicks at midnight Vietnam time, deleted members and campaigns; and
 * `network-rollup` finds and repairs a rollup left behind by an import with triggers off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { figures } from '../../src/modules/network/repo/figures.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { realUnit } from '../helpers/factories.js';

const vn = (s: string) => new Date(`${s}T00:00:00+07:00`);

describe(`network daily rollup agrees with the clicks and shares (${testDbKind()})`, () => {
  let t: TestApp;
  let province: string;
  let ward: string;

  beforeAll(async () => {
    t = await testApp({ demo: false });
    const db = t.db;
    province = (await realUnit(db, '46')).path;
    const units = [await realUnit(db, '19753'), await realUnit(db, '19777')];
    ward = units[0].path;
    await db.query(
      `INSERT INTO users (email, name) SELECT 'rollup-' || g || '@rollup.test', 'Thành viên ' || g FROM generate_series(1, 6) g`,
    );
    const users = (await db.query<{ id: number }>(`SELECT id FROM users WHERE email LIKE 'rollup-%' ORDER BY id`)).map(
      (u) => u.id,
    );
    for (const [i, u] of users.entries())
      await db.query(
        `INSERT INTO role_grants (user_id, role, unit_id, created_at) VALUES ($1, 'member', $2, '2026-01-01T00:00:00+07:00')`,
        [u, units[i % 2].id],
      );
    const camp = (await db.one<{ id: number }>(
      `INSERT INTO network_campaigns (title, message, unit_id, starts_at, ends_at) VALUES ('Thử rollup', 'Chia sẻ', $1, '2026-01-01T00:00:00+07:00', '2026-04-01T00:00:00+07:00') RETURNING id`,
      [units[0].id],
    ))!.id;
    const item = (await db.one<{ id: number }>(
      `INSERT INTO network_campaign_items (campaign_id, position, kind, title, url) VALUES ($1, 1, 'link', 'Bài', 'https://example.org/') RETURNING id`,
      [camp],
    ))!.id;
    // 400 clicks over January-March 2026, every tenth exactly at a Vietnam midnight, every tenth a second before one
    await db.query(
      `INSERT INTO network_clicks (campaign_id, item_id, user_id, unit_id, at)
       SELECT $1, $2, ($3::int[])[1 + g % 6], ($4::int[])[1 + (g % 6) % 2],
         timestamptz '2026-01-01 00:00+07' + (g % 90) * interval '1 day'
           + CASE WHEN g % 10 = 0 THEN interval '0' WHEN g % 10 = 1 THEN interval '-1 second' ELSE make_interval(mins => (g * 37) % 1440) END
       FROM generate_series(1, 400) g`,
      [camp, item, users, units.map((u) => u.id)],
    );
    await db.query(
      `INSERT INTO network_shares (campaign_id, item_id, user_id, unit_id, channel, at)
       SELECT $1, $2, ($3::int[])[g], ($4::int[])[1 + g % 2], ch, timestamptz '2026-01-31 00:00+07' + make_interval(hours => g * 7) - interval '1 second'
       FROM generate_series(1, 6) g, unnest('{facebook,zalo}'::text[]) ch`,
      [camp, item, users, units.map((u) => u.id)],
    );
    // a member who leaves takes their clicks and shares with them (ON DELETE CASCADE): the rollup follows
    await db.query(`DELETE FROM users WHERE id = $1`, [users[5]]);
  }, 60_000);

  afterAll(() => t?.close());

  const periods: [string, Date, Date][] = [
    ['January 2026', vn('2026-01-01'), vn('2026-02-01')],
    ['February 2026', vn('2026-02-01'), vn('2026-03-01')],
    ['the quarter', vn('2026-01-01'), vn('2026-04-01')],
    ['one day', vn('2026-01-31'), vn('2026-02-01')],
    ['the last twelve months', new Date(Date.now() - 365 * 86_400_000), new Date()],
  ];

  it.each(periods)(
    'gives the same figures as the rows for %s, for the province and one ward',
    async (_name, from, to) => {
      for (const unitPath of [province, ward]) {
        const q = { unitPath, from, to };
        expect(await figures(t.db, q)).toEqual(await figures(t.db, q, { source: 'rows' }));
      }
    },
  );

  it('counts a click at midnight in the day it starts and one a second before in the day before', async () => {
    const quarter = await figures(t.db, { unitPath: province, from: vn('2026-01-01'), to: vn('2026-04-01') });
    expect(quarter.clicks).toBeGreaterThan(300);
    expect(quarter.reportedShares).toBe(10); // 6 members × 2 channels, less the member who left
    // g = 10, 20, … land at midnight on day g % 90; g = 1, 11, … a second before midnight of day g % 90
    const jan = await figures(t.db, { unitPath: province, from: vn('2026-01-01'), to: vn('2026-02-01') });
    const rows = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM network_clicks k JOIN units u ON u.id = k.unit_id
      WHERE u.path <@ $1::ltree AND k.at >= '2026-01-01T00:00:00+07:00' AND k.at < '2026-02-01T00:00:00+07:00'`,
      [province],
    );
    expect(jan.clicks).toBe(rows!.n);
  });

  it('network-rollup finds a rollup left behind by an import with triggers off and recounts it', async () => {
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const code = await runCommand(t.deps, modules, argv, (l) => out.push(l));
      return { code, out: out.join('\n') };
    };
    expect(await run('network-rollup')).toEqual({ code: 0, out: 'daily figures match the clicks and shares' });
    await t.db.tx(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(
        `DELETE FROM network_clicks WHERE id IN (SELECT k.id FROM network_clicks k JOIN network_campaigns c ON c.id = k.campaign_id WHERE c.title = 'Thử rollup' ORDER BY k.id LIMIT 3)`,
      );
    });
    const q = { unitPath: province, from: vn('2026-01-01'), to: vn('2026-04-01') };
    expect(await figures(t.db, q)).not.toEqual(await figures(t.db, q, { source: 'rows' }));
    expect((await run('network-rollup')).code).toBe(1);
    expect((await run('network-rollup', '--rebuild')).out).toMatch(
      /recounted from the clicks and shares \([1-9]\d* row/,
    );
    expect(await run('network-rollup')).toEqual({ code: 0, out: 'daily figures match the clicks and shares' });
    expect(await figures(t.db, q)).toEqual(await figures(t.db, q, { source: 'rows' }));
  });
});
