/**
 * What the mailbox offers other modules (the tiplines). Other modules import only this file, never the mailbox's
 * repo or tables. Implemented by the mailbox module; the same rules as the form (validation, idempotency, routing).
 */
import type { Db } from '../../db/client.js';
import type { Deps } from '../../http/context.js';
import { UploadError } from '../../platform/files/files.js';
import type { Locale } from '../../platform/i18n/index.js';
import * as repo from './repo.js';
import { InvalidFields } from './service/errors.js';
import { isPublic } from './service/rules.js';
import { acceptPhotos, createReport, LIMITS, privateUrl, publicUrl, reportSchema, settings } from './service.js';

export interface PickerLists {
  categories: { id: number; name: string; nameEn: string }[];
  /** wards and communes a report may be filed for */
  units: { id: number; name: string; fullName: string; nameEn: string | null; path: string }[];
}

/** The categories and units of the form, for a guided conversation. */
export async function reportPickers(deps: Pick<Deps, 'db' | 'state'>): Promise<PickerLists> {
  const { categories, units } = await repo.pickerLists(deps);
  return {
    categories: categories.map((c) => ({ id: c.id, name: c.name, nameEn: c.name_en })),
    units: units.map((u) => ({ id: u.id, name: u.name, fullName: u.full_name, nameEn: u.name_en, path: u.path })),
  };
}

export interface ReportFromChat {
  category: number;
  unit: number;
  description: string;
  lat?: number | null;
  lon?: number | null;
  email?: string | null;
  phone?: string | null;
}

export interface Filed {
  code: string;
  privateUrl: string;
  publicUrl: string;
  deadline: Date | null;
  replayed: boolean;
}

/**
 * Files a report from a chat: the form's schema and rules; the title is the description's first line. A refusal is
 * an AppError whose fieldMessages() the chat sends back.
 */
export async function submitReport(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  input: ReportFromChat,
  meta: { locale: Locale; idempotencyKey: string; photoIds?: string[] },
): Promise<Filed> {
  const firstLine = input.description.trim().split(/\n/)[0] ?? '';
  const title = firstLine.length > LIMITS.title ? `${firstLine.slice(0, LIMITS.title - 1)}…` : firstLine;
  const parsed = reportSchema.safeParse({
    category: input.category,
    unit: input.unit,
    title,
    description: input.description,
    lat: input.lat ?? undefined,
    lon: input.lon ?? undefined,
    email: input.email ?? undefined,
    phone: input.phone ?? undefined,
  });
  if (!parsed.success) {
    const byField: Record<string, { key: string; vars: Record<string, string> }> = {};
    for (const i of parsed.error.issues) {
      const min = i.path[0] === 'title' ? LIMITS.titleMin : LIMITS.descriptionMin;
      byField[String(i.path[0] ?? '_form')] ??= { key: i.message, vars: { min: String(min), max: '5000' } };
    }
    throw new InvalidFields(byField);
  }
  const r = await createReport(deps, parsed.data, {
    source: 'api',
    locale: meta.locale,
    photoIds: meta.photoIds,
    idempotency: { scope: 'mailbox.tipline', key: meta.idempotencyKey },
  });
  const row = await repo.reportByCode(deps.db, r.code);
  return {
    code: r.code,
    privateUrl: privateUrl(deps.config.baseUrl, r.token),
    publicUrl: publicUrl(deps.config.baseUrl, r.code),
    deadline: row?.deadline_at ?? null,
    replayed: r.replayed,
  };
}

/** Stores one photo for a report being written in a chat (checked, cleaned later like the form's). */
export async function acceptReportPhoto(
  deps: Pick<Deps, 'db' | 'blobs' | 'config'>,
  file: File,
): Promise<{ ok: true; fileId: string } | { ok: false; error: string }> {
  try {
    const [id] = await acceptPhotos(deps, [file], {
      maxBytes: deps.config.UPLOAD_MAX_BYTES,
      maxFiles: 1,
      maxPixels: deps.config.UPLOAD_MAX_PIXELS,
    });
    return id ? { ok: true, fileId: id } : { ok: false, error: 'empty' };
  } catch (err) {
    if (err instanceof UploadError) return { ok: false, error: err.code };
    throw err;
  }
}

export interface ReportStatus {
  code: string;
  status: string;
  answer: string | null;
  answeredAt: Date | null;
  publicUrl: string;
}

/**
 * A report's status and official answer, never personal data. `own`: the caller filed it for this resident (any
 * status); otherwise only a report the public may see.
 */
export async function reportStatus(
  db: Db,
  baseUrl: string,
  code: string,
  opts: { own?: boolean } = {},
): Promise<ReportStatus | null> {
  if (!/^PA-\d{4}-\d{1,9}$/.test(code)) return null;
  const r = await repo.reportByCode(db, code);
  if (!r || (!opts.own && !isPublic(r.status))) return null;
  const answered = r.status === 'answered' || r.status === 'closed';
  return {
    code: r.code,
    status: r.status,
    answer: answered ? r.answer : null,
    answeredAt: r.answered_at,
    publicUrl: publicUrl(baseUrl, r.code),
  };
}

/** Days after closure that residents' personal data is kept (the tiplines purge their conversations with it). */
export const retentionDays = (db: Db): Promise<number> => settings.retentionDays(db);
