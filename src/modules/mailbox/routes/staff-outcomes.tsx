/** Staff route: close a report by hand with an outcome (thin: parse, call service/outcomes.ts). */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { need } from '../../../http/guard.js';
import { closeWithOutcome } from '../service/outcomes.js';
import { act, type StaffPage } from './staff-redaction.js';

export function staffOutcomeRoutes(app: Hono<AppEnv>, page: StaffPage): void {
  app.post('/staff/mailbox/:id{[0-9]+}/outcome', need('mailbox.triage'), (c) =>
    act(
      c,
      page,
      (p, id, b) =>
        closeWithOutcome(c.get('deps'), p, id, { outcome: b.outcome ?? '', note: b.note ?? '' }, c.get('ip')),
      'outcome',
    ),
  );
}
