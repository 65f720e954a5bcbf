import type { Ctx } from '../../../http/context.js';
import { checkImages, UploadError } from '../../../platform/files/files.js';
import { common } from '../../../platform/i18n/common.js';
import { hit } from '../../../platform/ratelimit/ratelimit.js';
import { mt } from '../i18n.js';
import * as svc from '../service.js';

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
  const deps = c.get('deps');
  const locale = c.get('locale');
  const raw = body.photos;
  const files = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).filter(
    (f): f is File => f instanceof File && f.size > 0,
  );
  if (files.length === 0) return { photoIds };
  const max = deps.config.UPLOAD_MAX_FILES;
  if (photoIds.length + files.length > max) return { photoIds, error: common.t(locale)('file.tooMany', { max }) };
  try {
    const checked = await checkImages(files, {
      maxBytes: deps.config.UPLOAD_MAX_BYTES,
      maxFiles: max,
      maxPixels: deps.config.UPLOAD_MAX_PIXELS,
    });
    if (!deps.config.RATE_LIMIT_DISABLED) {
      const r = await hit(deps.db, `mailbox:upload:${c.get('ip')}`, 30, 3600);
      if (!r.allowed)
        return { photoIds, error: mt.t(locale)('form.rateLimited', { minutes: Math.ceil(r.retryAfterSeconds / 60) }) };
    }
    return { photoIds: [...photoIds, ...(await svc.storePhotos(deps, checked))] };
  } catch (err) {
    if (!(err instanceof UploadError)) throw err;
    return { photoIds, error: common.t(locale)(err.code, err.vars) };
  }
}
