/** Staff route: close a report by hand with an outcome (thin: parse, call service/outcomes.ts). */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../http/context.js';
import { need } from '../../../http/guard.js';
import { closeWithOutcome } from '../service/outcomes.js';
import { caseForm, type Render, text } from './forms.js';

const outcomeSchema = z.object({ outcome: text, note: text });

export function staffOutcomeRoutes(app: Hono<AppEnv>, page: Render): void {
  app.post(
    '/staff/mailbox/:id{[0-9]+}/outcome',
    need('mailbox.triage'),
    caseForm(outcomeSchema, page, (c, a, id, f) => closeWithOutcome(c.get('deps'), a, id, f), { anchor: 'outcome' }),
  );
}
