/** The mailbox's errors: kinds of the platform's AppError, with the field they belong beside and the mailbox's catalogs. */
import { AppError, translateKey } from '../../../platform/errors.js';
import { defineCatalog, type Locale } from '../../../platform/i18n/index.js';
import { mt } from '../i18n.js';
import { pt } from '../views/practice-i18n.js';
import { xt } from '../views/redaction-i18n.js';

/** Every mailbox message a refusal may name: the module's, redaction and templates', and the practice tools' (no key is in two). */
export const mailboxText = defineCatalog({ ...mt.vi, ...xt.vi, ...pt.vi }, { ...mt.en, ...xt.en, ...pt.en });

export class MailboxError extends AppError {
  constructor(
    status: 404 | 409 | 422 | 429,
    key: string,
    vars: Record<string, string | number> = {},
    public readonly field = '_form',
  ) {
    super({ status, key, vars, fields: { [field]: key }, catalog: mailboxText });
  }
}

/** The same refusal as the practice services write it: the field before the variables. */
export class PracticeError extends MailboxError {
  constructor(status: 404 | 409 | 422, key: string, field = '_form', vars: Record<string, string | number> = {}) {
    super(status, key, vars, field);
  }
}

/** Every invalid field of a form at once, each message with its own variables. */
export class InvalidFields extends AppError {
  constructor(readonly byField: Record<string, { key: string; vars?: Record<string, string> }>) {
    super({
      status: 422,
      key: 'error.validation',
      fields: Object.fromEntries(Object.entries(byField).map(([f, e]) => [f, e.key])),
      catalog: mailboxText,
    });
  }

  override fieldMessages(locale: Locale): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.byField).map(([f, e]) => [f, translateKey(mailboxText, locale, e.key, e.vars)]),
    );
  }
}
