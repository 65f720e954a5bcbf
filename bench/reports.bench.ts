/**
 * A province-wide yearly report over 1 million mailbox reports, 100,000 claims and 10 million clicks,
 * on PGlite and on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL), against a baseline measured
 * in the same run: the same figures computed by one plain SQL query per figure. Also measured: the same
 * figures with every count read from the rows (no daily rollups), the whole report page (54 figure sets),
 * and what the rollup triggers add to single-row writes.
 *
 * Sizes: REPORTS_BENCH_SIZES="reports,claims,clicks" overrides; BENCH_QUICK=1 uses a tenth.
 * Both databases get the full sizes (loading them takes about 3 minutes on PGlite, 1.5 on PostgreSQL here);
 * REPORTS_BENCH_PGLITE_SCALE and REPORTS_BENCH_PGLITE_CLICKS shrink PGlite's. REPORTS_BENCH_DB=pglite|pg runs one;
 * REPORTS_BENCH_KEEP=1 keeps the PostgreSQL database for EXPLAIN.
 */
import { boot } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/client.js';
import { createLogger } from '../src/log.js';
import { modules } from '../src/modules/index.js';
import { makePeriod, previousPeriod } from '../src/modules/reports/service/period.js';
import { buildReport, collectFigures, liveSettings } from '../src/modules/reports/service.js';
import { unitById } from '../src/modules/reports/repo.js';
import { figures as mailboxFigures } from '../src/modules/mailbox/repo/figures.js';
import { figures as networkFigures } from '../src/modules/network/repo/figures.js';
import { upsertAgency, upsertUnit } from '../src/platform/units/repo.js';
import { MemoryBlobStore } from '../src/platform/files/store.js';
import { benchDb, fmt, hasPg, QUICK, report } from './lib.js';

const [REPORTS, CLAIMS, CLICKS] = (
  process.env.REPORTS_BENCH_SIZES ?? (QUICK ? '100000,10000,1000000' : '1000000,100000,10000000')
)
  .split(',')
  .map(Number);
const PGLITE_SCALE = Number(process.env.REPORTS_BENCH_PGLITE_SCALE ?? 1);
const PGLITE_CLICKS = Number(process.env.REPORTS_BENCH_PGLITE_CLICKS ?? CLICKS);
const COMMUNES = 40;
const CHUNK = 1_000_000;

const ms = (t0: number) => performance.now() - t0;
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: ms(t0), value };
}

/** Bulk rows in chunks, without foreign-key triggers (a throw-away database, loaded once). */
async function bulk(db: Db, total: number, sql: (lo: number, hi: number) => string, params: unknown[] = []) {
  for (let lo = 1; lo <= total; lo += CHUNK) {
    const hi = Math.min(total, lo + CHUNK - 1);
    await db.tx(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(sql(lo, hi), params);
    });
  }
}

