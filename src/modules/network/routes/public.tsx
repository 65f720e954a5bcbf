/** Pages for anyone: the module's assets, tracked short links, invitations, public recognition and certificates. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import { projectRoot } from '../../../db/paths.js';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { submit } from '../../../http/forms.js';
import { rateLimit } from '../../../http/middleware.js';
import { PRIVATE_NO_STORE } from '../../../http/private-by-default.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { JoinConfirmPage } from '../views/join-confirm.js';
import { JoinPage, LinkProblemPage, PublicRecognitionPage } from '../views/member.js';
import { CertificatePage, VerifyPage } from '../views/training.js';
import { confirmSchema, joinSchema } from '../service/forms.js';
import { nt } from '../i18n.js';
import { param, publicCache } from './common.js';

const ASSETS = path.join(projectRoot(), 'src/modules/network/assets');
const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  js: 'text/javascript; charset=utf-8',
};

/** An invitation or a confirmation link is a secret: no cache keeps the page, even for an anonymous visitor. */
const secretPage = (c: Ctx) => c.header('cache-control', PRIVATE_NO_STORE);
const joinLimit = rateLimit('network.join', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE);

export function publicRoutes(app: Hono<AppEnv>): void {
  app.get('/network/assets/:file{[a-z0-9-]+\\.(css|svg|js)}', async (c) => {
    const name = param(c, 'file');
    let body: Buffer;
    try {
      body = await readFile(path.join(ASSETS, name));
    } catch {
      throw notFound();
    }
    return c.body(new Uint8Array(body), 200, {
      'content-type': TYPES[name.split('.').pop()!],
      'cache-control': 'public, max-age=3600',
    });
  });

  // personal short links: no cookie, no session, nothing about the visitor kept
  app.get('/s/:code', async (c) => {
    const deps = c.get('deps');
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    let r: svc.LinkOutcome;
    try {
      r = await svc.followLink(
        deps,
        param(c, 'code'),
        { ip: c.get('ip'), userAgent: c.req.header('user-agent') },
        { rateLimit: !deps.config.RATE_LIMIT_DISABLED },
      );
    } catch (e) {
      // the link's own page rather than the site's "not found": it says what a visitor of a shared link needs to hear
      if (!(e instanceof svc.InvalidLink)) throw e;
      c.status(e.status);
      return c.html(<LinkProblemPage ctx={pageCtx(c)} kind="invalid" />);
    }
    if (r.kind === 'redirect') return c.redirect(r.url, 302);
    c.status(410);
    return c.html(<LinkProblemPage ctx={pageCtx(c)} kind={r.kind} url={r.kind === 'ended' ? r.url : undefined} />);
  });

  const joinPage = async (
    c: Ctx,
    f: { values?: Record<string, string>; errors?: Record<string, string>; sent?: boolean } = {},
  ) => {
    const inv = await svc.openInvite(c.get('deps').db, param(c, 'token'));
    secretPage(c);
    return c.html(
      <JoinPage
        ctx={pageCtx(c)}
        token={inv.token}
        unit={svc.unitLabel(c.get('locale'), inv)}
        group={inv.group_name}
        {...f}
      />,
    );
  };
  app.get('/network/join/:token', (c) => joinPage(c));
  app.post(
    '/network/join/:token',
    joinLimit,
    submit(
      joinSchema,
      (c, r) => joinPage(c, r),
      async (c, input) => {
        const { db, config } = c.get('deps');
        await svc.requestToJoin(db, param(c, 'token'), input, c.get('locale'), config.baseUrl);
        return joinPage(c, { sent: true });
      },
    ),
  );

  // the link in the confirmation e-mail (svc.requestToJoin): confirms the address, a new account chooses its password
  app.get('/network/join/confirm/:secret', async (c) => {
    const r = await svc.joinToConfirm(c.get('deps').db, param(c, 'secret'));
    secretPage(c);
    c.header('referrer-policy', 'no-referrer');
    return c.html(
      <JoinConfirmPage ctx={pageCtx(c)} secret={param(c, 'secret')} email={r.email} needsPassword={r.needsPassword} />,
    );
  });
  const confirmPage = async (
    c: Ctx,
    f: { errors?: Record<string, string>; done?: boolean },
    pending?: Awaited<ReturnType<typeof svc.joinToConfirm>>,
  ) => {
    const secret = param(c, 'secret');
    pending ??= await svc.joinToConfirm(c.get('deps').db, secret);
    secretPage(c);
    return c.html(
      <JoinConfirmPage
        ctx={pageCtx(c)}
        secret={secret}
        email={pending.email}
        needsPassword={pending.needsPassword}
        {...f}
      />,
    );
  };
  app.post(
    '/network/join/confirm/:secret',
    joinLimit,
    submit(
      confirmSchema,
      (c, r) => confirmPage(c, { errors: r.errors }),
      async (c, input) => {
        // the page says what the request was before it is confirmed
        const pending = await svc.confirmJoin(c.get('deps').db, param(c, 'secret'), input.password);
        return confirmPage(c, { done: true }, pending);
      },
      { catalog: nt },
    ),
  );

  app.use('/network/recognition', etag());
  app.get('/network/recognition', async (c) => {
    const rows = await repo.publicCommendations(c.get('deps').db);
    publicCache(c, 60);
    return c.html(<PublicRecognitionPage ctx={pageCtx(c)} rows={rows} />);
  });

  app.get('/network/certificates', async (c) => {
    const code = (c.req.query('code') ?? '').trim().toUpperCase().slice(0, 40);
    if (code) {
      if (await repo.findCertificate(c.get('deps').db, code))
        return c.redirect(`/network/certificates/${encodeURIComponent(code)}`, 303);
      c.status(404);
      return c.html(<VerifyPage ctx={pageCtx(c)} code={code} notFound />);
    }
    return c.html(<VerifyPage ctx={pageCtx(c)} />);
  });
  app.get('/network/certificates/:code', async (c) => {
    const cert = await repo.findCertificate(c.get('deps').db, param(c, 'code').toUpperCase());
    if (!cert) {
      c.status(404);
      return c.html(<VerifyPage ctx={pageCtx(c)} code={param(c, 'code')} notFound />);
    }
    publicCache(c, 300);
    return c.html(<CertificatePage ctx={pageCtx(c)} cert={cert} />);
  });
}
