/**
 * Claim matching (issue 13), against a plain BM25 baseline computed in the same run:
 * - quality on the development sets (../shared/data/claims-dev or CLAIMS_DEV_DIR, read at run time, skipped when absent):
 *   English CheckThat! 2020 dev (MAP@5, R@1, R@5), Vietnamese ViFactCheck as typed and without diacritics (R@1, R@5,
 *   MRR); abstention with a fixed 20% of the target documents removed (share answered correctly at the configured
 *   threshold, and at the best threshold as a ceiling);
 * - latency p50/p95 of the desk's matcher through the database (the per-query change-log read included) with 1k, 10k
 *   and 100k published fact-checks on PGlite and PostgreSQL (TEST_DATABASE_URL or BENCH_DATABASE_URL), beside plain
 *   BM25 in process over the same texts; the index build time (first query) at each size. The fact-checks to find are
 *   the demo set; the rest are synthetic distractors from the same vocabulary; the queries are our own paraphrases.
 *   BENCH_QUICK=1: 1k and 10k only.
 *
 * Public pages: requests per second of the anonymous home page (/, vi and en), the desk's front page (/desk) and a
 * list page (/factchecks) over the full platform with the demo data plus 3,000 published pieces with long bodies and
 * transcripts, beside /healthz measured in the same run (BENCH_PG=1: PostgreSQL too). BENCH_DESK=pages or
 * BENCH_DESK=match runs only one part (BENCH_DESK=quality: only the development-set part). Figures on a busy machine move a lot: compare the ratios, run twice.
 */
import { migrate } from '../src/db/migrate.js';
import type { Db } from '../src/db/client.js';
import { demoFactchecks } from '../src/modules/desk/demo.js';
import { type MatchDeps, matchItems, matchSettings } from '../src/modules/desk/service/match/matching.js';
import { insertItem } from '../src/modules/desk/repo.js';
import { publishedDocs } from '../src/modules/desk/service/match/repo.js';
import { warmIndexes } from '../src/modules/desk/service/match/sync.js';
import { slugify } from '../src/modules/desk/service/text.js';
import { PlainBm25 } from './desk-match-data.js';
import { qualityRows } from './desk-match-quality.js';
import { heldOutRows } from './desk-calibrate.js';
import { CALIBRATION } from '../src/modules/desk/service/match/calibrate.js';
import { moduleNames } from '../src/modules/index.js';
import { loadConfig } from '../src/config.js';
import { AppState } from '../src/platform/app-state.js';
import { benchDb, fmt, hasPg, load, percentile, QUICK, report, startPlatform } from './lib.js';

