import { AppError, type ErrorStatus } from '../platform/errors.js';
import type { CommonKey } from '../platform/i18n/common.js';

/** An error raised by the HTTP layer itself: a key of the common catalog, and field messages already translated. */
export class HttpError extends AppError {
  constructor(
    status: ErrorStatus,
    code: string,
    messageKey: CommonKey = 'error.server',
    vars: Record<string, string | number> = {},
    fieldTexts: Record<string, string> = {},
  ) {
    super({ status, code, key: messageKey, vars, fieldTexts });
  }
}

export const notFound = () => new HttpError(404, 'not_found', 'error.notFound');
export const forbidden = () => new HttpError(403, 'forbidden', 'error.forbidden');
export const unauthorized = () => new HttpError(401, 'unauthorized', 'error.unauthorized');
/** A button's hidden fields that do not parse: nothing a person could have typed, a broken or hand-made request. */
export const brokenForm = (): never => {
  throw new HttpError(400, 'bad_body', 'error.badBody');
};
