import type { PageCtx } from '../../../http/context.js';
import { Notice } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import type { ImportProgress } from '../service.js';
import { Head, n } from './shared.js';

/** A member import job: "n of m rows" while it runs (the page reloads itself, no JavaScript), then each row's result. */
export function ImportPage({
  ctx,
  jobId,
  status,
  finished,
  progress,
  ok,
  failed,
}: {
  ctx: PageCtx;
  jobId: number;
  status: string;
  finished: boolean;
  progress: ImportProgress;
  ok: number;
  failed: number;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('imp.title')} staff head={<Head />} refresh={finished ? undefined : 3}>
      <p>
        <a href="/network/manage">← {t('imp.back')}</a>
      </p>
      <h1>{t('imp.title')}</h1>
      {finished ? (
        <h2 id="h-import-result">{t('mgr.importResult', { ok, failed })}</h2>
      ) : (
        <p class="import-progress" role="status">
          {status === 'queued' && progress.next === 0
            ? t('imp.queued', { m: progress.total })
            : t('imp.running', { n: progress.next, m: progress.total })}{' '}
          <a href={`/network/manage/import/${jobId}`}>{t('imp.reload')}</a>
        </p>
      )}
      {status === 'dead' ? <Notice kind="error">{t('imp.failed')}</Notice> : null}
      {progress.rows.length ? (
        <div class="table-scroll">
          <table class="import-report">
            <thead>
              <tr>
                <th>{t('mgr.row')}</th>
                <th>{t('mgr.email')}</th>
                <th>{t('mgr.result')}</th>
              </tr>
            </thead>
            <tbody>
              {progress.rows.map((r) => (
                <tr class={r.ok ? 'row-ok' : 'row-fail'} data-line={r.line}>
                  <td>{r.line}</td>
                  <td>{r.email}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Layout>
  );
}
