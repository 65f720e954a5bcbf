import type { ActionTable } from '../../platform/auth/permissions.js';

/** Who may do what on the desk. Admin may do everything (platform rule). */
export const deskActions: ActionTable = {
  'desk.view': ['editor', 'reviewer'],
  'desk.edit': ['editor'],
  'desk.approve': ['reviewer'],
  'desk.publish': ['editor', 'reviewer'],
  'desk.unpublish': ['reviewer'],
  'desk.claims': ['editor', 'reviewer'],
  'desk.policies': [],
};
