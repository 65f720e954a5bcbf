/**
 * Fact-check exchange:
 * 1. pulling 10,000 and 100,000 fact-checks from a partner (signed pages of 500 ClaimReview items served over
 *    loopback, each page verified, checked item by item and applied in one transaction, also handed to the desk's
 *    matcher), in items per second, beside a plain INSERT of the same rows into a table of the same shape in the same run;
 * 2. the added matching latency: the desk's matcher on residents' questions with the demo's own fact-checks only,
 *    and again with the 100,000 partner items present.
 * BENCH_QUICK=1: 2,000 and 10,000 items. Runs on PGlite, and on PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../src/db/client.js';
import * as desk from '../src/modules/desk/public.js';
import * as repo from '../src/modules/exchange/repo.js';
import { parseDataFeed } from '../src/modules/exchange/service/claimreview.js';
import { fingerprintOf } from '../src/modules/exchange/service/keys.js';
import { pullSource } from '../src/modules/exchange/service/pull.js';
import { outboundOptions } from '../src/platform/net/outbound.js';
import { benchDb, fmt, hasPg, percentile, QUICK, report, startPlatform } from './lib.js';

const SIZES = QUICK ? [2_000, 10_000] : [10_000, 100_000];
const PAGE = 500;

const PLACES = ['Huế', 'Quảng Trị', 'Đà Nẵng', 'Quảng Nam', 'Hà Tĩnh', 'Nghệ An', 'Quảng Bình', 'Kon Tum'];
const SUBJECTS = [
  'nước máy',
  'điện lực',
  'trường học',
  'bệnh viện',
  'cầu',
  'chợ',
  'xe buýt',
  'sân bay',
  'vắc xin',
  'học phí',
  'giá xăng',
  'thủy điện',
];
const EVENTS = [
  'bị nhiễm độc',
  'đóng cửa',
  'cắt toàn bộ',
  'tăng gấp đôi',
  'miễn phí',
  'bị sập',
  'phát tiền hỗ trợ',
  'ngừng hoạt động',
  'xả lũ khẩn cấp',
  'bị thu hồi',
];
const WHEN = ['từ ngày mai', 'trong ba ngày', 'cả tuần', 'sau bão', 'dịp Tết', 'từ tháng sau'];

function review(i: number, base: string) {
  const p = PLACES[i % PLACES.length];
  const s = SUBJECTS[Math.floor(i / 8) % SUBJECTS.length];
  const e = EVENTS[Math.floor(i / 96) % EVENTS.length];
  const w = WHEN[Math.floor(i / 960) % WHEN.length];
  const title = `${s[0].toUpperCase()}${s.slice(1)} ${p} ${e} ${w} (#${i})`;
  const url = `${base}/factchecks/${i}-bai-${i}`;
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    '@type': 'DataFeedItem',
    dateModified: at,
    item: {
      '@type': 'ClaimReview',
      '@id': url,
      url,
      name: title,
      claimReviewed: `Lời đồn: ${s} ở ${p} ${e} ${w}`,
      description: `Sai. Không có chuyện ${s} ở ${p} ${e}.`,
      datePublished: at,
      dateModified: at,
      inLanguage: 'vi',
      author: { '@type': 'Organization', name: 'Sở TT&TT Bench', url: base },
      reviewRating: { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'Sai' },
      itemReviewed: {
        '@type': 'Claim',
        appearance: [{ '@type': 'CreativeWork', description: 'Tin nhắn chuyển tiếp' }],
      },
      spatialCoverage: [{ '@type': 'Place', name: p }],
    },
  };
}

/** A partner that serves `n` items in signed pages of 500, newest first; pages are made and signed beforehand, so the run times the pulling side only. */
async function partner(n: number) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const pages: { body: Buffer; sig: string }[] = [];
  for (let page = 0; page * PAGE < n; page++) {
    const from = n - 1 - page * PAGE;
    const items = [];
    for (let i = from; i > from - PAGE && i >= 0; i--) items.push(review(i, 'http://bench.example.vn'));
    const next = from - PAGE >= 0 ? `/exchange/v1/factchecks.json?page=${page + 1}` : null;
    const body = Buffer.from(
      JSON.stringify({
        '@context': 'https://schema.org',
        '@type': 'DataFeed',
        publisher: { '@type': 'Organization', name: 'Sở TT&TT Bench', url: 'http://bench.example.vn' },
        nextPage: next,
        dataFeedElement: items,
      }),
    );
    pages.push({ body, sig: sign(null, body, privateKey).toString('base64') });
  }
  const server = http.createServer((req, res) => {
    const p = pages[Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 0)] ?? pages[0];
    res.writeHead(200, {
      'content-type': 'application/ld+json',
      'content-length': String(p.body.length),
      'x-caunoi-key-id': 'benchkey',
      'x-caunoi-signature': p.sig,
    });
    res.end(p.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, pem, hostPort: base.slice(7), close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The baseline: the same rows, parsed once beforehand, inserted plainly (batches of 500, no checks, no matcher). */
async function plainInsert(db: Db, n: number): Promise<number> {
  const rows = [];
  for (let i = n - 1; i >= 0; i--) rows.push(review(i, 'http://bench.example.vn'));
  const parsed = parseDataFeed({ '@type': 'DataFeed', dataFeedElement: rows }, undefined, n).items;
  await db.query(`DROP TABLE IF EXISTS bench_plain`);
  await db.query(`CREATE TABLE bench_plain (LIKE exchange_items INCLUDING DEFAULTS)`);
  const t0 = performance.now();
  for (let i = 0; i < parsed.length; i += PAGE) {
    await db.query(
      `INSERT INTO bench_plain (source_id, remote_id, url, claim, title, summary, rating_value, rating_name, appearances, places, author_name, date_published, date_modified)
       SELECT 0, d.remote_id, d.url, d.claim, d.title, d.summary, d.rating_value, d.rating_name, d.appearances, ARRAY(SELECT jsonb_array_elements_text(d.places)), d.author_name, d.date_published, d.date_modified
       FROM jsonb_to_recordset($1::jsonb) AS d(remote_id text, url text, claim text, title text, summary text, rating_value int, rating_name text, appearances jsonb, places jsonb, author_name text, date_published timestamptz, date_modified timestamptz)`,
      [
        JSON.stringify(
          parsed.slice(i, i + PAGE).map((x) => ({
            remote_id: x.remoteId,
            url: x.url,
            claim: x.claim,
            title: x.title,
            summary: x.summary,
            rating_value: x.ratingValue,
            rating_name: x.ratingName,
            appearances: x.appearances,
            places: x.places,
            author_name: x.authorName,
            date_published: x.datePublished,
            date_modified: x.dateModified,
          })),
        ),
      ],
    );
  }
  const s = (performance.now() - t0) / 1000;
  await db.query(`DROP TABLE bench_plain`);
  return s;
}

const QUESTIONS = [
  'nghe nói nước máy ở Huế bị nhiễm độc sau bão có đúng không',
  'điện lực cắt toàn bộ điện cả tuần',
  'trường học đóng cửa từ ngày mai vì dịch',
  'bệnh viện phát tiền hỗ trợ cho người dân',
  'cầu Trường Tiền bị sập',
  'giá xăng tăng gấp đôi từ tháng sau',
  'thủy điện xả lũ khẩn cấp trong đêm',
  'vắc xin bị thu hồi',
  'học phí miễn phí dịp Tết',
  'xe buýt ngừng hoạt động ở Đà Nẵng',
  'chợ Đông Ba cháy',
  'sân bay Phú Bài đóng cửa ba ngày',
];

type Matcher = (db: Db, text: string, opts?: { limit?: number }) => Promise<{ results: unknown[] }>;
const matchClaim = (desk as unknown as { matchClaim?: Matcher }).matchClaim;

async function matchLatency(db: Db, rounds: number): Promise<{ p50: number; p95: number }> {
  if (!matchClaim) return { p50: NaN, p95: NaN };
  await matchClaim(db, QUESTIONS[0]); // warm: the index is built on first use
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of QUESTIONS) {
      const t0 = performance.now();
      await matchClaim(db, q, { limit: 5 });
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function run(kind: 'pglite' | 'pg') {
  const db = await benchDb(kind);
  const platform = await startPlatform(db);
  const rows: Record<string, unknown>[] = [];
  const before = await matchLatency(db, QUICK ? 2 : 5);
  for (let k = 0; k < SIZES.length; k++) {
    const n = SIZES[k];
    const srv = await partner(n);
    const env = { db, outbound: outboundOptions({ NODE_ENV: 'production', OUTBOUND_ALLOW_HOSTS: srv.hostPort }) };
    const id = await repo.insertSource(db, {
      kind: 'partner',
      url: srv.base,
      name: '',
      homeUrl: srv.base,
      pageUrls: [],
      fingerprint: fingerprintOf(srv.pem),
      publicKeyPem: srv.pem,
      keyId: 'benchkey',
      userId: null,
    });
    const t0 = performance.now();
    const r = await pullSource(env, id);
    const pullS = (performance.now() - t0) / 1000;
    if (!r.ok || r.updated !== n) throw new Error(`pull failed: ${JSON.stringify(r)}`);
    const plainS = await plainInsert(db, n);
    rows.push({
      db: kind,
      items: n,
      'pull s': fmt(pullS, 2),
      'pull items/s': Math.round(n / pullS),
      'plain INSERT items/s': Math.round(n / plainS),
      'pull / plain': fmt(plainS / pullS, 3),
    });
    await srv.close();
    if (k < SIZES.length - 1)
      await db
        .query(`DELETE FROM exchange_sources WHERE id = $1`, [id])
        .then(() =>
          (
            desk as unknown as { removeExternalFactchecks?: (db: Db, k: string, ids: null) => Promise<unknown> }
          ).removeExternalFactchecks?.(db, `exchange-${id}`, null),
        );
  }
  const after = await matchLatency(db, QUICK ? 2 : 5);
  const partnerItems = (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM exchange_items`))!.n;
  rows.push({
    db: kind,
    items: `matching, own items only`,
    'pull s': '',
    'pull items/s': `p50 ${fmt(before.p50, 2)} ms`,
    'plain INSERT items/s': `p95 ${fmt(before.p95, 2)} ms`,
    'pull / plain': '',
  });
  rows.push({
    db: kind,
    items: `matching, + ${partnerItems} partner items`,
    'pull s': '',
    'pull items/s': `p50 ${fmt(after.p50, 2)} ms`,
    'plain INSERT items/s': `p95 ${fmt(after.p95, 2)} ms`,
    'pull / plain': `+${fmt(after.p50 - before.p50, 2)} ms p50`,
  });
  await platform.close();
  await db.close();
  return rows;
}

const all: Record<string, unknown>[] = [];
for (const kind of hasPg() ? (['pglite', 'pg'] as const) : (['pglite'] as const)) all.push(...(await run(kind)));
report('exchange', all, [
  "pull: signed pages of 500 ClaimReview items over loopback, each verified (Ed25519), checked and applied in one transaction, also indexed by the desk's matcher;",
  'plain INSERT: the same rows, parsed beforehand, into a table of the same shape, batches of 500, no checks or matcher (same run, same database).',
  "matching: the desk's matcher over 12 residents' questions, before and after the partner items were pulled.",
]);
process.exit(0);
