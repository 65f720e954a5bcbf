/** Shared by every capability of the crisis service: who acts, the site it speaks for, and the errors it throws. */
import { AppError } from '../../../platform/errors.js';
import { crisisText } from '../i18n.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import type { CrisisKey } from '../i18n.js';

export interface Actor {
  principal: Principal;
  ip?: string | null;
}

export interface SiteInfo {
  baseUrl: string;
  orgName: string;
}

/** A rule broken by the input: field -> message key, shown beside the field with status 422. */
export class CrisisFormError extends AppError {
  constructor(override readonly fields: Record<string, CrisisKey>) {
    super({ status: 422, key: 'error.validation', fields, catalog: crisisText });
  }
}

export class NotFoundError extends AppError {
  constructor() {
    super({ status: 404, key: 'error.notFound' });
  }
}
