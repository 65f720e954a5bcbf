/** The admin page (/staff/exchange) and the early-warning page (/staff/exchange/warnings). */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Field, Notice } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDate, formatDateTime, type Locale } from '../../../platform/i18n/index.js';
import { exchangeText, type ExchangeKey } from '../i18n.js';
import type { SourceRow, WarningRow } from '../repo.js';

const tx = (ctx: PageCtx) => exchangeText.t(ctx.locale);

function State({ ctx, s }: { ctx: PageCtx; s: SourceRow }) {
  const t = tx(ctx);
  const label =
    s.status === 'paused' ? t('admin.state.paused') : s.problem ? t('admin.state.retrying') : t('admin.state.ok');
  return (
    <div data-state={s.status}>
      <span class={`badge${s.status === 'paused' ? ' warn' : ''}`}>{label}</span>
      {s.problem ? (
        <p class="error" data-problem={s.problem}>
          {t(`problem.${s.problem}` as ExchangeKey)}
          {s.problem_at ? ` (${formatDateTime(ctx.locale, s.problem_at)})` : ''}
          {s.problem_detail ? (
            <>
              <br />
              <small>{s.problem_detail}</small>
            </>
          ) : null}
        </p>
      ) : null}
      <p class="muted">
        <small>
          {t('admin.lastOk', { at: s.last_ok_at ? formatDateTime(ctx.locale, s.last_ok_at) : t('admin.never') })}
          {s.status === 'active' ? (
            <>
              <br />
              {t('admin.nextPull', { at: formatDateTime(ctx.locale, s.next_pull_at) })}
            </>
          ) : null}
        </small>
      </p>
    </div>
  );
}

const Post = ({
  ctx,
  action,
  label,
  secondary,
}: {
  ctx: PageCtx;
  action: string;
  label: string;
  secondary?: boolean;
}) => (
  <form method="post" action={action} class="inline">
    <Csrf token={ctx.csrf} />
    <button type="submit" class={secondary ? 'secondary' : undefined}>
      {label}
    </button>
  </form>
);

export interface ConfirmInfo {
  url: string;
  name: string;
  fingerprint: string;
}

