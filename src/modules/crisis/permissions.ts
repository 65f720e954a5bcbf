import type { ActionTable } from '../../platform/auth/permissions.js';

/**
 * Crisis centre actions. Admin may do everything within its units. Beyond these unit roles, the
 * incident team (crisis_team) grants 'drafter' (may draft on that incident) and 'spokesperson'
 * (may also approve and release its statements). `crisis.keys` is checked against the top unit.
 */
export const crisisActions: ActionTable = {
  'crisis.view': ['editor', 'reviewer', 'handler'],
  'crisis.manage': ['editor'],
  'crisis.draft': ['editor', 'reviewer'],
  'crisis.approve': ['reviewer'],
  // rotating the statement signing key: the administrator of the top unit only
  'crisis.keys': ['admin'],
};
