import { createHash, randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import type { Db } from '../../db/client.js';
import type { BlobStore } from './store.js';

export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
  maxPixels: number;
}

export type UploadKind = 'image' | 'image-or-pdf';

export interface StoredFile {
  id: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
}

/** Why a file was refused; `code` is an i18n key of the common catalog. */
export class UploadError extends Error {
  constructor(
    public readonly code: 'file.tooMany' | 'file.tooLarge' | 'file.badType' | 'file.tooManyPixels',
    public readonly vars: Record<string, string | number>,
  ) {
    super(code);
  }
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const MAX_EDGE = 2560;

/**
 * Checks the real type from the bytes (never the name or the browser's claim), re-encodes images
 * (which drops EXIF, GPS and anything appended, so polyglots do not survive) and stores the result.
 */
/** What an upload error message names: the file and the size limit in MB. */
const messageVars = (name: string, limits: UploadLimits) => ({
  name: name.slice(0, 80),
  max: Math.round(limits.maxBytes / 1024 / 1024),
});

/** An image's size read from its header alone; refused when it is unreadable or has more pixels than allowed. */
async function headerSize(
  bytes: Uint8Array,
  maxPixels: number,
  vars: Record<string, string | number>,
): Promise<{ width: number | null; height: number | null }> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxPixels }).metadata();
  } catch (err) {
    if (String(err).includes('pixel limit')) throw new UploadError('file.tooManyPixels', vars);
    throw new UploadError('file.badType', vars);
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > maxPixels) throw new UploadError('file.tooManyPixels', vars);
  return { width: meta.width ?? null, height: meta.height ?? null };
}

export async function processUpload(
  bytes: Uint8Array,
  name: string,
  kind: UploadKind,
  limits: UploadLimits,
): Promise<{ bytes: Uint8Array; mime: string; width: number | null; height: number | null }> {
  const vars = messageVars(name, limits);
  if (bytes.byteLength > limits.maxBytes) throw new UploadError('file.tooLarge', vars);
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed && IMAGE_TYPES.has(sniffed.mime)) {
    await headerSize(bytes, limits.maxPixels, vars);
    try {
      const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxPixels })
        .rotate() // apply the EXIF orientation before the EXIF goes
        .flatten({ background: '#ffffff' }) // transparent areas become white, not black
        .resize({ width: MAX_EDGE, height: MAX_EDGE, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
      return { bytes: new Uint8Array(data), mime: 'image/jpeg', width: info.width, height: info.height };
    } catch {
      throw new UploadError('file.badType', vars);
    }
  }
  if (kind === 'image-or-pdf' && sniffed?.mime === 'application/pdf' && isPlainPdf(bytes)) {
    return { bytes, mime: 'application/pdf', width: null, height: null };
  }
  throw new UploadError('file.badType', vars);
}

/** PDF features that run code, open other programs or smuggle files: refused. */
const ACTIVE_PDF = /\/(javascript|js|launch|embeddedfiles?|richmedia|xfa|importdata|submitform)(?![a-z0-9])/;
const HTMLISH = /<(html|script|svg|body|iframe|object|embed)[\s>/]/;