/** query → key of the demo fact-check it should find */
export const evalSet: [string, string][] = [
  ['Huế cắt nước cả tuần để rửa đường ống phải không', 'water-cut'],
  ['nghe noi sap mat nuoc toan thanh pho 5 ngay, co can tru nuoc khong', 'water-cut'],
  ['Năm nay học phí trường công tăng gấp đôi?', 'school-fee'],
  ['hoc sinh phai dong them 2 trieu tien hoc phi', 'school-fee'],
  ['cầu Trường Tiền nứt sắp sập, cấm xe máy', 'bridge-collapse'],
  ['cau truong tien bi nut dam co that khong', 'bridge-collapse'],
  ['thủy điện xả lũ trong đêm, Phú Vinh phải sơ tán gấp', 'flood-dam'],
  ['nuoc se dang 3 met vi thuy dien xa lu khan cap', 'flood-dam'],
  ['tiêm vắc-xin sởi cho con có bị gắn chip theo dõi không', 'vaccine-chip'],
  ['vac xin co vi mach dinh vi', 'vaccine-chip'],
  ['Cả phường An Cựu bị giải tỏa để làm khu đô thị', 'land-recall'],
  ['an cuu thu hoi dat toan bo, dan phai di doi', 'land-recall'],
  ['bấm link trong tin nhắn nhận 3 triệu hỗ trợ người về hưu', 'pension-sms'],
  ['tin nhan nhan tien ho tro luong huu co phai lua dao', 'pension-sms'],
  ['giá điện sắp tăng 20 phần trăm từ tháng tới', 'electricity-price'],
  ['tien dien sinh hoat tang 20% thang sau', 'electricity-price'],
  ['chợ Đông Ba đóng cửa luôn, tiểu thương phải ra ngoại ô', 'market-closed'],
  ['cho dong ba dong cua vinh vien', 'market-closed'],
  ['Vỹ Dạ có dịch sốt xuất huyết hơn chục ca', 'dengue'],
  ['o dich sot xuat huyet phuong vy da', 'dengue'],
  ['quên mang bằng lái giấy bị phạt 5 triệu dù có trên ứng dụng', 'license-fine'],
  ['khong mang giay phep lai xe ban giay phat 5 trieu', 'license-fine'],
  ['sở giáo dục cho học sinh nghỉ cả tuần vì bão, văn bản thật không', 'typhoon-school'],
  ['cong van nghi hoc het tuan vi bao', 'typhoon-school'],
  ['gạo nhựa bán ngoài chợ nấu không chín', 'rice-plastic'],
  ['gao nhua tron gao that gay ung thu', 'rice-plastic'],
  ['người trên 60 tuổi đi xe buýt không mất tiền?', 'bus-free'],
  ['nguoi cao tuoi di xe buyt mien phi co dung khong', 'bus-free'],
  // harder: other words for the same thing, little shared vocabulary
  ['nhà máy nước ngừng cung cấp cả tuần, phải tích trữ', 'water-cut'],
  ['trẻ tiêm phòng bị cấy thiết bị định vị', 'vaccine-chip'],
  ['SMS mạo danh bảo hiểm xã hội gửi đường dẫn nhận tiền', 'pension-sms'],
  ['ông bà trên sáu mươi lên buýt khỏi mua vé', 'bus-free'],
  ['hồ chứa thượng nguồn sắp xả nước, dân phải chạy lũ', 'flood-dam'],
  ['hóa đơn tiền điện tháng tới đội lên 1/5', 'electricity-price'],
];

const SUBJ = [
  'Bệnh viện Trung ương',
  'Sở Giáo dục',
  'UBND phường Thuận Hoá',
  'Công ty điện lực',
  'Trường tiểu học Vỹ Dạ',
  'Chợ Bến Ngự',
  'Công an thành phố',
  'Ngân hàng nhà nước',
  'Công ty cấp nước',
  'Bảo hiểm xã hội',
  'Sở Xây dựng',
  'Ban quản lý chợ',
  'Trung tâm y tế',
  'UBND xã Phú Vinh',
  'Nhà máy thủy điện',
  'Hội đồng nhân dân',
];
const VERB = [
  'sẽ cắt',
  'cấm',
  'tăng giá',
  'thu hồi',
  'phát miễn phí',
  'đóng cửa',
  'giảm',
  'tạm ngừng',
  'bắt buộc nộp',
  'phạt nặng',
  'hỗ trợ',
  'kiểm tra',
];
const OBJ = [
  'nước sinh hoạt',
  'điện',
  'học phí',
  'đất ở',
  'xe máy',
  'lương hưu',
  'bảo hiểm y tế',
  'gạo',
  'vé xe buýt',
  'thịt heo',
  'vắc-xin',
  'giấy phép lái xe',
  'nhà văn hóa',
  'cầu đi bộ',
  'sổ đỏ',
];
const WHEN = [
  'toàn thành phố',
  'trong 3 ngày',
  'từ tháng sau',
  'ở phường An Cựu',
  'vào cuối tuần',
  'cho người cao tuổi',
  'từ năm 2027',
  'trong mùa mưa bão',
  'đối với học sinh',
  'ở khu vực ven sông',
  'suốt tháng 12',
  'cho hộ nghèo',
];

