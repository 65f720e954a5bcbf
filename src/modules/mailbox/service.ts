/** The mailbox's rules: validation, creation, permissions, state transitions, audit, notifications. */
import { AppError } from '../../platform/errors.js';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { assertCan, ForbiddenError, inSubtree, type Principal } from '../../platform/auth/permissions.js';
import { inboxScopeOf, mayOnReport, type InboxScope } from './access.js';
import { formatDateTime, localDate, type Locale } from '../../platform/i18n/index.js';
import { once } from '../../platform/idempotency.js';
import { send, sendWebhookEvent, type Message } from '../../platform/notify/notify.js';
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
} from '../../platform/files/files.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { addWorkingDays } from './deadline.js';
import { mt } from './i18n.js';
import * as repo from './repo.js';
import { canTransition, isOpen, isPublic, pickRoute, type Status } from './rules.js';
import { invalidateHomePage } from '../../http/routes/home.js';
import { maskList, maskView } from './service/public-text.js';
import { residentUpdateOf, tellResidentOverdue, textResident } from './service/resident-sms.js';
import { deletePhotoSizes, makePhotoSizes } from './service/photo-sizes.js';
import { afterReopen, pauseForQuestion, resumeOnAnswer } from './service/consult.js';
import { queueStaffEvent } from './service/staff-notify.js';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const LIMITS = {
  title: 150,
  titleMin: 5,
  description: 5000,
  descriptionMin: 10,
  address: 300,
  name: 100,
  phone: 20,
  email: 200,
  note: 5000,
  reason: 1000,
};

export class MailboxError extends AppError {
  constructor(
    status: 404 | 409 | 422 | 429,
    key: string,
    vars: Record<string, string | number> = {},
    public readonly field = '_form',
  ) {
    super({ status, key, vars, fields: { [field]: key }, catalog: mt });
  }
}

const trimmed = (max: number) => z.string().trim().max(max, 'field.tooLong');
const optionalText = (max: number) =>
  trimmed(max)
    .optional()
    .transform((v) => (v ? v : null));
const optionalNumber = (min: number, max: number) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '' || v === null) return null;
      const n = typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: 'err.latlon' });
        return z.NEVER;
      }
      return n;
    });

/** One schema for the form, the JSON API and Open311: same limits, same messages (catalog keys). */
export const reportSchema = z.object({
  category: z.coerce.number({ message: 'err.category' }).int('err.category').positive('err.category'),
  unit: z.coerce.number({ message: 'err.unit' }).int('err.unit').positive('err.unit'),
  title: trimmed(LIMITS.title).min(LIMITS.titleMin, 'err.titleShort'),
  description: trimmed(LIMITS.description).min(LIMITS.descriptionMin, 'err.descriptionShort'),
  address: optionalText(LIMITS.address),
  lat: optionalNumber(-90, 90),
  lon: optionalNumber(-180, 180),
  name: optionalText(LIMITS.name),
  phone: trimmed(LIMITS.phone)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const digits = v.replace(/[\s.\-()]/g, '');
      if (!/^\+?\d{8,15}$/.test(digits)) {
        ctx.addIssue({ code: 'custom', message: 'err.phone' });
        return z.NEVER;
      }
      return digits;
    }),
  email: trimmed(LIMITS.email)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (!z.email().safeParse(v).success) {
        ctx.addIssue({ code: 'custom', message: 'err.email' });
        return z.NEVER;
      }
      return v.toLowerCase();
    }),
  show_name: z
    .union([z.string(), z.boolean()])
    .optional()
    .transform((v) => v === true || v === 'on' || v === '1' || v === 'true' || v === 'yes'),
});
export type ReportInput = z.infer<typeof reportSchema>;

export interface CreateMeta {
  source: 'web' | 'open311' | 'api' | 'demo';
  locale: Locale;
  photoIds?: string[];
  /** (scope, key) for replay protection: the form's one-time key or the Idempotency-Key header. */
  idempotency?: { scope: string; key: string | null | undefined };
  receivedAt?: Date;
}

export interface Created {
  id: number;
  code: string;
  token: string;
  apiToken: string;
  replayed: boolean;
}

export async function holidaySet(db: Db): Promise<Set<string>> {
  return new Set(await repo.listHolidays(db));
}

export const settings = {
  reopenDays: (db: Db) => repo.getSetting(db, 'mailbox.reopenDays', 30),
  retentionDays: (db: Db) => repo.getSetting(db, 'mailbox.retentionDays', 365),
};

const secrets = new WeakMap<object, string>();

/** A per-installation secret (in settings), so a report's private link can be re-derived for later emails. */
async function installSecret(db: Db): Promise<string> {
  const key = (db.pglite as object | undefined) ?? db;
  const cached = secrets.get(key);
  if (cached) return cached;
  await db.query(`INSERT INTO settings (key, value) VALUES ('mailbox.secret', $1) ON CONFLICT (key) DO NOTHING`, [
    JSON.stringify(randomBytes(32).toString('hex')),
  ]);
  const v = await repo.getSetting(db, 'mailbox.secret', '');
  secrets.set(key, v);
  return v;
}

