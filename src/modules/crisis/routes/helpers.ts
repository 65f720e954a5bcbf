/** What the crisis routes share: the site, the id in the path, a service refusal shown on its form, flash messages. */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Ctx } from '../../../http/context.js';
import { form, type FormEnv, type FormValues, formValues, type Refused } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { enterSearches, isPickerSearch } from '../../../http/unit-picker.js';
import { AppError } from '../../../platform/errors.js';
import { crisisText, type CrisisKey } from '../i18n.js';
import type * as repo from '../repo.js';
import type { SiteInfo } from '../service.js';

export const site = (c: Ctx): SiteInfo => ({
  baseUrl: c.get('deps').config.baseUrl,
  orgName: c.get('deps').config.ORG_NAME,
});
export const idParam = (c: Ctx, name = 'id') => pathId(c, name);

export async function body(c: Ctx): Promise<Record<string, unknown>> {
  return (await c.req.parseBody({ all: true })) as Record<string, unknown>;
}

/**
 * Runs the service call of a form. A 422 refusal with fields (a rule of the service, not of the schema) comes back
 * as the form with what was typed and the messages beside the fields; any other error goes to app.onError.
 */
export async function orRefused(c: Ctx, run: () => Promise<Response>, render: Render): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof AppError) || e.status !== 422) throw e;
    const errors = e.fieldMessages(c.get('locale'));
    if (!Object.keys(errors).length) throw e;
    c.status(422);
    return render(c, { values: formValues(await body(c)), errors });
  }
}

type Render = (c: Ctx, refused: Refused) => Response | Promise<Response>;

/**
 * A crisis form's handler: form() checks the body against `schema` (422 through `render` with the crisis catalog's
 * messages), then `run` calls the service with the typed data, and a refusal of the service comes back the same way.
 * `picker`: the names of the form's unit pickers, whose Enter in a search box shows the form again instead.
 */
export function submit<S extends z.ZodType>(
  schema: S,
  render: Render,
  run: (c: Ctx, data: z.infer<S>) => Promise<Response>,
  picker?: string | string[],
): (c: Ctx) => Promise<Response> {
  const validate = form(schema, render, crisisText);
  return async (c) => {
    // Enter in the unit picker's search box (JavaScript off): the form again with the matches, nothing saved
    if (picker) {
      const b = await body(c);
      if (enterSearches(b, picker)) return render(c, { values: formValues(b), errors: {} });
    }
    let out: Response | undefined;
    const fc = c as unknown as Context<FormEnv<z.infer<S>>>;
    const refused = await validate(fc, async () => {
      out = await orRefused(c, () => run(c, fc.get('form')), render);
    });
    return (refused ?? out) as Response;
  };
}

/**
 * What a form shows on a GET: what was sent with the unit picker's Search button (JavaScript off), every value of a
 * repeated field kept (checkboxes), else `fresh()`.
 */
export async function shownValues(c: Ctx, fresh: () => FormValues | Promise<FormValues>): Promise<FormValues> {
  return isPickerSearch(c) ? formValues(c.req.queries()) : await fresh();
}

export const flashText = (c: Ctx, s?: repo.StatementRow | null): string | null => {
  const f = c.req.query('flash');
  const t = crisisText.t(c.get('locale'));
  if (!f) return null;
  if (f === 'released' && s?.number) return t('msg.released', { number: s.number, code: s.code! });
  if (f === 'already' && s?.number) return t('msg.alreadyReleased', { number: s.number });
  if (f === 'resent') return t('msg.resent', { n: Number(c.req.query('n') ?? 0) });
  const known: Record<string, CrisisKey> = {
    saved: 'msg.saved',
    opened: 'msg.opened',
    submitted: 'msg.submitted',
    returned: 'msg.returned',
  };
  return known[f] ? t(known[f]) : null;
};

export async function html(node: unknown): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString());
}
