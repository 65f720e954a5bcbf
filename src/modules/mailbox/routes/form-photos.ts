/** Photos sent with the report form and the private page's reply: checked, limited and stored the same way. */
import type { Ctx } from '../../../http/context.js';
import { type CheckedImage, checkImages, UploadError } from '../../../platform/files/files.js';
import { common } from '../../../platform/i18n/common.js';
import { hit } from '../../../platform/ratelimit/ratelimit.js';
import { mt } from '../i18n.js';
import * as svc from '../service.js';
import { UUID } from './photo-sizes.js';

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The files chosen in the form's photo field. */
export const chosenFiles = (body: Record<string, unknown>): File[] =>
  list(body.photos).filter((f): f is File => f instanceof File && f.size > 0);

/** Photos stored earlier (a form coming back): their ids, at most the form's limit. */
export const keptPhotoIds = (c: Ctx, body: Record<string, unknown>): string[] =>
  list(body.photo_ids)
    .filter((x): x is string => typeof x === 'string' && UUID.test(x))
    .slice(0, c.get('deps').config.UPLOAD_MAX_FILES);

/** Checks the headers of the chosen photos (nothing is stored); `kept` photos count towards the limit. */
export async function checkPhotos(
  c: Ctx,
  files: File[],
  kept = 0,
): Promise<{ checked: CheckedImage[]; error?: string }> {
  if (files.length === 0) return { checked: [] };
  const config = c.get('deps').config;
  const locale = c.get('locale');
  const max = config.UPLOAD_MAX_FILES;
  if (kept + files.length > max) return { checked: [], error: common.t(locale)('file.tooMany', { max }) };
  try {
    const checked = await checkImages(files, {
      maxBytes: config.UPLOAD_MAX_BYTES,
      maxFiles: max,
      maxPixels: config.UPLOAD_MAX_PIXELS,
    });
    return { checked };
  } catch (err) {
    if (!(err instanceof UploadError)) throw err;
    return { checked: [], error: common.t(locale)(err.code, err.vars) };
  }
}

/** At most 30 photo files an hour from one address: null, or the refusal and the seconds to wait. */
export async function uploadLimit(c: Ctx): Promise<{ message: string; wait: number } | null> {
  const deps = c.get('deps');
  if (deps.config.RATE_LIMIT_DISABLED) return null;
  const r = await hit(deps.db, `mailbox:upload:${c.get('ip')}`, 30, 3600);
  if (r.allowed) return null;
  const minutes = Math.ceil(r.retryAfterSeconds / 60);
  return { message: mt.t(c.get('locale'))('form.rateLimited', { minutes }), wait: r.retryAfterSeconds };
}

/**
 * The ward search ("Tìm") submits the form without JavaScript: photos chosen before it are kept (checked, stored
 * privately and queued for cleaning like on sending, under the same hourly upload limit) and come back attached,
 * so the resident never has to choose them again. Unattached uploads are deleted a day later.
 */
export async function keepPhotosOnFind(
  c: Ctx,
  body: Record<string, unknown>,
  photoIds: string[],
): Promise<{ photoIds: string[]; error?: string }> {
  const { checked, error } = await checkPhotos(c, chosenFiles(body), photoIds.length);
  if (error) return { photoIds, error };
  if (checked.length === 0) return { photoIds };
  const limited = await uploadLimit(c);
  if (limited) return { photoIds, error: limited.message };
  return { photoIds: [...photoIds, ...(await svc.storePhotos(c.get('deps'), checked))] };
}
