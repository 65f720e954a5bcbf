import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { translateKey } from '../platform/errors.js';
import { common, type CommonKey } from '../platform/i18n/common.js';
import type { Catalog, Locale, Vars } from '../platform/i18n/index.js';
import type { AppEnv, Ctx } from './context.js';

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
    const vars: Vars = {};
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
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    c.set('body', body);
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
