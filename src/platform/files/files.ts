import { createHash, randomUUID } from 'node:crypto';
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
  constructor(public readonly code: 'file.tooMany' | 'file.tooLarge' | 'file.badType' | 'file.tooManyPixels', public readonly vars: Record<string, string | number>) {
    super(code);
  }
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const MAX_EDGE = 2560;

/**
 * Checks the real type from the bytes (never the name or the browser's claim), re-encodes images
 * (which drops EXIF, GPS and anything appended, so polyglots do not survive) and stores the result.
 */
export async function processUpload(bytes: Uint8Array, name: string, kind: UploadKind, limits: UploadLimits): Promise<{ bytes: Uint8Array; mime: string; width: number | null; height: number | null }> {
  const vars = { name: name.slice(0, 80), max: Math.round(limits.maxBytes / 1024 / 1024) };
  if (bytes.byteLength > limits.maxBytes) throw new UploadError('file.tooLarge', vars);
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed && IMAGE_TYPES.has(sniffed.mime)) {
    let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
    try {
      meta = await sharp(bytes, { limitInputPixels: limits.maxPixels }).metadata();
    } catch (err) {
      if (String(err).includes('pixel limit')) throw new UploadError('file.tooManyPixels', vars);
      throw new UploadError('file.badType', vars);
    }
    if ((meta.width ?? 0) * (meta.height ?? 0) > limits.maxPixels) throw new UploadError('file.tooManyPixels', vars);
    try {
      const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxPixels })
        .rotate()
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

/** A PDF must start with its header and carry no HTML or script that a browser might run. */
function isPlainPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head !== '%PDF-') return false;
  const text = Buffer.from(bytes).toString('latin1').toLowerCase();
  return !/<(html|script|svg|body)[\s>]/.test(text) && !text.includes('/javascript') && !text.includes('/js ');
}

export async function saveFile(db: Db, store: BlobStore, input: { bytes: Uint8Array; mime: string; width: number | null; height: number | null; name?: string }): Promise<StoredFile> {
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
export async function storeUploads(db: Db, store: BlobStore, files: File[], kind: UploadKind, limits: UploadLimits): Promise<StoredFile[]> {
  const real = files.filter((f) => f.size > 0);
  if (real.length > limits.maxFiles) throw new UploadError('file.tooMany', { max: limits.maxFiles });
  const processed = [];
  for (const f of real) processed.push({ ...(await processUpload(new Uint8Array(await f.arrayBuffer()), f.name, kind, limits)), name: f.name });
  const saved = [];
  for (const p of processed) saved.push(await saveFile(db, store, p));
  return saved;
}

export async function readFileRow(db: Db, id: string): Promise<{ id: string; storage_key: string; mime: string; size: number } | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return db.one(`SELECT id, storage_key, mime, size FROM files WHERE id = $1`, [id]);
}

export async function deleteFile(db: Db, store: BlobStore, id: string): Promise<void> {
  const row = await readFileRow(db, id);
  if (!row) return;
  await store.delete(row.storage_key);
  await db.query(`DELETE FROM files WHERE id = $1`, [id]);
}