const arr = (a: string[]) => `ARRAY[${a.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

async function buildCorpus(db: Db, total: number): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const t0 = performance.now();
  for (const fc of demoFactchecks) {
    ids.set(
      fc.key,
      await insertItem(
        db,
        {
          kind: 'factcheck',
          title: fc.title,
          slug: slugify(fc.title),
          summary: fc.summary,
          body: fc.body,
          claim: fc.claim,
          appearances: [],
          claimDate: null,
          verdict: fc.verdict,
          method: '',
          videoUrl: null,
          posterUrl: null,
          transcript: null,
          sources: fc.sources,
        },
        { authorId: null, status: 'published', publishedAt: new Date(Date.now() - fc.daysAgo * 86400_000) },
      ),
    );
  }
  const synthetic = total - demoFactchecks.length;
  const batch = 20_000;
  for (let start = 1; start <= synthetic; start += batch) {
    const end = Math.min(synthetic, start + batch - 1);
    await db.query(
      `WITH v AS (SELECT ${arr(SUBJ)} AS s, ${arr(VERB)} AS v, ${arr(OBJ)} AS o, ${arr(WHEN)} AS w)
       INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
       SELECT 'factcheck', x.c, 'synthetic-' || g, 'Kết luận cho tin số ' || g || ': ' || x.c, 'Giải thích chi tiết về tin ' || x.c || '. Chúng tôi đã liên hệ ' || v.s[1 + (g * 3) % 16] || ' và đối chiếu văn bản về ' || v.o[1 + (g * 7) % 15] || ' ' || v.w[1 + (g * 5) % 12] || '. Người dân cần theo dõi thông báo chính thức, không chia sẻ tin chưa kiểm chứng về ' || v.o[1 + (g * 11) % 15] || '.',
              x.c, (ARRAY['sai','dung','gay-hieu-lam','thieu-boi-canh','chua-du-can-cu'])[1 + g % 5], 'published', now() - (g % 365) * interval '1 day',
              '[{"title":"Nguồn tổng hợp"}]'::jsonb
       FROM v, generate_series($1::int, $2::int) g,
       LATERAL (SELECT v.s[1 + (g * 7) % 16] || ' ' || v.v[1 + (g * 5) % 12] || ' ' || v.o[1 + (g * 11) % 15] || ' ' || v.w[1 + (g * 13) % 12] || ' (tin ' || g || ')' AS c) x`,
      [start, end],
    );
  }
  await db.query('ANALYZE desk_items');
  console.log(`  built ${total} fact-checks in ${fmt((performance.now() - t0) / 1000)} s`);
  return ids;
}

interface Quality {
  r1: number;
  r5: number;
  mrr: number;
  p50: number;
  p95: number;
}

async function evaluate(
  run: (q: string) => Promise<number[]> | number[],
  ids: Map<string, number>,
  rounds = QUICK ? 2 : 3,
): Promise<Quality> {
  for (const [q] of evalSet.slice(0, 3)) await run(q); // warm-up
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [q, key] of evalSet) {
      const t0 = performance.now();
      const got = await run(q);
      times.push(performance.now() - t0);
      if (round > 0) continue;
      const rank = got.slice(0, 5).indexOf(ids.get(key)!);
      if (rank === 0) r1++;
      if (rank >= 0) {
        r5++;
        mrr += 1 / (rank + 1);
      }
    }
  }
  times.sort((a, b) => a - b);
  const n = evalSet.length;
  return { r1: r1 / n, r5: r5 / n, mrr: mrr / n, p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Published pieces the size real ones are: a few KB of explanation, sources, and a long transcript for videos. */
async function bulkPieces(db: Db, n: number): Promise<void> {
  await db.query(
    `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources, transcript, video_url, method)
     SELECT k, 'Bài số ' || g || ': ' || left(repeat('thông tin cần kiểm chứng ', 4), 90), 'bai-so-' || g,
            'Tóm tắt ngắn cho bài số ' || g || ', kết luận và bối cảnh trong một câu.',
            repeat('Đoạn giải thích chi tiết, dẫn văn bản, số liệu và ý kiến chuyên gia độc lập. ', 60),
            CASE WHEN k = 'factcheck' THEN 'Lời đồn số ' || g ELSE NULL END,
            CASE WHEN k = 'factcheck' THEN (ARRAY['sai','dung','gay-hieu-lam','thieu-boi-canh','chua-du-can-cu'])[1 + g % 5] ELSE NULL END,
            'published', now() - (g % 300) * interval '1 hour',
            (SELECT jsonb_agg(jsonb_build_object('title', 'Nguồn ' || s, 'publisher', 'Cơ quan ' || s, 'url', 'https://example.org/nguon/' || s)) FROM generate_series(1, 6) s),
            CASE WHEN k = 'video' THEN repeat('Lời thoại của video, từng câu một, đầy đủ cho người không xem được. ', 250) ELSE NULL END,
            CASE WHEN k = 'video' THEN 'https://video.example.org/' || g ELSE NULL END,
            CASE WHEN k = 'factcheck' THEN repeat('Phương pháp: đối chiếu hai nguồn. ', 20) ELSE '' END
     FROM generate_series(1, $1::int) g, LATERAL (SELECT (ARRAY['factcheck','factcheck','factcheck','article','video'])[1 + g % 5] AS k) x`,
    [n],
  );
  await db.query('ANALYZE desk_items');
}

async function pages(): Promise<void> {
  const kinds: ('pglite' | 'pg')[] = process.env.BENCH_PG === '1' && hasPg() ? ['pglite', 'pg'] : ['pglite'];
  const rows: Record<string, unknown>[] = [];
  for (const kind of kinds) {
    const db = await benchDb(kind);
    const p = await startPlatform(db);
    try {
      await bulkPieces(db, 3000);
      const paths = ['/healthz', '/', '/?lang=en', '/desk', '/factchecks'];
      for (const path of paths) await load(p.url + path, { seconds: 1, connections: 4 }); // warm-up
      let base = 0;
      for (const path of paths) {
        const r = await load(p.url + path);
        if (path === '/healthz') base = r.rps;
        rows.push({
          db: kind,
          path,
          'req/s': fmt(r.rps, 0),
          'p50 ms': r.p50,
          'p99 ms': r.p99,
          'vs /healthz': fmt(r.rps / base, 3),
          errors: r.errors + r.non2xx,
        });
      }
    } finally {
      await p.close();
      await db.close();
    }
  }
  report('desk-pages', rows, [
    'Anonymous GETs, 10 connections; the demo data plus 3,000 published pieces with long bodies. Ratio: requests per second against /healthz in the same run.',
  ]);
}

async function latency(): Promise<void> {
  const sizes = QUICK ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const kinds: ('pglite' | 'pg')[] = hasPg() ? ['pglite', 'pg'] : ['pglite'];
  const rows: Record<string, unknown>[] = [];
  for (const kind of kinds) {
    for (const n of sizes) {
      console.log(`\n${kind}, ${n} fact-checks`);
      const db = await benchDb(kind);
      try {
        await migrate(db, moduleNames);
        const ids = await buildCorpus(db, n);
        const deps = matchDeps(db);
        // start-up: the warm-up builds the index in the background; a question asked meanwhile does not wait for it
        const warming = warmIndexes(deps);
        const t0 = performance.now();
        const during = await matchItems(deps, 'khởi động chỉ mục', { limit: 5 });
        const first = performance.now() - t0;
        const build = await warming;
        const tr = performance.now();
        for (let after = 0; ; ) {
          const page = await publishedDocs(db, after, 5000);
          if (page.length < 5000) break;
          after = page[page.length - 1].id;
        }
        const read = performance.now() - tr;
        console.log(
          `  first question during the warm-up: ${fmt(first)} ms (${during.length} results); build ${fmt(build, 0)} ms, of which reading ~${fmt(read, 0)} ms`,
        );
        const m = await evaluate(async (q) => (await matchItems(deps, q, { limit: 5 })).map((s) => s.id), ids);
        const docs = await db.query<{ id: number; t: string }>(
          `SELECT id, coalesce(claim, '') || ' ' || title || ' ' || summary || ' ' || body AS t FROM desk_items WHERE status = 'published' ORDER BY id`,
        );
        const tb = performance.now();
        const bm25 = new PlainBm25(
          docs.map((d) => String(d.id)),
          docs.map((d) => d.t),
        );
        const bBuild = performance.now() - tb;
        docs.length = 0;
        const b = await evaluate((q) => bm25.rank(q, 5).map(Number), ids);
        rows.push(
          {
            db: kind,
            factchecks: n,
            method: 'desk BM25F (via the database)',
            'R@1': fmt(m.r1, 2),
            'R@5': fmt(m.r5, 2),
            MRR: fmt(m.mrr, 2),
            'p50 ms': fmt(m.p50),
            'p95 ms': fmt(m.p95),
            'build ms': fmt(build, 0),
            'read ms': fmt(read, 0),
            '1st query ms': fmt(first),
          },
          {
            db: kind,
            factchecks: n,
            method: 'plain BM25 (in process)',
            'R@1': fmt(b.r1, 2),
            'R@5': fmt(b.r5, 2),
            MRR: fmt(b.mrr, 2),
            'p50 ms': fmt(b.p50),
            'p95 ms': fmt(b.p95),
            'build ms': fmt(bBuild, 0),
          },
        );
      } finally {
        await db.close();
      }
    }
  }
  report('desk-matching-latency', rows, [
    `${evalSet.length} paraphrased queries (each run ${QUICK ? 2 : 3} times for the timings) over ${demoFactchecks.length} demo fact-checks among synthetic distractors.`,
    'desk: GET-path matcher (matchItems): one change-log read in the database, then the in-process BM25F index. build: the start-up warm-up (reads every published fact-check and builds the index, in the background); read: the reading part alone; 1st query: a question asked while the warm-up runs (answered at once, without the index: nothing matched).',
    'plain BM25: k1 1.2, b 0.75, lower-cased word tokens over claim + title + summary + body, in process (no database).',
  ]);
}

/** The bench's settings (the process environment's MATCH_* thresholds, as a server would read them). */
const benchConfig = loadConfig({ ...process.env, DATA_DIR: '/tmp/caunoi-bench', LOG_LEVEL: 'silent' });
/** One app's view of a database for the matcher: its own indexes. */
const matchDeps = (db: Db): MatchDeps => ({ db, state: new AppState(), config: benchConfig });

async function main() {
  const threshold = matchSettings({ config: benchConfig }).answerThreshold;
  const rows = qualityRows(threshold);
  if (rows.length) {
    report('desk-matching-quality', rows, [
      'Development sets read at run time from ../shared/data/claims-dev (or CLAIMS_DEV_DIR); nothing is copied into the project.',
      `Abstention: a fixed 20% of the target documents removed (by a hash of their id); share of queries answered correctly (the right item, or "not checked yet" when its item was removed) at ${threshold === null ? "each question's language's answer threshold (vi " + CALIBRATION.vi.answer + ', en ' + CALIBRATION.en.answer + ')' : 'the configured threshold ' + threshold}, and at the best threshold (a ceiling).`,
      'Baseline: plain BM25 (k1 1.2, b 0.75, \\w+ tokens); for Vietnamese the better of naive and folded-on-both-sides.',
    ]);
    report('desk-matching-calibration', heldOutRows(), [
      'Per-language calibration (src/modules/desk/service/match/calibrate.ts, fitted by bench/desk-calibrate.ts) on questions it was not fitted on: English CheckThat! dev; the held-out half of ViFactCheck.',
      'precision: right among the answered; answered right: the right item answered, or "not checked yet" when its item is missing; results right @related: shown results (top 3 at or above the related threshold) that are the question\'s own item.',
    ]);
  } else console.log('claim-matching development sets not found: quality part skipped');
  if (process.env.BENCH_DESK !== 'quality') await latency();
}

if (process.env.BENCH_DESK !== 'match' && process.env.BENCH_DESK !== 'quality') await pages();
if (process.env.BENCH_DESK !== 'pages') await main();