/** The private status token of a report (from its random API token): unguessable without the installation secret. */
export async function privateToken(db: Db, apiToken: string): Promise<string> {
  return createHmac('sha256', await installSecret(db))
    .update(`mailbox-private:${apiToken}`)
    .digest('base64url');
}

export const privateUrl = (baseUrl: string, token: string) => `${baseUrl}/mailbox/s/${token}`;
export const publicUrl = (baseUrl: string, code: string) => `${baseUrl}/mailbox/r/${code}`;

/** Files a report: checked, routed, given a deadline and a tracking code; retried submissions get the first result. */
const CONFIG_TTL_MS = 30_000;
const configCache = new WeakMap<
  object,
  { at: number; holidays: Set<string>; rules: Awaited<ReturnType<typeof repo.listRoutingRules>> }
>();

/** Holidays and routing rules change rarely: read them at most every 30 s per process. */
async function deadlineAndRouting(db: Db) {
  const key = (db.pglite as object | undefined) ?? db;
  const hit = configCache.get(key);
  if (hit && Date.now() - hit.at < CONFIG_TTL_MS) return hit;
  const [holidays, rules] = await Promise.all([holidaySet(db), repo.listRoutingRules(db)]);
  const v = { at: Date.now(), holidays, rules };
  configCache.set(key, v);
  return v;
}

export function forgetCachedConfig(db: Db): void {
  configCache.delete((db.pglite as object | undefined) ?? db);
}

/** Files a report: checked, routed, given a deadline and a tracking code; retried submissions get the first result. */
export async function createReport(
  deps: Pick<Deps, 'db' | 'config'>,
  input: ReportInput,
  meta: CreateMeta,
): Promise<Created> {
  const db = deps.db;
  const [{ category, unit }, { holidays, rules }] = await Promise.all([
    repo.categoryAndUnit(db, input.category, input.unit),
    deadlineAndRouting(db),
  ]);
  if (!category || !category.active) throw new MailboxError(422, 'err.category', {}, 'category');
  if (!unit) throw new MailboxError(422, 'err.unit', {}, 'unit');
  const receivedAt = meta.receivedAt ?? new Date();
  const deadline = addWorkingDays(receivedAt, category.handling_days, holidays);
  const agencyId = pickRoute(rules, category.id, unit.path);
  const { result, replayed } = await once(
    db,
    meta.idempotency?.scope ?? 'mailbox.report',
    meta.idempotency?.key,
    async (tx) => {
      const year = Number(localDate(receivedAt).slice(0, 4));
      const apiToken = randomBytes(12).toString('hex');
      const token = await privateToken(tx, apiToken);
      const { id, code } = await repo.insertNumberedReport(tx, year, {
        tokenHash: sha256(token),
        apiToken,
        categoryId: category.id,
        unitId: unit.id,
        agencyId,
        title: input.title,
        description: input.description,
        address: input.address,
        lat: input.lat,
        lon: input.lon,
        contactName: input.name,
        contactPhone: input.phone,
        contactEmail: input.email,
        showName: input.show_name && Boolean(input.name),
        locale: meta.locale,
        source: meta.source,
        deadlineAt: deadline,
        receivedAt,
      });
      if (meta.photoIds?.length) await repo.attachPhotos(tx, id, meta.photoIds, 'resident');
      if (meta.source !== 'demo') {
        const vars = {
          code,
          title: input.title,
          deadline: formatDateTime(meta.locale, deadline),
          url: privateUrl(deps.config.baseUrl, token),
        };
        if (input.email)
          await send(tx, [
            {
              channel: 'email',
              recipient: input.email,
              template: 'mailbox.received',
              locale: meta.locale,
              vars,
              refType: 'mailbox.report',
              refId: id,
            },
          ]);
        await sendWebhookEvent(
          tx,
          'mailbox.received',
          {
            code,
            title: input.title,
            status: 'received',
            phone: input.phone ?? '',
            url: vars.url,
            locale: meta.locale,
          },
          { type: 'mailbox.report', id },
        );
        await queueStaffEvent(tx, { kind: 'new', reportId: id, agencyId }); // the agency at arrival, not after a later routing
      }
      return { id, code, token, apiToken };
    },
  );
  return { ...result, replayed };
}

// ---------- reading ----------

/**
 * Public lists change only when staff or residents act: a short in-process cache (10 s, cleared by
 * every write in this process) keeps the public list fast; HTTP caches may keep it 60 s anyway.
 */
let generation = 0;
const listCacheTtlMs = 10_000;
const publicCache = new WeakMap<
  object,
  Map<string, { at: number; gen: number; value: { rows: repo.ReportRow[]; total: number } }>
>();

export function publicChanged(): void {
  generation++;
  invalidateHomePage(); // the home page lists the latest answers
}

export async function publicList(
  db: Db,
  f: repo.PublicFilter & { full?: boolean },
): Promise<{ rows: repo.ReportRow[]; total: number }> {
  const owner = (db.pglite as object | undefined) ?? db;
  let m = publicCache.get(owner);
  if (!m) publicCache.set(owner, (m = new Map()));
  const key = JSON.stringify(f);
  const hit = m.get(key);
  if (hit && hit.gen === generation && Date.now() - hit.at < listCacheTtlMs) return hit.value;
  const value = await maskList(db, await repo.listPublic(db, f));
  if (m.size > 500) m.clear();
  m.set(key, { at: Date.now(), gen: generation, value });
  return value;
}

