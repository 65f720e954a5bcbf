/**
 * Sharing network: (1) fan-out of one campaign to 10,000 and 100,000 members — the time the editor's request
 * takes, the time until every notification and delivery job is queued, and the time until e-mails reach a local
 * SMTP peer (delivery is capped, see DELIVER_CAP); (2) personal short-link redirects per second beside a bare
 * node:http server answering the same 302, in the same run.
 */
import autocannon from 'autocannon';
import { SMTPServer } from 'smtp-server';
import { boot } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/client.js';
import { createLogger } from '../src/log.js';
import { modules } from '../src/modules/index.js';
import { linkCode } from '../src/modules/network/service/links.js';
import { AppState } from '../src/platform/app-state.js';
import { installationSecret } from '../src/platform/secrets.js';
import { createCampaign, fanout } from '../src/modules/network/service.js';
import { campaignSchema } from '../src/modules/network/service/forms.js';
import type { Principal } from '../src/platform/auth/permissions.js';
import { MemoryBlobStore } from '../src/platform/files/store.js';
import { Worker } from '../src/platform/jobs/queue.js';
import { upsertUnit } from '../src/platform/units/repo.js';
import { bareServer, benchDb, fmt, hasPg, load, QUICK, report, startPlatform } from './lib.js';

const SIZES = QUICK ? [1_000, 10_000] : [10_000, 100_000];
/** Deliveries measured per run: every message of the smaller run, the first DELIVER_CAP of the larger one. */
const DELIVER_CAP = QUICK ? 1_000 : 2_000;
const CONCURRENCY = 16;
const UA =
  'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);

