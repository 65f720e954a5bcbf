/** /staff/exchange: partners and unsigned sources (add, pin, pull, resume, remove, early-warning opt-in) and /staff/exchange/warnings. */
import type { Hono } from 'hono';
import type { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { type FieldErrors, type FormValues, type RenderRefused, submit } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { actor, need, staff } from '../../../http/guard.js';
import { type Actor, ForbiddenError } from '../../../platform/auth/permissions.js';
import { exchangeText, type ExchangeKey } from '../i18n.js';
import * as repo from '../repo.js';
import { buttonSchema, partnerCheckSchema, partnerSchema, sharingSchema, unsignedSchema } from '../service/forms.js';
import * as svc from '../service/index.js';
import { AdminPage, WarningsPage, type ConfirmInfo } from '../views/admin.js';

/** The top unit's administrator, as the services take them (need() already let a staff member in). */
async function admin(c: Ctx) {
  if (!(await svc.mayManage(c.get('deps').db, staff(c)))) throw new ForbiddenError('exchange.manage');
  return actor(c);
}

async function page(
  c: Ctx,
  o: {
    values?: FormValues;
    errors?: FieldErrors;
    flash?: string | null;
    confirm?: ConfirmInfo | null;
    status?: 200 | 422;
  } = {},
) {
  await admin(c);
  const cfg = c.get('deps').config;
  c.status(o.status ?? 200);
  return c.html(
    <AdminPage
      ctx={pageCtx(c)}
      sources={await repo.listSources(c.get('deps').db)}
      feedUrl={`${cfg.baseUrl}${svc.FEED_PATH}`}
      values={o.values ?? {}}
      errors={o.errors ?? {}}
      flash={o.flash}
      confirm={o.confirm}
    />,
  );
}

/** A refused form: the page again with what was typed and the messages beside the fields (422). */
const refused: RenderRefused = (c, r, status) =>
  page(c, { values: r.values, errors: r.errors, status: status === 200 ? 200 : 422 });

export function adminRoutes(app: Hono<AppEnv>): void {
  // staff only; whether they manage the exchange (the top unit's administrator) is admin()'s question
  app.use('/staff/exchange', need());
  app.use('/staff/exchange/*', need());
  app.get('/staff/exchange', async (c) => {
    const t = exchangeText.t(c.get('locale'));
    const f = c.req.query('flash');
    const vars = {
      name: c.req.query('name') ?? '',
      url: c.req.query('url') ?? '',
      updated: Number(c.req.query('updated') ?? 0),
      removed: Number(c.req.query('removed') ?? 0),
      reason: '',
    };
    const known: Record<string, ExchangeKey> = {
      added: 'flash.added',
      repinned: 'flash.repinned',
      unchanged: 'flash.unchanged',
      removed: 'flash.removed',
      resumed: 'flash.resumed',
      pulled: 'flash.pulled',
      sharing: 'flash.sharing',
      unsigned: 'flash.unsignedAdded',
    };
    let flash = f && known[f] ? t(known[f], vars) : null;
    const problem = c.req.query('problem');
    if (f === 'failed' && problem && /^[a-zA-Z]+$/.test(problem))
      flash = t('flash.pullFailed', { reason: t(`problem.${problem}` as ExchangeKey) });
    return page(c, { flash });
  });

  // step one: read the partner's key and show its fingerprint to compare
  app.post(
    '/staff/exchange/partners/check',
    submit(
      partnerCheckSchema,
      refused,
      async (c, f) => {
        const a = await admin(c);
        const r = await svc.addPartner(c.get('deps').db, svc.outboundFor(c.get('deps').config), a, f.url, null);
        return page(c, {
          values: { url: f.url },
          confirm: { url: r.inspected.base, name: r.inspected.name, fingerprint: r.inspected.fingerprint },
        });
      },
      { catalog: exchangeText },
    ),
  );

  // step two: the fingerprint confirmed (pinned)
  app.post(
    '/staff/exchange/partners',
    submit(
      partnerSchema,
      refused,
      async (c, f) => {
        const a = await admin(c);
        const r = await svc.addPartner(c.get('deps').db, svc.outboundFor(c.get('deps').config), a, f.url, f.pin);
        const name = encodeURIComponent(r.inspected.name || r.inspected.base);
        return c.redirect(
          `/staff/exchange?flash=${r.status === 'needsPin' ? 'unchanged' : r.status}&name=${name}`,
          303,
        );
      },
      { catalog: exchangeText },
    ),
  );

  app.post(
    '/staff/exchange/unsigned',
    submit(
      unsignedSchema,
      refused,
      async (c, f) => {
        const a = await admin(c);
        const outbound = svc.outboundFor(c.get('deps').config);
        const id = await svc.addUnsigned(c.get('deps').db, outbound, a, {
          kind: f.kind,
          url: f.feedUrl,
          pages: f.pages,
          name: f.name,
        });
        await svc.pullSource({ db: c.get('deps').db, outbound }, id);
        return c.redirect('/staff/exchange?flash=unsigned', 303);
      },
      { catalog: exchangeText },
    ),
  );

  /** A button on one source: the service call, then back to the page (or the page with the refusal). */
  const sourceAction = <S extends z.ZodType>(
    path: string,
    schema: S,
    act: (c: Ctx, a: Actor, id: number, form: z.infer<S>) => Promise<string>,
  ) =>
    app.post(
      `/staff/exchange/sources/:id/${path}`,
      submit(
        schema,
        refused,
        async (c, f) => {
          const a = await admin(c);
          return c.redirect(await act(c, a, pathId(c, 'id'), f), 303);
        },
        { catalog: exchangeText },
      ),
    );

  sourceAction('pull', buttonSchema, async (c, a, id) => {
    const db = c.get('deps').db;
    if (!(await repo.getSource(db, id))) throw new svc.ExchangeError({ _form: 'err.unknownSource' });
    await svc.recordManualPull(db, a, id);
    const r = await svc.pullSource({ db, outbound: svc.outboundFor(c.get('deps').config) }, id);
    return r.ok
      ? `/staff/exchange?flash=pulled&updated=${r.updated}&removed=${r.removed}`
      : `/staff/exchange?flash=failed&problem=${r.problem}`;
  });
  sourceAction('resume', buttonSchema, async (c, a, id) => {
    await svc.resumeSource(c.get('deps').db, a, id);
    return '/staff/exchange?flash=resumed';
  });
  sourceAction('remove', buttonSchema, async (c, a, id) => {
    const s = await svc.removeSource(c.get('deps').db, a, id);
    return `/staff/exchange?flash=removed&url=${encodeURIComponent(s.url)}`;
  });
  sourceAction('sharing', sharingSchema, async (c, a, id, f) => {
    await svc.setSharing(c.get('deps').db, a, id, f.share, f.receive);
    return '/staff/exchange?flash=sharing';
  });

  app.get('/staff/exchange/warnings', need('exchange.warnings'), async (c) => {
    return c.html(<WarningsPage ctx={pageCtx(c)} rows={await svc.warnings(c.get('deps').db)} />);
  });
}
