import type { PageCtx } from '../../../http/context.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDateTime } from '../../../platform/i18n/index.js';
import { tiplineText } from '../i18n.js';
import type { CaseRow, MessageRow } from '../repo.js';
import { deliveryLabel } from './delivery.js';

/** A case's status page: what was sent to the chat and what could not be (no personal data). */
export function StatusPage({ ctx, c, messages }: { ctx: PageCtx; c: CaseRow; messages: MessageRow[] }) {
  const t = tiplineText.t(ctx.locale);
  const title = t('page.status', { code: c.code ?? '' });
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t(`status.${c.status}` as never)}</p>
      <p>{t('status.intro')}</p>
      <h2>{t('status.updates')}</h2>
      <ol>
        {messages.map((m) => (
          <li>
            <small>
              {formatDateTime(ctx.locale, m.created_at)} ·{' '}
              <strong class={m.delivery === 'failed' ? 'error' : undefined}>
                {deliveryLabel(ctx.locale, m.delivery, m.delivery_error)}
              </strong>
            </small>
            <p style="white-space: pre-wrap">{m.body}</p>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
