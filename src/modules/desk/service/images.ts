/**
 * Images a piece carries, from the editor's form: the ones it already has (caption and credit edited, some removed)
 * and at most one new upload per save, cleaned by the files pipeline (re-encoded, metadata stripped) like every upload.
 */
import type { Ctx } from '../../../http/context.js';
import type { FieldErrors } from '../../../http/forms.js';
import { storeUploads, UploadError } from '../../../platform/files/files.js';
import { common } from '../../../platform/i18n/common.js';
import { dt } from '../i18n.js';
import type { ItemImage } from '../repo.js';

export const IMAGES_MAX = 12;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
const text = (v: unknown) => (typeof v === 'string' ? v.normalize('NFC').trim().slice(0, 300) : '');

/**
 * The images kept from the form. Only images the piece already carries can be kept (an id typed into the form
 * could otherwise publish any stored file, such as a resident's screenshot).
 */
export function keptImages(
  body: Record<string, unknown>,
  current: ItemImage[],
  locale: 'vi' | 'en',
): { images: ItemImage[]; errors: FieldErrors | null } {
  const known = new Set(current.map((i) => i.id));
  const remove = new Set(list(body.image_remove));
  const images: ItemImage[] = [];
  for (const id of list(body.image_id)) {
    if (!UUID.test(id) || !known.has(id) || remove.has(id) || images.some((i) => i.id === id)) continue;
    images.push({ id, caption: text(body[`image_caption_${id}`]), credit: text(body[`image_credit_${id}`]) });
  }
  const missing = images.some((i) => !i.caption || !i.credit);
  return { images, errors: missing ? { images: dt.t(locale)('err.imageCaption') } : null };
}

export const newImageGiven = (body: Record<string, unknown>) =>
  body.image_new instanceof File && body.image_new.size > 0;

/** Checks the new image's caption and credit and the count; stores and cleans it only when the rest of the form is valid. */
export function checkNewImage(
  body: Record<string, unknown>,
  kept: ItemImage[],
  locale: 'vi' | 'en',
): FieldErrors | null {
  if (!newImageGiven(body)) return null;
  const t = dt.t(locale);
  if (kept.length >= IMAGES_MAX) return { image_new: t('err.imageMany') };
  if (!text(body.image_new_caption) || !text(body.image_new_credit)) return { image_new: t('err.imageCaption') };
  return null;
}

export async function storeNewImage(
  c: Ctx,
  body: Record<string, unknown>,
): Promise<{ image: ItemImage | null; errors: FieldErrors | null }> {
  if (!newImageGiven(body)) return { image: null, errors: null };
  const { db, blobs, config } = c.get('deps');
  try {
    const [saved] = await storeUploads(db, blobs, [body.image_new as File], 'image', {
      maxBytes: config.UPLOAD_MAX_BYTES,
      maxFiles: 1,
      maxPixels: config.UPLOAD_MAX_PIXELS,
    });
    return {
      image: { id: saved.id, caption: text(body.image_new_caption), credit: text(body.image_new_credit) },
      errors: null,
    };
  } catch (e) {
    if (e instanceof UploadError)
      return { image: null, errors: { image_new: common.t(c.get('locale'))(e.code, e.vars) } };
    throw e;
  }
}
