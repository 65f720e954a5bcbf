import { raw } from 'hono/html';
import { Marked } from 'marked';
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import { formatDate } from '../../../platform/i18n/index.js';
import type { AssignedCourse, CompletionRow, CourseRow, GroupRow, LessonRow, QuestionRow } from '../repo.js';
import type { Graded } from '../service.js';
import { CourseList } from './member.js';
import { Head, n, unitName } from './shared.js';

/** Lesson text is Markdown; raw HTML in it is dropped. */
const md = new Marked({ renderer: { html: () => '' } });
export const renderMarkdown = (s: string) => md.parse(s, { async: false }) as string;

export function TrainingPage({ ctx, courses }: { ctx: PageCtx; courses: AssignedCourse[] }) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('tr.mine')} staff head={<Head />}>
      <p>
        <a href="/network">← {t('feed.title')}</a>
      </p>
      <h1>{t('tr.mine')}</h1>
      <CourseList ctx={ctx} courses={courses} />
    </Layout>
  );
}

export function CoursePage({
  ctx,
  course,
  lessons,
  done,
}: {
  ctx: PageCtx;
  course: AssignedCourse;
  lessons: LessonRow[];
  done: Set<number>;
}) {
  const t = n(ctx);
  const next = lessons.find((l) => !done.has(l.id)) ?? lessons[0];
  return (
    <Layout ctx={ctx} title={course.title} staff head={<Head />}>
      <p>
        <a href="/network/training">← {t('tr.mine')}</a>
      </p>
      <h1>{course.title}</h1>
      <p>{course.summary}</p>
      <p class="muted">
        {t('tr.due', { date: formatDate(ctx.locale, course.due_date) })} ·{' '}
        {t('tr.progress', { done: done.size, total: lessons.length })}
      </p>
      {course.certificate ? (
        <Notice kind="success">
          {t('tr.passed')} — <a href={`/network/certificates/${course.certificate}`}>{t('tr.certificate')}</a>
        </Notice>
      ) : null}
      <h2>{t('tr.lessons')}</h2>
      <ol class="lessons">
        {lessons.map((l) => (
          <li>
            <a href={`/network/training/${course.id}/lessons/${l.position}`}>{l.title}</a>{' '}
            {done.has(l.id) ? <span class="badge ok">{t('tr.lessonDone')}</span> : null}
          </li>
        ))}
      </ol>
      <p class="cta-row">
        {next ? (
          <a class="button" href={`/network/training/${course.id}/lessons/${next.position}`}>
            {t('tr.start')}
          </a>
        ) : null}
        <a class="button secondary" href={`/network/training/${course.id}/quiz`}>
          {t('tr.takeQuiz')}
        </a>
      </p>
    </Layout>
  );
}

export function LessonPage({
  ctx,
  course,
  lesson,
  total,
  isDone,
}: {
  ctx: PageCtx;
  course: CourseRow;
  lesson: LessonRow;
  total: number;
  isDone: boolean;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={lesson.title} staff head={<Head />}>
      <p>
        <a href={`/network/training/${course.id}`}>← {course.title}</a>
      </p>
      <p class="muted">
        {lesson.position}/{total}
      </p>
      <LessonArticle ctx={ctx} lesson={lesson} />
      <form method="post" action={`/network/training/${course.id}/lessons/${lesson.position}/done`} class="stack">
        <Csrf token={ctx.csrf} />
        {isDone ? (
          <p>
            <span class="badge ok">{t('tr.lessonDone')}</span>
          </p>
        ) : null}
        <button type="submit">
          {lesson.position < total ? `${t('tr.markDone')} → ${t('tr.next')}` : `${t('tr.markDone')} → ${t('tr.quiz')}`}
        </button>
      </form>
    </Layout>
  );
}

/** A lesson as members read it (also the staff preview). */
export function LessonArticle({
  ctx,
  lesson,
}: {
  ctx: PageCtx;
  lesson: Pick<LessonRow, 'title' | 'body' | 'video_url' | 'transcript'>;
}) {
  const t = n(ctx);
  return (
    <article class="prose lesson">
      <h1>{lesson.title}</h1>
      {raw(renderMarkdown(lesson.body))}
      {lesson.video_url ? (
        <p>
          <a class="button secondary" href={lesson.video_url} target="_blank" rel="noopener noreferrer">
            {t('tr.video')}
          </a>
        </p>
      ) : null}
      {lesson.transcript ? (
        <details class="transcript">
          <summary>{t('tr.transcript')}</summary>
          <p>{lesson.transcript}</p>
        </details>
      ) : null}
    </article>
  );
}

