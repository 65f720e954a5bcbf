import type { Hono } from 'hono';
import { z } from 'zod';
import { listSessionsOf } from '../../platform/auth/repo.js';
import * as auth from '../../platform/auth/service.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import type { AppEnv, Ctx } from '../context.js';
import { pageCtx } from '../context.js';
import { type FieldErrors, submit } from '../forms.js';
import { need, staff } from '../guard.js';
import { Csrf, Field, Notice } from '../views/components.js';
import { Layout } from '../views/layout.js';
import { requireStaff } from './staff.js';

const passwordSchema = z.object({
  current: z.string().min(1, 'field.required').max(200, 'field.tooLong'),
  password: z.string().min(1, 'field.required').max(200, 'field.tooLong'),
});

/** One's own account: change the password, see the open sessions, sign out everywhere. */
export function accountRoutes(app: Hono<AppEnv>): void {
  const page = async (c: Ctx, extra: { errors?: FieldErrors; notice?: string } = {}) => {
    const p = requireStaff(c);
    const ctx = pageCtx(c);
    const t = ctx.t;
    const sessions = await listSessionsOf(c.get('deps').db, p.userId);
    const mine = c.get('sessionId') ? auth.sha256(c.get('sessionId')!) : '';
    return c.html(
      <Layout ctx={ctx} title={t('account.title')} staff>
        <h1>{t('account.title')}</h1>
        <p>
          {p.name} · {p.email}
        </p>
        {extra.notice ? <Notice kind="success">{extra.notice}</Notice> : null}
        <h2>{t('account.password')}</h2>
        <form method="post" action="/staff/account/password" class="stack narrow">
          <Csrf token={ctx.csrf} />
          <Field
            name="current"
            type="password"
            label={t('account.current')}
            errors={extra.errors}
            required
            autocomplete="current-password"
            maxLength={200}
          />
          <Field
            name="password"
            type="password"
            label={t('auth.newPassword')}
            errors={extra.errors}
            required
            autocomplete="new-password"
            maxLength={200}
            hint={t('auth.passwordTooShort', { min: auth.MIN_PASSWORD })}
          />
          <button type="submit">{t('common.save')}</button>
        </form>
        <h2>{t('account.sessions')}</h2>
        <div class="table-scroll">
          <table class="sessions">
            <thead>
              <tr>
                <th>{t('account.device')}</th>
                <th>{t('audit.ip')}</th>
                <th>{t('account.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr>
                  <td>
                    {s.id_hash === mine ? <strong>{t('account.thisDevice')} </strong> : null}
                    <span class="muted">{(s.user_agent ?? '').slice(0, 80)}</span>
                  </td>
                  <td>{s.ip ?? ''}</td>
                  <td>{formatDateTime(ctx.locale, s.last_seen_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action="/signout-everywhere">
          <Csrf token={ctx.csrf} />
          <button type="submit" class="secondary">
            {t('auth.signOutEverywhere')}
          </button>
        </form>
      </Layout>,
    );
  };

  app.get('/staff/account', (c) =>
    page(c, { notice: c.req.query('done') === 'password' ? pageCtx(c).t('account.changed') : undefined }),
  );

  app.post(
    '/staff/account/password',
    need(),
    submit(
      passwordSchema,
      (c, r) => page(c, { errors: r.errors }),
      async (c, data) => {
        await auth.changePassword(
          c.get('deps').db,
          staff(c),
          c.get('sessionId'),
          data.current,
          data.password,
          c.get('ip'),
        );
        return c.redirect('/staff/account?done=password', 303);
      },
    ),
  );
}