/** PDF names may spell letters as #xx (`/J#61vaScript`): undo that before looking. */
const pdfNames = (text: string) =>
  text.replace(/#([0-9a-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

/**
 * A PDF must start with its header, carry no script, launch action, embedded file or HTML, and
 * end at its last %%EOF: a PDF with a ZIP or HTML document glued after it (a polyglot) is refused.
 * Dictionaries (where /JS and /JavaScript live) are looked at outside streams and inside
 * compressed object streams; other streams (images, fonts) are binary and skipped, so random
 * bytes in a scan cannot look like a keyword.
 */
export function isPlainPdf(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 5).toString('latin1') !== '%PDF-') return false;
  const eof = buf.lastIndexOf('%%EOF');
  if (eof < 0) return false;
  const tail = buf.subarray(eof + 5);
  if (tail.byteLength > 1024 || /[^\s\x00]/.test(tail.toString('latin1'))) return false;
  const lower = buf.toString('latin1').toLowerCase();
  const bad = (s: string) => HTMLISH.test(s) || ACTIVE_PDF.test(pdfNames(s));
  let budget = 64 * 1024 * 1024;
  let outside = '';
  let pos = 0;
  const streamStart = /\bstream\r?\n/g;
  for (let m = streamStart.exec(lower); m; m = streamStart.exec(lower)) {
    const from = m.index + m[0].length;
    const to = lower.indexOf('endstream', from);
    if (to < 0) return false;
    outside += lower.slice(pos, m.index);
    pos = to + 9;
    streamStart.lastIndex = pos;
    const dict = pdfNames(lower.slice(Math.max(0, m.index - 400), m.index));
    if (!/\/type\s*\/objstm/.test(dict.slice(dict.lastIndexOf('endobj') + 1))) continue;
    let inflated: Buffer;
    try {
      inflated = inflateSync(buf.subarray(from, to), { maxOutputLength: budget, finishFlush: 2 /* Z_SYNC_FLUSH */ });
    } catch {
      return false; // an object stream we cannot read could hide anything
    }
    budget -= inflated.byteLength;
    if (budget <= 0 || bad(inflated.toString('latin1').toLowerCase())) return false;
  }
  outside += lower.slice(pos);
  return !bad(outside);
}

export async function saveFile(
  db: Db,
  store: BlobStore,
  input: { bytes: Uint8Array; mime: string; width: number | null; height: number | null; name?: string },
): Promise<StoredFile> {
  const id = randomUUID();
  const ext = input.mime === 'application/pdf' ? 'pdf' : 'jpg';
  const key = `${id.slice(0, 2)}/${id}.${ext}`;
  await store.put(key, input.bytes);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  await db.query(
    `INSERT INTO files (id, storage_key, mime, size, width, height, sha256, original_name) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [id, key, input.mime, input.bytes.byteLength, input.width, input.height, sha256, input.name?.slice(0, 200) ?? null],
  );
  return { id, mime: input.mime, size: input.bytes.byteLength, width: input.width, height: input.height };
}

/** Validates and stores a batch; nothing is stored unless every file passes. */
export async function storeUploads(
  db: Db,
  store: BlobStore,
  files: File[],
  kind: UploadKind,
  limits: UploadLimits,
): Promise<StoredFile[]> {
  const real = files.filter((f) => f.size > 0);
  if (real.length > limits.maxFiles) throw new UploadError('file.tooMany', { max: limits.maxFiles });
  const processed = [];
  for (const f of real)
    processed.push({
      ...(await processUpload(new Uint8Array(await f.arrayBuffer()), f.name, kind, limits)),
      name: f.name,
    });
  const saved = [];
  for (const p of processed) saved.push(await saveFile(db, store, p));
  return saved;
}

export async function readFileRow(
  db: Db,
  id: string,
): Promise<{ id: string; storage_key: string; mime: string; size: number; sha256: string | null } | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return db.one(`SELECT id, storage_key, mime, size, sha256 FROM files WHERE id = $1`, [id]);
}

export async function deleteFile(db: Db, store: BlobStore, id: string): Promise<void> {
  const row = await readFileRow(db, id);
  if (!row) return;
  await store.delete(row.storage_key);
  await db.query(`DELETE FROM files WHERE id = $1`, [id]);
}

/** A stored file's row and bytes, for a route that serves it (undefined when either is missing). */
export async function loadFile(
  db: Db,
  store: BlobStore,
  id: string,
): Promise<{ id: string; mime: string; size: number; bytes: Uint8Array } | undefined> {
  const row = await readFileRow(db, id);
  if (!row) return undefined;
  const bytes = await store.get(row.storage_key);
  return bytes ? { id: row.id, mime: row.mime, size: row.size, bytes } : undefined;
}

// ---------- deferred image cleaning (the upload is kept as sent, privately, until a job re-encodes it) ----------

/** A received image, checked from its header only (type, pixel count): decoding and re-encoding come later. */
export interface CheckedImage {
  bytes: Uint8Array;
  mime: string;
  width: number | null;
  height: number | null;
  name: string;
}

/**
 * The cheap part of processUpload: size, real type from the bytes, and the pixel count from the
 * header. A file that passes may still fail to decode; the cleaning job finds that out.
 */
export async function checkImage(bytes: Uint8Array, name: string, limits: UploadLimits): Promise<CheckedImage> {
  const vars = messageVars(name, limits);
  if (bytes.byteLength > limits.maxBytes) throw new UploadError('file.tooLarge', vars);
  const sniffed = await fileTypeFromBuffer(bytes);
  if (!sniffed || !IMAGE_TYPES.has(sniffed.mime)) throw new UploadError('file.badType', vars);
  return { bytes, mime: sniffed.mime, ...(await headerSize(bytes, limits.maxPixels, vars)), name };
}

/** Checks a batch; nothing passes unless every file does. */
export async function checkImages(files: File[], limits: UploadLimits): Promise<CheckedImage[]> {
  const real = files.filter((f) => f.size > 0);
  if (real.length > limits.maxFiles) throw new UploadError('file.tooMany', { max: limits.maxFiles });
  const out = [];
  for (const f of real) out.push(await checkImage(new Uint8Array(await f.arrayBuffer()), f.name, limits));
  return out;
}

/** Where an upload's original bytes wait for cleaning: a key never used for a cleaned file. */
export const originalKey = (id: string) => `originals/${id.slice(0, 2)}/${id}.bin`;
/** Where a cleaned image lives (the same shape saveFile uses). */
export const cleanKey = (id: string) => `${id.slice(0, 2)}/${id}.jpg`;

/**
 * Puts the original bytes in the store and inserts the files row pointing at them. The caller
 * records, in the same transaction, that the file still needs cleaning (and must never serve it).
 */
export async function saveOriginal(db: Db, store: BlobStore, img: CheckedImage): Promise<StoredFile> {
  const id = randomUUID();
  await store.put(originalKey(id), img.bytes);
  const sha256 = createHash('sha256').update(img.bytes).digest('hex');
  await db.query(
    `INSERT INTO files (id, storage_key, mime, size, width, height, sha256, original_name) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [
      id,
      originalKey(id),
      img.mime,
      img.bytes.byteLength,
      img.width,
      img.height,
      sha256,
      img.name.slice(0, 200) || null,
    ],
  );
  return { id, mime: img.mime, size: img.bytes.byteLength, width: img.width, height: img.height };
}

