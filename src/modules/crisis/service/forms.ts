/** The crisis forms' schemas (messages are keys of the crisis or the common catalog), and staff-typed times. */
import { z } from 'zod';
import { parseCircle, parsePolygon } from './cap.js';
import { MAX_ID } from '../../../platform/ids.js';
import { CAP_CATEGORIES, CAP_CERTAINTIES } from '../repo.js';
import { MIN_TEXT } from './verification.js';

const req = (max: number) => z.string().trim().min(1, 'field.required').max(max, 'field.tooLong');
const opt = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'field.tooLong')
    .optional()
    .transform((v) => (v ? v : null));
const arr = z.preprocess(
  (v) => (v == null || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number().int().positive().max(MAX_ID)),
);
const id = z.coerce.number({ message: 'field.invalidChoice' }).int().positive('field.invalidChoice');

export const incidentSchema = z.object({
  title: req(200),
  titleEn: opt(200),
  type: z.enum(['natural', 'public_order', 'health', 'infrastructure', 'other'], { message: 'field.invalidChoice' }),
  severity: z.enum(['minor', 'moderate', 'severe', 'extreme'], { message: 'field.invalidChoice' }),
  summary: z
    .string()
    .trim()
    .max(2000, 'field.tooLong')
    .optional()
    .transform((v) => v ?? ''),
  summaryEn: opt(2000),
  unitId: id,
  unitIds: arr.pipe(z.array(z.number()).min(1, 'err.unitsRequired')),
  spokespersonName: req(120),
  spokespersonTitle: z
    .string()
    .trim()
    .max(160, 'field.tooLong')
    .optional()
    .transform((v) => v ?? ''),
  spokespersonPhone: z
    .string()
    .trim()
    .max(40, 'field.tooLong')
    .optional()
    .transform((v) => v ?? '')
    .refine((v) => v === '' || /^\+?[\d][\d .()-]{4,}$/.test(v), 'field.invalidPhone'),
  spokespersonEmail: z
    .string()
    .trim()
    .max(200, 'field.tooLong')
    .optional()
    .transform((v) => v ?? '')
    .refine((v) => v === '' || z.email().safeParse(v).success, 'field.invalidEmail'),
  hotlines: z
    .string()
    .trim()
    .max(1000, 'field.tooLong')
    .optional()
    .transform((v) => v ?? ''),
  publicAlert: z
    .string()
    .optional()
    .transform((v) => v === '1'),
  areaPolygon: z
    .string()
    .trim()
    .max(4000, 'field.tooLong')
    .optional()
    .refine((v) => !v || parsePolygon(v) !== null, 'err.polygon')
    .transform((v) => (v ? parsePolygon(v) : null)),
  areaCircle: z
    .string()
    .trim()
    .max(100, 'field.tooLong')
    .optional()
    .refine((v) => !v || parseCircle(v) !== null, 'err.circle')
    .transform((v) => (v ? parseCircle(v) : null)),
  // empty: the category that fits the incident type
  capCategory: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.enum(CAP_CATEGORIES, { message: 'field.invalidChoice' }).optional(),
  ),
  capCertainty: z.preprocess(
    (v) => (v === '' || v == null ? 'Observed' : v),
    z.enum(CAP_CERTAINTIES, { message: 'field.invalidChoice' }),
  ),
  alertInstruction: z
    .string()
    .trim()
    .max(2000, 'field.tooLong')
    .optional()
    .transform((v) => v ?? ''),
  alertInstructionEn: opt(2000),
  alertExpiresHours: z.preprocess(
    (v) => (v === '' || v == null ? '24' : v),
    z.coerce
      .number({ message: 'err.expiresHours' })
      .int('err.expiresHours')
      .min(1, 'err.expiresHours')
      .max(720, 'err.expiresHours'),
  ),
});

export const statementSchema = z
  .object({
    incidentId: z.preprocess((v) => (v === '' || v == null ? null : v), id.nullable()),
    unitId: z.preprocess((v) => (v === '' || v == null ? 0 : v), z.coerce.number().int().min(0).max(MAX_ID)),
    kind: z.enum(['notice', 'update', 'correction'], { message: 'field.invalidChoice' }),
    refersTo: z.preprocess((v) => (v === '' || v == null ? null : v), id.nullable()),
    title: req(200),
    titleEn: opt(200),
    body: req(20000),
    bodyEn: opt(20000),
    listIds: arr,
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'notice' && !v.refersTo)
      ctx.addIssue({ code: 'custom', path: ['refersTo'], message: 'err.refersRequired' });
  })
  .transform((v) => (v.kind === 'notice' ? { ...v, refersTo: null } : v));

export const listSchema = z.object({
  name: req(120),
  kind: z.enum(['press', 'officials', 'unit_leaders', 'network', 'custom'], { message: 'field.invalidChoice' }),
  unitId: id,
});

const contactFields = z.object({
  name: req(120),
  organisation: z
    .string()
    .trim()
    .max(200, 'field.tooLong')
    .optional()
    .transform((v) => v ?? ''),
  channel: z.enum(['email', 'webhook'], { message: 'field.invalidChoice' }),
  address: req(500),
  secret: z
    .string()
    .trim()
    .max(200, 'field.tooLong')
    .optional()
    .transform((v) => v ?? ''),
  locale: z
    .enum(['vi', 'en'])
    .optional()
    .transform((v) => v ?? 'vi'),
});

