/** Shared by every capability of the crisis service: who acts, the site it speaks for, and the error it throws. */
import { AppError, type AppErrorInit } from '../../../platform/errors.js';
import { crisisText, type CrisisKey } from '../i18n.js';

export type { Actor } from '../../../platform/auth/permissions.js';

export interface SiteInfo {
  baseUrl: string;
  orgName: string;
}

/** The crisis service's one error: an AppError whose keys are looked up in the crisis catalog first. */
export class CrisisError extends AppError {
  declare readonly fields: Record<string, CrisisKey>;
  constructor(init: Omit<AppErrorInit, 'catalog'>) {
    super({ ...init, catalog: crisisText });
  }
}

/** A rule broken by the input: field -> message key, shown beside the field with status 422. */
export const invalid = (fields: Record<string, CrisisKey>) =>
  new CrisisError({ status: 422, key: 'error.validation', fields });

export const notFound = () => new CrisisError({ status: 404, key: 'error.notFound' });
