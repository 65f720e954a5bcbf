/** Training: assigning courses, lessons and quizzes for members, certificates, completion by unit. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { inSubtree, type Actor } from '../../../platform/auth/permissions.js';
import { localDate } from '../../../platform/i18n/index.js';
import { findUnitById } from '../../../platform/units/repo.js';
import type { NetKey } from '../i18n.js';
import * as repo from '../repo.js';
import { FormRefused, leaderScope, NetworkError, requireMember } from './common.js';
import type { AssignInput } from './forms.js';
import { audit } from './internal.js';
import { parseId } from '../../../platform/ids.js';

/**
 * Assigns a course (with lessons and questions) to a group (`target` = g:ID) or else the unit chosen with the picker,
 * in the trainer's scope; a refusal is said beside the field the target was chosen with.
 */
export async function assignCourse(db: Db, a: Actor, input: AssignInput): Promise<void> {
  const scope = leaderScope(a.principal, 'network.train');
  const unit = parseId(input.target_unit);
  const target = input.target || (unit ? `u:${unit}` : '');
  const errors: Partial<Record<string, NetKey | 'field.invalidChoice'>> = {};
  const courseId = parseId(input.course);
  const course = courseId ? await repo.findCourse(db, courseId) : undefined;
  if (!course) errors.course = 'field.invalidChoice';
  else if (course.lessons === 0 || course.questions === 0) errors.course = 'ce.err.incomplete';
  let unitId: number | null = null;
  let groupId: number | null = null;
  const [kind, rawId] = target.split(':');
  const targetId = parseId(rawId);
  if (kind === 'u' && targetId) {
    const u = await findUnitById(db, targetId);
    if (u && scope.some((s) => inSubtree(u.path, s))) unitId = u.id;
  } else if (kind === 'g' && targetId) {
    const g = await repo.findGroup(db, targetId);
    if (g && scope.some((s) => inSubtree(g.path, s))) groupId = g.id;
  }
  if (!unitId && !groupId)
    errors[input.target.startsWith('g:') ? 'target' : 'target_unit'] = target ? 'err.unitScope' : 'err.noTargets';
  if (Object.keys(errors).length) throw new FormRefused(errors);
  await db.tx(async (tx) => {
    const id = await repo.insertAssignment(tx, {
      courseId: course!.id,
      unitId,
      groupId,
      dueDate: input.due,
      by: a.principal.userId,
    });
    await recordAudit(
      tx,
      audit(a, 'network.course.assign', 'network_assignment', id, unitId, {
        courseId: course!.id,
        groupId,
        due: input.due,
      }),
    );
  });
}

export async function courseForMember(db: Db, a: Actor, courseId: number) {
  requireMember(a.principal);
  const assigned = (await repo.assignedCoursesFor(db, a.principal.userId)).find((c) => c.id === courseId);
  if (!assigned) throw new NetworkError(404, 'feed.noTraining');
  const [lessons, done, questions] = await Promise.all([
    repo.lessonsOf(db, courseId),
    repo.doneLessons(db, a.principal.userId, courseId),
    repo.questionsOf(db, courseId),
  ]);
  return { course: assigned, lessons, done: new Set(done.map((d) => d.lesson_id)), questions };
}

export async function markLessonDone(db: Db, a: Actor, courseId: number, position: number): Promise<number | null> {
  const { lessons } = await courseForMember(db, a, courseId);
  const l = lessons.find((x) => x.position === position);
  if (!l) throw new NetworkError(404, 'feed.noTraining');
  await repo.completeLesson(db, a.principal.userId, l.id);
  return lessons.find((x) => x.position === position + 1)?.position ?? null;
}

export interface Graded {
  score: number;
  passed: boolean;
  results: Record<number, boolean>;
  certificate: string | null;
}

export function gradeAnswers(
  questions: repo.QuestionRow[],
  answers: Record<number, number[]>,
): { score: number; results: Record<number, boolean> } {
  const results: Record<number, boolean> = {};
  let right = 0;
  for (const q of questions) {
    const a = [...new Set(answers[q.id] ?? [])].sort();
    const c = [...q.correct].sort();
    results[q.id] = a.length === c.length && a.every((x, i) => x === c[i]);
    if (results[q.id]) right++;
  }
  return { score: questions.length ? Math.round((right / questions.length) * 100) : 0, results };
}

/** Grades a quiz (answers as quizSchema gives them: q{ID} -> option indexes) and issues a certificate on a pass. */
export async function takeQuiz(db: Db, a: Actor, courseId: number, input: Record<string, number[]>): Promise<Graded> {
  const { course, questions } = await courseForMember(db, a, courseId);
  const answers: Record<number, number[]> = {};
  for (const q of questions) answers[q.id] = input[`q${q.id}`] ?? [];
  const { score, results } = gradeAnswers(questions, answers);
  const passed = score >= course.pass_mark;
  const certificate = await db.tx(async (tx) => {
    await repo.insertAttempt(tx, a.principal.userId, courseId, score, passed);
    if (!passed) return null;
    const code = randomBytes(6)
      .toString('hex')
      .toUpperCase()
      .replace(/(.{4})(.{4})(.{4})/, 'CN-$1-$2-$3');
    const issued = await repo.issueCertificate(tx, code, a.principal.userId, courseId, score);
    await recordAudit(
      tx,
      audit(a, 'network.certificate.issue', 'network_certificate', issued, null, { courseId, score }),
    );
    return issued;
  });
  return { score, passed, results, certificate };
}

export async function completionByUnit(db: Db, a: Actor) {
  const scope = leaderScope(a.principal, 'network.lead');
  const rows = await repo.completionInPaths(db, scope);
  const today = localDate(new Date());
  const byUnit = new Map<
    number,
    {
      unit_id: number;
      unit_name: string;
      unit_name_en: string | null;
      assigned: number;
      completed: number;
      overdue: number;
    }
  >();
  const overdue: repo.CompletionRow[] = [];
  for (const r of rows) {
    const u = byUnit.get(r.unit_id) ?? {
      unit_id: r.unit_id,
      unit_name: r.unit_name,
      unit_name_en: r.unit_name_en,
      assigned: 0,
      completed: 0,
      overdue: 0,
    };
    u.assigned++;
    if (r.passed_at) u.completed++;
    else if (r.due_date < today) {
      u.overdue++;
      overdue.push(r);
    }
    byUnit.set(r.unit_id, u);
  }
  return { units: [...byUnit.values()], overdue };
}
