import type { CommonKey } from '../platform/i18n/common.js';

/** An error the user should see, with a status and a translated message key. */
export class HttpError extends Error {
  constructor(
    public readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 503,
    public readonly code: string,
    public readonly messageKey: CommonKey = 'error.server',
    public readonly vars: Record<string, string | number> = {},
    public readonly fields: Record<string, string> = {},
  ) {
    super(code);
  }
}

export const notFound = () => new HttpError(404, 'not_found', 'error.notFound');
export const forbidden = () => new HttpError(403, 'forbidden', 'error.forbidden');
export const unauthorized = () => new HttpError(401, 'unauthorized', 'error.unauthorized');