export interface ReportView {
  report: repo.ReportRow;
  events: repo.EventRow[];
  /** pending: still being cleaned (never served); failed: could not be read, bytes deleted */
  photos: { file_id: string; state: repo.PhotoState }[];
  /** contact details, only for staff who may see them */
  showContact: boolean;
}

export async function publicReport(db: Db, code: string): Promise<ReportView | null> {
  const report = await repo.reportByCode(db, code);
  if (!report || !isPublic(report.status) || report.not_public) return null;
  const [events, photos] = await Promise.all([
    repo.listEvents(db, report.id, ['public']),
    repo.listPhotos(db, report.id),
  ]);
  return maskView(db, {
    report: redact(report),
    events,
    photos: photos.filter((p) => p.state !== 'failed'),
    showContact: false,
  });
}

/** A code as residents type it (pa-2026-97, PA 2026 000097) in its canonical form, or null. */
export function normaliseCode(input: string): string | null {
  const m = input.trim().match(/^PA[\s._-]*(\d{4})[\s._-]*(\d{1,6})$/i);
  return m ? `PA-${m[1]}-${m[2].padStart(6, '0')}` : null;
}

export type Lookup =
  | { kind: 'public'; view: ReportView }
  /** it exists but is not public: its status and public steps, nothing written, no category or place */
  | { kind: 'hidden'; code: string; status: Status; events: repo.EventRow[] }
  | null;

export async function lookupReport(db: Db, code: string): Promise<Lookup> {
  const report = await repo.reportByCode(db, code);
  if (!report) return null;
  if (isPublic(report.status) && !report.not_public) return { kind: 'public', view: (await publicReport(db, code))! };
  const events = (await repo.listEvents(db, report.id, ['public'])).map((e) => ({ ...e, body: null, actor_label: '' }));
  return { kind: 'hidden', code: report.code, status: report.status === 'spam' ? 'rejected' : report.status, events };
}

/** Drops everything personal unless the resident allowed the name. */
export function redact(r: repo.ReportRow): repo.ReportRow {
  return {
    ...r,
    contact_name: r.show_name ? r.contact_name : null,
    contact_phone: null,
    contact_email: null,
    answer_draft: null,
    token_hash: '',
  };
}

export async function residentReport(db: Db, token: string): Promise<ReportView | null> {
  if (!/^[\w-]{20,64}$/.test(token)) return null;
  const report = await repo.reportByTokenHash(db, sha256(token));
  if (!report) return null;
  const [events, photos] = await Promise.all([
    repo.listEvents(db, report.id, ['public', 'resident']),
    repo.listPhotos(db, report.id),
  ]);
  return { report: { ...report, answer_draft: null }, events, photos, showContact: true };
}

export async function staffReport(
  db: Db,
  p: Principal,
  id: number,
): Promise<ReportView & { duplicates: Awaited<ReturnType<typeof repo.duplicates>> }> {
  const report = await repo.reportById(db, id);
  if (!report) throw new MailboxError(404, 'not_found');
  const ref = { ...report, shared_agency_ids: await repo.sharedAgencyIds(db, report.id) };
  // an agency asked for an opinion sees the case while it is open, without contact details
  const viewRef = { ...report, shared_agency_ids: await repo.sharedAgencyIds(db, report.id, true) };
  if (!mayOnReport(p, 'mailbox.view', viewRef)) throw new ForbiddenError('mailbox.view');
  const [events, photos, dups] = await Promise.all([
    repo.listEvents(db, report.id, ['public', 'resident', 'internal']),
    repo.listPhotos(db, report.id),
    repo.duplicates(db, report),
  ]);
  const showContact = mayOnReport(p, 'mailbox.view-personal', ref);
  return {
    report: showContact ? report : { ...report, contact_name: null, contact_phone: null, contact_email: null },
    events,
    photos,
    showContact,
    duplicates: dups,
  };
}

/** An agency may take a report of its own unit, of a unit above (a city department) or below it. */
export function onReportLine(agencyPath: string, reportPath: string): boolean {
  return inSubtree(reportPath, agencyPath) || inSubtree(agencyPath, reportPath);
}

export function inboxScope(p: Principal): InboxScope {
  return inboxScopeOf(p, 'mailbox.view');
}

/** Shares a report with another agency (an opinion, a joint case): that agency's handlers see it too. */
export async function share(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  agencyId: number | null,
  ip?: string | null,
): Promise<void> {
  await withReport(
    deps,
    p,
    id,
    'mailbox.triage',
    async (tx, r) => {
      const agency = agencyId ? await repo.findAgency(tx, agencyId) : undefined;
      if (!agency) throw new MailboxError(422, 'field.invalidChoice', {}, 'share_agency');
      if (!onReportLine(agency.unit_path, r.unit_path))
        throw new MailboxError(422, 'err.agencyOutside', {}, 'share_agency');
      await repo.shareReport(tx, r.id, agency.id, p.userId);
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'shared',
        visibility: 'internal',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        data: { agency: agency.name, agency_en: agency.name_en ?? agency.name },
      });
    },
    ip,
  );
}

