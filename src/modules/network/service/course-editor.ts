/** The course editor: staff with network.train on the course's unit write courses, lessons and questions. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { assertCan, can, type Actor } from '../../../platform/auth/permissions.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { nt } from '../i18n.js';
import * as repo from '../repo.js';
import { FormRefused, leaderScope, NetworkError, type Values } from './common.js';
import type { CourseInput, NewCourseInput, QuestionForm } from './forms.js';
import { audit, unitInScope } from './internal.js';
import { parseId } from '../../../platform/ids.js';

const MAX_OPTIONS = 6;
export const OPTION_SLOTS = Array.from({ length: MAX_OPTIONS }, (_, i) => i);

/** A course the principal may edit: network.train on the unit that owns it (the top unit for imported courses). */
export async function editableCourse(db: Db, a: Actor, courseId: number) {
  leaderScope(a.principal, 'network.train');
  const c = await repo.courseMeta(db, courseId);
  if (!c) throw new NetworkError(404, 'ce.notFound');
  assertCan(a.principal, 'network.train', c.unit_path);
  return c;
}

/** Course ids the principal may edit, for the training page's links. */
export async function editableCourseIds(db: Db, a: Actor): Promise<Set<number>> {
  const rows = await db.query<{ id: number; path: string }>(
    `SELECT c.id, COALESCE(u.path, (SELECT path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1))::text AS path FROM network_courses c LEFT JOIN units u ON u.id = c.unit_id`,
  );
  return new Set(rows.filter((r) => can(a.principal, 'network.train', r.path)).map((r) => r.id));
}

/** "Kiểm chứng thông tin" → "kiem-chung-thong-tin". */
export function slugify(title: string): string {
  const s = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return s.length >= 3 ? s : `khoa-hoc${s ? `-${s}` : ''}`;
}

export async function createCourse(db: Db, a: Actor, input: NewCourseInput): Promise<number> {
  leaderScope(a.principal, 'network.train');
  const unit = await unitInScope(db, a, 'network.train', parseId(input.unit));
  if (!unit) throw new FormRefused({ unit: 'err.unitScope' });
  const base = slugify(input.title);
  let slug = base;
  for (let i = 2; await repo.slugTaken(db, slug); i++) slug = `${base}-${i}`;
  return db.tx(async (tx) => {
    const id = await repo.insertCourse(tx, {
      slug,
      title: input.title,
      summary: input.summary,
      passMark: input.pass_mark,
      unitId: unit.id,
      by: a.principal.userId,
    });
    await recordAudit(
      tx,
      audit(a, 'network.course.create', 'network_course', id, unit.id, {
        slug,
        title: input.title,
        passMark: input.pass_mark,
      }),
    );
    return id;
  });
}

export async function saveCourse(db: Db, a: Actor, courseId: number, input: CourseInput): Promise<void> {
  const c = await editableCourse(db, a, courseId);
  const before = { title: c.title, summary: c.summary, passMark: c.pass_mark };
  const after = { title: input.title, summary: input.summary, passMark: input.pass_mark };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
  if (changed.length === 0) return;
  await db.tx(async (tx) => {
    await repo.updateCourse(tx, courseId, { ...after, by: a.principal.userId });
    await recordAudit(
      tx,
      audit(a, 'network.course.update', 'network_course', courseId, c.unit_id, {
        changed,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
        certificates: c.certificates,
      }),
    );
  });
}

export async function saveLesson(
  db: Db,
  a: Actor,
  courseId: number,
  lessonId: number | null,
  lesson: repo.LessonInput,
): Promise<number> {
  const c = await editableCourse(db, a, courseId);
  const existing = lessonId ? await repo.findLesson(db, courseId, lessonId) : undefined;
  if (lessonId && !existing) throw new NetworkError(404, 'ce.notFound');
  return db.tx(async (tx) => {
    if (existing) {
      await repo.updateLesson(tx, existing.id, lesson);
      await repo.touchCourse(tx, courseId, a.principal.userId);
      const changed = (['title', 'body', 'video_url', 'transcript'] as const).filter(
        (k) =>
          (existing[k] ?? null) !==
          { title: lesson.title, body: lesson.body, video_url: lesson.videoUrl, transcript: lesson.transcript }[k],
      );
      await recordAudit(
        tx,
        audit(a, 'network.lesson.update', 'network_lesson', existing.id, c.unit_id, {
          courseId,
          position: existing.position,
          title: lesson.title,
          changed,
        }),
      );
      return existing.id;
    }
    const l = await repo.insertLesson(tx, courseId, lesson);
    await repo.touchCourse(tx, courseId, a.principal.userId);
    await recordAudit(
      tx,
      audit(a, 'network.lesson.create', 'network_lesson', l.id, c.unit_id, {
        courseId,
        position: l.position,
        title: lesson.title,
      }),
    );
    return l.id;
  });
}

