import type { ActionTable } from '../../platform/auth/permissions.js';

/**
 * Who may do what in the sharing network; admin may do everything within its units.
 * A unit leader is an editor (or admin) on the unit: they run its directory, invitations and join requests.
 */
export const networkActions: ActionTable = {
  'network.member': ['member'],
  'network.lead': ['editor'],
  'network.campaign': ['editor'],
  'network.recognise': ['editor'],
  'network.train': ['editor'],
};
