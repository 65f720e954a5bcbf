/** Staff pages that create and edit a training course: details, lessons, quiz questions, previews. */
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import { formatDate } from '../../../platform/i18n/index.js';
import type { NetKey } from '../i18n.js';
import type { CourseMeta, LessonRow, QuestionRow } from '../repo.js';
import { OPTION_SLOTS } from '../service.js';
import { Head, n } from './shared.js';
import { LessonArticle } from './training.js';

const base = (id: number) => `/network/manage/training/courses/${id}`;

export function NewCoursePage({
  ctx,
  picker,
  values,
  errors,
}: {
  ctx: PageCtx;
  picker: PickerState;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('ce.new')} staff head={<Head />}>
      <p>
        <a href="/network/manage/training">← {t('tr.title')}</a>
      </p>
      <h1>{t('ce.new')}</h1>
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action="/network/manage/training/courses" class="stack narrow">
        <Csrf token={ctx.csrf} />
        <CourseFields ctx={ctx} values={values} errors={errors} />
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('ce.unit')}
          required
          errors={errors}
          search={{ method: 'get', action: '/network/manage/training/courses/new' }}
        />
        <button type="submit">{t('ce.create')}</button>
      </form>
    </Layout>
  );
}

function CourseFields({ ctx, values, errors }: { ctx: PageCtx; values?: FormValues; errors?: FieldErrors }) {
  const t = n(ctx);
  return (
    <>
      <Field name="title" label={t('ce.title')} required maxLength={200} values={values} errors={errors} />
      <Field
        name="summary"
        label={t('ce.summary')}
        required
        multiline
        rows={3}
        maxLength={1000}
        values={values}
        errors={errors}
      />
      <Field
        name="pass_mark"
        label={t('ce.passMark')}
        hint={t('ce.passMarkHint')}
        type="number"
        inputmode="numeric"
        required
        value="75"
        values={values}
        errors={errors}
      />
    </>
  );
}

/** Small POST buttons (move, remove) that work without JavaScript. */
function Action({
  ctx,
  action,
  label,
  aria,
  kind = 'secondary',
}: {
  ctx: PageCtx;
  action: string;
  label: string;
  aria?: string;
  kind?: string;
}) {
  return (
    <form method="post" action={action} class="inline-form">
      <Csrf token={ctx.csrf} />
      <button type="submit" class={kind} aria-label={aria}>
        {label}
      </button>
    </form>
  );
}

