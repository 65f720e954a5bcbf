/** The staff forms' one path: form() checks the body, the service decides, a refusal comes back on the same page. */
import type { Context } from 'hono';
import { z } from 'zod';
import type { Ctx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { form, type FormEnv, formValues, type Refused } from '../../../http/forms.js';
import { actor } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import { AppError, translateKey } from '../../../platform/errors.js';
import type { Locale, Vars } from '../../../platform/i18n/index.js';
import { mailboxText } from '../service/errors.js';

/** Shows the form again: the page with what was typed and the messages beside the fields, with this status. */
export type Render = (c: Ctx, refused: Refused, status: 409 | 422) => Response | Promise<Response>;

/** A text field the service checks itself (missing counts as empty, as a browser sends it). */
export const text = z.string().optional().default('');
/** The same, without the spaces around it. */
export const line = text.transform((v) => v.trim());
/** A field of a form that sends it once or more (checkboxes). */
export const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/**
 * Runs the service call of a form. A refusal with fields (409 for the report's state, 422 for a rule) is the form
 * again with what was typed; a 404 is the not-found page; anything else goes to app.onError.
 */
export async function orRefused(c: Ctx, run: () => Promise<Response>, render: Render): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.status === 404) throw notFound();
    if (e.status !== 409 && e.status !== 422 && e.status !== 429) throw e;
    const errors = e.fieldMessages(c.get('locale'));
    if (!Object.keys(errors).length) throw e;
    const body = (c as unknown as Context<FormEnv<unknown>>).get('body') ?? {};
    return render(c, { values: formValues(body), errors }, e.status === 409 ? 409 : 422);
  }
}

/**
 * A staff form's handler: form() checks the body against `schema` (422 through `render`, messages from the mailbox's
 * catalogs), then `run` calls the service with the typed data; a refusal of the service comes back the same way.
 */
export function submit<S extends z.ZodType>(
  schema: S,
  render: Render,
  run: (c: Ctx, data: z.infer<S>) => Promise<Response>,
): (c: Ctx) => Promise<Response> {
  const validate = form(schema, (c, r) => render(c, r, 422), mailboxText);
  return async (c) => {
    let out: Response | undefined;
    const fc = c as unknown as Context<FormEnv<z.infer<S>>>;
    const refused = await validate(fc, async () => {
      out = await orRefused(c, () => run(c, fc.get('form')), render);
    });
    return (refused ?? out) as Response;
  };
}

/** What a case-page form does with the staff member, the report's id and the checked fields. */
export type CaseStep<T> = (c: Ctx, a: Actor, id: number, data: T) => Promise<unknown>;

/** A form on one report's page: the service acts, then the page again (at `anchor`), or the page with the refusal. */
export function caseForm<S extends z.ZodType>(
  schema: S,
  page: Render,
  run: CaseStep<z.infer<S>>,
  anchor?: string,
): (c: Ctx) => Promise<Response> {
  return submit(schema, page, async (c, data) => {
    const id = pathId(c);
    await run(c, actor(c), id, data);
    return c.redirect(`/staff/mailbox/${id}?done=1${anchor ? `#${anchor}` : ''}`, 303);
  });
}

/** A key of the mailbox's catalogs, else the common one, translated. */
export const say = (locale: Locale, key: string, vars?: Vars): string => translateKey(mailboxText, locale, key, vars);
