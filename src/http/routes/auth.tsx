import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import * as auth from '../../platform/auth/service.js';
import type { AppEnv, Ctx } from '../context.js';
import { pageCtx } from '../context.js';
import { type FieldErrors, type FormValues, type Refused, submit } from '../forms.js';
import { hit } from '../../platform/ratelimit/ratelimit.js';
import { rateLimit, SESSION_COOKIE } from '../middleware.js';
import { isSecureRequest } from '../secure-transport.js';

/** Marks a browser the account has signed in from: its failures count apart from a stranger's (see auth.signIn). */
export const DEVICE_COOKIE = 'dev';
import { Csrf, Field, Notice } from '../views/components.js';
import { Layout } from '../views/layout.js';

/** Only a path on this site: not //host, nor a backslash, blank or control character that browsers turn into one. */
const safeNext = (n: unknown) =>
  typeof n === 'string' && /^\/(?![/\\])[^\s\\\x00-\x1f\x7f]*$/.test(n) ? (asciiPath(n) ?? '/staff') : '/staff';

/** A Location header takes ASCII only: letters beyond it (Huế) are %-escaped; a broken surrogate gives up. */
export function asciiPath(p: string): string | null {
  try {
    return p.replace(/[^\x21-\x7e]+/gu, (s) => encodeURIComponent(s));
  } catch {
    return null;
  }
}

function SignInPage({
  c,
  values,
  errors,
  notice,
}: {
  c: Ctx;
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string;
}) {
  const ctx = pageCtx(c);
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('auth.signInTitle')}>
      <section class="narrow">
        <h1>{t('auth.signInTitle')}</h1>
        {notice ? <Notice>{notice}</Notice> : null}
        {errors?._form ? <Notice kind="error">{errors._form}</Notice> : null}
        <form method="post" action="/signin" class="stack">
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="next" value={values?.next ?? c.req.query('next') ?? ''} />
          <Field
            name="email"
            type="email"
            label={t('auth.email')}
            values={values}
            errors={errors}
            required
            autocomplete="username"
            maxLength={200}
          />
          <Field
            name="password"
            type="password"
            label={t('auth.password')}
            errors={errors}
            required
            autocomplete="current-password"
            maxLength={200}
          />
          <button type="submit">{t('auth.signIn')}</button>
        </form>
        <p>
          <a href="/forgot">{t('auth.forgot')}</a>
        </p>
      </section>
    </Layout>
  );
}

const email = z.string().trim().min(1, 'field.required').max(200).email('field.invalidEmail');
const signInSchema = z.object({
  email,
  password: z.string().min(1, 'field.required').max(200),
  next: z.string().optional(),
});
const forgotSchema = z.object({ email });
/** Anything but a long enough text (nothing, a file) is a password too short. */
const resetSchema = z.object({
  password: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().min(auth.MIN_PASSWORD, 'auth.passwordTooShort'),
  ),
});

/** A password is never sent back in a page. */
const withoutPassword = ({ values, errors }: Refused): Refused => {
  const { password: _, ...kept } = values;
  return { values: kept, errors };
};

