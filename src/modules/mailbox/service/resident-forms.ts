/** The private page's forms, read by submit(); their fields are checked by the rules of resident-actions.ts. */
import { z } from 'zod';
import { sentText as field } from './form-fields.js';

/** The forms of /mailbox/s/TOKEN; the photos of a reply are read from the raw body. */
export const residentSchemas = {
  reply: z.object({ body: field }),
  rate: z.object({ rating: field, comment: field }),
  reopen: z.object({ reason: field }),
  erase: z.object({}),
};
