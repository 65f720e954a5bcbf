/**
 * Tiplines (issue 17), `npm run bench -- tipline`:
 * 1. OCR character accuracy and time on Vietnamese screenshots made here (text with diacritics in Noto Sans — the
 *    Android system font family — Noto Serif and DejaVu Sans, 1080 px wide like a phone, some JPEG-compressed), for
 *    Debian's `tesseract` CLI (what the module uses) and, when TESSERACT_JS_DIR names a folder with tesseract.js
 *    installed, tesseract.js with the same vie.traineddata: the comparison that picked the CLI.
 * 2. Webhook-to-reply time (p50/p95) for a text and for a screenshot, against a local fake Telegram Bot API,
 *    through the real server and the job queue.
 * 3. Messages handled per second (webhook → conversation → reply received by the fake), beside the bare webhook
 *    handler (verify + drop replays + enqueue, no worker) measured in the same run as the baseline.
 * BENCH_QUICK=1: fewer messages and images.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ocr } from '../src/modules/tipline/service/ocr.js';
import { Worker } from '../src/platform/jobs/queue.js';
import { startTelegram } from '../test/tipline/fakes/telegram.js';
import { benchDb, fmt, percentile, QUICK, report, startPlatform } from './lib.js';

const TOKEN = '42:bench-token';
const SECRET = 'bench-secret';

const SAMPLES = [
  'Khẩn cấp: Nhà máy nước sẽ cắt nước toàn thành phố trong 3 ngày, bà con hãy tích trữ nước ngay!',
  'Thông báo: từ ngày 15/12 học sinh được nghỉ học hết tháng vì dịch cúm mới bùng phát mạnh.',
  'Chia sẻ gấp: cầu Trường Tiền bị nứt, cấm toàn bộ xe máy và ô tô lưu thông từ tối nay.',
  'Ủy ban phường phát tiền hỗ trợ lũ lụt 2 triệu đồng mỗi hộ, ai chưa nhận thì đăng ký qua đường link này.',
  'Nước sông Hương dâng cao kỷ lục, dự báo ngập sâu 2 mét ở các phường ven sông vào đêm nay.',
  'Giá điện tăng gấp đôi từ tháng sau, người dân phải đóng thêm phí bảo trì đồng hồ điện.',
];
const FONTS = ['Noto Sans', 'Noto Serif', 'DejaVu Sans'];

function wrap(text: string, perLine: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if ((line + ' ' + w).trim().length > perLine) {
      out.push(line);
      line = w;
    } else line = (line + ' ' + w).trim();
  }
  if (line) out.push(line);
  return out;
}

async function screenshot(text: string, font: string, jpeg: number | null, scale = 1): Promise<Buffer> {
  const width = Math.round(1080 * scale);
  const size = Math.round(42 * scale);
  const lines = wrap(text, 36);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const height = Math.round((lines.length + 3) * size * 1.6);
  // a chat bubble on a grey background, like a forwarded message
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#e9edf2"/>
    <rect x="${size / 2}" y="${size}" rx="${size / 2}" width="${width - size}" height="${(lines.length + 1) * size * 1.6}" fill="#ffffff"/>
    ${lines.map((l, i) => `<text x="${size}" y="${Math.round(size * 2.6 + i * size * 1.6)}" font-family="${font}" font-size="${size}" fill="#1c1e21">${esc(l)}</text>`).join('')}</svg>`;
  const img = sharp(Buffer.from(svg));
  return jpeg ? img.jpeg({ quality: jpeg }).toBuffer() : img.png().toBuffer();
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
const accuracy = (got: string, want: string) => Math.max(0, 1 - levenshtein(norm(got), norm(want)) / norm(want).length);

async function ocrBench() {
  const cases: { name: string; text: string; bytes: Buffer }[] = [];
  const texts = QUICK ? SAMPLES.slice(0, 3) : SAMPLES;
  for (const [i, text] of texts.entries()) {
    const font = FONTS[i % FONTS.length]!;
    cases.push({ name: `${font} png`, text, bytes: await screenshot(text, font, null) });
    cases.push({ name: `${font} jpeg q60`, text, bytes: await screenshot(text, font, 60) });
  }
  // one 40-megapixel photo of a screen (downscaled before OCR)
  cases.push({
    name: '40 MP jpeg',
    text: SAMPLES[0]!,
    bytes: await sharp(await screenshot(SAMPLES[0]!, 'Noto Sans', null, 7.2))
      .resize(7746, 5164, { fit: 'fill' })
      .jpeg({ quality: 85 })
      .toBuffer(),
  });
  const rows: Record<string, unknown>[] = [];
  const engines: { name: string; run: (b: Buffer) => Promise<string>; close?: () => Promise<void> }[] = [
    {
      name: 'tesseract CLI (vie)',
      run: async (b) => {
        const r = await ocr(b, { maxPixels: 50_000_000 });
        return r.ok ? r.text : '';
      },
    },
  ];
  const tjsDir = process.env.TESSERACT_JS_DIR;
  if (tjsDir && existsSync(path.join(tjsDir, 'node_modules/tesseract.js'))) {
    const { createWorker } = (await import(path.join(tjsDir, 'node_modules/tesseract.js/src/index.js'))) as {
      createWorker: (
        lang: string,
        oem: number,
        opts: Record<string, unknown>,
      ) => Promise<{ recognize: (b: Buffer) => Promise<{ data: { text: string } }>; terminate: () => Promise<void> }>;
    };
    const worker = await createWorker('vie', 1, {
      langPath: '/usr/share/tesseract-ocr/5/tessdata',
      gzip: false,
      cachePath: '/tmp/tjs-cache',
      logger: () => {},
    });
    engines.push({
      name: 'tesseract.js (vie)',
      run: async (b) => {
        // the same preparation as the CLI path, so only the engine differs
        const png = await sharp(b, { limitInputPixels: 50_000_000 })
          .rotate()
          .resize({ width: 2000, height: 2000, fit: 'inside', withoutEnlargement: true })
          .grayscale()
          .png()
          .toBuffer();
        return (await worker.recognize(png)).data.text;
      },
      close: () => worker.terminate(),
    });
  }
  for (const e of engines) {
    const times: number[] = [];
    const accs: number[] = [];
    for (const c of cases) {
      const t0 = performance.now();
      const text = await e.run(c.bytes);
      times.push(performance.now() - t0);
      accs.push(accuracy(text, c.text));
    }
    await e.close?.();
    const sorted = [...times].sort((a, b) => a - b);
    const plain = cases.map((c, i) => ({ c, a: accs[i]! })).filter((x) => !x.c.name.includes('jpeg'));
    const jpeg = cases.map((c, i) => ({ c, a: accs[i]! })).filter((x) => x.c.name.includes('jpeg q60'));
    rows.push({
      engine: e.name,
      images: cases.length,
      'char accuracy (all)': fmt((accs.reduce((s, a) => s + a, 0) / accs.length) * 100) + ' %',
      png: fmt((plain.reduce((s, x) => s + x.a, 0) / plain.length) * 100) + ' %',
      'jpeg q60': fmt((jpeg.reduce((s, x) => s + x.a, 0) / jpeg.length) * 100) + ' %',
      '40 MP': fmt(accs.at(-1)! * 100) + ' %',
      'p50 ms': fmt(percentile(sorted, 50), 0),
      'p95 ms': fmt(percentile(sorted, 95), 0),
    });
  }
  report('tipline-ocr', rows, [
    `tesseract ${execFileSync('tesseract', ['--version']).toString().split('\n')[0]}; images: ${cases.map((c) => c.name).join(', ')}`,
  ]);
}

async function flowBench() {
  const tg = await startTelegram(TOKEN);
  const db = await benchDb('pglite');
  const platform = await startPlatform(db, {
    env: {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_BASE: tg.url,
      OUTBOUND_ALLOW_HOSTS: tg.host,
    },
  });
  let id = 1;
  const post = (body: unknown) =>
    fetch(`${platform.url}/tipline/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(body),
    });
  const textUpdate = (chat: number, text: string) => ({
    update_id: ++id,
    message: {
      message_id: id,
      date: 0,
      chat: { id: chat, type: 'private' },
      from: { id: chat, language_code: 'vi' },
      text,
    },
  });
  const waitFor = async (chat: number, n: number, timeoutMs = 60_000) => {
    const t0 = Date.now();
    while (tg.to(chat).length < n) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`no reply for chat ${chat}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };

  // baseline: the bare webhook handler (verify + replay check + enqueue), no worker running
  const N = QUICK ? 200 : 1000;
  let t0 = performance.now();
  for (let i = 0; i < N; i += 20)
    await Promise.all(Array.from({ length: 20 }, (_, k) => post(textUpdate(100_000 + i + k, 'menu'))));
  const bareRate = N / ((performance.now() - t0) / 1000);

  const worker = new Worker(db, platform.deps.jobs, { concurrency: 4, pollMs: 20 });
  worker.start();
  await waitFor(100_000 + N - 1, 1, 300_000);

  // webhook → reply, one text at a time
  const textMs: number[] = [];
  for (let i = 0; i < (QUICK ? 20 : 60); i++) {
    const chat = 200_000 + i;
    const s = performance.now();
    await post(textUpdate(chat, 'menu'));
    await waitFor(chat, 1);
    textMs.push(performance.now() - s);
  }
  // webhook → reply for a screenshot (download, OCR, match, answer)
  const shotMs: number[] = [];
  for (let i = 0; i < (QUICK ? 4 : 12); i++) {
    const chat = 300_000 + i;
    const fileId = `shot${i}`;
    tg.files.set(fileId, await screenshot(SAMPLES[i % SAMPLES.length]!, FONTS[i % FONTS.length]!, i % 2 ? 70 : null));
    const s = performance.now();
    await post({
      update_id: ++id,
      message: {
        message_id: id,
        chat: { id: chat, type: 'private' },
        from: { id: chat },
        photo: [{ file_id: fileId, file_unique_id: fileId, width: 1080, height: 800, file_size: 1 }],
      },
    });
    await waitFor(chat, 2, 120_000);
    shotMs.push(performance.now() - s);
  }
  // throughput: many people at once, handled end to end
  t0 = performance.now();
  for (let i = 0; i < N; i += 20)
    await Promise.all(Array.from({ length: 20 }, (_, k) => post(textUpdate(400_000 + i + k, 'menu'))));
  for (let i = 0; i < N; i++) await waitFor(400_000 + i, 1, 300_000);
  const fullRate = N / ((performance.now() - t0) / 1000);
  await worker.stop();

  const ts = [...textMs].sort((a, b) => a - b);
  const ss = [...shotMs].sort((a, b) => a - b);
  report(
    'tipline-flow',
    [
      {
        what: 'text: webhook → reply received',
        n: ts.length,
        'p50 ms': fmt(percentile(ts, 50), 0),
        'p95 ms': fmt(percentile(ts, 95), 0),
      },
      {
        what: 'screenshot: webhook → answer received',
        n: ss.length,
        'p50 ms': fmt(percentile(ss, 50), 0),
        'p95 ms': fmt(percentile(ss, 95), 0),
      },
      { what: 'bare webhook handler (verify + enqueue), msgs/s', n: N, rate: fmt(bareRate, 0) },
      {
        what: 'handled end to end (reply at the fake), msgs/s',
        n: N,
        rate: fmt(fullRate, 0),
        'vs baseline': fmt(fullRate / bareRate, 2) + '×',
      },
    ],
    ['PGlite, one process, worker concurrency 4; fake Telegram on 127.0.0.1.'],
  );
  await platform.close();
  await tg.close();
  await db.close();
}

if (!process.env.TIPLINE_BENCH_ONLY || process.env.TIPLINE_BENCH_ONLY === 'ocr') await ocrBench();
if (!process.env.TIPLINE_BENCH_ONLY || process.env.TIPLINE_BENCH_ONLY === 'flow') await flowBench();
process.exit(0);