export async function moveLesson(db: Db, a: Actor, courseId: number, lessonId: number, dir: -1 | 1): Promise<void> {
  const c = await editableCourse(db, a, courseId);
  await db.tx(async (tx) => {
    const l = await repo.findLesson(tx, courseId, lessonId);
    if (!l) throw new NetworkError(404, 'ce.notFound');
    if (!(await repo.moveLesson(tx, courseId, l, dir))) return;
    await repo.touchCourse(tx, courseId, a.principal.userId);
    await recordAudit(
      tx,
      audit(a, 'network.lesson.move', 'network_lesson', lessonId, c.unit_id, {
        courseId,
        title: l.title,
        from: l.position,
        to: l.position + dir,
      }),
    );
  });
}

export async function removeLesson(db: Db, a: Actor, courseId: number, lessonId: number): Promise<void> {
  const c = await editableCourse(db, a, courseId);
  await db.tx(async (tx) => {
    const l = await repo.findLesson(tx, courseId, lessonId);
    if (!l) throw new NetworkError(404, 'ce.notFound');
    const progress = (await tx.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM network_lesson_progress WHERE lesson_id = $1`,
      [lessonId],
    ))!.n;
    await repo.deleteLesson(tx, courseId, lessonId);
    await repo.touchCourse(tx, courseId, a.principal.userId);
    await recordAudit(
      tx,
      audit(a, 'network.lesson.remove', 'network_lesson', lessonId, c.unit_id, {
        courseId,
        position: l.position,
        title: l.title,
        progressRemoved: progress,
      }),
    );
  });
}

/** A saved question as form values (options in the first slots). */
export function questionValues(q: repo.QuestionRow): Values {
  const v: Values = {
    kind: q.kind,
    prompt: q.prompt,
    explanation: q.explanation ?? '',
    correct: q.correct.map(String).join('\n'),
  };
  for (const i of OPTION_SLOTS) v[`opt${i}`] = q.options[i] ?? '';
  return v;
}

/** Saves a new question (`questionId` null) or an existing one from its form (questionSchema). */
export async function saveQuestion(
  db: Db,
  a: Actor,
  courseId: number,
  questionId: number | null,
  form: QuestionForm,
  locale: Locale,
): Promise<number> {
  const c = await editableCourse(db, a, courseId);
  const existing = questionId ? await repo.findQuestion(db, courseId, questionId) : undefined;
  if (questionId && !existing) throw new NetworkError(404, 'ce.notFound');
  const t = nt.t(locale);
  const question: repo.QuestionInput = { ...form, options: form.options ?? [t('tr.true'), t('tr.false')] };
  const id = await db.tx(async (tx) => {
    if (existing) {
      await repo.updateQuestion(tx, existing.id, question);
      await repo.touchCourse(tx, courseId, a.principal.userId);
      await recordAudit(
        tx,
        audit(a, 'network.question.update', 'network_question', existing.id, c.unit_id, {
          courseId,
          position: existing.position,
          before: {
            kind: existing.kind,
            prompt: existing.prompt,
            options: existing.options,
            correct: existing.correct,
          },
          after: { kind: question.kind, prompt: question.prompt, options: question.options, correct: question.correct },
        }),
      );
      return existing.id;
    }
    const q = await repo.insertQuestion(tx, courseId, question);
    await repo.touchCourse(tx, courseId, a.principal.userId);
    await recordAudit(
      tx,
      audit(a, 'network.question.create', 'network_question', q.id, c.unit_id, {
        courseId,
        position: q.position,
        prompt: question.prompt,
      }),
    );
    return q.id;
  });
  return id;
}

export async function moveQuestion(db: Db, a: Actor, courseId: number, questionId: number, dir: -1 | 1): Promise<void> {
  const c = await editableCourse(db, a, courseId);
  await db.tx(async (tx) => {
    const q = await repo.findQuestion(tx, courseId, questionId);
    if (!q) throw new NetworkError(404, 'ce.notFound');
    if (!(await repo.moveQuestion(tx, courseId, q, dir))) return;
    await repo.touchCourse(tx, courseId, a.principal.userId);
    await recordAudit(
      tx,
      audit(a, 'network.question.move', 'network_question', questionId, c.unit_id, {
        courseId,
        from: q.position,
        to: q.position + dir,
      }),
    );
  });
}

export async function removeQuestion(db: Db, a: Actor, courseId: number, questionId: number): Promise<void> {
  const c = await editableCourse(db, a, courseId);
  await db.tx(async (tx) => {
    const q = await repo.findQuestion(tx, courseId, questionId);
    if (!q) throw new NetworkError(404, 'ce.notFound');
    await repo.deleteQuestion(tx, courseId, questionId);
    await repo.touchCourse(tx, courseId, a.principal.userId);
    await recordAudit(
      tx,
      audit(a, 'network.question.remove', 'network_question', questionId, c.unit_id, {
        courseId,
        position: q.position,
        prompt: q.prompt,
      }),
    );
  });
}
