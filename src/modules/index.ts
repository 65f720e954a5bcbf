import type { AppModule } from '../http/module.js';
import { crisisModule } from './crisis/index.js';
import { deskModule } from './desk/index.js';
import { exchangeModule } from './exchange/index.js';
import { mailboxModule } from './mailbox/index.js';
import { networkModule } from './network/index.js';
import { createReportsModule } from './reports/index.js';
import { tiplineModule } from './tipline/index.js';

/** Every capability, in migration and menu order. Reports come last: they read the others' figures. */
export const modules: readonly AppModule[] = [
  mailboxModule,
  deskModule,
  networkModule,
  crisisModule,
  exchangeModule,
  tiplineModule,
  createReportsModule(() => modules),
];

export const moduleNames = modules.map((m) => m.name);
