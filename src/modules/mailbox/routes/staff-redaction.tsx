/**
 * Staff routes for redaction and "not for publication" (thin: parse, call service/redaction.ts, redirect or
 * re-render the report page with the error beside the field), and the panels this work adds to the report page.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { need } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import { staffMay } from '../service/may.js';
import type { ReportView } from '../service.js';
import { redactPassage, setPublication, staffTextView, unredact } from '../service/redaction.js';
import { fillTemplate, templatesFor } from '../service/templates.js';
import { OutcomePanel } from '../views/outcomes.js';
import { RedactionPanel } from '../views/redaction.js';
import { TemplatePicker } from '../views/templates.js';
import { caseForm, line, type Render, say, text } from './forms.js';
import { staffOutcomeRoutes } from './staff-outcomes.js';
import { staffTemplateRoutes } from './staff-templates.js';

const notPublic = z.object({
  not_public: line.pipe(z.enum(['0', '1'], { message: 'field.invalidChoice' })),
});

export function staffPracticeRoutes(app: Hono<AppEnv>, page: Render): void {
  app.post(
    '/staff/mailbox/:id{[0-9]+}/redact',
    need('mailbox.triage'),
    caseForm(z.object({ passage: text }), page, (c, a, id, f) => redactPassage(c.get('deps'), a, id, f.passage), {
      anchor: 'redaction',
    }),
  );
  app.post(
    '/staff/mailbox/:id{[0-9]+}/redactions/:rid{[0-9]+}/remove',
    need('mailbox.triage'),
    caseForm(z.object({}), page, (c, a, id) => unredact(c.get('deps'), a, id, pathId(c, 'rid')), {
      anchor: 'redaction',
    }),
  );
  app.post(
    '/staff/mailbox/:id{[0-9]+}/publication',
    need('mailbox.triage'),
    caseForm(notPublic, page, (c, a, id, f) => setPublication(c.get('deps'), a, id, f.not_public === '1'), {
      anchor: 'redaction',
    }),
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
