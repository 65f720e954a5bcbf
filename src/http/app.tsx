import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from './compress.js';
import { privateByDefault } from './private-by-default.js';
import { pageCache } from './page-cache.js';
import { AppError } from '../platform/errors.js';
import { UploadError } from '../platform/files/files.js';
import type { AppEnv, Deps } from './context.js';
import { pageCtx } from './context.js';
import { HttpError } from './errors.js';
import { hostileInput } from './hostile-input.js';
import { authenticate, base, csrf, isApi, securityHeaders } from './middleware.js';
import type { AppModule } from './module.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin.js';
import { apiRoutes } from './routes/api.js';
import { auditAnchorRoutes } from './routes/audit-anchors.js';
import { authRoutes } from './routes/auth.js';
import { homeRoutes } from './routes/home.js';
import { developersRoutes } from './routes/developers.js';
import { staffRoutes } from './routes/staff.js';
import { systemRoutes } from './routes/system.js';
import { ErrorPage } from './views/error-page.js';

function tileOrigin(url: string): string {
  try {
    return new URL(url.replace(/\{[a-z]\}/g, 'a')).origin;
  } catch {
    return '';
  }
}

export function createApp(deps: Deps, modules: readonly AppModule[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', base(deps));
  app.use('*', pageCache(app, { ttlMs: deps.config.PAGE_CACHE_TTL_SECONDS * 1000, state: deps.state })); // outside compress: keeps the bytes sent
  app.use('*', compress());
  app.use('*', securityHeaders(tileOrigin(deps.config.MAP_TILE_URL ?? '')));
  app.use('*', privateByDefault());
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.config.BODY_LIMIT_BYTES,
      onError: () => {
        throw new HttpError(413, 'too_large', 'error.tooLarge');
      },
    }),
  );
  app.use('*', hostileInput());
  systemRoutes(app, modules); // health, metrics, static files: no session needed
  app.use('*', authenticate());
  app.use('*', csrf());

  homeRoutes(app, modules);
  developersRoutes(app);
  auditAnchorRoutes(app);
  authRoutes(app);
  staffRoutes(app, modules);
  adminRoutes(app);
  accountRoutes(app);
  apiRoutes(app);
  for (const m of modules) m.routes?.(app);

  app.notFound((c) => {
    throw new HttpError(404, 'not_found', 'error.notFound');
  });

  app.onError((err, c) => {
    const locale = c.get('locale') ?? 'vi';
    let e: AppError;
    if (err instanceof AppError) e = err;
    else if (err instanceof UploadError) e = new HttpError(422, 'invalid_upload', err.code, err.vars);
    else {
      deps.log.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
      e = new HttpError(500, 'internal', 'error.server');
    }
    const message = e.translated(locale);
    if (isApi(c.req.path) || (c.req.header('accept') ?? '').startsWith('application/json')) {
      return c.json({ error: { code: e.code, message, fields: e.fieldMessages(locale) } }, e.status);
    }
    if (e.status === 401 && c.req.method === 'GET')
      return c.redirect(`/signin?next=${encodeURIComponent(c.req.path)}`, 303);
    c.status(e.status);
    return c.html(<ErrorPage ctx={pageCtx(c)} status={e.status} message={message} requestId={c.get('requestId')} />);
  });
  return app;
}