export function AdminPage({
  ctx,
  sources,
  feedUrl,
  values,
  errors,
  flash,
  confirm,
}: {
  ctx: PageCtx;
  sources: SourceRow[];
  feedUrl: string;
  values: FormValues;
  errors: FieldErrors;
  flash?: string | null;
  confirm?: ConfirmInfo | null;
}) {
  const t = tx(ctx);
  return (
    <Layout ctx={ctx} title={t('admin.title')} staff>
      <h1>{t('admin.title')}</h1>
      <p>{t('admin.intro', { feed: feedUrl })}</p>
      <p>
        <a href="/staff/exchange/warnings">{t('admin.warnings')}</a> · <a href="/exchange">{t('nav.public')}</a>
      </p>
      {flash ? <Notice kind="success">{flash}</Notice> : null}
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <h2>{t('admin.sources')}</h2>
      {sources.length === 0 ? (
        <p class="muted">{t('admin.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('admin.col.source')}</th>
                <th>{t('admin.col.kind')}</th>
                <th>{t('admin.col.state')}</th>
                <th>{t('admin.col.items')}</th>
                <th>{t('admin.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <tr data-source={s.url}>
                  <td>
                    <strong>{s.name || s.url}</strong>
                    <br />
                    <small>{s.kind === 'pages' ? s.page_urls.join(' ') : s.url}</small>
                    {s.fingerprint ? (
                      <>
                        <br />
                        <small>
                          {t('admin.fingerprint')}: <code>{s.fingerprint}</code>
                        </small>
                      </>
                    ) : null}
                  </td>
                  <td>{t(`admin.kind.${s.kind}` as ExchangeKey)}</td>
                  <td>
                    <State ctx={ctx} s={s} />
                  </td>
                  <td>{s.items}</td>
                  <td>
                    <Post ctx={ctx} action={`/staff/exchange/sources/${s.id}/pull`} label={t('admin.pull')} />
                    {s.status === 'paused' && s.problem !== 'keyChanged' ? (
                      <Post
                        ctx={ctx}
                        action={`/staff/exchange/sources/${s.id}/resume`}
                        label={t('admin.resume')}
                        secondary
                      />
                    ) : null}
                    {s.problem === 'keyChanged' ? (
                      <form method="post" action="/staff/exchange/partners/check" class="inline">
                        <Csrf token={ctx.csrf} />
                        <input type="hidden" name="url" value={s.url} />
                        <button type="submit">{t('admin.check')}</button>
                      </form>
                    ) : null}
                    {s.kind === 'partner' ? (
                      <form method="post" action={`/staff/exchange/sources/${s.id}/sharing`}>
                        <Csrf token={ctx.csrf} />
                        <label>
                          <input type="checkbox" name="share" value="1" checked={s.share_clusters} /> {t('admin.share')}
                        </label>
                        <label>
                          <input type="checkbox" name="receive" value="1" checked={s.receive_clusters} />{' '}
                          {t('admin.receive')}
                        </label>
                        <button type="submit" class="secondary">
                          {t('admin.saveSharing')}
                        </button>
                      </form>
                    ) : null}
                    <Post
                      ctx={ctx}
                      action={`/staff/exchange/sources/${s.id}/remove`}
                      label={t('admin.remove')}
                      secondary
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {confirm ? (
        <section id="confirm">
          <h2>{t('admin.confirmTitle')}</h2>
          <p>{t('admin.confirmText', { url: confirm.url, name: confirm.name || '—' })}</p>
          <p>
            <code data-fingerprint>{confirm.fingerprint}</code>
          </p>
          <p class="hint">{t('admin.confirmHint')}</p>
          <form method="post" action="/staff/exchange/partners">
            <Csrf token={ctx.csrf} />
            <input type="hidden" name="url" value={confirm.url} />
            <input type="hidden" name="pin" value={confirm.fingerprint} />
            <button type="submit">{t('admin.confirm')}</button>
          </form>
        </section>
      ) : null}

      <h2>{t('admin.addPartner')}</h2>
      <form method="post" action="/staff/exchange/partners/check">
        <Csrf token={ctx.csrf} />
        <Field
          name="url"
          label={t('admin.url')}
          hint={t('admin.addPartnerHint')}
          values={values}
          errors={errors}
          type="url"
          required
          inputmode="url"
        />
        {errors.pin ? <Field name="pin" label={t('admin.pin')} values={values} errors={errors} /> : null}
        <button type="submit">{t('admin.check')}</button>
      </form>

      <h2>{t('admin.addUnsigned')}</h2>
      <form method="post" action="/staff/exchange/unsigned">
        <Csrf token={ctx.csrf} />
        <p class="hint">{t('admin.addUnsignedHint')}</p>
        <fieldset>
          <legend>{t('admin.unsignedKind')}</legend>
          {errors.kind ? (
            <p class="error" id="f-kind-err" role="alert">
              {errors.kind}
            </p>
          ) : null}
          <label>
            <input type="radio" name="kind" value="feed" checked={(values.kind ?? 'feed') === 'feed'} />{' '}
            {t('admin.unsignedFeed')}
          </label>
          <label>
            <input type="radio" name="kind" value="pages" checked={values.kind === 'pages'} />{' '}
            {t('admin.unsignedPages')}
          </label>
        </fieldset>
        <Field name="name" label={t('admin.name')} values={values} errors={errors} maxLength={200} />
        <Field
          name="feedUrl"
          label={`${t('admin.url')} (${t('admin.unsignedFeed')})`}
          values={values}
          errors={errors}
          type="url"
          inputmode="url"
        />
        <Field name="pages" label={t('admin.pages')} values={values} errors={errors} multiline rows={4} />
        <button type="submit">{t('admin.add')}</button>
      </form>
    </Layout>
  );
}

export function WarningsPage({ ctx, rows }: { ctx: PageCtx; rows: WarningRow[] }) {
  const t = tx(ctx);
  return (
    <Layout ctx={ctx} title={t('warn.title')} staff>
      <h1>{t('warn.title')}</h1>
      <p>{t('warn.intro')}</p>
      {rows.length === 0 ? (
        <p class="muted">{t('warn.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('public.claim')}</th>
                <th>{t('warn.size')}</th>
                <th>{t('warn.first')}</th>
                <th>{t('warn.last')}</th>
                <th>{t('warn.where')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-warning={String(r.id)}>
                  <td>{r.text}</td>
                  <td>{r.size}</td>
                  <td>{formatDate(ctx.locale, r.first_seen)}</td>
                  <td>{formatDate(ctx.locale, r.last_seen)}</td>
                  <td>{r.source_name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** The block on the staff overview: how many open questions partners share with us. */
export function WarningsSection({ locale, n }: { locale: Locale; n: number }) {
  const t = exchangeText.t(locale);
  return (
    <section class="card">
      <h2>
        <a href="/staff/exchange/warnings">{t('warn.title')}</a>
      </h2>
      <p>{t('warn.count', { n })}</p>
    </section>
  );
}
