import { AppError } from '../../platform/errors.js';
import type { CommonKey } from '../../platform/i18n/common.js';
import type { Vars } from '../../platform/i18n/index.js';

/**
 * A platform service's refusal (field → key of the common catalog) as the error submit() shows beside the fields:
 * the accounts and passwords services answer with such a list instead of throwing.
 */
export const fieldsRefused = (fields: Partial<Record<string, CommonKey>>, vars?: Vars) =>
  new AppError({ status: 422, key: 'error.validation', fields: fields as Record<string, string>, vars });
