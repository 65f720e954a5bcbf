/** Reviewers' pages for response templates (thin: parse, call service/templates.ts, render). */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { actor, need, staff } from '../../../http/guard.js';
import { inSubtree, type Principal } from '../../../platform/auth/permissions.js';
import { listAgencies } from '../../../platform/units/repo.js';
import * as repo from '../repo.js';
import { MailboxError } from '../service.js';
import { getTemplate, listTemplates, saveTemplate, templateScope } from '../service/templates.js';
import { TEMPLATES, TemplateEditPage, TemplatesPage } from '../views/templates.js';
import { type Render, submit, text } from './forms.js';

/** A reviewer behind need('mailbox.templates'). */
function reviewer(c: Ctx): Principal {
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

  /** The list (a new template) or the edit page again, with what was typed and the messages beside the fields. */
  const again: Render = (c, refused) => {
    const p = reviewer(c);
    const shown = { ...refused, status: 422 as const };
    return c.req.param('id') === 'new' ? listPage(c, p, shown) : editPage(c, p, pathId(c), shown);
  };

  app.post(
    `${TEMPLATES}/:id{[0-9]+|new}`,
    need('mailbox.templates'),
    submit(templateSchema, again, async (c, f) => {
      reviewer(c);
      const id = c.req.param('id') === 'new' ? null : pathId(c);
      await saveTemplate(c.get('deps'), actor(c), id, { ...f, active: f.active === 'on' });
      return c.redirect(`${TEMPLATES}?saved=1`, 303);
    }),
  );
}

const templateSchema = z.object({ name: text, body: text, category: text, agency: text, active: text });
