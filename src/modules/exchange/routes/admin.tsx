/** /staff/exchange: partners and unsigned sources (add, pin, pull, resume, remove, early-warning opt-in) and /staff/exchange/warnings. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { formValues, type FieldErrors, type FormValues } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { actor, need, staff } from '../../../http/guard.js';
import { ForbiddenError } from '../../../platform/auth/permissions.js';
import { exchangeText, type ExchangeKey } from '../i18n.js';
import * as repo from '../repo.js';
import * as svc from '../service/index.js';
import { AdminPage, WarningsPage, type ConfirmInfo } from '../views/admin.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The top unit's administrator, as the services take them (need() already let a staff member in). */
async function admin(c: Ctx) {
  if (!(await svc.mayManage(c.get('deps').db, staff(c)))) throw new ForbiddenError('exchange.manage');
  return actor(c);
}

function errorsOf(c: Ctx, e: unknown): FieldErrors {
  if (!(e instanceof svc.ExchangeError)) throw e;
  const t = exchangeText.t(c.get('locale'));
  return Object.fromEntries(
    Object.entries(e.fields).map(([k, v]) => [
      k,
      `${t(v)}${e.detail && v.startsWith('problem.') ? ` (${e.detail})` : ''}`,
    ]),
  );
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
  app.post('/staff/exchange/partners/check', async (c) => {
    const a = await admin(c);
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    const url = str(form.url);
    try {
      const r = await svc.addPartner(c.get('deps').db, svc.outboundFor(c.get('deps').config), a, url, null);
      return page(c, {
        values: { url },
        confirm: { url: r.inspected.base, name: r.inspected.name, fingerprint: r.inspected.fingerprint },
      });
    } catch (e) {
      return page(c, { values: formValues(form), errors: errorsOf(c, e), status: 422 });
    }
  });

  // step two: the fingerprint confirmed (pinned)
  app.post('/staff/exchange/partners', async (c) => {
    const a = await admin(c);
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    try {
      const r = await svc.addPartner(
        c.get('deps').db,
        svc.outboundFor(c.get('deps').config),
        a,
        str(form.url),
        str(form.pin) || '-',
      );
      const name = encodeURIComponent(r.inspected.name || r.inspected.base);
      return c.redirect(`/staff/exchange?flash=${r.status === 'needsPin' ? 'unchanged' : r.status}&name=${name}`, 303);
    } catch (e) {
      return page(c, { values: formValues(form), errors: errorsOf(c, e), status: 422 });
    }
  });

  app.post('/staff/exchange/unsigned', async (c) => {
    const a = await admin(c);
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    const kind = str(form.kind);
    try {
      if (kind !== 'feed' && kind !== 'pages') throw new svc.ExchangeError({ kind: 'err.kind' });
      const id = await svc.addUnsigned(c.get('deps').db, svc.outboundFor(c.get('deps').config), a, {
        kind,
        url: str(form.feedUrl),
        pages: str(form.pages),
        name: str(form.name),
      });
      await svc.pullSource({ db: c.get('deps').db, outbound: svc.outboundFor(c.get('deps').config) }, id);
      return c.redirect('/staff/exchange?flash=unsigned', 303);
    } catch (e) {
      return page(c, { values: formValues(form), errors: errorsOf(c, e), status: 422 });
    }
  });

  const sourceAction = (path: string, act: (c: Ctx, id: number, form: Record<string, unknown>) => Promise<string>) =>
    app.post(`/staff/exchange/sources/:id/${path}`, async (c) => {
      await admin(c);
      const id = pathId(c, 'id');
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      try {
        return c.redirect(await act(c, id, form), 303);
      } catch (e) {
        return page(c, { errors: errorsOf(c, e), status: 422 });
      }
    });

  sourceAction('pull', async (c, id) => {
    const a = await admin(c);
    const db = c.get('deps').db;
    if (!(await repo.getSource(db, id))) throw new svc.ExchangeError({ _form: 'err.unknownSource' });
    await svc.recordManualPull(db, a, id);
    const r = await svc.pullSource({ db, outbound: svc.outboundFor(c.get('deps').config) }, id);
    return r.ok
      ? `/staff/exchange?flash=pulled&updated=${r.updated}&removed=${r.removed}`
      : `/staff/exchange?flash=failed&problem=${r.problem}`;
  });
  sourceAction('resume', async (c, id) => {
    await svc.resumeSource(c.get('deps').db, await admin(c), id);
    return '/staff/exchange?flash=resumed';
  });
  sourceAction('remove', async (c, id) => {
    const s = await svc.removeSource(c.get('deps').db, await admin(c), id);
    return `/staff/exchange?flash=removed&url=${encodeURIComponent(s.url)}`;
  });
  sourceAction('sharing', async (c, id, form) => {
    await svc.setSharing(c.get('deps').db, await admin(c), id, form.share === '1', form.receive === '1');
    return '/staff/exchange?flash=sharing';
  });

  app.get('/staff/exchange/warnings', need('exchange.warnings'), async (c) => {
    return c.html(<WarningsPage ctx={pageCtx(c)} rows={await svc.warnings(c.get('deps').db)} />);
  });
}
