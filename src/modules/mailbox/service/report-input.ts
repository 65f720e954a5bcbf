/** What a report is made of: one schema for the form, the JSON API and Open311, with the limits views show. */
import { z } from 'zod';

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
