import { registerActions } from '../../platform/auth/permissions.js';

/** Who may do what on the desk. Admin may do everything (platform rule). */
registerActions({
  'desk.view': ['editor', 'reviewer'],
  'desk.edit': ['editor'],
  'desk.approve': ['reviewer'],
  'desk.publish': ['editor', 'reviewer'],
  'desk.unpublish': ['reviewer'],
  'desk.claims': ['editor', 'reviewer'],
  'desk.policies': [],
});