async function smtpPeer() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`,
    count: () => received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function fanoutRun(kind: 'pglite' | 'pg') {
  const db: Db = await benchDb(kind);
  const smtp = await smtpPeer();
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: '/tmp/caunoi-bench',
    LOG_LEVEL: 'silent',
    SMTP_URL: smtp.url,
    BASE_URL: 'https://caunoi.example',
  });
  const deps = await boot({ config, log: createLogger('silent'), modules, db, blobs: new MemoryBlobStore() });
  const province = await upsertUnit(db, {
    code: 'B0',
    name: 'Bench',
    fullName: 'Tỉnh thử',
    type: 'province',
    parentId: null,
  });
  const editorId = (await db.one<{ id: number }>(
    `INSERT INTO users (email, name) VALUES ('editor@bench.local', 'Biên tập') RETURNING id`,
  ))!.id;
  const rows: Record<string, unknown>[] = [];
  let made = 0;
  for (const [i, size] of SIZES.entries()) {
    const ward = await upsertUnit(db, {
      code: `B${i + 1}`,
      name: `W${i}`,
      fullName: `Phường thử ${i + 1}`,
      type: 'ward',
      parentId: province,
    });
    const t0 = performance.now();
    await db.query(
      `INSERT INTO users (email, name) SELECT 'm' || g || '@bench.local', 'Thành viên ' || g FROM generate_series($1::int, $2::int) g`,
      [made + 1, made + size],
    );
    await db.query(
      `INSERT INTO role_grants (user_id, role, unit_id) SELECT u.id, 'member', $1 FROM users u WHERE u.email LIKE 'm%@bench.local' AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id)`,
      [ward],
    );
    made += size;
    const seedMs = performance.now() - t0;
    const editor: Principal = {
      userId: editorId,
      email: 'bench',
      name: 'bench',
      locale: 'vi',
      via: 'session',
      grants: [
        {
          role: 'editor',
          unitId: province,
          unitPath: (await db.one<{ p: string }>(`SELECT path::text AS p FROM units WHERE id = $1`, [province]))!.p,
        },
      ],
    };
    // the editor's request: validation, audience count, campaign row, one queued job
    const r0 = performance.now();
    const created = await createCampaign(
      db,
      { principal: editor, ip: null },
      campaignSchema(config.baseUrl).parse({
        title: `Chiến dịch ${size}`,
        message: 'Thông tin chính thức',
        links: '/',
        units: String(ward),
        starts: iso(0),
        ends: iso(7),
      }),
    );
    const requestMs = performance.now() - r0;
    // the fan-out job: recipients, notifications and delivery jobs
    const q0 = performance.now();
    const out = await fanout(db, created.id, config.baseUrl);
    const queuedMs = performance.now() - q0;
    if (out.messages !== size) throw new Error(`queued ${out.messages} of ${size}`);
    // delivery to the SMTP peer through the job queue
    const target = Math.min(size, DELIVER_CAP);
    const before = smtp.count();
    const worker = new Worker(db, deps.jobs, { concurrency: CONCURRENCY, pollMs: 20 });
    const d0 = performance.now();
    worker.start();
    while (smtp.count() - before < target) await new Promise((r) => setTimeout(r, 20));
    const deliverMs = performance.now() - d0;
    await worker.stop();
    await db.query(`DELETE FROM jobs WHERE type = 'notify.deliver' AND status = 'queued'`); // the rest of a capped run
    rows.push({
      db: kind,
      members: size,
      'seed s': fmt(seedMs / 1000, 1),
      'request ms': fmt(requestMs, 0),
      'all queued s': fmt(queuedMs / 1000, 2),
      'queued/s': fmt(size / (queuedMs / 1000), 0),
      delivered: target,
      'delivered s': fmt(deliverMs / 1000, 1),
      'delivered/s': fmt(target / (deliverMs / 1000), 0),
      'ratio queue/request': fmt(queuedMs / requestMs, 0),
    });
  }
  await smtp.close();
  await db.close();
  return rows;
}

async function redirectRun() {
  const db = await benchDb('pglite');
  const platform = await startPlatform(db);
  const member = (await db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'member@demo.local'`))!.id;
  const item = (await db.one<{ id: number; url: string }>(
    `SELECT i.id, i.url FROM network_campaign_items i JOIN network_campaigns c ON c.id = i.campaign_id WHERE c.starts_at <= now() AND c.ends_at > now() ORDER BY i.id LIMIT 1`,
  ))!;
  const code = linkCode(await installationSecret({ db, state: new AppState() }, 'network.secret'), item.id, member);
  const bare = await bareServer('', { location: item.url }, 302);
  await load(bare.url, { seconds: 1 });
  const base = await load(bare.url, { headers: { 'user-agent': UA } });
  const clicksBefore = (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM network_clicks`))!.n;
  await load(`${platform.url}/s/${code}`, { seconds: 2, headers: { 'user-agent': UA } }); // warm-up (JIT, caches)
  const bot = await load(`${platform.url}/s/${code}`, { headers: { 'user-agent': 'facebookexternalhit/1.1' } });
  const person = await load(`${platform.url}/s/${code}`, { headers: { 'user-agent': UA } });
  // every hit a new visitor (a different browser string): each one is counted, one INSERT per hit
  let n = 0;
  const fresh = await autocannon({
    url: `${platform.url}/s/${code}`,
    connections: 10,
    duration: QUICK ? 2 : 8,
    requests: [
      { setupRequest: (req: Record<string, unknown>) => ({ ...req, headers: { 'user-agent': `${UA} v${n++}` } }) },
    ],
  } as unknown as autocannon.Options);
  const freshRes = {
    rps: fresh.requests.average,
    p50: fresh.latency.p50,
    p99: fresh.latency.p99,
    errors: fresh.errors + fresh.timeouts,
    non2xx: fresh.non2xx,
  };
  const counted = (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM network_clicks`))!.n - clicksBefore;
  await bare.close();
  await platform.close();
  await db.close();
  const row = (name: string, r: Awaited<ReturnType<typeof load>>) => ({
    target: name,
    rps: fmt(r.rps, 0),
    'ratio to bare': fmt(r.rps / base.rps, 3),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    errors: r.errors,
  });
  return {
    rows: [
      row('bare node:http 302', base),
      row('/s/CODE same browser repeating (not counted)', person),
      row('/s/CODE link-preview bot (no write)', bot),
      row('/s/CODE new visitor every hit (counted, INSERT)', freshRes),
    ],
    counted,
  };
}

/** BENCH_NETWORK_ONLY=fanout|redirects runs one half. */
const ONLY = process.env.BENCH_NETWORK_ONLY;
if (ONLY !== 'redirects') {
  /** BENCH_NETWORK_DB=pglite|pg runs the fan-out on one database only. */
  const DBS = process.env.BENCH_NETWORK_DB
    ? [process.env.BENCH_NETWORK_DB as 'pglite' | 'pg']
    : hasPg() && !QUICK
      ? (['pg', 'pglite'] as const)
      : (['pglite'] as const);
  const fanRows: Record<string, unknown>[] = [];
  for (const kind of DBS) fanRows.push(...(await fanoutRun(kind)));
  report('network-fanout', fanRows, [
    `Members are generated in one ward per run; one campaign to that ward. "request" = the editor's POST work (validation, audience count, insert, one job).`,
    `"all queued" = the fan-out job: recipients in one INSERT … SELECT, then notifications + notify.deliver jobs in batches of 5,000.`,
    `Delivery: worker concurrency ${CONCURRENCY}, nodemailer to an in-process smtp-server peer on the same 2 cores; capped at the first ${DELIVER_CAP} messages of each run.`,
  ]);
}
if (ONLY !== 'fanout') {
  const r = await redirectRun();
  report('network-redirects', r.rows, [
    `10 connections, PGlite in memory, demo data, rate limits off. The same browser repeats, so after the first visit every hit of the 'same browser' row is a repeat inside the 30-minute window; clicks counted during the run (first repeat + every new visitor) = ${r.counted}.`,
  ]);
}
process.exit(0);
