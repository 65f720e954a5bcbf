/**
 * Set-up of the mailbox without a programmer: agencies, categories, routing rules, holidays and
 * settings, from the admin pages and the CLI alike. Every change is checked, scoped (an admin sets up
 * the units it administers; installation-wide lists need the top unit) and audited with old and new values.
 */
import { z } from 'zod';
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import type { AppState } from '../../../platform/app-state.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, assertCan } from '../../../platform/auth/permissions.js';
import { AppError } from '../../../platform/errors.js';
import { defineCatalog } from '../../../platform/i18n/index.js';
import { st } from '../i18n-setup.js';
import * as repo from '../repo.js';
import { sentText } from './form-fields.js';
import { forgetCachedConfig, onReportLine } from '../service.js';
import * as setupRepo from '../repo/setup.js';
import { mailboxText } from './errors.js';
import { publicHolidays } from './vn-holidays.js';

/** Who changes the set-up: a signed-in admin (the platform's actor), or null for the CLI (the operator at the server). */
export type SetupActor = Actor | null;
export type { Actor };

function issues(e: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of e.issues) out[String(i.path[0] ?? '_form')] ??= i.message;
  return out;
}

/** The set-up's messages: its own catalog, then the mailbox's (a rule's refusal may name either). */
export const setupText = defineCatalog({ ...mailboxText.vi, ...st.vi }, { ...mailboxText.en, ...st.en });

/**
 * A refused change, each message (a key of setupText) beside its field: the admin pages show the form again with
 * what was typed, the CLI prints one line per field.
 */
export class SetupRefused extends AppError {
  constructor(errors: Record<string, string>) {
    super({ status: 422, key: 'error.validation', fields: errors, catalog: setupText });
  }
}
const fail = (field: string, key: string) => new SetupRefused({ [field]: key });

const label = (a: SetupActor) => (a ? a.principal.email : 'cli');

async function audit(
  db: Db,
  a: SetupActor,
  action: string,
  entityType: string,
  entityId: string | number,
  before: unknown,
  after: unknown,
  unitId?: number | null,
) {
  await recordAudit(db, {
    actorId: a?.principal.userId ?? null,
    actorLabel: label(a),
    action,
    entityType,
    entityId,
    unitId: unitId ?? null,
    ip: a?.ip ?? null,
    data: { old: before ?? null, new: after ?? null },
  });
}

/** Installation-wide lists (categories, holidays, settings) belong to the top unit's admins. */
export async function assertTop(db: Db, a: SetupActor): Promise<void> {
  if (!a) return;
  const root = await repo.rootUnit(db);
  assertCan(a.principal, 'mailbox.setup', root?.path ?? null);
}

/** What a set-up change needs: the database, and the app's memory (its cached config and lists are read again). */
export type SetupDeps = Pick<Deps, 'db' | 'state'>;

const afterChange = (state: AppState) => {
  forgetCachedConfig(state);
  repo.forgetPickerLists(state);
};

// ---------- agencies ----------

/** A checkbox (a form's 'on', or the CLI's true/'1'/'true'): ticked or not. */
const ticked = z
  .union([z.string(), z.boolean()])
  .transform((v) => v === true || v === 'on' || v === '1' || v === 'true');

const text = (min: number, max: number, key = 'field.required') =>
  z.string().trim().min(min, key).max(max, 'setup.err.tooLong');

export const agencySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/, 'setup.err.code'),
  name: text(2, 200),
  name_en: z
    .string()
    .trim()
    .max(200, 'setup.err.tooLong')
    .optional()
    .transform((v) => v || null),
  unit: z.string().trim().min(1, 'setup.err.unit'),
  emails: z
    .string()
    .max(2000, 'setup.err.tooLong')
    .optional()
    .transform((v, ctx) => {
      const list = [
        ...new Set(
          (v ?? '')
            .split(/[\s,;]+/)
            .map((x) => x.trim().toLowerCase())
            .filter(Boolean),
        ),
      ];
      if (list.length > 10 || list.some((x) => !z.email().safeParse(x).success)) {
        ctx.addIssue({ code: 'custom', message: 'setup.err.emails' });
        return z.NEVER;
      }
      return list;
    }),
  active: ticked.optional().transform((v) => v === true),
});