export interface JpegSettings {
  quality: number;
  mozjpeg: boolean;
  trellisQuantisation?: boolean;
  optimiseScans?: boolean;
}

/** What processUpload uses: mozjpeg with all its searches (smallest files, slowest). */
export const MOZJPEG: JpegSettings = { quality: 82, mozjpeg: true };
/**
 * mozjpeg's tables and progressive scans without its two slow searches (trellis quantisation and
 * scan optimisation), progressive so a slow phone shows it early: about 1.7× faster than MOZJPEG,
 * files about 30% larger, slightly closer to the original (PSNR); libjpeg-turbo is a little faster
 * still but further from the original (bench/mailbox.bench.ts measures the three side by side).
 */
export const FAST_JPEG: JpegSettings = { quality: 82, mozjpeg: true, trellisQuantisation: false, optimiseScans: false };
/** libjpeg-turbo's own encoder, for comparison: fastest, larger files at the same quality. */
export const TURBO_JPEG: JpegSettings = { quality: 80, mozjpeg: false };

/** Thrown when an image cannot be decoded: retrying will not help. */
export class UndecodableImage extends Error {
  readonly permanent = true;
}

/**
 * Decodes an image fully and writes a new JPEG: EXIF orientation applied, then every piece of
 * metadata (EXIF, GPS, XMP, ICC, comments) and anything appended left behind.
 */
export async function cleanImage(
  bytes: Uint8Array,
  maxPixels: number,
  jpeg: JpegSettings = FAST_JPEG,
): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels })
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize({ width: MAX_EDGE, height: MAX_EDGE, fit: 'inside', withoutEnlargement: true })
      .jpeg(jpeg)
      .toBuffer({ resolveWithObject: true });
    return { bytes: new Uint8Array(data), width: info.width, height: info.height };
  } catch (err) {
    throw new UndecodableImage(err instanceof Error ? err.message : String(err));
  }
}