export function authRoutes(app: Hono<AppEnv>): void {
  app.get('/signin', (c) =>
    c.html(
      <SignInPage
        c={c}
        notice={
          c.req.query('reset')
            ? pageCtx(c).t('auth.resetDone')
            : c.req.query('out')
              ? pageCtx(c).t('auth.signedOut')
              : undefined
        }
      />,
    ),
  );

  app.post(
    '/signin',
    rateLimit('signin', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    submit(
      signInSchema,
      (c, r) => c.html(<SignInPage c={c} {...withoutPassword(r)} />),
      async (c, data) => {
        const { db, config } = c.get('deps');
        const t = pageCtx(c).t;
        const r = await auth.signIn(
          db,
          {
            sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
            sessionMaxDays: config.SESSION_MAX_DAYS,
            loginMaxFailures: config.LOGIN_MAX_FAILURES,
            loginLockMinutes: config.LOGIN_LOCK_MINUTES,
            throttle: !config.RATE_LIMIT_DISABLED,
          },
          data.email,
          data.password,
          { ip: c.get('ip'), userAgent: c.req.header('user-agent'), device: getCookie(c, DEVICE_COOKIE) },
        );
        if (!r.ok) {
          // the same answer for every address, whether or not an account has it
          c.status(r.reason === 'slow' ? 429 : 401);
          if (r.reason === 'slow') c.header('retry-after', String(r.seconds));
          const msg = r.reason === 'slow' ? t('auth.slowDown', { seconds: r.seconds }) : t('auth.invalid');
          return c.html(
            <SignInPage c={c} values={{ email: data.email, next: data.next ?? '' }} errors={{ _form: msg }} />,
          );
        }
        // Rotation: whatever session this browser had before (even another account's) ends now.
        const previous = getCookie(c, SESSION_COOKIE);
        if (previous) await auth.endSession(db, previous);
        const isHttps = isSecureRequest(c);
        setCookie(c, SESSION_COOKIE, r.sessionId, {
          httpOnly: true,
          sameSite: 'Lax',
          path: '/',
          secure: isHttps,
          maxAge: config.SESSION_MAX_DAYS * 86400,
        });
        setCookie(c, DEVICE_COOKIE, r.device, {
          httpOnly: true,
          sameSite: 'Lax',
          path: '/signin',
          secure: isHttps,
          maxAge: 365 * 86400,
        });
        return c.redirect(safeNext(data.next), 303);
      },
    ),
  );

  app.post('/signout', async (c) => {
    const p = c.get('principal');
    const sid = c.get('sessionId');
    if (p && sid) await auth.signOut(c.get('deps').db, sid, p, c.get('ip'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/signin?out=1', 303);
  });

  app.post('/signout-everywhere', async (c) => {
    const p = c.get('principal');
    if (p) await auth.signOutEverywhere(c.get('deps').db, p, c.get('ip'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/signin?out=1', 303);
  });

  const ForgotPage = ({
    c,
    sent,
    errors,
    values,
  }: {
    c: Ctx;
    sent?: boolean;
    errors?: FieldErrors;
    values?: FormValues;
  }) => {
    const ctx = pageCtx(c);
    return (
      <Layout ctx={ctx} title={ctx.t('auth.resetTitle')}>
        <section class="narrow">
          <h1>{ctx.t('auth.resetTitle')}</h1>
          {sent ? <Notice kind="success">{ctx.t('auth.resetSent')}</Notice> : null}
          <form method="post" action="/forgot" class="stack">
            <Csrf token={ctx.csrf} />
            <Field
              name="email"
              type="email"
              label={ctx.t('auth.email')}
              values={values}
              errors={errors}
              required
              maxLength={200}
            />
            <button type="submit">{ctx.t('auth.resetSend')}</button>
          </form>
        </section>
      </Layout>
    );
  };

  app.get('/forgot', (c) => c.html(<ForgotPage c={c} />));
  app.post(
    '/forgot',
    rateLimit('forgot', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    submit(
      forgotSchema,
      (c, r) => c.html(<ForgotPage c={c} {...r} />),
      async (c, { email }) => {
        const { db, config } = c.get('deps');
        // At most a few mails an hour to one address, whatever the sender's address: nobody is mail-bombed through us.
        const perEmail = config.RATE_LIMIT_DISABLED
          ? { allowed: true }
          : await hit(db, `forgot:email:${email.toLowerCase()}`, 3, 3600);
        if (perEmail.allowed) await auth.requestPasswordReset(db, email, config.baseUrl);
        return c.html(<ForgotPage c={c} sent />);
      },
    ),
  );

  const ResetPage = ({ c, errors }: { c: Ctx; errors?: FieldErrors }) => {
    const ctx = pageCtx(c);
    return (
      <Layout ctx={ctx} title={ctx.t('auth.resetTitle')}>
        <section class="narrow">
          <h1>{ctx.t('auth.resetTitle')}</h1>
          {errors?._form ? <Notice kind="error">{errors._form}</Notice> : null}
          <form method="post" class="stack">
            <Csrf token={ctx.csrf} />
            <Field
              name="password"
              type="password"
              label={ctx.t('auth.newPassword')}
              errors={errors}
              required
              autocomplete="new-password"
              hint={ctx.t('auth.passwordTooShort', { min: auth.MIN_PASSWORD })}
            />
            <button type="submit">{ctx.t('common.save')}</button>
          </form>
        </section>
      </Layout>
    );
  };

  app.get('/reset/:token', (c) => {
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.html(<ResetPage c={c} />);
  });
  app.post(
    '/reset/:token',
    rateLimit('reset', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    submit(
      resetSchema,
      (c, r) => c.html(<ResetPage c={c} errors={r.errors} />),
      async (c, { password }) => {
        const ok = await auth.resetPassword(c.get('deps').db, c.req.param('token') ?? '', password);
        if (!ok) {
          c.status(410);
          return c.html(<ResetPage c={c} errors={{ _form: pageCtx(c).t('auth.resetInvalid') }} />);
        }
        return c.redirect('/signin?reset=1', 303);
      },
    ),
  );
}
