/** The installation's policy pages (method, corrections, funding, asking): only an admin of the root unit edits them. */
import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { form, type Refused } from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { dt } from '../i18n.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { PoliciesPage, PolicyEditor } from '../views/staff.js';

const POLICY = '/staff/desk/policies/:slug{[a-z0-9-]+}';

const policySchema = z.object({
  title: z.string().trim().min(1, 'field.required').max(200),
  title_en: z.string().trim().min(1, 'field.required').max(200),
  body: z.string().trim().min(1, 'field.required').max(50_000),
  body_en: z.string().trim().min(1, 'field.required').max(50_000),
});

/** Checked before the form is read: a ward's admin is refused whatever was posted. */
const policyEditor: MiddlewareHandler<AppEnv> = async (c, next) => {
  await svc.assertPolicyEditor(c.get('deps').db, staff(c));
  await next();
};

const refusedPolicy = (c: Ctx, r: Refused) =>
  c.html(<PolicyEditor ctx={pageCtx(c)} slug={c.req.param('slug') ?? ''} values={r.values} errors={r.errors} />);

export function staffPolicyRoutes(app: Hono<AppEnv>): void {
  app.get('/staff/desk/policies', need('desk.view'), policyEditor, async (c) =>
    c.html(<PoliciesPage ctx={pageCtx(c)} policies={await repo.listPolicies(c.get('deps').db)} />),
  );

  app.get(POLICY, need('desk.view'), policyEditor, async (c) => {
    const pol = await repo.getPolicy(c.get('deps').db, c.req.param('slug'));
    if (!pol) throw notFound();
    return c.html(
      <PolicyEditor
        ctx={pageCtx(c)}
        slug={pol.slug}
        values={{ title: pol.title, title_en: pol.title_en, body: pol.body, body_en: pol.body_en }}
      />,
    );
  });

  app.post(POLICY, need('desk.view'), policyEditor, form(policySchema, refusedPolicy, dt), async (c) => {
    const slug = c.req.param('slug');
    const f = c.get('form');
    await svc.savePolicy(c.get('deps').db, actor(c as unknown as Ctx), {
      slug,
      title: f.title,
      titleEn: f.title_en,
      body: f.body,
      bodyEn: f.body_en,
    });
    return c.redirect(`/policies/${slug}`, 303);
  });
}
