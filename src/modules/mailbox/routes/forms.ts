/** The staff forms' one path: form() checks the body, the service decides, a refusal comes back on the same page. */
import { z } from 'zod';
import type { Ctx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import {
  type FormStatus,
  type Refused,
  type RenderRefused,
  orRefused as sharedOrRefused,
  submit as sharedSubmit,
} from '../../../http/forms.js';
import { actor } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import { AppError, translateKey } from '../../../platform/errors.js';
import type { Locale, Vars } from '../../../platform/i18n/index.js';
import { mailboxText } from '../service/errors.js';
import { sentText } from '../service/form-fields.js';

/** Shows the form again: the page with what was typed and the messages beside the fields, with this status. */
export type Render = (c: Ctx, refused: Refused, status: FormStatus) => Response | Promise<Response>;

/** A text field the service checks itself (missing counts as empty, as a browser sends it). */
export const text = sentText;
/** The same, without the spaces around it. */
export const line = text.transform((v) => v.trim());
/** A field of a form that sends it once or more (checkboxes). */
export const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** Service refusals with fields shown on the form: 409 (the report's state), 422 (a rule), 429 (too many at once). */
const REFUSE = [409, 422, 429] as const;

/** A report or thing the service did not find is the not-found page, not an error page. */
async function notFoundPage(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof AppError && e.status === 404) throw notFound();
    throw e;
  }
}

/**
 * Runs the service call of a form. A refusal with fields (409 for the report's state, 422 for a rule) is the form
 * again with what was typed; a 404 is the not-found page; anything else goes to app.onError.
 */
export const orRefused = (c: Ctx, run: () => Promise<Response>, render: Render): Promise<Response> =>
  sharedOrRefused(c, () => notFoundPage(run), render as RenderRefused, REFUSE);

/**
 * A staff form's handler: the shared submit() with the mailbox's catalogs, its refusals (409, 422, 429) and the
 * not-found page for a 404 of the service. `picker`: the form's unit pickers, whose Search (JavaScript off) shows the
 * form again, nothing saved.
 */
export const submit = <S extends z.ZodType>(
  schema: S,
  render: Render,
  run: (c: Ctx, data: z.infer<S>) => Promise<Response>,
  picker?: string,
): ((c: Ctx) => Promise<Response>) =>
  sharedSubmit(schema, render as RenderRefused, (c, data) => notFoundPage(() => run(c, data)), {
    catalog: mailboxText,
    refuse: REFUSE,
    picker: picker ? { names: picker } : undefined,
  });

/** What a case-page form does with the staff member, the report's id and the checked fields. */
export type CaseStep<T> = (c: Ctx, a: Actor, id: number, data: T) => Promise<unknown>;

/** A form on one report's page: the service acts, then the page again (at `anchor`), or the page with the refusal. */
export function caseForm<S extends z.ZodType>(
  schema: S,
  page: Render,
  run: CaseStep<z.infer<S>>,
  options: { anchor?: string; picker?: string } = {},
): (c: Ctx) => Promise<Response> {
  const { anchor, picker } = options;
  return submit(
    schema,
    page,
    async (c, data) => {
      const id = pathId(c);
      await run(c, actor(c), id, data);
      return c.redirect(`/staff/mailbox/${id}?done=1${anchor ? `#${anchor}` : ''}`, 303);
    },
    picker,
  );
}

/** A key of the mailbox's catalogs, else the common one, translated. */
export const say = (locale: Locale, key: string, vars?: Vars): string => translateKey(mailboxText, locale, key, vars);