async function load(db: Db, REPORTS: number, CLAIMS: number, clicks: number) {
  const province = await upsertUnit(db, {
    code: 'BP',
    name: 'Tỉnh Bench',
    fullName: 'Tỉnh Bench',
    type: 'province',
    parentId: null,
  });
  const communes: number[] = [];
  for (let i = 0; i < COMMUNES; i++)
    communes.push(
      await upsertUnit(db, {
        code: `BP-${i}`,
        name: `Xã ${i}`,
        fullName: `Xã Bench ${i}`,
        type: 'commune',
        parentId: province,
      }),
    );
  const agencies: number[] = [];
  for (let i = 0; i < 8; i++)
    agencies.push(
      await upsertAgency(db, { unitId: i < 4 ? province : communes[i], code: `BP-AG-${i}`, name: `Cơ quan ${i}` }),
    );
  const cats = (
    await db.query<{ id: number }>(
      `INSERT INTO mailbox_categories (code, name, name_en) SELECT 'bench-' || g, 'Lĩnh vực ' || g, 'Category ' || g FROM generate_series(1, 8) g RETURNING id`,
    )
  ).map((r) => r.id);
  // the full-text and trigram indexes serve search, not reports; dropped in this throw-away database to load faster
  await db.exec(`DROP INDEX IF EXISTS mailbox_reports_tsv; DROP INDEX IF EXISTS mailbox_reports_title_trgm;`);
  // reports spread evenly over 2024-2025 (the report is 2025, compared with 2024); 80% answered, 3 in 4 on time
  const tMail = await timed(() =>
    bulk(
      db,
      REPORTS,
      (lo, hi) => `
    INSERT INTO mailbox_reports (code, token_hash, api_token, category_id, unit_id, agency_id, title, description, status, source,
      received_at, accepted_at, first_answered_at, answered_at, answered_on_time, deadline_at, rating, rated_at, reopened_count)
    SELECT 'B' || g, 'h' || g, 'a' || g, ($1::int[])[1 + g % 8], ($2::int[])[1 + (g / 7) % ${COMMUNES}], ($3::int[])[1 + g % 8],
      'Phản ánh số ' || g, 'Nội dung', CASE WHEN g % 10 < 8 THEN 'answered' ELSE 'in_progress' END, 'demo',
      ts, ts + interval '2 hours', CASE WHEN g % 10 < 8 THEN ts + make_interval(hours => g % 400) END,
      CASE WHEN g % 10 < 8 THEN ts + make_interval(hours => g % 400) END, CASE WHEN g % 10 < 8 THEN g % 400 < 300 END,
      ts + interval '14 days', CASE WHEN g % 5 = 0 THEN 1 + g % 5 END, CASE WHEN g % 5 = 0 THEN ts + interval '20 days' END, 0
    FROM generate_series(${lo}, ${hi}) g, LATERAL (SELECT timestamptz '2024-01-01 00:00+07' + (g::float8 / ${REPORTS}) * interval '731 days' AS ts) x`,
      [cats, communes, agencies],
    ),
  );
  await db.query(
    `INSERT INTO mailbox_events (report_id, at, kind, visibility, actor_label) SELECT id, received_at + interval '30 days', 'reopened', 'internal', 'bench' FROM mailbox_reports WHERE id % 50 = 0`,
  );
  console.log(`  mailbox loaded in ${fmt(tMail.ms / 1000)} s`);
  const tDesk = await timed(async () => {
    await db.query(
      `INSERT INTO desk_clusters (title, fold_text) SELECT 'Tin đồn ' || g, 'tin don ' || g FROM generate_series(1, ${Math.max(1, CLAIMS / 10)}) g`,
    );
    const first = (await db.one<{ id: number }>(`SELECT min(id) AS id FROM desk_clusters`))!.id;
    await bulk(
      db,
      CLAIMS,
      (lo, hi) => `
      INSERT INTO desk_claims (code, cluster_id, text, unit_id, source, created_at, answered_at)
      SELECT 'BC' || g, ${first} + g % ${Math.max(1, CLAIMS / 10)}, 'Có thật không?', ($1::int[])[1 + g % ${COMMUNES}], CASE WHEN g % 4 = 0 THEN 'member' ELSE 'public' END,
        ts, CASE WHEN g % 10 < 7 THEN ts + make_interval(hours => 1 + g % 72) END
      FROM generate_series(${lo}, ${hi}) g, LATERAL (SELECT timestamptz '2024-01-01 00:00+07' + (g::float8 / ${CLAIMS}) * interval '731 days' AS ts) x`,
      [communes],
    );
  });
  const tNet = await timed(async () => {
    const members = 5000;
    await db.query(
      `INSERT INTO users (email, name) SELECT 'bench-m' || g || '@bench.local', 'Thành viên ' || g FROM generate_series(1, ${members}) g`,
    );
    await db.query(
      `INSERT INTO role_grants (user_id, role, unit_id, created_at)
       SELECT u.id, 'member', ($1::int[])[1 + u.id % ${COMMUNES}], timestamptz '2023-12-01' FROM users u WHERE u.email LIKE 'bench-m%'`,
      [communes],
    );
    const firstUser = (await db.one<{ id: number }>(`SELECT min(id) AS id FROM users WHERE email LIKE 'bench-m%'`))!.id;
    await db.query(
      `INSERT INTO network_campaigns (title, message, unit_id, starts_at, ends_at) SELECT 'Chiến dịch ' || g, 'Chia sẻ', $1, timestamptz '2024-01-01' + g * interval '7 days', timestamptz '2024-01-01' + g * interval '7 days' + interval '30 days' FROM generate_series(0, 103) g`,
      [province],
    );
    const firstCamp = (await db.one<{ id: number }>(`SELECT min(id) AS id FROM network_campaigns`))!.id;
    await db.query(
      `INSERT INTO network_campaign_items (campaign_id, position, kind, title, url) SELECT id, 1, 'link', title, 'https://example.org/' || id FROM network_campaigns`,
    );
    const firstItem = (await db.one<{ id: number }>(`SELECT min(id) AS id FROM network_campaign_items`))!.id;
    // every member receives every campaign, 60% open it; one in ten shares it on one channel
    await db.tx(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(
        `INSERT INTO network_recipients (campaign_id, user_id, unit_id, notified_at, opened_at)
        SELECT c.id, u.id, ($1::int[])[1 + u.id % ${COMMUNES}], c.starts_at, CASE WHEN (u.id + c.id) % 10 < 6 THEN c.starts_at + make_interval(hours => (u.id % 48)) END
        FROM network_campaigns c, users u WHERE u.email LIKE 'bench-m%'`,
        [communes],
      );
      await tx.query(`INSERT INTO network_shares (campaign_id, item_id, user_id, unit_id, channel, at)
        SELECT r.campaign_id, ${firstItem} + (r.campaign_id - ${firstCamp}), r.user_id, r.unit_id, 'facebook', r.opened_at + interval '1 hour'
        FROM network_recipients r WHERE r.opened_at IS NOT NULL AND (r.user_id + r.campaign_id) % 6 = 0`);
    });
    await bulk(
      db,
      clicks,
      (lo, hi) => `
      INSERT INTO network_clicks (campaign_id, item_id, user_id, unit_id, at)
      SELECT ${firstCamp} + c, ${firstItem} + c, ${firstUser} + g % ${members}, ($1::int[])[1 + (${firstUser} + g % ${members}) % ${COMMUNES}],
        timestamptz '2024-01-01' + c * interval '7 days' + make_interval(secs => ((g::bigint * 7919) % 2592000)::float8)
      FROM generate_series(${lo}, ${hi}) g, LATERAL (SELECT (g::bigint * 104 / ${clicks + 1})::int AS c) x`,
      [communes],
    );
  });
  console.log(`  network loaded in ${fmt(tNet.ms / 1000)} s`);
  // the bulk load ran with triggers off: build the daily rollups from the rows, as `mailbox-rollup --rebuild` does
  const tRollup = await timed(() => db.exec(`SELECT mailbox_daily_rebuild(); SELECT network_daily_rebuild();`));
  console.log(`  daily rollups built in ${fmt(tRollup.ms / 1000)} s`);
  // REPORTS_BENCH_SQL: extra statements after loading (e.g. a candidate index), to measure what they pay
  if (process.env.REPORTS_BENCH_SQL) await db.exec(process.env.REPORTS_BENCH_SQL);
  // as autovacuum would have left a live database: statistics and visibility maps (index-only scans)
  const tAnalyze = await timed(() => db.exec('VACUUM ANALYZE'));
  return {
    province,
    communes,
    cats,
    agencies,
    load: { mailbox: tMail.ms, desk: tDesk.ms, network: tNet.ms, rollups: tRollup.ms, analyze: tAnalyze.ms },
  };
}