// ---------- staff actions ----------

type Tx = Db;

async function withReport<T>(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  action: string,
  fn: (tx: Tx, r: repo.ReportRow) => Promise<T>,
  ip?: string | null,
): Promise<T> {
  publicChanged();
  return deps.db
    .tx(async (tx) => {
      const r = await repo.reportById(tx, id, true);
      if (!r) throw new MailboxError(404, 'not_found');
      if (!mayOnReport(p, action, { ...r, shared_agency_ids: await repo.sharedAgencyIds(tx, r.id) }))
        throw new ForbiddenError(action);
      const out = await fn(tx, r);
      await recordAudit(tx, {
        actorId: p.userId,
        actorLabel: p.email,
        action,
        entityType: 'mailbox.report',
        entityId: r.code,
        unitId: r.unit_id,
        ip,
        data: { status: r.status },
      });
      return out;
    })
    .finally(publicChanged);
}

function move(r: repo.ReportRow, to: Status): void {
  if (!canTransition(r.status, to)) throw new MailboxError(409, 'err.transition');
}

async function notifyResident(
  tx: Tx,
  deps: Pick<Deps, 'config'>,
  r: repo.ReportRow,
  template: string,
  status: Status,
  message: string,
  _public?: boolean,
): Promise<void> {
  const locale: Locale = r.locale === 'en' ? 'en' : 'vi';
  const t = mt.t(locale);
  const url = privateUrl(deps.config.baseUrl, await privateToken(tx, r.api_token));
  const vars = { code: r.code, title: r.title, status: t(`status.${status}` as never), message, url };
  const msgs: Message[] = r.contact_email
    ? [{ channel: 'email', recipient: r.contact_email, template, locale, vars, refType: 'mailbox.report', refId: r.id }]
    : [];
  await send(tx, msgs);
  await sendWebhookEvent(
    tx,
    template === 'mailbox.status' ? 'mailbox.status' : template,
    { ...vars, phone: r.contact_phone ?? '', locale },
    { type: 'mailbox.report', id: r.id },
  );
  await textResident(tx, r, residentUpdateOf(template, status), url);
}

const staffLabel = (p: Principal) => p.name;

export type TriageAction = 'accept' | 'reject' | 'spam';

export async function triage(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  action: TriageAction,
  reason: string | null,
  ip?: string | null,
): Promise<void> {
  await withReport(
    deps,
    p,
    id,
    'mailbox.triage',
    async (tx, r) => {
      if (action === 'accept') {
        if (r.agency_id) {
          move(r, 'assigned');
          await repo.updateReport(tx, r.id, { status: 'assigned', accepted_at: new Date(), assigned_at: new Date() });
          await repo.insertEvent(tx, {
            reportId: r.id,
            kind: 'accepted',
            visibility: 'public',
            actorId: p.userId,
            actorLabel: staffLabel(p),
          });
          await repo.insertEvent(tx, {
            reportId: r.id,
            kind: 'assigned',
            visibility: 'public',
            actorId: p.userId,
            actorLabel: staffLabel(p),
            data: { agency: r.agency_name, agency_en: r.agency_name_en },
          });
        } else {
          move(r, 'accepted');
          await repo.updateReport(tx, r.id, { status: 'accepted', accepted_at: new Date() });
          await repo.insertEvent(tx, {
            reportId: r.id,
            kind: 'accepted',
            visibility: 'public',
            actorId: p.userId,
            actorLabel: staffLabel(p),
          });
        }
        await notifyResident(tx, deps, r, 'mailbox.status', r.agency_id ? 'assigned' : 'accepted', '', true);
      } else if (action === 'reject') {
        if (!reason) throw new MailboxError(422, 'err.reason', {}, 'reason');
        move(r, 'rejected');
        await repo.updateReport(tx, r.id, {
          status: 'rejected',
          reject_reason: reason.slice(0, LIMITS.reason),
          closed_at: new Date(),
        });
        await repo.insertEvent(tx, {
          reportId: r.id,
          kind: 'rejected',
          visibility: 'resident',
          actorId: p.userId,
          actorLabel: staffLabel(p),
          body: reason,
        });
        await notifyResident(tx, deps, r, 'mailbox.status', 'rejected', reason, false);
      } else {
        move(r, 'spam');
        await repo.updateReport(tx, r.id, { status: 'spam', closed_at: new Date() });
        await repo.insertEvent(tx, {
          reportId: r.id,
          kind: 'spam',
          visibility: 'internal',
          actorId: p.userId,
          actorLabel: staffLabel(p),
        });
      }
    },
    ip,
  );
}

