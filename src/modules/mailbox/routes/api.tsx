/** The JSON API: `/api/v1/mailbox/*` (reports in and out, categories). Errors are `{ error: { code, message, fields } }`. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx, Deps } from '../../../http/context.js';
import { translateIssues } from '../../../http/forms.js';
import { translateKey } from '../../../platform/errors.js';
import { common } from '../../../platform/i18n/common.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { publicJson } from '../views/json.js';
import { mt } from '../i18n.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { MailboxError, reportSchema } from '../service.js';
import { PAGE_SIZE } from './public.js';
import { flood } from './resident.js';

const apiError = (
  c: Ctx,
  status: 404 | 422 | 429,
  code: string,
  message: string,
  fields: Record<string, string> = {},
) => c.json({ error: { code, message, fields } }, status);

const mailboxKey = (locale: Locale) => (key: string, vars: Record<string, string | number>) =>
  key in mt.vi ? translateKey(mt, locale, key, vars) : undefined;

/** API clients name the category and unit by code (a string) or by id (a number). */
export async function normaliseRefs(deps: Deps, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out = { ...body };
  if (typeof out.category === 'string') out.category = (await repo.findCategoryByCode(deps.db, out.category))?.id ?? 0;
  if (typeof out.unit === 'string') out.unit = (await repo.findUnitByCode(deps.db, out.unit))?.id ?? 0;
  for (const k of ['title', 'description', 'address', 'name', 'phone', 'email'])
    if (out[k] != null && typeof out[k] !== 'string') out[k] = String(out[k]);
  for (const k of ['lat', 'lon']) if (out[k] === null) delete out[k];
  return out;
}

export function apiRoutes(app: Hono<AppEnv>): void {
  app.post('/api/v1/mailbox/reports', async (c) => {
    const deps = c.get('deps');
    const locale = c.get('locale');
    const invalid = common.t(locale)('error.validation');
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return apiError(c, 422, 'invalid_json', invalid);
    }
    if (!body || typeof body !== 'object') return apiError(c, 422, 'invalid_json', invalid);
    const parsed = reportSchema.safeParse(await normaliseRefs(deps, body));
    if (!parsed.success)
      return apiError(c, 422, 'validation', invalid, translateIssues(parsed.error.issues, locale, mailboxKey(locale)));
    const wait = await flood(deps, c.get('ip'), parsed.data.phone);
    if (wait) {
      c.header('retry-after', String(wait));
      return apiError(c, 429, 'rate_limited', common.t(locale)('error.rateLimited', { seconds: wait }));
    }
    try {
      const key = c.req.header('idempotency-key');
      const created = await svc.createReport(deps, parsed.data, {
        source: 'api',
        locale,
        idempotency: { scope: 'mailbox.api', key },
      });
      const r = (await repo.reportById(deps.db, created.id))!;
      if (created.replayed) c.header('idempotent-replayed', 'true');
      return c.json(
        {
          code: created.code,
          status: r.status,
          deadline_at: r.deadline_at,
          status_url: svc.privateUrl(deps.config.baseUrl, created.token),
          public_url: svc.publicUrl(deps.config.baseUrl, created.code),
        },
        created.replayed ? 200 : 201,
      );
    } catch (err) {
      if (err instanceof MailboxError && err.status === 422)
        return apiError(c, 422, 'validation', invalid, { [err.field]: translateKey(mt, locale, err.key) });
      throw err;
    }
  });

  app.get('/api/v1/mailbox/reports', async (c) => {
    const deps = c.get('deps');
    const page = Math.min(500, Math.max(1, Number(c.req.query('page')) || 1));
    const cat = c.req.query('category') ? await repo.findCategoryByCode(deps.db, c.req.query('category')!) : undefined;
    const unit = c.req.query('unit') ? await repo.findUnitByCode(deps.db, c.req.query('unit')!) : undefined;
    const st = c.req.query('status');
    const { rows, total } = await svc.publicList(deps, {
      q: c.req.query('q')?.slice(0, 200),
      categoryId: cat?.id,
      unitPath: unit?.path,
      status: st === 'open' || st === 'answered' ? st : '',
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      full: true,
    });
    return c.json({ total, page, items: rows.map((r) => publicJson(deps.config.baseUrl, svc.redact(r))) });
  });

  app.get('/api/v1/mailbox/reports/:code', async (c) => {
    const deps = c.get('deps');
    const view = await svc.publicReport(deps.db, c.req.param('code'));
    if (!view) return apiError(c, 404, 'not_found', common.t(c.get('locale'))('error.notFound'));
    return c.json(publicJson(deps.config.baseUrl, view.report, view));
  });

  app.get('/api/v1/mailbox/categories', async (c) => {
    const cats = await repo.listCategories(c.get('deps').db);
    return c.json(
      cats.map((x) => ({ id: x.id, code: x.code, name: x.name, name_en: x.name_en, handling_days: x.handling_days })),
    );
  });
}
