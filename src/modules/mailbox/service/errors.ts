/** The mailbox's error: a kind of the platform's AppError, with the field it belongs to and the mailbox catalog. */
import { AppError } from '../../../platform/errors.js';
import { mt } from '../i18n.js';

export class MailboxError extends AppError {
  constructor(
    status: 404 | 409 | 422 | 429,
    key: string,
    vars: Record<string, string | number> = {},
    public readonly field = '_form',
  ) {
    super({ status, key, vars, fields: { [field]: key }, catalog: mt });
  }
}
