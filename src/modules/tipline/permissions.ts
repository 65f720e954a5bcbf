import type { ActionTable } from '../../platform/auth/permissions.js';

/** Staff who answer residents read and reply to tipline conversations; admins set the channels up. */
export const tiplineActions: ActionTable = {
  'tipline.inbox': ['handler', 'editor', 'reviewer'],
  'tipline.settings': ['admin'],
};
