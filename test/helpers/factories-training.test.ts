/** The training factories: a course made through the course editor's services, assigned and taken through training's. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './app.js';
import { testDbKind } from './db.js';
import { type Account, makeCityStaff, makeMember, realCity, type STAFF_ROLES, type Unit } from './factories.js';
import { FIVE_STEPS, makeCourse, readLessons, takeCourseQuiz } from './factories-training.js';

const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);

describe(`training factories (${testDbKind()})`, () => {
  let t: TestApp;
  let units: Record<string, Unit>;
  let staff: Record<(typeof STAFF_ROLES)[number], Account>;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    units = await realCity(t.db);
    staff = await makeCityStaff(t.db, 'ft');
  });
  afterAll(async () => t?.close());

  it('a course: lessons and questions in order, audited as its author wrote them; an overdue assignment; a pass', async () => {
    const course = await makeCourse(t.db, {
      by: staff.editor.id,
      unit: units['46'],
      assign: [{ unit: units['19789'], due: iso(-3) }],
    });
    expect(course.lessons.length).toBe(3);
    expect(course.questions.length).toBe(4);
    const lessons = await t.db.query<{ title: string; video_url: string | null }>(
      `SELECT title, video_url FROM network_lessons WHERE course_id = $1 ORDER BY position`,
      [course.id],
    );
    expect(lessons.map((l) => l.title)).toEqual(FIVE_STEPS.lessons.map((l) => l.title));
    expect(lessons[1].video_url).toBe('https://www.youtube.com/watch?v=kiem-chung');
    const tf = await t.db.one<{ options: string[]; correct: number[] }>(
      `SELECT options, correct FROM network_questions WHERE id = $1`,
      [course.questions[1]],
    );
    expect(tf).toEqual({ options: ['Đúng', 'Sai'], correct: [1] });
    const audits = await t.db.query<{ action: string; actor_label: string }>(
      `SELECT action, actor_label FROM audit_log
       WHERE (action = 'network.course.create' AND entity_id::text = $1) OR (action = 'network.course.assign' AND data->>'courseId' = $1)
       ORDER BY id`,
      [String(course.id)],
    );
    expect(audits).toEqual([
      { action: 'network.course.create', actor_label: staff.editor.email },
      { action: 'network.course.assign', actor_label: staff.editor.email },
    ]);
    const due = await t.db.one<{ due: string }>(
      `SELECT due_date::text AS due FROM network_assignments WHERE course_id = $1`,
      [course.id],
    );
    expect(due!.due).toBe(iso(-3));

    const member = await makeMember(t.db, { email: 'hocvien@ft.test', unit: units['19789'] });
    await readLessons(t.db, member, course.id, [1, 2]);
    expect(await takeCourseQuiz(t.db, member, course.id, { pass: false })).toBeNull();
    const code = await takeCourseQuiz(t.db, member, course.id, { pass: true });
    expect(code).toMatch(/^CN-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    const page = await t.client().get(`/network/certificates/${code}`);
    expect(page.text).toContain(FIVE_STEPS.title);
  });
});
