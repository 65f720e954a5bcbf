/** How a network form is handled: form() checks the body, the service gets typed input, a refusal shows on the form. */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Ctx } from '../../../http/context.js';
import { form, type FormEnv, formValues, type Refused } from '../../../http/forms.js';
import { enterSearches } from '../../../http/unit-picker.js';
import { AppError } from '../../../platform/errors.js';
import { nt } from '../i18n.js';

export type Render = (c: Ctx, refused: Refused) => Response | Promise<Response>;

const rawBody = async (c: Ctx) => (await c.req.parseBody({ all: true })) as Record<string, unknown>;

/**
 * A network form's handler: form() checks the body against `schema` (422 through `render`, messages from the network
 * catalog or the common one), then `run` calls the service with the typed data. A 422 AppError with fields from the
 * service (a rule that needs the database: the unit's scope, a date after the campaign's start) comes back the same
 * way, with what was typed. `picker`: the unit pickers whose Enter in the search box (JavaScript off) shows the form
 * again through `search` (default `render` without errors), nothing saved.
 */
export function submit<S extends z.ZodType>(
  schema: S,
  render: Render,
  run: (c: Ctx, data: z.infer<S>) => Promise<Response>,
  picker?: { names: string | string[]; search?: (c: Ctx, values: Record<string, string>) => Promise<Response> },
): (c: Ctx) => Promise<Response> {
  const validate = form(schema, render, nt);
  return async (c) => {
    if (picker) {
      const b = await rawBody(c);
      if (enterSearches(b, picker.names))
        return picker.search ? picker.search(c, formValues(b)) : render(c, { values: formValues(b), errors: {} });
    }
    let out: Response | undefined;
    const fc = c as unknown as Context<FormEnv<z.infer<S>>>;
    const refused = await validate(fc, async () => {
      try {
        out = await run(c, fc.get('form'));
      } catch (e) {
        if (!(e instanceof AppError) || e.status !== 422) throw e;
        const errors = e.fieldMessages(c.get('locale'));
        if (!Object.keys(errors).length) throw e;
        c.status(422);
        out = await render(c, { values: formValues(await rawBody(c)), errors });
      }
    });
    return (refused ?? out) as Response;
  };
}
