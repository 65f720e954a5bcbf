/**
 * Staff routes for redaction and "not for publication" (thin: parse, call service/redaction.ts, redirect or
 * re-render the report page with the error beside the field), and the panels this work adds to the report page.
 */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { formValues, type FieldErrors, type FormValues } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { need, staff } from '../../../http/guard.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import { common, type CommonKey } from '../../../platform/i18n/common.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { mt, type MailboxKey } from '../i18n.js';
import { staffMay } from '../service/may.js';
import { MailboxError, type ReportView } from '../service.js';
import { redactPassage, setPublication, staffTextView, unredact } from '../service/redaction.js';
import { fillTemplate, templatesFor } from '../service/templates.js';
import { OutcomePanel } from '../views/outcomes.js';
import { RedactionPanel } from '../views/redaction.js';
import { xt, type XtKey } from '../views/redaction-i18n.js';
import { TemplatePicker } from '../views/templates.js';
import { staffOutcomeRoutes } from './staff-outcomes.js';
import { staffTemplateRoutes } from './staff-templates.js';

export type StaffPage = (
  c: Ctx,
  p: Principal,
  id: number,
  o?: { errors?: FieldErrors; values?: FormValues; done?: boolean; status?: 200 | 409 | 422 },
) => Promise<Response>;

/** A catalog key of this work, the mailbox's or the common catalog, translated. */
export function say(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  if (key in xt.vi) return xt.t(locale)(key as XtKey, vars);
  if (key in mt.vi) return mt.t(locale)(key as MailboxKey, vars);
  if (key in common.vi) return common.t(locale)(key as CommonKey, vars);
  return common.t(locale)('error.validation');
}

/** Runs a staff action; a refused input re-renders the report page (422/409) with the message beside its field. */
export async function act(
  c: Ctx,
  page: StaffPage,
  fn: (p: Principal, id: number, body: Record<string, string>) => Promise<unknown>,
  anchor?: string,
): Promise<Response> {
  const p = staff(c);
  const id = pathId(c);
  const raw = await c.req.parseBody();
  const body = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
  try {
    await fn(p, id, body);
  } catch (err) {
    if (err instanceof MailboxError) {
      if (err.status === 404) throw notFound();
      return page(c, p, id, {
        errors: { [err.field]: say(c.get('locale'), err.key, err.vars) },
        values: formValues(raw),
        status: err.status === 409 ? 409 : 422,
      });
    }
    throw err;
  }
  return c.redirect(`/staff/mailbox/${id}?done=1${anchor ? `#${anchor}` : ''}`, 303);
}

export function staffPracticeRoutes(app: Hono<AppEnv>, page: StaffPage): void {
  app.post('/staff/mailbox/:id{[0-9]+}/redact', need('mailbox.triage'), (c) =>
    act(c, page, (p, id, b) => redactPassage(c.get('deps'), p, id, b.passage ?? '', c.get('ip')), 'redaction'),
  );
  app.post('/staff/mailbox/:id{[0-9]+}/redactions/:rid{[0-9]+}/remove', need('mailbox.triage'), (c) =>
    act(c, page, (p, id) => unredact(c.get('deps'), p, id, pathId(c, 'rid'), c.get('ip')), 'redaction'),
  );
  app.post('/staff/mailbox/:id{[0-9]+}/publication', need('mailbox.triage'), (c) =>
    act(
      c,
      page,
      (p, id, b) => {
        if (b.not_public !== '1' && b.not_public !== '0')
          throw new MailboxError(422, 'field.invalidChoice', {}, 'not_public');
        return setPublication(c.get('deps'), p, id, b.not_public === '1', c.get('ip'));
      },
      'redaction',
    ),
  );
  staffOutcomeRoutes(app, page);
  staffTemplateRoutes(app);
}

/**
 * What this work adds to the staff report page: the redaction and outcome panels and the template picker.
 * It also masks the hidden passages in `original` (in place) for staff who may not see personal data.
 */
export async function staffPagePanels(
  c: Ctx,
  p: Principal,
  original: ReportView,
  o: { errors?: FieldErrors; values?: FormValues },
) {
  const db = c.get('deps').db;
  const ctx = pageCtx(c);
  const r = original.report;
  const base = `/staff/mailbox/${r.id}`;
  const { view, panel } = await staffTextView(db, p, { ...original });
  const may = staffMay(p, r);
  const templates = may.answer ? await templatesFor(db, r) : [];
  const asked = c.req.query('template');
  const picked = asked ? templates.find((x) => String(x.id) === asked) : undefined;
  const draftFor = original.report; // the original text: filled before masking below
  const draftText = picked ? fillTemplate(picked.body, draftFor, { showContact: original.showContact }) : undefined;
  Object.assign(original, { report: view.report, events: view.events });
  return {
    draftText,
    draftTools: (
      <TemplatePicker
        ctx={ctx}
        reportId={r.id}
        templates={templates}
        picked={asked}
        prefilled={picked?.name}
        error={asked && !picked ? say(ctx.locale, 'tpl.err.pick') : undefined}
      />
    ),
    extra: (
      <>
        <RedactionPanel ctx={ctx} base={base} panel={panel} errors={o.errors} values={o.values} />
        {may.close ? <OutcomePanel ctx={ctx} base={base} r={r} errors={o.errors} values={o.values} /> : null}
      </>
    ),
  };
}
