/** Reviewers' pages for response templates (thin: parse, call service/templates.ts, render). */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { formValues, type FieldErrors, type FormValues } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { need, staff } from '../../../http/guard.js';
import { inSubtree, type Principal } from '../../../platform/auth/permissions.js';
import { listAgencies } from '../../../platform/units/repo.js';
import * as repo from '../repo.js';
import { MailboxError } from '../service.js';
import { getTemplate, listTemplates, saveTemplate, TemplateErrors, templateScope } from '../service/templates.js';
import { TEMPLATES, TemplateEditPage, TemplatesPage } from '../views/templates.js';
import { say } from './staff-redaction.js';

/** A reviewer behind need('mailbox.templates'); the pages are never cached. */
function reviewer(c: Ctx): Principal {
  c.header('cache-control', 'private, no-store');
  return staff(c);
}

async function choices(c: Ctx, p: Principal) {
  const db = c.get('deps').db;
  const scope = templateScope(p);
  const [categories, agencies] = await Promise.all([repo.listCategories(db), listAgencies(db)]);
  return {
    categories,
    agencies: agencies.filter((a) => scope.some((s) => inSubtree(a.unit_path, s) || inSubtree(s, a.unit_path))),
  };
}

export function staffTemplateRoutes(app: Hono<AppEnv>): void {
  const listPage = async (
    c: Ctx,
    p: Principal,
    o: { errors?: FieldErrors; values?: FormValues; status?: 200 | 422 } = {},
  ) => {
    const [templates, ch] = await Promise.all([listTemplates(c.get('deps').db, p), choices(c, p)]);
    return c.html(
      <TemplatesPage
        ctx={pageCtx(c)}
        templates={templates}
        {...ch}
        errors={o.errors}
        values={o.values}
        saved={c.req.query('saved') === '1'}
      />,
      o.status ?? 200,
    );
  };
  const editPage = async (
    c: Ctx,
    p: Principal,
    id: number,
    o: { errors?: FieldErrors; values?: FormValues; status?: 200 | 422 } = {},
  ) => {
    const template = await getTemplate(c.get('deps').db, p, id).catch((err) => {
      if (err instanceof MailboxError) throw notFound();
      throw err;
    });
    return c.html(
      <TemplateEditPage
        ctx={pageCtx(c)}
        template={template}
        {...(await choices(c, p))}
        errors={o.errors}
        values={o.values}
      />,
      o.status ?? 200,
    );
  };

  app.get(TEMPLATES, need('mailbox.templates'), (c) => listPage(c, reviewer(c)));
  app.get(`${TEMPLATES}/:id{[0-9]+}`, need('mailbox.templates'), (c) => editPage(c, reviewer(c), pathId(c)));

  app.post(`${TEMPLATES}/:id{[0-9]+|new}`, need('mailbox.templates'), async (c) => {
    const p = reviewer(c);
    const raw = await c.req.parseBody();
    const s = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
    const id = c.req.param('id') === 'new' ? null : pathId(c);
    try {
      await saveTemplate(
        c.get('deps'),
        p,
        id,
        {
          name: s('name'),
          body: s('body'),
          category: s('category'),
          agency: s('agency'),
          active: s('active') === 'on',
        },
        c.get('ip'),
      );
    } catch (err) {
      const values = { ...formValues(raw), active: s('active') };
      if (err instanceof TemplateErrors) {
        const errors = Object.fromEntries(
          Object.entries(err.fields).map(([k, v]) => [k, say(c.get('locale'), v.key, v.vars)]),
        );
        return id
          ? editPage(c, p, id, { errors, values, status: 422 })
          : listPage(c, p, { errors, values, status: 422 });
      }
      if (err instanceof MailboxError) {
        if (err.status === 404) throw notFound();
        const errors = { [err.field]: say(c.get('locale'), err.key, err.vars) };
        return id
          ? editPage(c, p, id, { errors, values, status: 422 })
          : listPage(c, p, { errors, values, status: 422 });
      }
      throw err;
    }
    return c.redirect(`${TEMPLATES}?saved=1`, 303);
  });
}