export async function editReport(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  categoryId: number | null,
  unitId: number | null,
  ip?: string | null,
): Promise<void> {
  await withReport(
    deps,
    p,
    id,
    'mailbox.triage',
    async (tx, r) => {
      const cat = categoryId ? await repo.findCategory(tx, categoryId) : undefined;
      if (!cat) throw new MailboxError(422, 'err.category', {}, 'category');
      const unit = unitId ? await repo.findUnit(tx, unitId) : undefined;
      if (!unit) throw new MailboxError(422, 'err.unit', {}, 'unit');
      assertCan(p, 'mailbox.triage', unit.path);
      const fields: Record<string, unknown> = { category_id: cat.id, unit_id: unit.id };
      if (isOpen(r.status) && cat.id !== r.category_id)
        fields.deadline_at = addWorkingDays(new Date(r.received_at), cat.handling_days, await holidaySet(tx));
      if (!r.agency_id) fields.agency_id = pickRoute(await repo.listRoutingRules(tx), cat.id, unit.path);
      await repo.updateReport(tx, r.id, fields);
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'edited',
        visibility: 'internal',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        data: { from: `${r.category_code}/${r.unit_code}`, to: `${cat.code}/${unit.code}` },
      });
    },
    ip,
  );
}

export async function route(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  agencyId: number | null,
  reason: string | null,
  ip?: string | null,
): Promise<void> {
  await withReport(
    deps,
    p,
    id,
    'mailbox.triage',
    async (tx, r) => {
      const agency = agencyId ? await repo.findAgency(tx, agencyId) : undefined;
      if (!agency) throw new MailboxError(422, 'field.invalidChoice', {}, 'agency');
      // an agency of another ward can never receive this ward's report (and its contact details)
      if (!onReportLine(agency.unit_path, r.unit_path)) throw new MailboxError(422, 'err.agencyOutside', {}, 'agency');
      const reassign = Boolean(r.agency_id) && r.status !== 'received' && r.status !== 'accepted';
      if (reassign && !reason) throw new MailboxError(422, 'err.reason', {}, 'reason');
      move(r, 'assigned');
      await repo.updateReport(tx, r.id, {
        status: 'assigned',
        agency_id: agency.id,
        assigned_at: new Date(),
        accepted_at: r.status === 'received' ? new Date() : undefined,
      });
      if (r.status === 'received')
        await repo.insertEvent(tx, {
          reportId: r.id,
          kind: 'accepted',
          visibility: 'public',
          actorId: p.userId,
          actorLabel: staffLabel(p),
        });
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: reassign ? 'reassigned' : 'assigned',
        visibility: 'public',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        data: { agency: agency.name, agency_en: agency.name_en ?? agency.name },
      });
      if (reason)
        await repo.insertEvent(tx, {
          reportId: r.id,
          kind: 'note',
          visibility: 'internal',
          actorId: p.userId,
          actorLabel: staffLabel(p),
          body: reason,
        });
      await queueStaffEvent(tx, { kind: 'routed', reportId: r.id, agencyId: agency.id, actorId: p.userId });
    },
    ip,
  );
}

export async function startHandling(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  ip?: string | null,
): Promise<void> {
  await withReport(
    deps,
    p,
    id,
    'mailbox.answer',
    async (tx, r) => {
      move(r, 'in_progress');
      await repo.updateReport(tx, r.id, { status: 'in_progress', assignee_id: p.userId });
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'in_progress',
        visibility: 'public',
        actorId: p.userId,
        actorLabel: staffLabel(p),
      });
    },
    ip,
  );
}

export async function addNote(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  body: string,
  kind: 'note' | 'question',
  ip?: string | null,
): Promise<void> {
  if (!body.trim()) throw new MailboxError(422, 'field.required', {}, 'body');
  await withReport(
    deps,
    p,
    id,
    kind === 'note' ? 'mailbox.view' : 'mailbox.answer',
    async (tx, r) => {
      if (kind === 'question' && !isOpen(r.status)) throw new MailboxError(409, 'err.transition');
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind,
        visibility: kind === 'note' ? 'internal' : 'resident',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        body: body.slice(0, LIMITS.note),
      });
      if (kind === 'question') await notifyResident(tx, deps, r, 'mailbox.question', r.status, body, false);
      if (kind === 'question') await pauseForQuestion(tx, r);
    },
    ip,
  );
}

export async function draftAnswer(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  body: string,
  ip?: string | null,
): Promise<void> {
  if (!body.trim()) throw new MailboxError(422, 'field.required', {}, 'answer');
  await withReport(
    deps,
    p,
    id,
    'mailbox.answer',
    async (tx, r) => {
      if (!isOpen(r.status) || r.status === 'received') throw new MailboxError(409, 'err.transition');
      await repo.updateReport(tx, r.id, {
        answer_draft: body.slice(0, LIMITS.description),
        answer_draft_by: p.userId,
        answer_draft_at: new Date(),
        status:
          r.status === 'in_progress' ? undefined : canTransition(r.status, 'in_progress') ? 'in_progress' : undefined,
      });
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'draft',
        visibility: 'internal',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        body,
      });
    },
    ip,
  );
}

