/** Residents' photos: taken as sent, cleaned of metadata by a job, orphans deleted. */
import { createHash } from 'node:crypto';
import type { Deps } from '../../../http/context.js';
import {
  checkImages,
  cleanImage,
  cleanKey,
  originalKey,
  saveOriginal,
  UndecodableImage,
  type CheckedImage,
  type JpegSettings,
  type UploadLimits,
} from '../../../platform/files/files.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import type { Db } from '../../../db/client.js';
import * as repo from '../repo.js';
import { deletePhotoSizes, makePhotoSizes } from './photo-sizes.js';
import { publicChanged } from './public-cache.js';

type Tx = Db;

export const PHOTO_JOB = 'mailbox.photo';

/**
 * Takes a resident's photos as sent: checked from their headers (type, size, pixels), stored
 * privately, and queued for cleaning in the same transaction. Nothing is decoded here, so the
 * form answers at once; nothing is stored unless every file passes.
 */
export async function acceptPhotos(
  deps: Pick<Deps, 'db' | 'blobs'>,
  files: File[],
  limits: UploadLimits,
): Promise<string[]> {
  return storePhotos(deps, await checkImages(files, limits));
}

/**
 * Stores photos already checked (checkImages) and queues their cleaning. Callers check the form and
 * the flood limit first, so a refused or flooding form never leaves files or jobs behind.
 */
export async function storePhotos(
  deps: Pick<Deps, 'db' | 'blobs'>,
  checked: CheckedImage[],
  attach?: (tx: Tx, ids: string[]) => Promise<void>,
): Promise<string[]> {
  if (checked.length === 0) return [];
  return deps.db.tx(async (tx) => {
    const ids: string[] = [];
    for (const img of checked) ids.push((await saveOriginal(tx, deps.blobs, img)).id);
    await repo.recordUploads(tx, ids, 'pending');
    for (const id of ids)
      await enqueue(tx, PHOTO_JOB, { fileId: id }, { uniqueKey: `${PHOTO_JOB}:${id}`, maxAttempts: 5 });
    if (attach) await attach(tx, ids);
    return ids;
  });
}

export const ORPHAN_JOB = 'mailbox.orphan-uploads';
const DAY_MS = 86400_000;

/**
 * Uploads never attached to a report (a form abandoned after its photos were stored, a replayed
 * submission) are deleted a day later: the files row and both possible blobs.
 */
export async function deleteOrphanUploads(deps: Pick<Deps, 'db' | 'blobs'>, olderThanMs = DAY_MS): Promise<number> {
  let n = 0;
  for (const { file_id } of await repo.orphanUploads(deps.db, new Date(Date.now() - olderThanMs))) {
    const key = await deps.db.tx((tx) => repo.deleteOrphanUpload(tx, file_id));
    if (!key) continue;
    await Promise.all([
      deps.blobs.delete(key),
      deps.blobs.delete(originalKey(file_id)),
      deps.blobs.delete(cleanKey(file_id)),
      deletePhotoSizes(deps.blobs, file_id),
    ]);
    n++;
  }
  return n;
}

/**
 * The cleaning job: decodes the original, writes a JPEG without any metadata in its place, deletes
 * the original and marks the photo ready. An image that cannot be decoded is marked failed and its
 * bytes deleted; the report keeps everything else.
 */
export async function cleanPhoto(
  deps: Pick<Deps, 'db' | 'blobs' | 'config' | 'state'>,
  fileId: string,
  jpeg?: JpegSettings,
): Promise<'ready' | 'failed' | 'skipped'> {
  const row = await repo.uploadForCleaning(deps.db, fileId);
  if (!row) return 'skipped';
  if (row.state !== 'pending') {
    await deps.blobs.delete(originalKey(fileId)); // a run that stopped after its commit
    return 'skipped';
  }
  const original = await deps.blobs.get(row.storage_key);
  let clean: CleanImage | null = null;
  if (original) {
    try {
      clean = await cleanImage(original, deps.config.UPLOAD_MAX_PIXELS, jpeg);
    } catch (err) {
      if (!(err instanceof UndecodableImage)) throw err;
    }
  }
  if (clean) await makePhotoSizes(deps.blobs, fileId, clean.bytes); // thumbnail and medium, made once here
  return (await settlePhoto(deps, fileId, clean)) ? (clean ? 'ready' : 'failed') : 'skipped';
}

/**
 * The cleaning job's last attempt failed for another reason than the image (the file store, memory):
 * the photo is marked failed like an undecodable one, so pages stop showing it as being processed,
 * and the original with its metadata is deleted. The job still ends dead, with its error, for operators.
 */
export const abandonPhoto = (deps: Pick<Deps, 'db' | 'blobs' | 'state'>, fileId: string): Promise<boolean> =>
  settlePhoto(deps, fileId, null);

type CleanImage = Awaited<ReturnType<typeof cleanImage>>;

/**
 * Ends a pending photo: the clean JPEG (or, with none, an empty file, so backups find what the row names)
 * takes the original's place and the row says ready or failed. False when another run settled it first.
 */
async function settlePhoto(
  deps: Pick<Deps, 'db' | 'blobs' | 'state'>,
  fileId: string,
  clean: CleanImage | null,
): Promise<boolean> {
  const bytes = clean ? clean.bytes : new Uint8Array(0);
  await deps.blobs.put(cleanKey(fileId), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const done = await deps.db.tx(async (tx) => {
    const now = await repo.uploadForCleaning(tx, fileId, true);
    if (!now || now.state !== 'pending') return false;
    if (clean)
      await repo.markPhotoReady(tx, fileId, {
        storageKey: cleanKey(fileId),
        size: bytes.byteLength,
        width: clean.width,
        height: clean.height,
        sha256,
      });
    else await repo.markPhotoFailed(tx, fileId, cleanKey(fileId), sha256);
    return true;
  });
  await deps.blobs.delete(originalKey(fileId));
  if (done) publicChanged(deps.state);
  return done;
}
