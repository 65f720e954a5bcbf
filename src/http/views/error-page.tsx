import type { PageCtx } from '../context.js';
import { Layout } from './layout.js';

export function ErrorPage({ ctx, status, message, requestId }: { ctx: PageCtx; status: number; message: string; requestId: string }) {
  return (
    <Layout ctx={ctx} title={ctx.t('error.title')}>
      <section class="error-page">
        <h1>{ctx.t('error.title')} ({status})</h1>
        <p>{message}</p>
        <p class="muted">{ctx.t('error.requestId', { id: requestId })}</p>
        <p><a href="/">{ctx.t('error.backHome')}</a></p>
      </section>
    </Layout>
  );
}
