import type { Hono } from 'hono';
import { assertCan } from '../../platform/auth/permissions.js';
import { listTokens } from '../../platform/auth/repo.js';
import * as auth from '../../platform/auth/service.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import type { AppEnv, Ctx } from '../context.js';
import { pageCtx } from '../context.js';
import { HttpError, unauthorized } from '../errors.js';
import type { AppModule } from '../module.js';
import { Csrf, Field, Notice } from '../views/components.js';
import { Layout } from '../views/layout.js';

export function requireStaff(c: Ctx) {
  const p = c.get('principal');
  if (!p) throw unauthorized();
  assertCan(p, 'staff.enter');
  return p;
}

export function staffRoutes(app: Hono<AppEnv>, modules: readonly AppModule[]): void {
  app.get('/staff', async (c) => {
    const p = requireStaff(c);
    const ctx = pageCtx(c);
    const t = ctx.t;
    const sections = await Promise.all(modules.map((m) => m.staffSection?.(c) ?? null));
    c.header('cache-control', 'private, no-store');
    return c.html(
      <Layout ctx={ctx} title={t('staff.title')} staff>
        <h1>{t('staff.welcome', { name: p.name })}</h1>
        <section>
          <h2>{t('staff.roles')}</h2>
          <ul class="roles">
            {p.grants.map((g) => (
              <li data-role={g.role}>{t(`role.${g.role}`)} — {g.unitPath}</li>
            ))}
          </ul>
          <p><a href="/staff/tokens">{t('staff.tokens')}</a></p>
          <form method="post" action="/signout-everywhere"><Csrf token={ctx.csrf} /><button type="submit" class="secondary">{t('auth.signOutEverywhere')}</button></form>
        </section>
        {sections}
      </Layout>,
    );
  });

  const TokensPage = async ({ c, created }: { c: Ctx; created?: string }) => {
    const p = requireStaff(c);
    const ctx = pageCtx(c);
    const t = ctx.t;
    const tokens = await listTokens(c.get('deps').db, p.userId);
    return (
      <Layout ctx={ctx} title={t('staff.tokens')} staff>
        <h1>{t('staff.tokens')}</h1>
        {created ? <Notice kind="success"><code class="token">{t('token.created', { token: created })}</code></Notice> : null}
        <table>
          <thead><tr><th>{t('token.name')}</th><th>{t('common.date')}</th><th>{t('token.lastUsed')}</th><th></th></tr></thead>
          <tbody>
            {tokens.map((k) => (
              <tr>
                <td>{k.name} <code>{k.prefix}…</code></td>
                <td>{formatDateTime(ctx.locale, k.created_at)}</td>
                <td>{formatDateTime(ctx.locale, k.last_used_at)}</td>
                <td>{k.revoked_at ? t('token.revoked') : (
                  <form method="post" action={`/staff/tokens/${k.id}/revoke`}><Csrf token={ctx.csrf} /><button type="submit" class="secondary">{t('common.revoke')}</button></form>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/staff/tokens" class="stack">
          <Csrf token={ctx.csrf} />
          <Field name="name" label={t('token.name')} required maxLength={100} />
          <button type="submit">{t('common.create')}</button>
        </form>
      </Layout>
    );
  };

  app.get('/staff/tokens', async (c) => c.html(await TokensPage({ c })));
  app.post('/staff/tokens', async (c) => {
    const p = requireStaff(c);
    assertCan(p, 'tokens.manage-own');
    const name = String((await c.req.parseBody()).name ?? '').trim();
    if (!name) throw new HttpError(422, 'validation', 'field.required');
    const token = await auth.createToken(c.get('deps').db, p.userId, name, p.email);
    c.header('cache-control', 'no-store');
    return c.html(await TokensPage({ c, created: token }));
  });
  app.post('/staff/tokens/:id/revoke', async (c) => {
    const p = requireStaff(c);
    await auth.revokeToken(c.get('deps').db, p, Number(c.req.param('id')));
    return c.redirect('/staff/tokens', 303);
  });
}
