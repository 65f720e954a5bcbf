import { asciiPath } from './auth.js';
import type { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { assetRoutes } from '../assets.js';
import { common } from '../../platform/i18n/common.js';
import { isLocale } from '../../platform/i18n/index.js';
import type { AppEnv } from '../context.js';
import { LANG_COOKIE } from '../middleware.js';
import { metricsAccess } from '../metrics.js';
import type { AppModule } from '../module.js';
import { buildOpenApi } from '../openapi.js';

export function systemRoutes(app: Hono<AppEnv>, modules: readonly AppModule[]): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    try {
      await c.get('deps').db.query('SELECT 1');
      return c.json({ status: 'ready' });
    } catch {
      return c.json({ status: 'unavailable' }, 503);
    }
  });

  app.get('/metrics', async (c) => {
    const { config } = c.get('deps');
    const access = metricsAccess({
      token: config.METRICS_TOKEN,
      ip: c.get('ip'),
      authorization: c.req.header('authorization'),
      forwarded:
        !config.TRUST_PROXY &&
        Boolean(c.req.header('x-forwarded-for') ?? c.req.header('forwarded') ?? c.req.header('x-real-ip')),
    });
    const t = common.t(c.get('locale') ?? 'vi');
    if (access === 'unauthorized')
      return c.text(t('error.unauthorized'), 401, {
        'www-authenticate': 'Bearer realm="metrics"',
        'cache-control': 'no-store',
      });
    if (access === 'forbidden') return c.text(t('error.forbidden'), 403, { 'cache-control': 'no-store' });
    const { registry } = c.get('deps').metrics;
    return c.text(await registry.metrics(), 200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  });

  assetRoutes(app); // content-hashed and precompressed

  /** The language switch works without JavaScript and is remembered for a year. */
  app.get('/lang/:locale', (c) => {
    const locale = c.req.param('locale');
    const next = c.req.query('next') ?? '/';
    const safeNext = /^\/(?![\/\\])[^\s\\\x00-\x1f\x7f]*$/.test(next)
      ? next.replace(/([?&])lang=(vi|en)&?/, '$1').replace(/[?&]$/, '')
      : '/';
    if (isLocale(locale)) setCookie(c, LANG_COOKIE, locale, { path: '/', maxAge: 365 * 86400, sameSite: 'Lax' });
    return c.redirect(asciiPath(safeNext) ?? '/', 303);
  });

  app.get('/api/v1/openapi.json', (c) => c.json(buildOpenApi(modules, c.get('deps').config.baseUrl)));
}