export async function approveAnswer(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  edited: string | null,
  ip?: string | null,
): Promise<void> {
  await withReport(
    deps,
    p,
    id,
    'mailbox.approve',
    async (tx, r) => {
      // two people: a handler drafts, someone else approves; a reviewer alone never publishes
      if (!r.answer_draft || !r.answer_draft_by) throw new MailboxError(409, 'err.noDraft');
      if (r.answer_draft_by === p.userId) throw new MailboxError(409, 'err.ownDraft');
      // approval publishes exactly what someone else drafted: a rewrite on approval would be one person's text (issue 12)
      const plain = (x: string) => x.replace(/\r\n?/g, '\n').trim();
      if (edited && edited.trim() && plain(edited) !== plain(r.answer_draft))
        throw new MailboxError(409, 'err.approveAsDrafted', {}, 'answer');
      const text = r.answer_draft;
      move(r, 'answered');
      const now = new Date();
      const onTime = r.deadline_at ? now.getTime() <= new Date(r.deadline_at).getTime() : true;
      await repo.updateReport(tx, r.id, {
        status: 'answered',
        answer: text,
        answered_at: now,
        answered_by: r.answer_draft_by,
        approved_by: p.userId,
        answer_draft: null,
        answer_draft_by: null,
        answer_draft_at: null,
        first_answered_at: r.first_answered_at ? undefined : now,
        answered_on_time: r.first_answered_at ? undefined : onTime,
      });
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'answered',
        visibility: 'public',
        actorId: p.userId,
        actorLabel: r.agency_name ?? staffLabel(p),
        body: text,
      });
      await notifyResident(tx, deps, r, 'mailbox.answered', 'answered', text, true);
    },
    ip,
  );
}

export async function returnDraft(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  reason: string,
  ip?: string | null,
): Promise<void> {
  if (!reason.trim()) throw new MailboxError(422, 'err.reason', {}, 'reason');
  await withReport(
    deps,
    p,
    id,
    'mailbox.approve',
    async (tx, r) => {
      if (!r.answer_draft) throw new MailboxError(409, 'err.transition');
      await repo.updateReport(tx, r.id, { answer_draft: null, answer_draft_at: null });
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'draftReturned',
        visibility: 'internal',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        body: `${reason}\n\n— ${r.answer_draft}`,
      });
    },
    ip,
  );
}

export async function merge(
  deps: Pick<Deps, 'db' | 'config'>,
  p: Principal,
  id: number,
  intoCode: string,
  ip?: string | null,
): Promise<void> {
  await withReport(
    deps,
    p,
    id,
    'mailbox.triage',
    async (tx, r) => {
      const target = await repo.reportByCode(tx, intoCode.trim().toUpperCase());
      if (!target || target.id === r.id || target.status === 'merged' || target.status === 'spam')
        throw new MailboxError(422, 'field.invalidChoice', {}, 'into');
      if (
        !mayOnReport(p, 'mailbox.triage', { ...target, shared_agency_ids: await repo.sharedAgencyIds(tx, target.id) })
      )
        throw new MailboxError(422, 'field.invalidChoice', {}, 'into');
      move(r, 'merged');
      await repo.updateReport(tx, r.id, { status: 'merged', duplicate_of: target.id, closed_at: new Date() });
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'merged',
        visibility: 'resident',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        data: { code: target.code },
      });
      await repo.insertEvent(tx, {
        reportId: target.id,
        kind: 'duplicateAdded',
        visibility: 'internal',
        actorId: p.userId,
        actorLabel: staffLabel(p),
        data: { code: r.code },
      });
      await notifyResident(
        tx,
        deps,
        r,
        'mailbox.status',
        'merged',
        `→ ${publicUrl(deps.config.baseUrl, target.code)}`,
        false,
      );
    },
    ip,
  );
}

// ---------- resident actions (private link) ----------

async function withToken<T>(db: Db, token: string, fn: (tx: Tx, r: repo.ReportRow) => Promise<T>): Promise<T> {
  const found = await residentReport(db, token);
  if (!found) throw new MailboxError(404, 'not_found');
  publicChanged();
  return db.tx(async (tx) => fn(tx, (await repo.reportById(tx, found.report.id, true))!)).finally(publicChanged);
}

export async function residentReply(
  deps: Pick<Deps, 'db' | 'blobs'>,
  token: string,
  body: string,
  photos: CheckedImage[] = [],
): Promise<void> {
  if (!body.trim() && photos.length === 0) throw new MailboxError(422, 'field.required', {}, 'body');
  const found = await residentReport(deps.db, token);
  if (!found) throw new MailboxError(404, 'not_found');
  const replyable = (s: Status) => isOpen(s) || s === 'answered';
  // refused before anything is stored
  if (!replyable(found.report.status)) throw new MailboxError(409, 'err.transition');
  const ids = await storePhotos(deps, photos);
  await withToken(deps.db, token, async (tx, r) => {
    if (!replyable(r.status)) throw new MailboxError(409, 'err.transition');
    if (body.trim())
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'reply',
        visibility: 'resident',
        actorLabel: 'resident',
        body: body.slice(0, LIMITS.note),
      });
    const n = await repo.attachPhotos(tx, r.id, ids, 'resident');
    if (n)
      await repo.insertEvent(tx, {
        reportId: r.id,
        kind: 'photos',
        visibility: 'public',
        actorLabel: 'resident',
        data: { n },
      });
    await resumeOnAnswer(tx, r.id);
    await queueStaffEvent(tx, { kind: 'reply', reportId: r.id });
  });
}