/** A contact's address must fit its channel; a gateway needs a secret unless editing may keep the stored one. */
const contactRules = (secretRequired: boolean) => (v: z.infer<typeof contactFields>, ctx: z.RefinementCtx) => {
  if (v.channel === 'email' && !z.email().safeParse(v.address).success)
    ctx.addIssue({ code: 'custom', path: ['address'], message: 'err.contactEmail' });
  if (v.channel === 'webhook') {
    if (!/^https?:\/\/\S+$/.test(v.address))
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'err.contactUrl' });
    if ((secretRequired || v.secret) && v.secret.length < 16)
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'err.secret' });
  }
};

export const contactSchema = contactFields.superRefine(contactRules(true));

/** Editing a contact: the same fields; a gateway keeps its secret when the field is left empty. */
export const contactEditSchema = contactFields.superRefine(contactRules(false));

/** The CSV import of e-mail contacts: a file (at most 2 MB) or pasted text. */
export const importSchema = z
  .object({
    csv: z
      .string()
      .optional()
      .transform((v) => v ?? ''),
    file: z
      .unknown()
      .optional()
      .transform((v) => (v instanceof File && v.size > 0 ? v : null)),
  })
  .superRefine((v, ctx) => {
    if (v.file && v.file.size > 2_000_000) ctx.addIssue({ code: 'custom', path: ['csv'], message: 'err.csvTooLong' });
  });

/** Returning a submitted statement to its drafter, with an optional note. */
export const returnSchema = z.object({
  note: z
    .string()
    .max(1000, 'field.tooLong')
    .optional()
    .transform((v) => v ?? ''),
});

/** Verifying pasted text: something to compare, at least MIN_TEXT characters of it. */
export const verifyTextSchema = z.object({
  text: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().superRefine((v, ctx) => {
      const n = v.trim().length;
      if (!n) ctx.addIssue({ code: 'custom', message: 'verify.needInput' });
      else if (n < MIN_TEXT)
        ctx.addIssue({ code: 'custom', message: 'verify.textTooShort', params: { min: MIN_TEXT } });
    }),
  ),
});

/** A time the key is known or suspected to be leaked since: required, a real Vietnam time, not in the future. */
function leakTime(v: unknown, ctx: z.RefinementCtx): Date | null {
  const raw = typeof v === 'string' ? v.trim() : '';
  const at = raw ? parseVnDateTime(raw) : null;
  const message = !raw
    ? 'keys.sinceRequired'
    : !at
      ? 'keys.sinceInvalid'
      : at.getTime() > Date.now()
        ? 'keys.sinceFuture'
        : '';
  if (message) ctx.addIssue({ code: 'custom', message });
  return at;
}
const trimmed = z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string());
const checked = (message: string) => z.preprocess((v) => v === '1', z.literal(true, { message }));

/**
 * The rotate form of the signing keys page: reason, confirmation and, when the old key is leaked, since when (every
 * error at once, each beside its field).
 */
export const rotateKeySchema = z.preprocess(
  (v) => {
    if (!v || typeof v !== 'object') return v;
    const form = v as Record<string, unknown>;
    return { ...form, compromisedSince: form.compromised === '1' ? (form.compromisedSince ?? '') : undefined };
  },
  z.object({
    reason: trimmed.pipe(z.string().min(3, 'keys.reasonRequired').max(500, 'keys.reasonTooLong')),
    compromisedSince: z.unknown().transform((v, ctx) => (v === undefined ? null : leakTime(v, ctx))),
    confirm: checked('keys.confirmRequired'),
  }),
);

/** The leak form: which retired key, since when, why, and a confirmation. */
export const leakKeySchema = z
  .object({
    leakKey: trimmed,
    leakSince: z.unknown().transform((v, ctx) => leakTime(v, ctx) as Date),
    leakReason: trimmed.pipe(z.string().min(3, 'keys.reasonRequired').max(500, 'keys.reasonTooLong')),
    leakConfirm: checked('keys.leakConfirmRequired'),
  })
  .transform(({ leakKey, leakSince, leakReason }) => ({ keyId: leakKey, since: leakSince, reason: leakReason }));

export const teamSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'field.required')
    .max(200)
    .refine((v) => z.email().safeParse(v).success, 'field.invalidEmail'),
  role: z.enum(['drafter', 'spokesperson'], { message: 'field.invalidChoice' }),
});

export const factcheckSchema = z.object({
  itemId: z.coerce
    .number({ message: 'field.invalidNumber' })
    .int('field.invalidNumber')
    .positive('field.invalidNumber'),
});

/**
 * A moment typed by staff or on the command line: `2026-11-23 08:00` or `2026-11-23T08:00` (Vietnam time, as a
 * datetime-local field sends it), or a full ISO 8601 time with its offset. Null when it is not a real time.
 */
export function parseVnDateTime(input: string): Date | null {
  const s = input.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (local) {
    const [, y, mo, d, h, mi, se] = local;
    const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se ?? '00'}+07:00`);
    if (Number.isNaN(date.getTime())) return null;
    // reject 2026-02-30 and 25:00, which Date would roll over
    const back = new Date(date.getTime() + 7 * 3600_000).toISOString();
    return back.startsWith(`${y}-${mo}-${d}T${h}:${mi}`) ? date : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    const date = new Date(s);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}
