import type { ActionTable } from '../../platform/auth/permissions.js';

/**
 * Exchange actions. Managing partners and unsigned sources is the top unit's administrator's call (checked against
 * the top unit); desk staff see what partners are asked ("asked in neighbouring provinces").
 */
export const exchangeActions: ActionTable = {
  'exchange.manage': ['admin'],
  'exchange.warnings': ['editor', 'reviewer', 'handler'],
};
