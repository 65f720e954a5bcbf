/** Network training factories: courses built the way the course editor builds them, and members taking them. */
import type { Db } from '../../src/db/client.js';
import * as repo from '../../src/modules/network/repo.js';
import {
  assignCourse,
  createCourse,
  markLessonDone,
  saveLesson,
  saveQuestion,
  takeQuiz,
} from '../../src/modules/network/service.js';
import { lessonSchema, newCourseSchema, questionSchema } from '../../src/modules/network/service/forms.js';
import { actorOf, type Unit } from './factories.js';

export interface LessonSpec {
  title: string;
  /** Markdown, as typed in the editor */
  body: string;
  video?: string;
  transcript?: string;
}

export interface QuestionSpec {
  kind: 'single' | 'multiple' | 'truefalse';
  prompt: string;
  /** none for a true/false question: its two options (Đúng, Sai) */
  options?: string[];
  /** indexes of the right options */
  correct: number[];
  explanation?: string;
}

/** A course's target: a unit (and every unit under it) or a group, due on `due` (YYYY-MM-DD). */
export interface AssignSpec {
  unit?: Unit;
  group?: number;
  due: string;
}

/** "Kiểm chứng một thông tin trong 5 bước": three lessons (an image in the first, a video in the second), four questions. */
export const FIVE_STEPS = {
  title: 'Kiểm chứng một thông tin trong 5 bước',
  summary: 'Trước khi chia sẻ, dành hai phút để kiểm tra: ai nói, nói ở đâu, khi nào, có bằng chứng gì.',
  passMark: 75,
  lessons: [
    {
      title: 'Dừng lại trước khi chia sẻ',
      body: 'Tin giả đánh vào cảm xúc. Bước đầu tiên là **dừng lại**.\n\n![Năm bước kiểm chứng](/network/assets/five-steps.svg)',
    },
    {
      title: 'Tìm nguồn gốc và thời điểm',
      body: '**Ai nói?** Tìm văn bản gốc. **Khi nào?** Xem ngày đăng.',
      video: 'https://www.youtube.com/watch?v=kiem-chung',
      transcript: 'Trong bài này, chúng ta học cách tìm nguồn gốc của một tin.',
    },
    { title: 'Bằng chứng và đối chiếu', body: 'Tìm cùng thông tin trên ít nhất hai nguồn độc lập.' },
  ],
  questions: [
    {
      kind: 'single',
      prompt: 'Bạn nhận được tin "Chia sẻ ngay trước khi bị xóa!". Việc đầu tiên nên làm là gì?',
      options: ['Chia sẻ ngay', 'Dừng lại và kiểm tra nguồn', 'Bình luận hỏi mọi người'],
      correct: [1],
      explanation: 'Lời thúc giục chia sẻ gấp là dấu hiệu đáng ngờ.',
    },
    { kind: 'truefalse', prompt: 'Ảnh chụp màn hình một văn bản là nguồn tin đủ tin cậy.', correct: [1] },
    {
      kind: 'multiple',
      prompt: 'Những gì giúp xác định thời điểm của một bức ảnh?',
      options: ['Thời tiết trong ảnh', 'Biển hiệu, biển số xe', 'Số lượt thích', 'Tìm kiếm ngược bằng hình ảnh'],
      correct: [0, 1, 3],
    },
    {
      kind: 'single',
      prompt: 'Nếu đã kiểm tra mà vẫn không chắc, bạn nên…',
      options: ['Chia sẻ kèm chữ "chưa kiểm chứng"', 'Không chia sẻ và gửi cho bộ phận kiểm chứng'],
      correct: [1],
    },
  ] satisfies QuestionSpec[],
};

/**
 * A course owned by `unit`, written by `by` (who runs training there) through the course editor's services, each
 * field parsed by the editor's own form schema: the course, then its lessons and questions in order (FIVE_STEPS's by
 * default). With `assign`, `by` assigns it to each target through the training service; the due date is not held to
 * "from today" (the form's rule, not the service's), so an assignment already overdue can be made.
 */
export async function makeCourse(
  db: Db,
  o: {
    by: number;
    unit: Unit;
    title?: string;
    summary?: string;
    passMark?: number;
    lessons?: LessonSpec[];
    questions?: QuestionSpec[];
    assign?: AssignSpec[];
  },
): Promise<{ id: number; lessons: number[]; questions: number[] }> {
  const by = await actorOf(db, o.by);
  const id = await createCourse(
    db,
    by,
    newCourseSchema.parse({
      title: o.title ?? FIVE_STEPS.title,
      summary: o.summary ?? FIVE_STEPS.summary,
      pass_mark: String(o.passMark ?? FIVE_STEPS.passMark),
      unit: String(o.unit.id),
    }),
  );
  const lessons: number[] = [];
  for (const l of o.lessons ?? FIVE_STEPS.lessons) {
    const form = lessonSchema.parse({
      title: l.title,
      body: l.body,
      video_url: l.video ?? '',
      transcript: l.transcript ?? '',
    });
    lessons.push(await saveLesson(db, by, id, null, form.lesson));
  }
  const questions: number[] = [];
  for (const q of o.questions ?? FIVE_STEPS.questions) {
    const slots = Object.fromEntries((q.options ?? []).map((text, i) => [`opt${i}`, text]));
    const form = questionSchema.parse({
      kind: q.kind,
      prompt: q.prompt,
      explanation: q.explanation ?? '',
      ...slots,
      correct: q.correct.map(String),
    });
    questions.push(await saveQuestion(db, by, id, null, form, 'vi'));
  }
  for (const a of o.assign ?? []) {
    await assignCourse(db, by, {
      course: String(id),
      target: a.group ? `g:${a.group}` : '',
      target_unit: a.unit ? String(a.unit.id) : '',
      due: a.due,
    });
  }
  return { id, lessons, questions };
}

/** The member `userId` marks the lessons at `positions` of an assigned course read, through the training service. */
export async function readLessons(db: Db, userId: number, courseId: number, positions: number[]): Promise<void> {
  const member = await actorOf(db, userId);
  for (const p of positions) await markLessonDone(db, member, courseId, p);
}

/**
 * The member `userId` takes an assigned course's quiz through the training service, answering every question right
 * (a pass and a certificate) or every one wrong. Returns the certificate's code on a pass.
 */
export async function takeCourseQuiz(
  db: Db,
  userId: number,
  courseId: number,
  o: { pass: boolean },
): Promise<string | null> {
  const answers: Record<string, number[]> = {};
  for (const q of await repo.questionsOf(db, courseId))
    answers[`q${q.id}`] = o.pass ? q.correct : [(q.correct[0] + 1) % q.options.length];
  const graded = await takeQuiz(db, await actorOf(db, userId), courseId, answers);
  return graded.certificate;
}
