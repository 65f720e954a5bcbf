import type { PageCtx } from '../../../http/context.js';
import { Csrf, ErrorSummary, Field, Notice } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDateTime } from '../../../platform/i18n/index.js';
import { CHANNELS, type ChannelName } from '../service/channels/types.js';
import { tiplineText } from '../i18n.js';
import type { CaseRow, InboxRow, MessageRow, UserRow } from '../repo.js';
import type { StoredChannelSettings } from '../service/settings.js';
import { deliveryLabel } from './delivery.js';

export function InboxPage({ ctx, rows }: { ctx: PageCtx; rows: InboxRow[] }) {
  const t = tiplineText.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('page.inbox')} staff>
      <h1>{t('page.inbox')}</h1>
      {rows.length === 0 ? (
        <p>{t('inbox.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>{t('col.channel')}</th>
              <th>{t('col.last')}</th>
              <th>{t('col.cases')}</th>
              <th>{t('col.when')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/staff/tipline/${r.id}`}>{t('inbox.resident', { id: r.id })}</a>
                </td>
                <td>{r.channel}</td>
                <td>{(r.last_body ?? '').slice(0, 120)}</td>
                <td>{(r.codes ?? []).join(', ')}</td>
                <td>{formatDateTime(ctx.locale, r.last_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

const caseLink = (c: CaseRow) =>
  c.code?.startsWith('PA-') ? `/mailbox/r/${c.code}` : c.code ? `/claims/${c.code}` : null;

export function ConversationPage({
  ctx,
  user,
  messages,
  cases,
  values,
  errors,
  notice,
  windowClosed,
}: {
  ctx: PageCtx;
  user: UserRow;
  messages: MessageRow[];
  cases: CaseRow[];
  values?: Record<string, string>;
  errors?: Record<string, string>;
  notice?: string;
  windowClosed: boolean;
}) {
  const t = tiplineText.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('inbox.resident', { id: user.id })} staff>
      <h1>
        {t('inbox.resident', { id: user.id })} · {user.channel}
      </h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {cases.length ? (
        <ul class="tipline-cases">
          {cases.map((c) => {
            const href = caseLink(c);
            return (
              <li>
                {href ? <a href={href}>{c.code}</a> : c.kind} — {t(`status.${c.status}` as never)}
              </li>
            );
          })}
        </ul>
      ) : null}
      <ol class="tipline-messages">
        {messages.map((m) => (
          <li class={`msg-${m.direction}`}>
            <small>
              {formatDateTime(ctx.locale, m.created_at)}
              {m.staff_name ? ` · ${t('inbox.staff', { name: m.staff_name })}` : ''}
              {m.direction === 'out' ? ` · ${deliveryLabel(ctx.locale, m.delivery, m.delivery_error)}` : ''}
            </small>
            <p style="white-space: pre-wrap">{m.body}</p>
          </li>
        ))}
      </ol>
      <form method="post" action={`/staff/tipline/${user.id}/reply`}>
        <Csrf token={ctx.csrf} />
        <ErrorSummary errors={errors} title={ctx.t('form.errors' as never)} />
        {windowClosed ? <Notice kind="warning">{t('inbox.windowClosed')}</Notice> : null}
        <Field
          name="text"
          label={t('inbox.reply')}
          hint={t('inbox.replyHint', { name: ctx.principal?.name ?? '' })}
          multiline
          rows={4}
          maxLength={2000}
          values={values}
          errors={errors}
          required
        />
        <button type="submit">{t('inbox.send')}</button>
      </form>
    </Layout>
  );
}

export function SettingsPage({
  ctx,
  settings,
  notice,
  posted,
  values,
  errors,
}: {
  ctx: PageCtx;
  settings: Record<ChannelName, StoredChannelSettings>;
  notice?: string;
  /** The channel whose form was refused: it shows what was typed (never the secrets) and the messages. */
  posted?: ChannelName;
  values?: Record<string, string>;
  errors?: Record<string, string>;
}) {
  const t = tiplineText.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('page.settings')} staff>
      <h1>{t('page.settings')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>{t('settings.envNote')}</p>
      {CHANNELS.map((name) => {
        const typed = posted === name ? values : undefined;
        const s = typed
          ? { ...settings[name], enabled: typed.enabled === '1', appId: typed.appId, apiBase: typed.apiBase }
          : settings[name];
        const errs = !posted || posted === name ? errors : undefined;
        return (
          <form method="post" action={`/staff/tipline/settings/${name}`}>
            <Csrf token={ctx.csrf} />
            <h2>{name}</h2>
            <label>
              <input type="checkbox" name="enabled" value="1" checked={s.enabled !== false} /> {t('settings.enabled')}
            </label>
            <Field name="token" label={t('settings.token')} type="password" autocomplete="off" />
            <Field name="secret" label={t('settings.secret')} type="password" autocomplete="off" />
            {name === 'messenger' ? (
              <Field name="verifyToken" label="hub.verify_token" type="password" autocomplete="off" />
            ) : null}
            {name === 'zalo' ? <Field name="appId" label="App ID" value={s.appId ?? ''} /> : null}
            <Field name="apiBase" label={t('settings.apiBase')} value={s.apiBase ?? ''} errors={errs} />
            <button type="submit">{t('settings.save')}</button>
          </form>
        );
      })}
    </Layout>
  );
}
