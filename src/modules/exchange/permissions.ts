import { registerActions } from '../../platform/auth/permissions.js';

/**
 * Exchange actions. Managing partners and unsigned sources is the top unit's administrator's call (checked against
 * the top unit); desk staff see what partners are asked ("asked in neighbouring provinces").
 */
registerActions({
  'exchange.manage': ['admin'],
  'exchange.warnings': ['editor', 'reviewer', 'handler'],
});
