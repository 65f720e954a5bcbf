/**
 * Smaller copies of a cleaned photo, made once by the photo job (`mailbox.photo`) from the clean JPEG (so they carry no
 * metadata either): a thumbnail for lists and pages, a medium size to open. Pages never send the full photo to a
 * phone unless asked. Copies live beside the clean file under derived keys; one that is missing (a photo cleaned
 * before sizes existed, a lost blob) is made from the clean file on first request and kept.
 */
import sharp from 'sharp';
import type { BlobStore } from '../../../platform/files/store.js';

export const PHOTO_SIZES = { thumb: 320, medium: 1024 } as const;
export type PhotoSize = keyof typeof PHOTO_SIZES;
export const isPhotoSize = (s: string): s is PhotoSize => s in PHOTO_SIZES;

export const photoSizeKey = (fileId: string, size: PhotoSize) => `sizes/${fileId.slice(0, 2)}/${fileId}-${size}.jpg`;
export const photoSizeKeys = (fileId: string) =>
  (Object.keys(PHOTO_SIZES) as PhotoSize[]).map((s) => photoSizeKey(fileId, s));

export async function resizePhoto(clean: Uint8Array, size: PhotoSize): Promise<Uint8Array> {
  const edge = PHOTO_SIZES[size];
  const out = await sharp(clean)
    .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: size === 'thumb' ? 72 : 80, mozjpeg: true })
    .toBuffer();
  return new Uint8Array(out);
}

/** The photo job's last step: every size from the clean JPEG, written once. */
export async function makePhotoSizes(blobs: BlobStore, fileId: string, clean: Uint8Array): Promise<void> {
  for (const size of Object.keys(PHOTO_SIZES) as PhotoSize[])
    await blobs.put(photoSizeKey(fileId, size), await resizePhoto(clean, size));
}

/** A size's bytes: the stored copy, or one made now from the clean file (and kept). Null when the photo has no bytes. */
export async function photoSizeBytes(
  blobs: BlobStore,
  fileId: string,
  cleanKey: string,
  size: PhotoSize,
): Promise<Uint8Array | null> {
  const stored = await blobs.get(photoSizeKey(fileId, size));
  if (stored && stored.byteLength > 0) return stored;
  const clean = await blobs.get(cleanKey);
  if (!clean || clean.byteLength === 0) return null;
  const bytes = await resizePhoto(clean, size);
  await blobs.put(photoSizeKey(fileId, size), bytes);
  return bytes;
}

export const deletePhotoSizes = (blobs: BlobStore, fileId: string) =>
  Promise.all(photoSizeKeys(fileId).map((k) => blobs.delete(k)));
