/**
 * Mailbox: accepted reports per second (no photo, one photo) through the same service as the form,
 * beside a plain INSERT of the same row in the same run; the JSON API under load; and requests per
 * second of the public list page beside a bare node:http server sending the same bytes.
 * PGlite always; PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { storeUploads } from '../src/platform/files/files.js';
import { seedPlatformDemo } from '../src/platform/demo/seed.js';
import { mailboxModule } from '../src/modules/mailbox/index.js';
import * as repo from '../src/modules/mailbox/repo.js';
import { createReport } from '../src/modules/mailbox/service.js';
import { bareServer, benchDb, fmt, hasPg, load, QUICK, report, startPlatform } from './lib.js';

const N = QUICK ? 40 : 300;
const CONC = 8;

async function pool(n: number, conc: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < n) await task(next++);
  }));
  return n / ((performance.now() - t0) / 1000);
}

const photoBytes = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 120, g: 130, b: 110 }, noise: { type: 'gaussian', mean: 128, sigma: 12 } } }).jpeg({ quality: 85 }).toBuffer();
const rows: Record<string, unknown>[] = [];

for (const kind of ['pglite', 'pg'] as const) {
  if (kind === 'pg' && !hasPg()) {
    console.log('PostgreSQL run skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
    continue;
  }
  const db = await benchDb(kind);
  // only the platform's and the mailbox's demo data: the measured pages do not depend on other modules
  const platform = await startPlatform(db, { demo: false });
  const deps = platform.deps;
  await mailboxModule.seedDemo!(deps, await seedPlatformDemo(db, 'demo1234'));
  const cat = (await repo.findCategoryByCode(db, 'moi-truong'))!;
  const unit = (await repo.findUnitByCode(db, '19789'))!;
  const input = {
    category: cat.id, unit: unit.id, title: 'Rác thải tồn đọng ở kiệt 12 Lê Lợi', description: 'Điểm tập kết rác đầu kiệt không được thu gom đã 4 ngày, bốc mùi hôi.',
    address: '12 Lê Lợi', lat: 16.4637, lon: 107.5909, name: 'Nguyễn Thị Hoa', phone: '0912345678', email: 'hoa@example.org', show_name: false,
  };
  const deadline = new Date(Date.now() + 7 * 86400_000);
  const insert = (i: number) => repo.insertReport(db, {
    code: `BENCH-${kind}-${i}-${randomBytes(3).toString('hex')}`, tokenHash: randomBytes(32).toString('hex'), apiToken: randomBytes(12).toString('hex'),
    categoryId: cat.id, unitId: unit.id, agencyId: null, title: input.title, description: input.description, address: input.address, lat: input.lat, lon: input.lon,
    contactName: input.name, contactPhone: input.phone, contactEmail: input.email, showName: false, locale: 'vi', source: 'api', deadlineAt: deadline,
  });
  const conc = kind === 'pglite' ? 1 : CONC;
  await pool(10, conc, insert); // warm-up
  const plain = await pool(N, conc, insert);
  await pool(10, conc, () => createReport(deps, input, { source: 'api', locale: 'vi' }));
  const noPhoto = await pool(N, conc, () => createReport(deps, input, { source: 'api', locale: 'vi' }));
  const nPhoto = Math.max(10, Math.floor(N / 10));
  const onePhoto = await pool(nPhoto, conc, async () => {
    const files = await storeUploads(db, deps.blobs, [new File([new Uint8Array(photoBytes)], 'anh.jpg', { type: 'image/jpeg' })], 'image', { maxBytes: 10 << 20, maxFiles: 5, maxPixels: 40_000_000 });
    await repo.recordUploads(db, files.map((f) => f.id));
    return createReport(deps, input, { source: 'api', locale: 'vi', photoIds: files.map((f) => f.id) });
  });
  rows.push({ db: kind, what: `plain INSERT of the same row (${conc} at a time)`, 'per second': fmt(plain, 0), 'ratio to INSERT': '1.000' });
  rows.push({ db: kind, what: 'accepted report, no photo (service: validation, routing, deadline, code, timeline, notifications)', 'per second': fmt(noPhoto, 0), 'ratio to INSERT': fmt(noPhoto / plain, 3) });
  rows.push({ db: kind, what: `accepted report, one ${Math.round(photoBytes.byteLength / 1024)} KB 1600×1200 photo (re-encoded)`, 'per second': fmt(onePhoto, 1), 'ratio to INSERT': fmt(onePhoto / plain, 3) });

  // the JSON API under load (10 connections), no photo
  const api = await load(platform.url + '/api/v1/mailbox/reports', { method: 'POST', body: JSON.stringify({ ...input, category: 'moi-truong', unit: '19789' }), headers: { 'content-type': 'application/json' }, seconds: QUICK ? 2 : 5 });
  rows.push({ db: kind, what: 'POST /api/v1/mailbox/reports, 10 connections', 'per second': fmt(api.rps, 0), 'ratio to INSERT': fmt(api.rps / plain, 3), 'p50 ms': api.p50, 'p99 ms': api.p99, errors: api.errors + api.non2xx });

  // the public list page
  const sample = await fetch(platform.url + '/mailbox');
  const bytes = new Uint8Array(await sample.arrayBuffer());
  const bare = await bareServer(bytes, { 'content-type': 'text/html; charset=utf-8' });
  await load(bare.url, { seconds: 1 });
  const base = await load(bare.url);
  await new Promise((r) => setTimeout(r, 2000)); // let the API run's last requests finish
  await load(platform.url + '/mailbox', { seconds: 1 });
  const list = await load(platform.url + '/mailbox');
  const search = await load(platform.url + '/mailbox?q=rac%20thai&status=answered');
  await bare.close();
  rows.push({ db: kind, what: `bare node:http, same ${bytes.byteLength} bytes`, 'per second': fmt(base.rps, 0), 'ratio to bare': '1.000', 'p50 ms': base.p50, 'p99 ms': base.p99 });
  rows.push({ db: kind, what: 'GET /mailbox (public list)', 'per second': fmt(list.rps, 0), 'ratio to bare': fmt(list.rps / base.rps, 3), 'p50 ms': list.p50, 'p99 ms': list.p99, errors: list.errors + list.non2xx });
  rows.push({ db: kind, what: 'GET /mailbox?q=rac thai&status=answered (search)', 'per second': fmt(search.rps, 0), 'ratio to bare': fmt(search.rps / base.rps, 3), 'p50 ms': search.p50, 'p99 ms': search.p99, errors: search.errors + search.non2xx });
  const total = (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM mailbox_reports`))!.n;
  console.log(`${kind}: ${total} reports in the table at the end`);
  await platform.close();
  await db.close();
}

report('mailbox', rows, [
  `Reports: ${N} sequential on PGlite (one connection by design), ${N} with ${CONC} at a time on PostgreSQL; photo runs ${Math.max(10, Math.floor(N / 10))}.`,
  'Platform and mailbox demo data loaded (96 reports), rate limits off. The service path includes validation, the routing rules, the working-day deadline, the code sequence, the report and its first timeline row in one statement, and the webhook lookup; the photo path adds the platform’s re-encode (sharp, mozjpeg).',
]);
process.exit(0);