/** The same figures, one plain SQL query each (mailbox, desk, network; crisis has no bench data). */
function plainQueries(): [string, string][] {
  const mb = `FROM mailbox_reports r JOIN units u ON u.id = r.unit_id WHERE u.path <@ $1::ltree AND r.status <> 'spam'`;
  const dc = `FROM desk_claims c JOIN units u ON u.id = c.unit_id WHERE u.path <@ $1::ltree`;
  return [
    ['mailbox.received', `SELECT count(*) ${mb} AND r.received_at >= $2 AND r.received_at < $3`],
    ['mailbox.accepted', `SELECT count(*) ${mb} AND r.accepted_at >= $2 AND r.accepted_at < $3`],
    ['mailbox.answered', `SELECT count(*) ${mb} AND r.first_answered_at >= $2 AND r.first_answered_at < $3`],
    [
      'mailbox.answeredOnTime',
      `SELECT count(*) ${mb} AND r.first_answered_at >= $2 AND r.first_answered_at < $3 AND r.answered_on_time`,
    ],
    [
      'mailbox.medianHours',
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_answered_at - r.received_at) / 3600) ${mb} AND r.first_answered_at >= $2 AND r.first_answered_at < $3`,
    ],
    [
      'mailbox.overdueNow',
      `SELECT count(*) ${mb} AND r.deadline_at < $3 AND r.received_at < $3 AND r.status NOT IN ('rejected','merged') AND (r.first_answered_at IS NULL OR r.first_answered_at > $3) AND $2::timestamptz IS NOT NULL`,
    ],
    [
      'mailbox.reopened',
      `SELECT count(*) FROM mailbox_events e JOIN mailbox_reports r ON r.id = e.report_id JOIN units u ON u.id = r.unit_id WHERE u.path <@ $1::ltree AND e.kind = 'reopened' AND e.at >= $2 AND e.at < $3`,
    ],
    ['mailbox.rating', `SELECT avg(r.rating), count(r.rating) ${mb} AND r.rated_at >= $2 AND r.rated_at < $3`],
    [
      'mailbox.byCategory',
      `SELECT r.category_id, count(*) ${mb} AND r.received_at >= $2 AND r.received_at < $3 GROUP BY 1`,
    ],
    [
      'mailbox.byAgency',
      `SELECT r.agency_id, count(*) ${mb} AND r.received_at >= $2 AND r.received_at < $3 GROUP BY 1`,
    ],
    ['desk.claimsReceived', `SELECT count(*) ${dc} AND c.created_at >= $2 AND c.created_at < $3`],
    ['desk.clusters', `SELECT count(DISTINCT c.cluster_id) ${dc} AND c.created_at >= $2 AND c.created_at < $3`],
    [
      'desk.claimsAnswered',
      `SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.answered_at - c.created_at) / 3600) ${dc} AND c.answered_at >= $2 AND c.answered_at < $3`,
    ],
    [
      'network.members',
      `SELECT count(DISTINCT g.user_id) FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE g.role = 'member' AND u.path <@ $1::ltree AND g.created_at < $3 AND $2::timestamptz IS NOT NULL`,
    ],
    [
      'network.clicks',
      `SELECT count(*) FROM network_clicks k JOIN units u ON u.id = k.unit_id WHERE u.path <@ $1::ltree AND k.at >= $2 AND k.at < $3`,
    ],
  ];
}

async function run(kind: 'pglite' | 'pg') {
  const db = await benchDb(kind);
  const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: '/tmp/caunoi-bench', LOG_LEVEL: 'silent' });
  await boot({ config, log: createLogger('silent'), modules, db, blobs: new MemoryBlobStore() });
  const clicks = kind === 'pglite' ? Math.min(CLICKS, PGLITE_CLICKS) : CLICKS;
  const reports = kind === 'pglite' ? Math.round(REPORTS * PGLITE_SCALE) : REPORTS;
  const claims = kind === 'pglite' ? Math.round(CLAIMS * PGLITE_SCALE) : CLAIMS;
  console.log(`${kind}: loading ${reports} reports, ${claims} claims, ${clicks} clicks…`);
  const loaded = await load(db, reports, claims, clicks);
  console.log(`${kind}: loaded in ${fmt(Object.values(loaded.load).reduce((a, b) => a + b, 0) / 1000)} s`, loaded.load);
  const unit = (await unitById(db, loaded.province))!;
  const year = makePeriod('2025-01-01', '2025-12-31');
  const q = { unitPath: unit.path, from: year.start, to: year.end };
  const sources = modules.filter((m) => m.name !== 'reports' && m.figures);
  const rows: Record<string, unknown>[] = [];

  // baseline: one plain query per figure, for the province and the year
  const plain = await timed(async () => {
    for (const [, sql] of plainQueries()) await db.query(sql, [unit.path, year.start, year.end]);
  });
  const f = await timed(() => collectFigures(sources, db, q, (name, err) => console.error(name, err)));
  // the same figures with every count read from the rows (what figures() did before the daily rollups)
  const others = sources.filter((s) => s.name !== 'mailbox' && s.name !== 'network');
  const fromRows = await timed(async () => {
    const [mailbox, network, rest] = await Promise.all([
      mailboxFigures(db, q, { source: 'reports' }),
      networkFigures(db, q, { source: 'rows' }),
      collectFigures(others, db, q),
    ]);
    return { ...rest.figures, mailbox, network };
  });
  // both must give the plain queries' answers before their speed is compared
  const check = async (key: string) =>
    Number(
      (await db.one<{ count: number }>(plainQueries().find(([k]) => k === key)![1], [unit.path, year.start, year.end]))
        ?.count,
    );
  if (f.value.figures.mailbox?.received !== (await check('mailbox.received')))
    console.error('mismatch: mailbox.received', f.value.figures.mailbox?.received);
  if (f.value.figures.network?.clicks !== (await check('network.clicks')))
    console.error('mismatch: network.clicks', f.value.figures.network?.clicks);
  if (JSON.stringify(f.value.figures.mailbox) !== JSON.stringify(fromRows.value.mailbox))
    console.error('mismatch: mailbox from rollup vs rows', f.value.figures.mailbox, fromRows.value.mailbox);
  if (JSON.stringify(f.value.figures.network) !== JSON.stringify(fromRows.value.network))
    console.error('mismatch: network from rollup vs rows', f.value.figures.network, fromRows.value.network);
  const prev = await timed(() =>
    collectFigures(sources, db, {
      unitPath: unit.path,
      from: previousPeriod(year).start,
      to: previousPeriod(year).end,
    }),
  );
  const cold = await timed(() => buildReport(sources, db, unit, year)); // nothing cached yet: every figure set is computed (and the finished ones cached)
  const warm = await timed(() => buildReport(sources, db, unit, year));
  // the live page for another, uncached period, within the live page's time budget
  const live = await timed(() =>
    buildReport(sources, db, unit, makePeriod('2025-02-01', '2025-11-30'), { budgetMs: liveSettings.budgetMs }),
  );
  const calls = 2 + cold.value.children.length + cold.value.trend.length;
  rows.push(
    {
      db: kind,
      what: `plain SQL, ${plainQueries().length} queries (baseline)`,
      ms: fmt(plain.ms, 0),
      'x baseline': '1.00',
    },
    {
      db: kind,
      what: 'module figures(), province, 2025 (daily rollups)',
      ms: fmt(f.ms, 0),
      'x baseline': fmt(f.ms / plain.ms, 3),
    },
    {
      db: kind,
      what: '  the same, every count read from the rows',
      ms: fmt(fromRows.ms, 0),
      'x baseline': fmt(fromRows.ms / plain.ms, 2),
    },
    {
      db: kind,
      what: 'module figures(), province, 2024',
      ms: fmt(prev.ms, 0),
      'x baseline': fmt(prev.ms / plain.ms, 3),
    },
    {
      db: kind,
      what: `whole report, first view: ${calls} figure sets (year, previous, ${cold.value.children.length} communes, ${cold.value.trend.length} months)`,
      ms: fmt(cold.ms, 0),
      'x baseline': fmt(cold.ms / plain.ms, 2),
    },
    {
      db: kind,
      what: 'whole report, next views (closed periods cached)',
      ms: fmt(warm.ms, 0),
      'x baseline': fmt(warm.ms / plain.ms, 3),
    },
    {
      db: kind,
      what: `live page, uncached Feb-Nov 2025 (${liveSettings.budgetMs / 1000} s budget): ${live.value.partial ? 'own figures only, rest offered as a job' : 'whole report'}`,
      ms: fmt(live.ms, 0),
      'x baseline': fmt(live.ms / plain.ms, 2),
    },
  );
  // per module, to see where the time goes
  const commune = (await db.one<{ path: string }>(`SELECT path::text AS path FROM units WHERE code = 'BP-7'`))!.path;
  for (const s of sources) {
    const one = await timed(() => s.figures!(db, q));
    const small = await timed(() => s.figures!(db, { unitPath: commune, from: year.start, to: year.end }));
    rows.push({
      db: kind,
      what: `  ${s.name}.figures(): province / one commune`,
      ms: `${fmt(one.ms, 0)} / ${fmt(small.ms, 0)}`,
      'x baseline': '',
    });
  }
  // what the triggers cost on writes, as the application writes: one report or one click per statement
  const camp = (await db.one<{ campaign_id: number; item_id: number; user_id: number; unit_id: number }>(
    `SELECT campaign_id, item_id, user_id, unit_id FROM network_clicks LIMIT 1`,
  ))!;
  let runs = 0;
  const writes = (n: number, triggers: boolean) =>
    timed(() =>
      db.tx(async (tx) => {
        runs++;
        if (!triggers) await tx.query(`SET LOCAL session_replication_role = replica`);
        for (let i = 0; i < n; i++) {
          const code = `W${triggers ? 'on' : 'off'}${runs}-${i}`;
          await tx.query(
            `INSERT INTO mailbox_reports (code, token_hash, api_token, category_id, unit_id, agency_id, title, description, status, deadline_at)
        VALUES ($1, $1, $1, $2, $3, $4, 'Phản ánh', 'Nội dung', 'received', now() + interval '14 days')`,
            [code, loaded.cats[i % 8], loaded.communes[i % COMMUNES], loaded.agencies[i % 8]],
          );
          await tx.query(
            `UPDATE mailbox_reports SET status = 'answered', first_answered_at = now(), answered_at = now(), answered_on_time = true WHERE code = $1`,
            [code],
          );
          for (let k = 0; k < 5; k++)
            await tx.query(
              `INSERT INTO network_clicks (campaign_id, item_id, user_id, unit_id) VALUES ($1, $2, $3, $4)`,
              [camp.campaign_id, camp.item_id, camp.user_id, camp.unit_id],
            );
        }
      }),
    );
  const nWrites = QUICK ? 300 : 1000;
  // alternated, best of two each: the tables grow and the caches warm as the runs go
  const off1 = await writes(nWrites, false);
  const on1 = await writes(nWrites, true);
  const off2 = await writes(nWrites, false);
  const on2 = await writes(nWrites, true);
  const off = off1.ms < off2.ms ? off1 : off2;
  const on = on1.ms < on2.ms ? on1 : on2;
  rows.push(
    {
      db: kind,
      what: `${nWrites} × (file a report, answer it, 5 clicks), one row per statement, triggers off (baseline for writes)`,
      ms: fmt(off.ms, 0),
      'x baseline': '',
    },
    {
      db: kind,
      what: '  the same with the rollup triggers',
      ms: fmt(on.ms, 0),
      'x baseline': `${fmt(on.ms / off.ms, 2)} x writes`,
    },
  );
  const sizes = {
    reports,
    claims,
    clicks,
    mailboxReceived2025: f.value.figures.mailbox?.received,
    clicks2025: f.value.figures.network?.clicks,
  };
  const name = kind === 'pg' ? (await db.one<{ n: string }>(`SELECT current_database() AS n`))!.n : null;
  await db.close();
  if (name && process.env.REPORTS_BENCH_KEEP) console.log(`kept database ${name} (REPORTS_BENCH_KEEP)`);
  else if (name) {
    // the throw-away database holds gigabytes: drop it
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  return { rows, sizes, load: loaded.load };
}

const all: Record<string, unknown>[] = [];
const notes: string[] = [];
const only = process.env.REPORTS_BENCH_DB; // 'pglite' or 'pg' to run one
for (const kind of (['pglite', ...(hasPg() ? ['pg' as const] : [])] as ('pglite' | 'pg')[]).filter(
  (k) => !only || k === only,
)) {
  const r = await run(kind);
  all.push(...r.rows);
  notes.push(
    `${kind}: ${JSON.stringify(r.sizes)}; load ms ${JSON.stringify(Object.fromEntries(Object.entries(r.load).map(([k, v]) => [k, Math.round(v)])))}`,
  );
}
if (!hasPg()) notes.push('PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL.');
report(only ? `reports-${only}` : 'reports', all, notes);
process.exit(0);
