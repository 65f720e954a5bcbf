/** The reports staff forms' schemas: what they read; the unit and the period are resolved by the services. */
import { z } from 'zod';

const text = z.preprocess(
  (v) => (typeof v === 'string' ? v : undefined),
  z.string().max(200, 'field.tooLong').optional(),
);

/** A long report asked to run in the background: the unit (code or id) and the period. */
export const runSchema = z.object({ unit: text, from: text, to: text });

/** The monthly e-mail: a unit, and whether it is wanted ('1') or no longer. */
export const mailSchema = z.object({ unit: text, wants: text });
