/** Trainers: assigning courses, and the course editor (course, lessons with a preview, quiz questions). */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { formValues, postedBody, submit } from '../../../http/forms.js';
import { nt } from '../i18n.js';
import { actor, need, staff } from '../../../http/guard.js';
import { isPickerSearch, unitPicker } from '../../../http/unit-picker.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import {
  CourseEditorPage,
  LessonFormPage,
  LessonPreviewPage,
  NewCoursePage,
  QuestionFormPage,
} from '../views/course-editor.js';
import { TrainingManagePage } from '../views/training.js';
import { assignSchema, courseSchema, lessonSchema, newCourseSchema, questionSchema } from '../service/forms.js';
import { id, notice } from './common.js';

type Values = Record<string, string>;
type Errors = Record<string, string>;
const CE = '/network/manage/training/courses';

export function staffCourseRoutes(app: Hono<AppEnv>): void {
  const train = need('network.train');

  const trainingManage = async (c: Ctx, values?: Values, errors?: Errors) => {
    const p = staff(c);
    const scope = svc.leaderScope(p, 'network.train');
    const db = c.get('deps').db;
    const shown = values ?? (isPickerSearch(c) ? (c.req.query() as Values) : undefined);
    const [courses, picker, groups, completion, editable] = await Promise.all([
      repo.listCourses(db),
      unitPicker(c, { name: 'target_unit', within: scope, values: shown ?? {} }),
      repo.groupsInPaths(db, scope),
      svc.completionByUnit(db, actor(c)),
      svc.editableCourseIds(db, actor(c)),
    ]);
    if (errors) c.status(422);
    return c.html(
      <TrainingManagePage
        ctx={pageCtx(c)}
        courses={courses}
        picker={picker}
        groups={groups}
        completion={completion}
        values={shown}
        errors={errors}
        notice={notice(c)}
        editable={editable}
        canCreate
      />,
    );
  };
  app.get('/network/manage/training', train, (c) => trainingManage(c));
  // the target: a group from the list (`target` = g:ID), else the unit chosen with the picker (`target_unit`)
  app.post(
    '/network/manage/training/assign',
    train,
    submit(
      assignSchema,
      (c, r) => trainingManage(c, r.values, r.errors),
      async (c, input) => {
        await svc.assignCourse(c.get('deps').db, actor(c), input);
        return c.redirect('/network/manage/training?ok=assigned', 303);
      },
      { catalog: nt, picker: { names: 'target_unit', search: (c, values) => trainingManage(c, values) } },
    ),
  );

  // the course itself
  const courseEditor = async (c: Ctx, values?: Values, errors?: Errors) => {
    const db = c.get('deps').db;
    const course = await svc.editableCourse(db, actor(c), id(c, 'id'));
    const [lessons, questions] = await Promise.all([repo.lessonsOf(db, course.id), repo.questionsOf(db, course.id)]);
    if (errors) c.status(422);
    return c.html(
      <CourseEditorPage
        ctx={pageCtx(c)}
        course={course}
        lessons={lessons}
        questions={questions}
        values={values}
        errors={errors}
        notice={notice(c)}
      />,
    );
  };
  // the course's unit: the unit picker inside the trainer's scope (a GET `_pick` is its search without JavaScript)
  const newCourse = async (c: Ctx, values?: Values, errors?: Errors) => {
    const shown = values ?? (isPickerSearch(c) ? (c.req.query() as Values) : undefined);
    const within = svc.leaderScope(staff(c), 'network.train');
    const picker = await unitPicker(c, { name: 'unit', within, values: shown ?? {} });
    if (errors) c.status(422);
    return c.html(<NewCoursePage ctx={pageCtx(c)} picker={picker} values={shown} errors={errors} />);
  };
  app.get(`${CE}/new`, train, (c) => newCourse(c));
  app.post(
    CE,
    train,
    submit(
      newCourseSchema,
      (c, r) => newCourse(c, r.values, r.errors),
      async (c, input) =>
        c.redirect(`${CE}/${await svc.createCourse(c.get('deps').db, actor(c), input)}?ok=course`, 303),
      { catalog: nt, picker: { names: 'unit', search: (c, values) => newCourse(c, values) } },
    ),
  );
  app.get(`${CE}/:id`, train, (c) => courseEditor(c));
  app.post(
    `${CE}/:id`,
    train,
    submit(
      courseSchema,
      (c, r) => courseEditor(c, r.values, r.errors),
      async (c, input) => {
        await svc.saveCourse(c.get('deps').db, actor(c), id(c, 'id'), input);
        return c.redirect(`${CE}/${id(c, 'id')}?ok=courseSaved`, 303);
      },
      { catalog: nt },
    ),
  );

  // lessons
  const lessonForm = async (
    c: Ctx,
    lessonId: number | null,
    values?: Values,
    errors?: Errors,
    preview?: repo.LessonInput,
  ) => {
    const course = await svc.editableCourse(c.get('deps').db, actor(c), id(c, 'id'));
    if (errors) c.status(422);
    return c.html(
      <LessonFormPage
        ctx={pageCtx(c)}
        course={course}
        lessonId={lessonId ?? undefined}
        values={values}
        errors={errors}
        preview={preview}
      />,
    );
  };
  /** Saves a new lesson (`lessonId` null) or an existing one; the Preview button shows it, saved or not, nothing saved. */
  const saveLesson = (lessonId: (c: Ctx) => number | null) =>
    submit(
      lessonSchema,
      (c, r) => lessonForm(c, lessonId(c), r.values, r.errors),
      async (c, input) => {
        if (input.preview) return lessonForm(c, lessonId(c), formValues(await postedBody(c)), undefined, input.lesson);
        await svc.saveLesson(c.get('deps').db, actor(c), id(c, 'id'), lessonId(c), input.lesson);
        return c.redirect(`${CE}/${id(c, 'id')}?ok=lesson#h-lessons`, 303);
      },
      { catalog: nt },
    );
  const moveLesson = (dir: -1 | 1) => async (c: Ctx) => {
    await svc.moveLesson(c.get('deps').db, actor(c), id(c, 'id'), id(c, 'lesson'), dir);
    return c.redirect(`${CE}/${id(c, 'id')}?ok=moved#h-lessons`, 303);
  };
  app.get(`${CE}/:id/lessons/new`, train, (c) => lessonForm(c, null));
  app.post(
    `${CE}/:id/lessons`,
    train,
    saveLesson(() => null),
  );
  app.get(`${CE}/:id/lessons/:lesson`, train, async (c) => {
    const l = await repo.findLesson(c.get('deps').db, id(c, 'id'), id(c, 'lesson'));
    if (!l) throw new svc.NetworkError(404, 'ce.notFound');
    return lessonForm(c, l.id, {
      title: l.title,
      body: l.body,
      video_url: l.video_url ?? '',
      transcript: l.transcript ?? '',
    });
  });
  app.post(
    `${CE}/:id/lessons/:lesson`,
    train,
    saveLesson((c) => id(c, 'lesson')),
  );
  app.get(`${CE}/:id/lessons/:lesson/preview`, train, async (c) => {
    const db = c.get('deps').db;
    const course = await svc.editableCourse(db, actor(c), id(c, 'id'));
    const lessons = await repo.lessonsOf(db, course.id);
    const lesson = lessons.find((l) => l.id === id(c, 'lesson'));
    if (!lesson) throw new svc.NetworkError(404, 'ce.notFound');
    return c.html(<LessonPreviewPage ctx={pageCtx(c)} course={course} lesson={lesson} total={lessons.length} />);
  });
  app.post(`${CE}/:id/lessons/:lesson/up`, train, moveLesson(-1));
  app.post(`${CE}/:id/lessons/:lesson/down`, train, moveLesson(1));
  app.post(`${CE}/:id/lessons/:lesson/remove`, train, async (c) => {
    await svc.removeLesson(c.get('deps').db, actor(c), id(c, 'id'), id(c, 'lesson'));
    return c.redirect(`${CE}/${id(c, 'id')}?ok=lessonRemoved#h-lessons`, 303);
  });

  // quiz questions
  const questionForm = async (c: Ctx, questionId: number | null, values?: Values, errors?: Errors) => {
    const course = await svc.editableCourse(c.get('deps').db, actor(c), id(c, 'id'));
    if (errors) c.status(422);
    return c.html(
      <QuestionFormPage
        ctx={pageCtx(c)}
        course={course}
        questionId={questionId ?? undefined}
        values={values}
        errors={errors}
      />,
    );
  };
  /** Saves a new question (`questionId` null) or an existing one. */
  const saveQuestion = (questionId: (c: Ctx) => number | null) =>
    submit(
      questionSchema,
      (c, r) => questionForm(c, questionId(c), r.values, r.errors),
      async (c, input) => {
        await svc.saveQuestion(c.get('deps').db, actor(c), id(c, 'id'), questionId(c), input, c.get('locale'));
        return c.redirect(`${CE}/${id(c, 'id')}?ok=question#h-questions`, 303);
      },
      { catalog: nt },
    );
  const moveQuestion = (dir: -1 | 1) => async (c: Ctx) => {
    await svc.moveQuestion(c.get('deps').db, actor(c), id(c, 'id'), id(c, 'question'), dir);
    return c.redirect(`${CE}/${id(c, 'id')}?ok=moved#h-questions`, 303);
  };
  app.get(`${CE}/:id/questions/new`, train, (c) => questionForm(c, null));
  app.post(
    `${CE}/:id/questions`,
    train,
    saveQuestion(() => null),
  );
  app.get(`${CE}/:id/questions/:question`, train, async (c) => {
    const q = await repo.findQuestion(c.get('deps').db, id(c, 'id'), id(c, 'question'));
    if (!q) throw new svc.NetworkError(404, 'ce.notFound');
    return questionForm(c, q.id, svc.questionValues(q));
  });
  app.post(
    `${CE}/:id/questions/:question`,
    train,
    saveQuestion((c) => id(c, 'question')),
  );
  app.post(`${CE}/:id/questions/:question/up`, train, moveQuestion(-1));
  app.post(`${CE}/:id/questions/:question/down`, train, moveQuestion(1));
  app.post(`${CE}/:id/questions/:question/remove`, train, async (c) => {
    await svc.removeQuestion(c.get('deps').db, actor(c), id(c, 'id'), id(c, 'question'));
    return c.redirect(`${CE}/${id(c, 'id')}?ok=questionRemoved#h-questions`, 303);
  });
}