/** Creates (id null) or changes an agency; with no id, the code finds the agency to change. Units, agencies and categories are named by code. */
export async function saveAgency(
  deps: SetupDeps,
  a: SetupActor,
  id: number | null,
  input: Record<string, unknown>,
): Promise<number> {
  const db = deps.db;
  const parsed = agencySchema.safeParse(input);
  if (!parsed.success) throw new SetupRefused(issues(parsed.error));
  const v = parsed.data;
  const unit = await repo.findUnitByCode(db, v.unit);
  if (!unit) throw fail('unit', 'setup.err.unit');
  if (a) assertCan(a.principal, 'mailbox.setup', unit.path);
  const before = id ? await setupRepo.agencyById(db, id) : await setupRepo.agencyByCode(db, v.code);
  if (id && !before) throw fail('_form', 'error.notFound');
  if (before && a) assertCan(a.principal, 'mailbox.setup', before.unit_path);
  const clash = await setupRepo.agencyByCode(db, v.code);
  if (clash && clash.id !== before?.id) throw fail('code', 'setup.err.codeTaken');
  const snapshot = (x: setupRepo.AgencyRow | undefined) =>
    x && { code: x.code, name: x.name, name_en: x.name_en, unit: x.unit_code, emails: x.emails, active: x.active };
  const saved = await db.tx(async (tx) => {
    const newId = await setupRepo.saveAgency(tx, before?.id ?? null, {
      code: v.code,
      name: v.name,
      nameEn: v.name_en,
      unitId: unit.id,
      emails: v.emails,
      active: v.active,
    });
    const after = await setupRepo.agencyById(tx, newId);
    await audit(
      tx,
      a,
      before ? 'mailbox.agency.update' : 'mailbox.agency.create',
      'agency',
      v.code,
      snapshot(before),
      snapshot(after),
      unit.id,
    );
    return newId;
  });
  afterChange(deps.state);
  return saved;
}

// ---------- categories ----------

/** A category's questions for the resident: one a line, at most ten. */
const questionLines = z
  .string()
  .max(3000, 'setup.err.tooLong')
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(/\r?\n/)
      .map((x) => x.trim())
      .filter(Boolean)
      .slice(0, 10),
  );

export const categorySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'setup.err.categoryCode'),
  name: text(2, 150),
  name_en: text(2, 150),
  handling_days: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'setup.err.days')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 90, 'setup.err.days'),
  questions: questionLines,
  questions_en: questionLines,
  active: ticked.optional().transform((v) => v === true),
  // absent (the CLI): kept as it is
  not_public_default: ticked.optional(),
});

export async function saveCategory(
  deps: SetupDeps,
  a: SetupActor,
  id: number | null,
  input: Record<string, unknown>,
): Promise<number> {
  const db = deps.db;
  await assertTop(db, a);
  const parsed = categorySchema.safeParse({
    ...input,
    handling_days: input.handling_days == null ? undefined : String(input.handling_days),
  });
  if (!parsed.success) throw new SetupRefused(issues(parsed.error));
  const v = parsed.data;
  const before = id ? await setupRepo.categoryById(db, id) : await repo.findCategoryByCode(db, v.code);
  if (id && !before) throw fail('_form', 'error.notFound');
  const clash = await repo.findCategoryByCode(db, v.code);
  if (clash && clash.id !== before?.id) throw fail('code', 'setup.err.codeTaken');
  const questions = v.questions.map((q, i) => ({ vi: q, en: v.questions_en[i] ?? q }));
  const snapshot = (x: repo.Category | undefined) =>
    x && {
      code: x.code,
      name: x.name,
      name_en: x.name_en,
      handling_days: x.handling_days,
      questions: x.questions ?? [],
      active: x.active,
      not_public_default: Boolean(x.not_public_default),
    };
  const saved = await db.tx(async (tx) => {
    const newId = await setupRepo.saveCategory(tx, before?.id ?? null, {
      code: v.code,
      name: v.name,
      nameEn: v.name_en,
      handlingDays: v.handling_days,
      questions,
      active: v.active,
      notPublicDefault: v.not_public_default,
    });
    await audit(
      tx,
      a,
      before ? 'mailbox.category.update' : 'mailbox.category.create',
      'mailbox.category',
      v.code,
      snapshot(before),
      snapshot(await setupRepo.categoryById(tx, newId)),
    );
    return newId;
  });
  afterChange(deps.state);
  return saved;
}

// ---------- routing rules ----------

/** The routing-rule form: codes, checked by saveRule (an unknown one refused beside its field). */
export const ruleSchema = z.object({ unit: sentText, agency: sentText, category: sentText });

export async function saveRule(
  deps: SetupDeps,
  a: SetupActor,
  input: { category?: string | null; unit?: string; agency?: string },
): Promise<void> {
  const db = deps.db;
  const unit = input.unit ? await repo.findUnitByCode(db, input.unit) : undefined;
  const agency = input.agency ? await setupRepo.agencyByCode(db, input.agency) : undefined;
  const category = input.category ? await repo.findCategoryByCode(db, input.category) : null;
  const errors: Record<string, string> = {};
  if (!unit) errors.unit = 'setup.err.unit';
  if (!agency || !agency.active) errors.agency = 'setup.err.agency';
  if (category === undefined) errors.category = 'field.invalidChoice';
  if (Object.keys(errors).length) throw new SetupRefused(errors);
  if (a) assertCan(a.principal, 'mailbox.setup', unit!.path);
  if (!onReportLine(agency!.unit_path, unit!.path)) throw fail('agency', 'err.agencyOutside');
  const before = await setupRepo.ruleFor(db, category?.id ?? null, unit!.id);
  await db.tx(async (tx) => {
    await repo.upsertRoutingRule(tx, { categoryId: category?.id ?? null, unitId: unit!.id, agencyId: agency!.id });
    await audit(
      tx,
      a,
      'mailbox.route.save',
      'mailbox.route',
      `${category?.code ?? '*'}@${unit!.code}`,
      before ? { agency: before.agency_code } : null,
      { agency: agency!.code },
      unit!.id,
    );
  });
  afterChange(deps.state);
}

