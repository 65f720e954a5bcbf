import type { ActionTable } from '../../platform/auth/permissions.js';

export const reportsActions: ActionTable = {
  /** See period reports for units within one's scope; leaders (admins) also receive the monthly e-mail. */
  'reports.view': ['admin', 'editor', 'reviewer', 'handler'],
};
