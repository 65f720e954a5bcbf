/** Case-page forms: ask another agency for an opinion, answer it (the consulted agency), assign the case to a person. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../http/context.js';
import { need } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import { answerOpinion, askOpinion, assign } from '../service/consult.js';
import { caseForm, type Render, text } from './forms.js';

const askSchema = z.object({ consult_agency: text, consult_question: text, consult_days: text });

/** `page` is the case page (routes/staff.tsx), shown again with the error beside the field and what was typed. */
export function staffConsultRoutes(app: Hono<AppEnv>, page: Render): void {
  app.post(
    '/staff/mailbox/:id{[0-9]+}/consult',
    need('mailbox.answer'),
    caseForm(askSchema, page, (c, a, id, f) =>
      askOpinion(c.get('deps'), a, id, {
        agency: f.consult_agency,
        question: f.consult_question,
        days: f.consult_days,
      }),
    ),
  );

  app.post(
    '/staff/mailbox/:id{[0-9]+}/consultations/:cid{[0-9]+}/answer',
    need('mailbox.view'),
    caseForm(z.object({ consult_answer: text }), page, (c, a, id, f) =>
      answerOpinion(c.get('deps'), a, id, pathId(c, 'cid'), f.consult_answer),
    ),
  );

  app.post(
    '/staff/mailbox/:id{[0-9]+}/assign',
    need('mailbox.triage'),
    caseForm(z.object({ assignee: text }), page, (c, a, id, f) => assign(c.get('deps'), a, id, f.assignee)),
  );
}