export async function deleteRule(deps: SetupDeps, a: SetupActor, id: number): Promise<void> {
  const db = deps.db;
  const rule = await setupRepo.ruleById(db, id);
  if (!rule) throw new AppError({ status: 404, key: 'error.notFound' });
  if (a) assertCan(a.principal, 'mailbox.setup', rule.unit_path);
  await db.tx(async (tx) => {
    await setupRepo.deleteRule(tx, id);
    await audit(
      tx,
      a,
      'mailbox.route.delete',
      'mailbox.route',
      `${rule.category_id ?? '*'}@${rule.unit_id}`,
      { category: rule.category_name, unit: rule.unit_name, agency: rule.agency_code },
      null,
      rule.unit_id,
    );
  });
  afterChange(deps.state);
}

// ---------- holidays ----------

const isDay = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) &&
  !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
  new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

export const holidaySchema = z.object({
  day: z.string().trim().refine(isDay, 'setup.err.day'),
  name: text(1, 100),
});

export async function addHoliday(deps: SetupDeps, a: SetupActor, day: string, name: string): Promise<void> {
  const db = deps.db;
  await assertTop(db, a);
  const parsed = holidaySchema.safeParse({ day, name });
  if (!parsed.success) throw new SetupRefused(issues(parsed.error));
  const before = await setupRepo.holiday(db, day.trim());
  await db.tx(async (tx) => {
    await repo.addHoliday(tx, day.trim(), name.trim());
    await audit(tx, a, 'mailbox.holiday.add', 'mailbox.holiday', day.trim(), before ?? null, {
      day: day.trim(),
      name: name.trim(),
    });
  });
  afterChange(deps.state);
}

/** Removing a listed day (and the year whose list is shown); the day is checked by removeHoliday. */
export const holidayRemoveSchema = z.object({ day: sentText, year: sentText });
/** Loading a year's public holidays; a year that makes no sense is the current one (as the list shows it). */
export const holidayYearSchema = z.object({ year: sentText });

export async function removeHoliday(deps: SetupDeps, a: SetupActor, day: string): Promise<void> {
  const db = deps.db;
  await assertTop(db, a);
  const before = isDay(day) ? await setupRepo.holiday(db, day) : undefined;
  if (!before) throw fail('day', 'setup.err.noHoliday');
  await db.tx(async (tx) => {
    await setupRepo.deleteHoliday(tx, day);
    await audit(tx, a, 'mailbox.holiday.remove', 'mailbox.holiday', day, before, null);
  });
  afterChange(deps.state);
}

/** Adds the year's public holidays (Tết from the lunar calendar) that are not listed yet. */
export async function loadYear(deps: SetupDeps, a: SetupActor, year: number): Promise<string[]> {
  const db = deps.db;
  await assertTop(db, a);
  if (!Number.isInteger(year) || year < 1990 || year > 2200) throw fail('year', 'setup.err.year');
  const added = await db.tx(async (tx) => {
    const rows = await setupRepo.insertHolidays(
      tx,
      publicHolidays(year).map((h) => ({ day: h.day, name: h.name })),
    );
    await audit(tx, a, 'mailbox.holiday.load-year', 'mailbox.holiday', year, null, { added: rows.map((r) => r.day) });
    return rows.map((r) => r.day);
  });
  afterChange(deps.state);
  return added;
}

// ---------- settings ----------

export const SETTINGS = {
  reopenDays: { key: 'mailbox.reopenDays', fallback: 30 },
  retentionDays: { key: 'mailbox.retentionDays', fallback: 365 },
} as const;

/** A number of days between 1 and 3650; absent (the CLI): left as it is. */
const days = z
  .string()
  .trim()
  .regex(/^\d{1,4}$/, 'setup.err.settingDays')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 3650, 'setup.err.settingDays')
  .optional();

export const settingsSchema = z.object({ reopenDays: days, retentionDays: days });

export async function readSettings(db: Db): Promise<{ reopenDays: number; retentionDays: number }> {
  return {
    reopenDays: await repo.getSetting(db, SETTINGS.reopenDays.key, 30),
    retentionDays: await repo.getSetting(db, SETTINGS.retentionDays.key, 365),
  };
}

export async function saveSettings(
  db: Db,
  a: SetupActor,
  input: { reopenDays?: string; retentionDays?: string },
): Promise<void> {
  await assertTop(db, a);
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) throw new SetupRefused(issues(parsed.error));
  const values = Object.fromEntries(Object.entries(parsed.data).filter(([, n]) => n !== undefined)) as Partial<
    Record<keyof typeof SETTINGS, number>
  >;
  const before = await readSettings(db);
  await db.tx(async (tx) => {
    for (const [k, n] of Object.entries(values) as [keyof typeof SETTINGS, number][]) {
      if (before[k] === n) continue;
      await repo.setSetting(tx, SETTINGS[k].key, n);
      await audit(tx, a, 'mailbox.settings', 'settings', SETTINGS[k].key, before[k], n);
    }
  });
}
