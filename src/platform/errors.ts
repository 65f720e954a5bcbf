import { type CommonKey, common } from './i18n/common.js';
import type { Catalog, Locale, Vars } from './i18n/index.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 503;

const CODES: Record<ErrorStatus, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  413: 'too_large',
  422: 'invalid',
  429: 'rate_limited',
  500: 'internal',
  503: 'unavailable',
};

export interface AppErrorInit {
  status: ErrorStatus;
  /** A stable machine-readable code for API clients; defaults to one per status. */
  code?: string;
  /** A catalog key: of `catalog` when it has it, else of the common catalog. */
  key: string;
  vars?: Vars;
  /** Form field -> catalog key, shown beside the field. */
  fields?: Record<string, string>;
  /** Form field -> a message already in the user's language (when the route translated it). */
  fieldTexts?: Record<string, string>;
  /** The module catalog the keys belong to. */
  catalog?: Catalog<never>;
}

/**
 * The one error a user may see. Services raise it (or a module subclass that fixes the catalog);
 * `src/http/app.tsx` turns it into an error page or `{error:{code,message,fields}}`, and form routes
 * re-render the form with `fieldMessages()` beside the fields.
 */
export class AppError extends Error {
  readonly status: ErrorStatus;
  readonly code: string;
  readonly key: string;
  readonly vars: Vars;
  readonly fields: Record<string, string>;
  readonly fieldTexts: Record<string, string>;
  readonly catalog: Catalog<never> | null;

  constructor(init: AppErrorInit) {
    super(init.key);
    this.status = init.status;
    this.code = init.code ?? CODES[init.status];
    this.key = init.key;
    this.vars = init.vars ?? {};
    this.fields = init.fields ?? {};
    this.fieldTexts = init.fieldTexts ?? {};
    this.catalog = init.catalog ?? null;
  }

  /** The message in one language. */
  translated(locale: Locale): string {
    return translateKey(this.catalog, locale, this.key, this.vars);
  }

  /** Field -> message in one language. */
  fieldMessages(locale: Locale): Record<string, string> {
    const out: Record<string, string> = { ...this.fieldTexts };
    for (const [field, key] of Object.entries(this.fields))
      out[field] = translateKey(this.catalog, locale, key, this.vars);
    return out;
  }
}

/** A key of the module catalog, else of the common catalog, else the generic validation message. */
export function translateKey(catalog: Catalog<never> | null, locale: Locale, key: string, vars?: Vars): string {
  if (catalog && key in catalog.vi) return catalog.t(locale)(key as never, vars);
  if (key in common.vi) return common.t(locale)(key as keyof typeof common.vi, vars);
  return common.t(locale)('error.validation');
}

/** A platform service's refusal shown beside the form's fields (`_form`: above the form), keys of the common catalog. */
export const fieldsRefused = (fields: Partial<Record<string, CommonKey>>, vars?: Vars) =>
  new AppError({ status: 422, key: 'error.validation', fields: fields as Record<string, string>, vars });
