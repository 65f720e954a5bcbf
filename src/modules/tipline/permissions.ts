import { registerActions } from '../../platform/auth/permissions.js';

/** Staff who answer residents read and reply to tipline conversations; admins set the channels up. */
registerActions({
  'tipline.inbox': ['handler', 'editor', 'reviewer'],
  'tipline.settings': ['admin'],
});