export function QuizPage({
  ctx,
  course,
  questions,
  values,
  errors,
  graded,
}: {
  ctx: PageCtx;
  course: CourseRow;
  questions: QuestionRow[];
  values?: FormValues;
  errors?: FieldErrors;
  graded?: Graded;
}) {
  const t = n(ctx);
  const chosen = (q: QuestionRow) => new Set((values?.[`q${q.id}`] ?? '').split('\n').filter(Boolean));
  return (
    <Layout ctx={ctx} title={`${t('tr.quiz')} — ${course.title}`} staff head={<Head />}>
      <p>
        <a href={`/network/training/${course.id}`}>← {course.title}</a>
      </p>
      <h1>
        {t('tr.quiz')}: {course.title}
      </h1>
      {graded ? (
        <Notice kind={graded.passed ? 'success' : 'warning'}>
          <p class="score">{t('tr.score', { score: graded.score, mark: course.pass_mark })}</p>
          {graded.passed ? (
            <p>
              {t('tr.passedMsg')} <a href={`/network/certificates/${graded.certificate}`}>{graded.certificate}</a>
            </p>
          ) : (
            <p>{t('tr.failedMsg')}</p>
          )}
        </Notice>
      ) : (
        <p>{t('tr.quizIntro', { n: questions.length, mark: course.pass_mark })}</p>
      )}
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action={`/network/training/${course.id}/quiz`} class="quiz stack">
        <Csrf token={ctx.csrf} />
        {questions.map((q, i) => {
          const err = errors?.[`q${q.id}`];
          const c = chosen(q);
          const result = graded ? (graded.results[q.id] ? 'right' : 'wrong') : '';
          const options = q.kind === 'truefalse' && q.options.length === 0 ? [t('tr.true'), t('tr.false')] : q.options;
          return (
            <fieldset
              id={`f-q${q.id}`}
              class={`${result}${err ? ' has-error' : ''}`}
              aria-describedby={err ? `f-q${q.id}-err` : undefined}
              data-question={q.id}
            >
              <legend>
                {i + 1}. {q.prompt}
              </legend>
              {q.kind === 'multiple' ? <p class="hint">{t('tr.chooseMany')}</p> : null}
              {options.map((o, k) => (
                <label class="check">
                  <input
                    type={q.kind === 'multiple' ? 'checkbox' : 'radio'}
                    name={`q${q.id}`}
                    value={String(k)}
                    checked={c.has(String(k))}
                  />{' '}
                  {o}
                </label>
              ))}
              {err ? (
                <p class="error" id={`f-q${q.id}-err`} role="alert">
                  {err}
                </p>
              ) : null}
              {graded ? (
                <p class={graded.results[q.id] ? 'ok' : 'error'}>
                  {graded.results[q.id] ? t('tr.right') : t('tr.wrong')}
                  {q.explanation ? ` — ${q.explanation}` : ''}
                </p>
              ) : null}
            </fieldset>
          );
        })}
        <button type="submit">{t('tr.submitQuiz')}</button>
      </form>
    </Layout>
  );
}

export function CertificatePage({
  ctx,
  cert,
}: {
  ctx: PageCtx;
  cert: { code: string; name: string; course_title: string; issued_at: Date; score: number };
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('cert.title')} head={<Head />}>
      <div class="certificate">
        <h1>{t('cert.title')}</h1>
        <p class="who">{cert.name}</p>
        <p>{t('cert.body', { name: cert.name, course: cert.course_title, score: cert.score })}</p>
        <p>{t('cert.issued', { date: formatDate(ctx.locale, cert.issued_at) })}</p>
        <p>
          <strong>{t('cert.code', { code: cert.code })}</strong>
        </p>
        <p class="muted">{t('cert.valid')}</p>
      </div>
    </Layout>
  );
}

