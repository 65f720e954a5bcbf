/** Case-page forms: ask another agency for an opinion, answer it (the consulted agency), assign the case to a person. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { formValues, type FieldErrors, type FormValues } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { need, staff } from '../../../http/guard.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import { common, type CommonKey } from '../../../platform/i18n/common.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { mt, type MailboxKey } from '../i18n.js';
import { answerOpinion, askOpinion, assign } from '../service/consult.js';
import { PracticeError, pt, type PracticeKey } from '../views/practice-i18n.js';

/** A key of the practice catalog, else the mailbox's, else the common one. */
export function practiceText(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  if (key in pt.vi) return pt.t(locale)(key as PracticeKey, vars);
  if (key in mt.vi) return mt.t(locale)(key as MailboxKey, vars);
  if (key in common.vi) return common.t(locale)(key as CommonKey, vars);
  return common.t(locale)('error.validation');
}

export type StaffPageRender = (
  c: Ctx,
  p: Principal,
  id: number,
  o: { errors?: FieldErrors; values?: FormValues; status?: 200 | 409 | 422 },
) => Promise<Response>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** `render` is the case page (routes/staff.tsx), shown again with the error beside the field and what was typed. */
export function staffConsultRoutes(app: Hono<AppEnv>, render: StaffPageRender): void {
  const handle = (
    path: string,
    action: string,
    act: (c: Ctx, p: Principal, id: number, body: Record<string, unknown>) => Promise<unknown>,
  ) =>
    app.post(path, need(action), async (c) => {
      const p = staff(c);
      const id = pathId(c);
      const body = (await c.req.parseBody()) as Record<string, unknown>;
      try {
        await act(c, p, id, body);
      } catch (err) {
        if (!(err instanceof PracticeError)) throw err;
        if (err.status === 404) throw notFound();
        return render(c, p, id, {
          errors: { [err.field]: practiceText(c.get('locale'), err.key, err.vars) },
          values: formValues(body),
          status: err.status,
        });
      }
      return c.redirect(`/staff/mailbox/${id}?done=1`, 303);
    });

  handle('/staff/mailbox/:id{[0-9]+}/consult', 'mailbox.answer', (c, p, id, b) =>
    askOpinion(
      c.get('deps'),
      p,
      id,
      { agency: str(b.consult_agency), question: str(b.consult_question), days: str(b.consult_days) },
      c.get('ip'),
    ),
  );

  handle('/staff/mailbox/:id{[0-9]+}/consultations/:cid{[0-9]+}/answer', 'mailbox.view', (c, p, id, b) =>
    answerOpinion(c.get('deps'), p, id, pathId(c, 'cid'), str(b.consult_answer), c.get('ip')),
  );

  handle('/staff/mailbox/:id{[0-9]+}/assign', 'mailbox.triage', (c, p, id, b) =>
    assign(c.get('deps'), p, id, str(b.assignee), c.get('ip')),
  );
}