export async function rate(db: Db, token: string, rating: number, comment: string | null): Promise<void> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new MailboxError(422, 'err.rating', {}, 'rating');
  await withToken(db, token, async (tx, r) => {
    if (r.status !== 'answered' && r.status !== 'closed') throw new MailboxError(409, 'err.transition');
    await repo.updateReport(tx, r.id, {
      rating,
      rating_comment: comment?.slice(0, LIMITS.reason) ?? null,
      rated_at: new Date(),
      status: 'closed',
      closed_at: r.closed_at ?? new Date(),
    });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'rated',
      visibility: 'public',
      actorLabel: 'resident',
      data: { n: rating },
    });
    if (r.status === 'answered')
      await repo.insertEvent(tx, { reportId: r.id, kind: 'closed', visibility: 'public', actorLabel: 'system' });
  });
}

export async function reopen(db: Db, token: string, reason: string): Promise<void> {
  if (!reason.trim()) throw new MailboxError(422, 'err.reason', {}, 'reason');
  const days = await settings.reopenDays(db);
  await withToken(db, token, async (tx, r) => {
    if (!canTransition(r.status, 'reopened') || !r.answered_at) throw new MailboxError(409, 'err.transition');
    if (Date.now() - new Date(r.answered_at).getTime() > days * 86400_000)
      throw new MailboxError(409, 'err.reopenExpired', { days });
    const cat = (await repo.findCategory(tx, r.category_id))!;
    await repo.updateReport(tx, r.id, {
      status: 'reopened',
      reopened_count: r.reopened_count + 1,
      closed_at: null,
      deadline_at: addWorkingDays(new Date(), cat.handling_days, await holidaySet(tx)),
      reminded_at: null,
      escalated_at: null,
    });
    await repo.insertEvent(tx, {
      reportId: r.id,
      kind: 'reopened',
      visibility: 'public',
      actorLabel: 'resident',
      body: reason.slice(0, LIMITS.reason),
    });
    await afterReopen(tx, r.id);
  });
}

/** Everything held about the resident of this report. */
export async function exportData(db: Db, token: string): Promise<Record<string, unknown>> {
  const v = await residentReport(db, token);
  if (!v) throw new MailboxError(404, 'not_found');
  const r = v.report;
  return {
    code: r.code,
    received_at: r.received_at,
    category: r.category_name,
    unit: r.unit_full_name,
    title: r.title,
    description: r.description,
    address: r.address,
    lat: r.lat,
    lon: r.lon,
    contact: { name: r.contact_name, phone: r.contact_phone, email: r.contact_email, show_name: r.show_name },
    status: r.status,
    answer: r.answer,
    rating: r.rating,
    rating_comment: r.rating_comment,
    personal_data_erased_at: r.erased_at,
    photos: v.photos.map((p) => p.file_id),
    timeline: v.events.map((e) => ({
      at: e.at,
      kind: e.kind,
      by: e.actor_label === 'resident' ? 'resident' : 'staff',
      text: e.body,
    })),
  };
}

async function eraseContact(tx: Tx, id: number, kind: 'erased' | 'purged'): Promise<void> {
  await repo.updateReport(tx, id, {
    contact_name: null,
    contact_phone: null,
    contact_email: null,
    show_name: false,
    erased_at: new Date(),
  });
  await tx.query(
    `UPDATE mailbox_events SET actor_label = 'resident' WHERE report_id = $1 AND actor_label <> 'resident' AND actor_id IS NULL AND actor_label NOT IN ('system')`,
    [id],
  );
  await repo.insertEvent(tx, { reportId: id, kind, visibility: 'public', actorLabel: 'system' });
  await recordAudit(tx, {
    actorLabel: kind === 'erased' ? 'resident' : 'system',
    action: `mailbox.personal-data-${kind}`,
    entityType: 'mailbox.report',
    entityId: id,
  });
}

export async function erase(db: Db, token: string): Promise<void> {
  await withToken(db, token, async (tx, r) => eraseContact(tx, r.id, 'erased'));
}

// ---------- photos ----------

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
  deps: Pick<Deps, 'db' | 'blobs' | 'config'>,
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
export const abandonPhoto = (deps: Pick<Deps, 'db' | 'blobs'>, fileId: string): Promise<boolean> =>
  settlePhoto(deps, fileId, null);

type CleanImage = Awaited<ReturnType<typeof cleanImage>>;

/**
 * Ends a pending photo: the clean JPEG (or, with none, an empty file, so backups find what the row names)
 * takes the original's place and the row says ready or failed. False when another run settled it first.
 */
async function settlePhoto(
  deps: Pick<Deps, 'db' | 'blobs'>,
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
  if (done) publicChanged();
  return done;
}

// ---------- jobs ----------

