import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { AppError, translateKey } from '../platform/errors.js';
import { common, type CommonKey } from '../platform/i18n/common.js';
import type { Catalog, Locale, Vars } from '../platform/i18n/index.js';
import type { AppEnv, Ctx } from './context.js';
import { isPickerPost } from './unit-picker.js';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

/**
 * Zod messages in our schemas are i18n keys ('field.required', or a module's own key); they are
 * translated here with the issue's limits as variables. Any other issue gets a generic message.
 */
export function translateIssues(
  issues: z.core.$ZodIssue[],
  locale: Locale,
  extra?: (key: string, vars: Vars) => string | undefined,
): FieldErrors {
  const t = common.t(locale);
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || '_form';
    if (errors[field]) continue;
    // a schema's own check may name its message's variables: ctx.addIssue({ code: 'custom', message, params: { n } })
    const vars: Vars = { ...(issue.code === 'custom' ? (issue.params as Vars | undefined) : undefined) };
    if ('maximum' in issue) vars.max = Number(issue.maximum);
    if ('minimum' in issue) vars.min = Number(issue.minimum);
    const key = issue.message;
    const fromExtra = extra?.(key, vars);
    if (fromExtra) errors[field] = fromExtra;
    else if (key in common.vi) errors[field] = t(key as CommonKey, vars);
    else if (issue.code === 'too_big') errors[field] = t('field.tooLong', vars);
    else if (issue.code === 'too_small')
      errors[field] = Number(vars.min) <= 1 ? t('field.required') : t('field.tooShort', vars);
    else if (issue.code === 'invalid_value') errors[field] = t('field.invalidChoice');
    else errors[field] = t('error.validation');
  }
  return errors;
}

/** Keeps what the user typed (as strings) so a failed form comes back filled in. */
export function formValues(body: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string').join('\n');
  }
  return out;
}

export function parseForm<S extends z.ZodType>(
  schema: S,
  body: Record<string, unknown>,
  locale: Locale,
  extra?: (key: string, vars: Vars) => string | undefined,
): FormResult<z.infer<S>> {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, errors: translateIssues(r.error.issues, locale, extra), values: formValues(body) };
}

/** What a form route's handler receives from form(): the parsed data, and the raw body for files. */
export type FormEnv<T> = AppEnv & { Variables: { form: T; body: Record<string, unknown> } };

/** The values the user typed and the translated errors, for re-rendering a refused form. */
export interface Refused {
  values: FormValues;
  errors: FieldErrors;
}

/**
 * Validation as middleware: parses the posted body with `schema`. On failure it answers 422 through
 * `render` with what the user typed and the errors beside their fields (messages that are keys of
 * `catalog` or the common catalog are translated); on success the handler reads `c.get('form')`.
 *
 *   app.post('/x', need('x.edit'), form(schema, (c, r) => c.html(<Page {...r} />), text), async (c) => { … })
 */
export function form<S extends z.ZodType, K extends string = never>(
  schema: S,
  render: (c: Ctx, refused: Refused) => Response | Promise<Response>,
  catalog: Catalog<K> | null = null,
): MiddlewareHandler<FormEnv<z.infer<S>>> {
  return async (c, next) => {
    const body = await postedBody(c as unknown as Ctx);
    const r = schema.safeParse(body);
    if (!r.success) {
      const locale = c.get('locale');
      const errors = translateIssues(r.error.issues, locale, (key, vars) =>
        catalog && key in catalog.vi ? translateKey(catalog as Catalog<never>, locale, key, vars) : undefined,
      );
      c.status(422);
      return render(c as unknown as Ctx, { values: formValues(body), errors });
    }
    c.set('form', r.data);
    await next();
  };
}

/** Shows a refused form again: the page with what was typed and the messages beside the fields, with this status. */
export type RenderRefused = (c: Ctx, refused: Refused, status: FormStatus) => Response | Promise<Response>;
/** 200: shown again for a picker search; 403: a unit named on the form is outside one's scope; 409: the thing changed meanwhile; 422: refused. */
export type FormStatus = 200 | 403 | 409 | 422;

export interface SubmitOptions<K extends string> {
  /** The module's catalog for the schema's and the service's message keys (the common one is always read). */
  catalog?: Catalog<K> | null;
  /**
   * Statuses of a service's AppError (with fields) that show the form again instead of an error page; 403 and 409
   * keep their status (a unit outside one's scope, the thing changed meanwhile), any other is answered 422.
   * Default: 422 only.
   */
  refuse?: readonly number[];
  /**
   * The form's unit pickers: Enter in one's search box or the Search of a 'post' picker (JavaScript off) shows the
   * form again through `search` (default: `render` without errors), nothing saved.
   */
  picker?: { names: string | string[]; search?: (c: Ctx, values: FormValues) => Response | Promise<Response> };
}

/**
 * Runs the service call of a form. An AppError with fields whose status is in `refuse` (a rule of the service, not of
 * the schema: the unit's scope, the report's state) comes back as the form with what was typed and the messages
 * beside the fields; any other error goes to app.onError.
 */
export async function orRefused(
  c: Ctx,
  run: () => Promise<Response>,
  render: RenderRefused,
  refuse: readonly number[] = [422],
): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof AppError) || !refuse.includes(e.status)) throw e;
    const errors = e.fieldMessages(c.get('locale'));
    if (!Object.keys(errors).length) throw e;
    const status: FormStatus = e.status === 409 || e.status === 403 ? e.status : 422;
    c.status(status);
    return render(c, { values: formValues(await postedBody(c)), errors }, status);
  }
}

/** The posted body, read once per request and kept on the context (form(), a picker check, a refusal, a handler). */
export async function postedBody(c: Ctx): Promise<Record<string, unknown>> {
  const fc = c as unknown as Context<FormEnv<unknown>>;
  const kept = fc.get('body');
  if (kept) return kept;
  const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  fc.set('body', body);
  return body;
}

/**
 * A form's whole handler: form() checks the body against `schema` (422 through `render` with the translated
 * messages), `run` calls the service with the typed data, and a refusal of the service comes back the same way.
 *
 *   app.post('/x', need('x.edit'), submit(schema, render, async (c, data) => { … }, { catalog: text }))
 */
export function submit<S extends z.ZodType, K extends string = never>(
  schema: S,
  render: RenderRefused,
  run: (c: Ctx, data: z.infer<S>) => Promise<Response>,
  options: SubmitOptions<K> = {},
): (c: Ctx) => Promise<Response> {
  const validate = form(schema, (c, r) => render(c, r, 422), options.catalog ?? null);
  const { picker, refuse } = options;
  return async (c) => {
    if (picker) {
      const b = await postedBody(c);
      if (isPickerPost(b, picker.names))
        return picker.search ? picker.search(c, formValues(b)) : render(c, { values: formValues(b), errors: {} }, 200);
    }
    let out: Response | undefined;
    const fc = c as unknown as Context<FormEnv<z.infer<S>>>;
    const refused = await validate(fc, async () => {
      out = await orRefused(c, () => run(c, fc.get('form')), render, refuse);
    });
    return (refused ?? out) as Response;
  };
}
