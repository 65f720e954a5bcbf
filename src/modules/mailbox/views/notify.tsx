/** The staff member's mailbox notification settings: e-mail as it happens, a daily digest or none; web push per browser. */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { ErrorSummary, Notice } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import type { NotifySettings } from '../service/staff-notify.js';
import { pt } from './practice-i18n.js';
import { Assets, Post } from './shared.js';

export function NotifyPage({
  ctx,
  s,
  values,
  errors,
  saved,
}: {
  ctx: PageCtx;
  s: NotifySettings;
  values?: FormValues;
  errors?: FieldErrors;
  saved?: boolean;
}) {
  const t = pt.t(ctx.locale);
  const mode = values ? (values.mode ?? '') : s.mode;
  const push = values ? values.push === 'on' : s.push;
  return (
    <Layout
      ctx={ctx}
      title={t('notify.title')}
      staff
      head={
        <>
          <Assets />
          <script src="/staff/mailbox/notifications/push.js" defer></script>
        </>
      }
    >
      <h1>{t('notify.title')}</h1>
      <p>{t('notify.intro')}</p>
      {saved ? <Notice kind="success">{t('notify.saved')}</Notice> : null}
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <Post ctx={ctx} action="/staff/mailbox/notifications" cls="stack">
        <fieldset
          id="f-mode"
          class={errors?.mode ? 'field has-error' : 'field'}
          aria-describedby={errors?.mode ? 'f-mode-err' : undefined}
        >
          <legend>{t('notify.mode')}</legend>
          {(['immediate', 'digest', 'off'] as const).map((m) => (
            <label class="choice">
              <input type="radio" name="mode" value={m} checked={mode === m} /> {t(`notify.mode.${m}`)}
            </label>
          ))}
          {errors?.mode ? (
            <p class="error" id="f-mode-err" role="alert">
              {errors.mode}
            </p>
          ) : null}
        </fieldset>
        <label class="choice">
          <input type="checkbox" name="push" value="on" checked={push} /> {t('notify.push')}
        </label>
        <button type="submit">{t('notify.save')}</button>
      </Post>
      <section class="mb-push">
        <p data-devices={s.devices}>{t('notify.devices', { n: s.devices })}</p>
        <noscript>
          <p class="muted">{t('notify.pushNeedsJs')}</p>
        </noscript>
        <button
          type="button"
          id="push-enable"
          hidden
          data-key={s.vapidKey}
          data-csrf={ctx.csrf}
          data-ok={t('notify.pushOn')}
          data-fail={t('notify.pushFailed')}
        >
          {t('notify.enablePush')}
        </button>
        <p id="push-status" role="status"></p>
      </section>
    </Layout>
  );
}
