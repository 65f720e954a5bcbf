import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { readFileRow } from '../../../platform/files/files.js';
import { mayOnReport } from '../service/access.js';
import * as repo from '../repo.js';
import { isPublic } from '../service/rules.js';
import * as svc from '../service.js';
import { isPhotoSize, photoSizeBytes, type PhotoSize } from '../service/photo-sizes.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A cleaned photo's bytes never change under its id: the public ones are cached by anyone, the others by the browser only. */
export const PUBLIC_PHOTO = 'public, max-age=86400';
export const PRIVATE_PHOTO = 'private, max-age=3600';

/** Sends immutable bytes with an ETag (the content hash, with the size) and answers a matching If-None-Match with 304. */
export function photoResponse(c: Ctx, bytes: Uint8Array, tag: string, cache: string, mime = 'image/jpeg'): Response {
  const etag = `"${tag}"`;
  const headers = { 'content-type': mime, 'cache-control': cache, etag, 'content-disposition': 'inline' };
  const inm = c.req.header('if-none-match');
  if (inm && inm.split(',').some((x) => x.trim().replace(/^W\//, '') === etag)) return c.body(null, 304, headers);
  return c.body(new Uint8Array(bytes), 200, headers);
}

async function sendSize(c: Ctx, id: string, size: PhotoSize, cache: string): Promise<Response> {
  const deps = c.get('deps');
  const row = await readFileRow(deps.db, id);
  if (!row) throw notFound();
  const bytes = await photoSizeBytes(deps.blobs, id, row.storage_key, size);
  if (!bytes) throw notFound();
  return photoResponse(c, bytes, `${(row.sha256 ?? id).slice(0, 32)}-${size}`, cache);
}

type Owner = NonNullable<Awaited<ReturnType<typeof repo.photoOwner>>>;

/**
 * Who may see a photo, as its cache header: anyone (a public report's), the browser only (a fresh upload not yet
 * attached, when a form comes back; staff who may see the report), or nobody (null).
 */
export function photoCache(c: Ctx, owner: Owner | undefined | null): string | null {
  if (!owner || owner.state !== 'ready') return null; // an original waiting to be cleaned is never served
  if (owner.report_id && owner.status && isPublic(owner.status) && !owner.not_public) return PUBLIC_PHOTO;
  if (!owner.report_id && Date.now() - new Date(owner.created_at).getTime() < 86400_000) return PRIVATE_PHOTO;
  const mayView =
    owner.report_id &&
    owner.unit_path &&
    mayOnReport(c.get('principal'), 'mailbox.view', {
      unit_path: owner.unit_path,
      agency_id: owner.agency_id,
      shared_agency_ids: owner.shared_agency_ids ?? [],
    });
  return mayView ? PRIVATE_PHOTO : null;
}

/** The cleaned photo itself (its original size). */
export async function sendPhoto(c: Ctx, id: string, cache: string): Promise<Response> {
  const deps = c.get('deps');
  const row = await readFileRow(deps.db, id);
  if (!row) throw notFound();
  const bytes = await deps.blobs.get(row.storage_key);
  if (!bytes) throw notFound();
  return photoResponse(c, bytes, (row.sha256 ?? id).slice(0, 32), cache, row.mime);
}

/** Thumbnail and medium sizes, with the same rules as the photo itself (routes/public.tsx `/mailbox/photos/:id`). */
export function photoSizeRoutes(app: Hono<AppEnv>): void {
  app.get('/mailbox/photos/:id/:size{thumb|medium}', async (c) => {
    const id = c.req.param('id');
    const size = c.req.param('size');
    if (!UUID.test(id) || !isPhotoSize(size)) throw notFound();
    const cache = photoCache(c, await repo.photoOwner(c.get('deps').db, id));
    if (!cache) throw notFound();
    return sendSize(c, id, size, cache);
  });

  app.get('/mailbox/s/:token{[\\w-]{20,64}}/photos/:id/:size{thumb|medium}', async (c) => {
    const id = c.req.param('id');
    const size = c.req.param('size');
    if (!isPhotoSize(size)) throw notFound();
    const view = await svc.residentReport(c.get('deps').db, c.req.param('token'));
    if (!view || !view.photos.some((p) => p.file_id === id && p.state === 'ready')) throw notFound();
    return sendSize(c, id, size, PRIVATE_PHOTO);
  });
}
