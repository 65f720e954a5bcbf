import type { AppModule } from '../../http/module.js';

/** mailbox: see issue text; routes, jobs, demo data and figures are wired here. */
export const mailboxModule: AppModule = {
  name: 'mailbox',
};