export async function runReminders(deps: Pick<Deps, 'db' | 'config'>): Promise<number> {
  const holidays = await holidaySet(deps.db);
  const soon = addWorkingDays(new Date(), 1, holidays);
  let n = 0;
  for (const { id } of await repo.dueForReminder(deps.db, soon)) {
    await deps.db.tx(async (tx) => {
      const r = (await repo.reportById(tx, id, true))!;
      if (r.reminded_at) return;
      await repo.updateReport(tx, id, { reminded_at: new Date() });
      await repo.insertEvent(tx, { reportId: id, kind: 'reminder', visibility: 'internal', actorLabel: 'system' });
      const to = await staffRecipients(tx, r);
      await send(
        tx,
        to.map((s) => ({
          channel: 'email' as const,
          recipient: s.email,
          template: 'mailbox.staff-reminder',
          locale: (s.locale === 'en' ? 'en' : 'vi') as Locale,
          vars: {
            code: r.code,
            title: r.title,
            deadline: formatDateTime('vi', r.deadline_at),
            url: `${deps.config.baseUrl}/staff/mailbox/${r.id}`,
          },
          refType: 'mailbox.report',
          refId: r.id,
        })),
      );
      n++;
    });
  }
  return n;
}

async function staffRecipients(db: Db, r: repo.ReportRow): Promise<{ email: string; locale: string }[]> {
  const out = await repo.handlersOf(db, r.unit_path, r.agency_id);
  if (r.agency_id) {
    const a = await repo.findAgency(db, r.agency_id);
    if (a?.email) out.push({ email: a.email, locale: 'vi' });
  }
  return out;
}

/** Overdue and still open: escalated once to the parent unit (its handlers are told). */
export async function runEscalations(deps: Pick<Deps, 'db' | 'config'>): Promise<number> {
  let n = 0;
  for (const { id } of await repo.dueForEscalation(deps.db)) {
    await deps.db.tx(async (tx) => {
      const r = (await repo.reportById(tx, id, true))!;
      if (r.escalated_at) return;
      const parent = r.unit_parent_id ? await repo.findUnit(tx, r.unit_parent_id) : null;
      const target = parent ?? (await repo.findUnit(tx, r.unit_id))!;
      await repo.updateReport(tx, id, { escalated_at: new Date(), escalated_unit_id: target.id });
      await repo.insertEvent(tx, {
        reportId: id,
        kind: 'escalated',
        visibility: 'internal',
        actorLabel: 'system',
        data: { unit: target.full_name },
      });
      await recordAudit(tx, {
        actorLabel: 'system',
        action: 'mailbox.escalate',
        entityType: 'mailbox.report',
        entityId: r.code,
        unitId: target.id,
      });
      const to = [...(await repo.handlersOf(tx, target.path, r.agency_id)), ...(await staffRecipients(tx, r))];
      const seen = new Set<string>();
      await send(
        tx,
        to
          .filter((s) => !seen.has(s.email) && seen.add(s.email))
          .map((s) => ({
            channel: 'email' as const,
            recipient: s.email,
            template: 'mailbox.staff-escalation',
            locale: (s.locale === 'en' ? 'en' : 'vi') as Locale,
            vars: {
              code: r.code,
              title: r.title,
              deadline: formatDateTime('vi', r.deadline_at),
              unit: target.full_name,
              url: `${deps.config.baseUrl}/staff/mailbox/${r.id}`,
            },
            refType: 'mailbox.report',
            refId: r.id,
          })),
      );
      await tellResidentOverdue(
        tx,
        r,
        formatDateTime(r.locale === 'en' ? 'en' : 'vi', r.deadline_at),
        privateUrl(deps.config.baseUrl, await privateToken(tx, r.api_token)),
      );
      n++;
    });
  }
  return n;
}

export async function runRetention(db: Db): Promise<{ purged: number; closed: number }> {
  publicChanged();
  const days = await settings.retentionDays(db);
  let purged = 0;
  for (const { id } of await repo.dueForPurge(db, days)) {
    await db.tx((tx) => eraseContact(tx, id, 'purged'));
    purged++;
  }
  const reopenDays = await settings.reopenDays(db);
  let closed = 0;
  for (const { id } of await repo.dueForAutoClose(db, reopenDays)) {
    await db.tx(async (tx) => {
      await repo.updateReport(tx, id, { status: 'closed', closed_at: new Date() });
      await repo.insertEvent(tx, { reportId: id, kind: 'closed', visibility: 'public', actorLabel: 'system' });
    });
    closed++;
  }
  return { purged, closed };
}

// ---------- Open311 API keys ----------

export async function createApiKey(db: Db, name: string, actorLabel: string): Promise<string> {
  const key = `o311_${randomBytes(20).toString('base64url')}`;
  const id = await repo.insertApiKey(db, name.slice(0, 100), sha256(key), key.slice(0, 9));
  await recordAudit(db, {
    actorLabel,
    action: 'mailbox.api-key.create',
    entityType: 'mailbox.api_key',
    entityId: id,
    data: { name },
  });
  return key;
}

export async function checkApiKey(
  db: Db,
  key: string | undefined | null,
): Promise<{ id: number; name: string } | null> {
  if (!key) return null;
  const row = await repo.findApiKey(db, sha256(key));
  if (row) await repo.touchApiKey(db, row.id);
  return row ?? null;
}