export function CourseEditorPage({
  ctx,
  course,
  lessons,
  questions,
  values,
  errors,
  notice,
}: {
  ctx: PageCtx;
  course: CourseMeta;
  lessons: LessonRow[];
  questions: QuestionRow[];
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string;
}) {
  const t = n(ctx);
  const v = values ?? { title: course.title, summary: course.summary, pass_mark: String(course.pass_mark) };
  return (
    <Layout ctx={ctx} title={t('ce.edit', { title: course.title })} staff head={<Head />}>
      <p>
        <a href="/network/manage/training">← {t('tr.title')}</a>
      </p>
      <h1>{t('ce.edit', { title: course.title })}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <section class="notice info effects" aria-labelledby="h-effects">
        <h2 id="h-effects">{t('ce.effects')}</h2>
        <ul>
          <li>
            <strong>{t('ce.effectsCerts', { n: course.certificates })}</strong>
          </li>
          <li>{t('ce.effectsTitle')}</li>
          <li>{t('ce.effectsMark')}</li>
          <li>{t('ce.effectsLessons')}</li>
        </ul>
        <p class="muted">{t('ce.updated', { date: formatDate(ctx.locale, course.updated_at) })}</p>
      </section>

      <section aria-labelledby="h-details">
        <h2 id="h-details">{t('ce.details')}</h2>
        <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
        <form method="post" action={base(course.id)} class="stack narrow">
          <Csrf token={ctx.csrf} />
          <CourseFields ctx={ctx} values={v} errors={errors} />
          <button type="submit">{t('ce.save')}</button>
        </form>
      </section>

      <section aria-labelledby="h-lessons">
        <h2 id="h-lessons">{t('ce.lessons')}</h2>
        {lessons.length === 0 ? (
          <p class="muted">{t('ce.noLessons')}</p>
        ) : (
          <ol class="editor-list lessons-edit">
            {lessons.map((l, i) => (
              <li data-lesson={l.id}>
                <strong>{l.title}</strong>
                <div class="editor-actions">
                  <a class="button secondary" href={`${base(course.id)}/lessons/${l.id}`}>
                    {ctx.t('common.edit')}
                  </a>
                  <a class="button secondary" href={`${base(course.id)}/lessons/${l.id}/preview`}>
                    {t('ce.preview')}
                  </a>
                  <MoveRemove
                    ctx={ctx}
                    at={`${base(course.id)}/lessons/${l.id}`}
                    title={l.title}
                    first={i === 0}
                    last={i === lessons.length - 1}
                    remove={t('ce.removeLesson')}
                  />
                </div>
              </li>
            ))}
          </ol>
        )}
        <p>
          <a class="button" href={`${base(course.id)}/lessons/new`}>
            {t('ce.addLesson')}
          </a>
        </p>
      </section>

      <section aria-labelledby="h-questions">
        <h2 id="h-questions">{t('ce.questions')}</h2>
        {questions.length === 0 ? (
          <p class="muted">{t('ce.noQuestions')}</p>
        ) : (
          <ol class="editor-list questions-edit">
            {questions.map((q, i) => (
              <li data-question={q.id}>
                <strong>{q.prompt}</strong> <span class="badge">{t(`ce.qKind.${q.kind}` as NetKey)}</span>
                <ul class="options">
                  {q.options.map((o, k) => (
                    <li class={q.correct.includes(k) ? 'ok' : undefined}>
                      {o}
                      {q.correct.includes(k) ? ` ${t('ce.correctMark')}` : ''}
                    </li>
                  ))}
                </ul>
                <div class="editor-actions">
                  <a class="button secondary" href={`${base(course.id)}/questions/${q.id}`}>
                    {ctx.t('common.edit')}
                  </a>
                  <MoveRemove
                    ctx={ctx}
                    at={`${base(course.id)}/questions/${q.id}`}
                    title={q.prompt}
                    first={i === 0}
                    last={i === questions.length - 1}
                    remove={t('ce.removeQuestion')}
                  />
                </div>
              </li>
            ))}
          </ol>
        )}
        <p>
          <a class="button" href={`${base(course.id)}/questions/new`}>
            {t('ce.addQuestion')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

/** A lesson's or question's buttons in its list: up, down (not at the ends) and remove behind a disclosure. */
function MoveRemove(p: { ctx: PageCtx; at: string; title: string; first: boolean; last: boolean; remove: string }) {
  const t = n(p.ctx);
  return (
    <>
      {p.first ? null : (
        <Action ctx={p.ctx} action={`${p.at}/up`} label={t('ce.up')} aria={t('ce.upLabel', { title: p.title })} />
      )}
      {p.last ? null : (
        <Action ctx={p.ctx} action={`${p.at}/down`} label={t('ce.down')} aria={t('ce.downLabel', { title: p.title })} />
      )}
      <details class="remove">
        <summary>{t('ce.remove')}</summary>
        <Action ctx={p.ctx} action={`${p.at}/remove`} label={p.remove} kind="danger" />
      </details>
    </>
  );
}

export function LessonFormPage({
  ctx,
  course,
  lessonId,
  values,
  errors,
  preview,
}: {
  ctx: PageCtx;
  course: CourseMeta;
  lessonId?: number;
  values?: FormValues;
  errors?: FieldErrors;
  preview?: { title: string; body: string; videoUrl: string | null; transcript: string | null };
}) {
  const t = n(ctx);
  const title = lessonId ? t('ce.editLesson') : t('ce.newLesson');
  const action = lessonId ? `${base(course.id)}/lessons/${lessonId}` : `${base(course.id)}/lessons`;
  return (
    <Layout ctx={ctx} title={`${title} — ${course.title}`} staff head={<Head />}>
      <p>
        <a href={base(course.id)}>← {course.title}</a>
      </p>
      <h1>{title}</h1>
      {preview ? (
        <section class="preview" aria-label={t('ce.preview')}>
          <Notice kind="warning">{t('ce.previewUnsaved')}</Notice>
          <LessonArticle
            ctx={ctx}
            lesson={{
              title: preview.title,
              body: preview.body,
              video_url: preview.videoUrl,
              transcript: preview.transcript,
            }}
          />
        </section>
      ) : null}
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action={action} class="stack">
        <Csrf token={ctx.csrf} />
        <Field name="title" label={t('ce.lessonTitle')} required maxLength={200} values={values} errors={errors} />
        <Field
          name="body"
          label={t('ce.lessonBody')}
          hint={t('ce.lessonBodyHint')}
          required
          multiline
          rows={14}
          values={values}
          errors={errors}
        />
        <Field
          name="video_url"
          label={t('ce.lessonVideo')}
          type="url"
          inputmode="url"
          maxLength={500}
          values={values}
          errors={errors}
          placeholder="https://"
        />
        <Field
          name="transcript"
          label={t('ce.lessonTranscript')}
          hint={t('ce.lessonTranscriptHint')}
          multiline
          rows={4}
          values={values}
          errors={errors}
        />
        <div class="cta-row">
          <button type="submit">{t('ce.saveLesson')}</button>
          <button type="submit" name="preview" value="1" class="secondary">
            {t('ce.preview')}
          </button>
          <a class="button secondary" href={base(course.id)}>
            {ctx.t('common.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function LessonPreviewPage({
  ctx,
  course,
  lesson,
  total,
}: {
  ctx: PageCtx;
  course: CourseMeta;
  lesson: LessonRow;
  total: number;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={`${t('ce.preview')}: ${lesson.title}`} staff head={<Head />}>
      <p>
        <a href={base(course.id)}>← {course.title}</a>
      </p>
      <Notice kind="info">{t('ce.previewNote')}</Notice>
      <p class="muted">
        {lesson.position}/{total}
      </p>
      <LessonArticle ctx={ctx} lesson={lesson} />
      <p class="cta-row">
        <a class="button secondary" href={`${base(course.id)}/lessons/${lesson.id}`}>
          {ctx.t('common.edit')}
        </a>
      </p>
    </Layout>
  );
}

export function QuestionFormPage({
  ctx,
  course,
  questionId,
  values,
  errors,
}: {
  ctx: PageCtx;
  course: CourseMeta;
  questionId?: number;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const t = n(ctx);
  const title = questionId ? t('ce.editQuestion') : t('ce.newQuestion');
  const action = questionId ? `${base(course.id)}/questions/${questionId}` : `${base(course.id)}/questions`;
  const correct = new Set((values?.correct ?? '').split('\n').filter(Boolean));
  const optErr = errors?.options ?? errors?.correct;
  const kinds = (['single', 'multiple', 'truefalse'] as const).map((k) => ({
    value: k,
    label: t(`ce.qKind.${k}` as NetKey),
  }));
  return (
    <Layout ctx={ctx} title={`${title} — ${course.title}`} staff head={<Head />}>
      <p>
        <a href={base(course.id)}>← {course.title}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action={action} class="stack">
        <Csrf token={ctx.csrf} />
        <Select
          name="kind"
          label={t('ce.qKind')}
          options={kinds}
          value="single"
          values={values}
          errors={errors}
          required
        />
        <Field
          name="prompt"
          label={t('ce.qPrompt')}
          required
          multiline
          rows={2}
          maxLength={500}
          values={values}
          errors={errors}
        />
        <fieldset
          class={`field options-edit${optErr ? ' has-error' : ''}`}
          id="f-options"
          aria-describedby={optErr ? 'f-options-err' : 'f-options-hint'}
        >
          <legend>{t('ce.qOptions')}</legend>
          <p class="hint" id="f-options-hint">
            {t('ce.qOptionsHint')}
          </p>
          <span id="f-correct" />
          {OPTION_SLOTS.map((i) => (
            <div class="option-row">
              <label for={`f-opt${i}`}>{t('ce.qOption', { n: i + 1 })}</label>
              <input type="text" id={`f-opt${i}`} name={`opt${i}`} value={values?.[`opt${i}`] ?? ''} maxlength={200} />
              <label class="check">
                <input type="checkbox" name="correct" value={String(i)} checked={correct.has(String(i))} />{' '}
                {t('ce.qCorrect')}
              </label>
            </div>
          ))}
          {optErr ? (
            <p class="error" id="f-options-err" role="alert">
              {optErr}
            </p>
          ) : null}
        </fieldset>
        <Field
          name="explanation"
          label={t('ce.qExplanation')}
          multiline
          rows={2}
          maxLength={500}
          values={values}
          errors={errors}
        />
        <div class="cta-row">
          <button type="submit">{t('ce.saveQuestion')}</button>
          <a class="button secondary" href={base(course.id)}>
            {ctx.t('common.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}
