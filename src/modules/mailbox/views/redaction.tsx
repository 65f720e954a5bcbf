/** The staff's redaction panel on a report: what the public sees, hidden passages, "not for publication". */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Field } from '../../../http/views/components.js';
import { Post } from './shared.js';
import { formatDateTime } from '../../../platform/i18n/index.js';
import type { RedactionPanel as Panel } from '../service/redaction.js';
import { PASSAGE } from '../service/redaction.js';
import { xt, type XtKey } from './redaction-i18n.js';

export const x = (ctx: PageCtx) => xt.t(ctx.locale);

export function RedactionPanel({
  ctx,
  base,
  panel,
  errors,
  values,
}: {
  ctx: PageCtx;
  base: string;
  panel: Panel;
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const t = x(ctx);
  const kinds = [...new Set(panel.found.map((f) => f.kind))];
  return (
    <section class="mb-redaction" id="redaction" aria-labelledby="redaction-h">
      <h2 id="redaction-h">{t('redact.title')}</h2>
      <p class="hint">{t('redact.intro')}</p>
      {kinds.length ? (
        <p class="notice warning" data-found={kinds.join(' ')}>
          {t('redact.found', { list: kinds.map((k) => t(`redact.kind.${k}` as XtKey)).join(', ') })}
        </p>
      ) : null}
      <details class="mb-public-preview" open={panel.redactions.length > 0 || kinds.length > 0}>
        <summary>{t('redact.preview')}</summary>
        <p>
          <strong data-public="title">{panel.publicTitle}</strong>
        </p>
        <div class="pre" data-public="description">
          {panel.publicDescription}
        </div>
        {panel.publicAnswer ? (
          <div class="pre" data-public="answer">
            {panel.publicAnswer}
          </div>
        ) : null}
      </details>
      {panel.mayManage ? (
        <>
          <h3>{t('redact.list')}</h3>
          {panel.redactions.length === 0 ? (
            <p class="muted">{t('redact.none')}</p>
          ) : (
            <ul class="mb-redactions">
              {panel.redactions.map((r) => (
                <li data-redaction={String(r.id)}>
                  <mark>{r.passage}</mark>{' '}
                  <span class="muted">
                    ({t('redact.by', { name: r.created_by_name ?? '', date: formatDateTime(ctx.locale, r.created_at) })}
                    )
                  </span>
                  <Post ctx={ctx} action={`${base}/redactions/${r.id}/remove`} cls="inline">
                    <button type="submit" class="secondary">
                      {t('redact.remove')}
                    </button>
                  </Post>
                </li>
              ))}
            </ul>
          )}
          <Post ctx={ctx} action={`${base}/redact`} cls="stack">
            <Field
              name="passage"
              label={t('redact.passage')}
              hint={t('redact.passageHint')}
              multiline
              rows={2}
              maxLength={PASSAGE.max}
              values={values}
              errors={errors}
              required
            />
            <button type="submit">{t('redact.submit')}</button>
          </Post>
          <h3>{t('publication.title')}</h3>
          <p data-publication={panel.notPublic ? 'not-public' : 'public'}>
            {panel.notPublic ? t('publication.notPublic') : t('publication.public')}
          </p>
          <Post ctx={ctx} action={`${base}/publication`} cls="inline">
            <input type="hidden" name="not_public" value={panel.notPublic ? '0' : '1'} />
            <button type="submit" class="secondary">
              {panel.notPublic ? t('publication.show') : t('publication.hide')}
            </button>
          </Post>
        </>
      ) : panel.notPublic ? (
        <p data-publication="not-public">{t('publication.notPublic')}</p>
      ) : null}
    </section>
  );
}
