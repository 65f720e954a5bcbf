/**
 * Reading the text of a screenshot: sharp decodes (refusing what is not an image and anything past the pixel
 * limit), turns it upright, scales it to at most 2,000 px on its long side (a 40-megapixel photo is reduced first)
 * and hands a grey PNG to Debian's `tesseract` with the Vietnamese data. Measured against tesseract.js in
 * docs/tipline.md: the CLI was both more accurate and faster. At most two OCR processes run at once, each with a
 * time limit, so a storm of pictures does not slow the other residents' text messages.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export const OCR_MAX_SIDE = 2000;
export const OCR_TIMEOUT_MS = 30_000;
const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export type OcrResult =
  | { ok: true; text: string; ms: number }
  | { ok: false; error: 'notImage' | 'tooManyPixels' | 'failed' };

/** An image prepared for OCR: upright, at most OCR_MAX_SIDE px, greyscale PNG. Null when it is not an image. */
export async function prepareForOcr(bytes: Buffer, maxPixels: number): Promise<Buffer | 'notImage' | 'tooManyPixels'> {
  try {
    const img = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' });
    const meta = await img.metadata();
    if (!meta.width || !meta.height) return 'notImage';
    const small = Math.max(meta.width, meta.height) < 900;
    return await img
      .rotate()
      .resize({
        width: small ? 1400 : OCR_MAX_SIDE,
        height: small ? 1400 : OCR_MAX_SIDE,
        fit: 'inside',
        withoutEnlargement: !small,
      })
      .grayscale()
      .png({ compressionLevel: 1 })
      .toBuffer();
  } catch (err) {
    return String(err).includes('pixel limit') ? 'tooManyPixels' : 'notImage';
  }
}

function tesseract(file: string, lang: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'tesseract',
      [file, 'stdout', '-l', lang, '--psm', '3'],
      { timeout: OCR_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, OMP_THREAD_LIMIT: '1' } },
      (err, stdout) => {
        if (err) reject(err);
        else resolve(stdout);
      },
    );
  });
}

export async function ocr(bytes: Buffer, opts: { maxPixels: number; lang?: string }): Promise<OcrResult> {
  const started = performance.now();
  const png = await prepareForOcr(bytes, opts.maxPixels);
  if (png === 'notImage' || png === 'tooManyPixels') return { ok: false, error: png };
  return slot(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tipline-ocr-'));
    try {
      const file = path.join(dir, 'in.png');
      await writeFile(file, png);
      const raw = await tesseract(file, opts.lang ?? 'vie');
      const text = raw
        .normalize('NFC')
        .replace(/[ \t]+/g, ' ')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
      return { ok: true as const, text, ms: Math.round(performance.now() - started) };
    } catch {
      return { ok: false as const, error: 'failed' as const };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
