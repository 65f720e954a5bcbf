import type { ActionTable } from '../../platform/auth/permissions.js';

/** Who may do what in the mailbox; admin may do everything within its units. */
export const mailboxActions: ActionTable = {
  'mailbox.view': ['handler', 'reviewer'],
  'mailbox.triage': ['handler'],
  'mailbox.answer': ['handler'],
  'mailbox.approve': ['reviewer'],
  // contact details: only staff who handle reports of the report's unit (and admins)
  'mailbox.view-personal': ['handler'],
  'mailbox.dashboard': ['handler', 'reviewer', 'editor'],
  // set-up (agencies, categories, routing, holidays, settings): admins only, within their units
  'mailbox.setup': [],
  // response templates (service/templates.ts): kept by reviewers
  'mailbox.templates': ['reviewer'],
};
