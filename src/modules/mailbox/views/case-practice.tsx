/** The staff case page's practice panel: the paused deadline, the assignment, opinions asked of other agencies. */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Field, Select } from '../../../http/views/components.js';
import { Post } from './shared.js';
import type { ReportRow } from '../repo.js';
import { CONSULT_LIMITS, dmy, type CasePractice } from '../service/consult.js';
import { pt } from './practice-i18n.js';

export function CasePanel(p: {
  ctx: PageCtx;
  report: ReportRow;
  practice: CasePractice;
  agencies: { id: number; name: string }[];
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const { ctx, report: r, practice: x } = p;
  const t = pt.t(ctx.locale);
  const base = `/staff/mailbox/${r.id}`;
  const now = Date.now();
  return (
    <section class="mb-practice">
      {x.pause ? (
        <p class="notice" data-deadline="paused">
          {t('pause.paused', { date: dmy(x.pause.paused_at), n: x.pause.days_left })}
        </p>
      ) : null}
      <p data-assignee>{x.assigneeName ? t('assign.current', { name: x.assigneeName }) : null}</p>
      {x.mayAssign ? (
        <Post ctx={ctx} action={`${base}/assign`} cls="stack">
          <h2>{t('assign.title')}</h2>
          <Select
            name="assignee"
            label={t('assign.person')}
            value={r.assignee_id ? String(r.assignee_id) : ''}
            values={p.values}
            errors={p.errors}
            empty={t('assign.nobody')}
            options={x.assignees.map((h) => ({ value: String(h.id), label: h.name }))}
          />
          <button type="submit" class="secondary">
            {t('assign.send')}
          </button>
        </Post>
      ) : null}
      <h2>{t('consult.list')}</h2>
      {x.consultations.length === 0 ? (
        <p class="muted">{t('consult.none')}</p>
      ) : (
        <ul class="mb-consultations">
          {x.consultations.map((c) => (
            <li data-consultation={c.id}>
              <strong>{ctx.locale === 'en' ? (c.agency_name_en ?? c.agency_name) : c.agency_name}</strong>
              {' — '}
              {c.answered_at ? (
                <span class="badge ok">{t('consult.answeredOn', { date: dmy(c.answered_at) })}</span>
              ) : new Date(c.deadline_at).getTime() < now ? (
                <span class="badge danger">{t('consult.late', { date: dmy(c.deadline_at) })}</span>
              ) : (
                <span class="badge warn">{t('consult.waiting', { date: dmy(c.deadline_at) })}</span>
              )}
              <p class="pre">{c.question}</p>
              {c.answer ? <blockquote class="pre">{c.answer}</blockquote> : null}
              {x.answerable.includes(c.id) ? (
                <Post ctx={ctx} action={`${base}/consultations/${c.id}/answer`} cls="stack">
                  <Field
                    name="consult_answer"
                    label={t('consult.answer')}
                    multiline
                    rows={4}
                    maxLength={CONSULT_LIMITS.answer}
                    values={p.values}
                    errors={p.errors}
                  />
                  <button type="submit">{t('consult.answerSend')}</button>
                </Post>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {x.mayConsult ? (
        <Post ctx={ctx} action={`${base}/consult`} cls="stack">
          <h2>{t('consult.title')}</h2>
          <p class="hint">{t('consult.hint')}</p>
          <Select
            name="consult_agency"
            label={t('consult.agency')}
            values={p.values}
            errors={p.errors}
            empty={t('consult.choose')}
            options={p.agencies
              .filter((a) => a.id !== r.agency_id)
              .map((a) => ({ value: String(a.id), label: a.name }))}
          />
          <Field
            name="consult_question"
            label={t('consult.question')}
            multiline
            rows={3}
            maxLength={CONSULT_LIMITS.question}
            values={p.values}
            errors={p.errors}
          />
          <Field
            name="consult_days"
            label={t('consult.days')}
            type="number"
            value="5"
            values={p.values}
            errors={p.errors}
          />
          <button type="submit" class="secondary">
            {t('consult.send')}
          </button>
        </Post>
      ) : null}
    </section>
  );
}
