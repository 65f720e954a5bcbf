import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Field, Notice } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { n } from './shared.js';

/** The page the confirmation e-mail links to: a button (mail scanners that follow links change nothing), and a password for a new account. */
export function JoinConfirmPage({
  ctx,
  secret,
  email,
  needsPassword,
  errors,
  done,
}: {
  ctx: PageCtx;
  secret: string;
  email: string;
  needsPassword: boolean;
  errors?: FieldErrors;
  done?: boolean;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('join.confirmTitle')}>
      <h1>{t('join.confirmTitle')}</h1>
      {done ? (
        <Notice kind="success">{t('join.confirmed')}</Notice>
      ) : (
        <>
          <p>{t('join.confirmIntro', { email })}</p>
          <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
          <form method="post" action={`/network/join/confirm/${secret}`} class="stack narrow">
            <Csrf token={ctx.csrf} />
            {needsPassword ? (
              <Field
                name="password"
                label={t('join.confirmPassword')}
                type="password"
                required
                autocomplete="new-password"
                maxLength={200}
                errors={errors}
              />
            ) : null}
            <button type="submit">{t('join.confirmButton')}</button>
          </form>
        </>
      )}
    </Layout>
  );
}