export function VerifyPage({ ctx, code, notFound }: { ctx: PageCtx; code?: string; notFound?: boolean }) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('cert.verifyTitle')} head={<Head />}>
      <h1>{t('cert.verifyTitle')}</h1>
      {notFound ? <Notice kind="error">{t('cert.notFound')}</Notice> : null}
      <form method="get" action="/network/certificates" class="stack narrow">
        <Field
          name="code"
          label={t('cert.verifyCode')}
          value={code}
          required
          maxLength={40}
          errors={notFound ? { code: t('cert.notFound') } : undefined}
        />
        <button type="submit">{t('cert.verify')}</button>
      </form>
    </Layout>
  );
}

export function TrainingManagePage({
  ctx,
  courses,
  picker,
  groups,
  completion,
  values,
  errors,
  notice,
  editable,
  canCreate,
}: {
  ctx: PageCtx;
  courses: CourseRow[];
  picker: PickerState;
  groups: GroupRow[];
  editable?: Set<number>;
  canCreate?: boolean;
  completion: {
    units: {
      unit_id: number;
      unit_name: string;
      unit_name_en: string | null;
      assigned: number;
      completed: number;
      overdue: number;
    }[];
    overdue: CompletionRow[];
  };
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string;
}) {
  const t = n(ctx);
  const groupTargets = groups.map((g) => ({ value: `g:${g.id}`, label: `${g.name} — ${unitName(ctx, g)}` }));
  return (
    <Layout ctx={ctx} title={t('tr.title')} staff head={<Head />}>
      <h1>{t('tr.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <h2>{t('tr.byUnit')}</h2>
      <div class="table-scroll">
        <table class="completion">
          <thead>
            <tr>
              <th>{ctx.t('common.unit')}</th>
              <th>{t('tr.assignedN')}</th>
              <th>{t('tr.completedN')}</th>
              <th>{t('tr.overdueN')}</th>
            </tr>
          </thead>
          <tbody>
            {completion.units.map((u) => (
              <tr data-unit={u.unit_id}>
                <td>{unitName(ctx, u)}</td>
                <td>{u.assigned}</td>
                <td>{u.completed}</td>
                <td>{u.overdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('tr.overdueList')}</h2>
      {completion.overdue.length === 0 ? (
        <p class="muted">{t('tr.noOverdue')}</p>
      ) : (
        <ul class="overdue">
          {completion.overdue.map((r) => (
            <li>
              {r.name} — {unitName(ctx, r)}: {r.course_title} (
              {t('tr.due', { date: formatDate(ctx.locale, r.due_date) })})
            </li>
          ))}
        </ul>
      )}
      <h2>{t('tr.courses')}</h2>
      <ul class="courses">
        {courses.map((c) => (
          <li data-course={c.id}>
            <strong>{c.title}</strong> —{' '}
            <span class="muted">
              {t('tr.courseMeta', { lessons: c.lessons, questions: c.questions, mark: c.pass_mark })}
            </span>
            {editable?.has(c.id) ? (
              <>
                {' '}
                · <a href={`/network/manage/training/courses/${c.id}`}>{t('ce.editLink')}</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {canCreate ? (
        <p>
          <a class="button secondary" href="/network/manage/training/courses/new">
            {t('ce.new')}
          </a>
        </p>
      ) : null}
      <h2>{t('tr.assign')}</h2>
      <ErrorSummary errors={errors} title={ctx.t('error.validation')} />
      <form method="post" action="/network/manage/training/assign" class="stack narrow" novalidate>
        <Csrf token={ctx.csrf} />
        <Select
          name="course"
          label={t('tr.course')}
          options={courses.map((c) => ({ value: String(c.id), label: c.title }))}
          empty="—"
          values={values}
          errors={errors}
          required
        />
        {/* a unit with the unit picker (the service reads `target`: u:ID from this, g:ID from the group list) */}
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('tr.targetUnit')}
          hint={t('tr.targetUnitHint')}
          required
          errors={errors}
          search={{ method: 'get', action: '/network/manage/training' }}
        />
        <Select
          name="target"
          label={t('tr.targetGroup')}
          options={groupTargets}
          empty={t('tr.targetGroupNone')}
          values={values}
          errors={errors}
        />
        <Field name="due" label={t('tr.dueDate')} type="date" required values={values} errors={errors} />
        <button type="submit">{t('tr.assign')}</button>
      </form>
    </Layout>
  );
}
