import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkModule } from '../../src/modules/network/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { type Account, makeCityStaff, makeMember, makeUser, realCity, type Unit } from '../helpers/factories.js';
import { makeCourse, takeCourseQuiz } from '../helpers/factories-training.js';

const CE = '/network/manage/training/courses';
const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);

describe(`network course editor (${testDbKind()})`, () => {
  let t: TestApp;
  let courseId = 0;
  let city: Record<string, Unit>;
  let staff: Record<'admin' | 'editor' | 'reviewer' | 'handler' | 'member', Account>;
  /** A course of the city's that two members have passed. */
  let passedId = 0;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    city = await realCity(t.db);
    staff = await makeCityStaff(t.db, 'course-editor');
    passedId = (
      await makeCourse(t.db, { by: staff.editor.id, unit: city['46'], assign: [{ unit: city['46'], due: iso(14) }] })
    ).id;
    for (const email of ['thanhvien1@course-editor.test', 'thanhvien2@course-editor.test']) {
      const member = await makeMember(t.db, { email, unit: city['19789'] });
      await takeCourseQuiz(t.db, member, passedId, { pass: true });
    }
  });
  afterAll(() => t?.close());

  const audits = (action: string) =>
    t.db.query<{ actor_label: string; entity_id: string; data: Record<string, unknown> }>(
      `SELECT actor_label, entity_id::text AS entity_id, data FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    );
  const editor = async () => {
    const c = t.client();
    await c.signIn(staff.editor.email);
    return c;
  };

  it('refuses a bad new course beside each field, keeps what was typed, then creates it (audited)', async () => {
    const c = await editor();
    const form = await c.get(`${CE}/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Tạo khóa học');
    const unit = city['46'];
    const bad = await c.post(CE, {
      title: 'Chống tin giả mùa bão',
      summary: '',
      pass_mark: '150',
      unit: String(unit.id),
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('value="Chống tin giả mùa bão"');
    expect(bad.text).toMatch(/id="f-summary"[^>]*aria-invalid="true"/);
    expect(bad.text).toContain('Trường này là bắt buộc.');
    expect(bad.text).toContain('Nhập một số nguyên từ 1 đến 100.');
    expect(bad.text).toContain('value="150"');
    expect(await t.db.one(`SELECT 1 FROM network_courses WHERE title = 'Chống tin giả mùa bão'`)).toBeUndefined();

    const ok = await c.post(CE, {
      title: 'Chống tin giả mùa bão',
      summary: 'Nhận ra tin giả về bão lũ và nơi xem thông tin chính thức.',
      pass_mark: '80',
      unit: String(unit.id),
    });
    expect(ok.status).toBe(303);
    courseId = Number(ok.location!.match(/courses\/(\d+)/)![1]);
    const page = await c.get(ok.location!);
    expect(page.text).toContain('Đã tạo khóa học. Hãy thêm bài học và câu hỏi.');
    expect(page.text).toContain('Chưa có bài học nào.');
    const row = await t.db.one<{ slug: string; pass_mark: number }>(
      `SELECT slug, pass_mark FROM network_courses WHERE id = $1`,
      [courseId],
    );
    expect(row).toEqual({ slug: 'chong-tin-gia-mua-bao', pass_mark: 80 });
    const a = (await audits('network.course.create')).at(-1)!;
    expect(a.actor_label).toBe(staff.editor.email);
    expect(a.entity_id).toBe(String(courseId));
    // an empty course cannot be assigned yet
    const assign = await c.post('/network/manage/training/assign', {
      course: String(courseId),
      target: `u:${unit.id}`,
      due: iso(5),
    });
    expect(assign.status).toBe(422);
    expect(assign.text).toContain('Khóa học cần ít nhất một bài học và một câu hỏi trước khi giao.');
  });

  it('adds lessons with validation kept, previews one unsaved and saved as members see it, and reorders them', async () => {
    const c = await editor();
    await c.get(`${CE}/${courseId}/lessons/new`);
    const bad = await c.post(`${CE}/${courseId}/lessons`, {
      title: '',
      body: 'Nội dung **đậm**',
      video_url: 'javascript:alert(1)',
      transcript: '',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Nội dung **đậm**');
    expect(bad.text).toContain('Liên kết phải bắt đầu bằng http:// hoặc https://.');
    expect(bad.text).toMatch(/id="f-title"[^>]*aria-invalid="true"/);

    const preview = await c.post(`${CE}/${courseId}/lessons`, {
      title: 'Ảnh bão cũ',
      body: 'Ảnh **cũ** được đăng lại.',
      video_url: '',
      transcript: '',
      preview: '1',
    });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Xem trước — nội dung này chưa được lưu.');
    expect(preview.text).toContain('<strong>cũ</strong>');
    expect(preview.text).toContain('value="Ảnh bão cũ"');
    expect((await t.db.query(`SELECT 1 FROM network_lessons WHERE course_id = $1`, [courseId])).length).toBe(0);

    for (const [title, body] of [
      ['Ảnh bão cũ', 'Ảnh **cũ** được đăng lại.'],
      ['Nguồn chính thức', 'Xem trang của Ban chỉ huy phòng chống thiên tai.'],
      ['Khi nào nên chờ', 'Nếu chưa chắc, hãy chờ.'],
    ]) {
      const r = await c.post(`${CE}/${courseId}/lessons`, {
        title,
        body,
        video_url: title === 'Nguồn chính thức' ? 'https://www.youtube.com/watch?v=abc' : '',
        transcript: title === 'Nguồn chính thức' ? 'Lời thoại mẫu.' : '',
      });
      expect(r.status).toBe(303);
    }
    const lessons = await t.db.query<{ id: number; title: string }>(
      `SELECT id, title FROM network_lessons WHERE course_id = $1 ORDER BY position`,
      [courseId],
    );
    expect(lessons.map((l) => l.title)).toEqual(['Ảnh bão cũ', 'Nguồn chính thức', 'Khi nào nên chờ']);
    const saved = await c.get(`${CE}/${courseId}/lessons/${lessons[1].id}/preview`);
    expect(saved.text).toContain('Xem trước: thành viên thấy bài học như dưới đây.');
    expect(saved.text).toContain('Xem video');
    expect(saved.text).toContain('Lời thoại mẫu.');
    expect(saved.text).toContain('2/3');

    // move the last one up, then the first one down
    expect((await c.post(`${CE}/${courseId}/lessons/${lessons[2].id}/up`, {})).status).toBe(303);
    const down = await c.post(`${CE}/${courseId}/lessons/${lessons[0].id}/down`, {});
    const page = await c.get(down.location!);
    expect(page.text).toContain('Đã đổi thứ tự.');
    expect(page.text).toMatch(/Khi nào nên chờ[^]*Ảnh bão cũ[^]*Nguồn chính thức/);
    const order = await t.db.query<{ title: string }>(
      `SELECT title FROM network_lessons WHERE course_id = $1 ORDER BY position`,
      [courseId],
    );
    expect(order.map((l) => l.title)).toEqual(['Khi nào nên chờ', 'Ảnh bão cũ', 'Nguồn chính thức']);
    const moves = await audits('network.lesson.move');
    expect(moves.length).toBe(2);
    expect(moves[0].data).toMatchObject({ courseId, from: 3, to: 2, title: 'Khi nào nên chờ' });

    // edit one, remove one: positions close up
    const edit = await c.get(`${CE}/${courseId}/lessons/${lessons[1].id}`);
    expect(edit.text).toContain('value="Nguồn chính thức"');
    expect(
      (
        await c.post(`${CE}/${courseId}/lessons/${lessons[1].id}`, {
          title: 'Nguồn tin chính thức',
          body: 'Trang của tỉnh.',
          video_url: '',
          transcript: '',
        })
      ).status,
    ).toBe(303);
    expect((await c.post(`${CE}/${courseId}/lessons/${lessons[0].id}/remove`, {})).status).toBe(303);
    const after = await t.db.query<{ title: string; position: number }>(
      `SELECT title, position FROM network_lessons WHERE course_id = $1 ORDER BY position`,
      [courseId],
    );
    expect(after).toEqual([
      { title: 'Khi nào nên chờ', position: 1 },
      { title: 'Nguồn tin chính thức', position: 2 },
    ]);
    expect((await audits('network.lesson.update')).at(-1)!.data).toMatchObject({
      courseId,
      title: 'Nguồn tin chính thức',
      changed: ['title', 'body', 'video_url', 'transcript'],
    });
    expect((await audits('network.lesson.remove')).at(-1)!.data).toMatchObject({ courseId, title: 'Ảnh bão cũ' });
  });

  it('adds quiz questions with options and the right answer, refusing bad ones beside the field with what was typed', async () => {
    const c = await editor();
    const form = await c.get(`${CE}/${courseId}/questions/new`);
    expect(form.text).toContain('Lựa chọn 6');
    const bad = await c.post(`${CE}/${courseId}/questions`, {
      kind: 'single',
      prompt: 'Ảnh bão năm ngoái được đăng lại là…',
      opt0: 'Tin mới',
      opt1: 'Tin cũ gán chuyện mới',
      correct: ['0', '1'],
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Loại câu hỏi này chỉ có một đáp án đúng.');
    expect(bad.text).toContain('value="Tin cũ gán chuyện mới"');
    expect(bad.text).toMatch(/name="correct" value="1" checked/);
    const none = await c.post(`${CE}/${courseId}/questions`, {
      kind: 'multiple',
      prompt: 'Chọn',
      opt0: 'Một',
      correct: '3',
    });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Cần ít nhất 2 lựa chọn.');
    const gap = await c.post(`${CE}/${courseId}/questions`, {
      kind: 'multiple',
      prompt: 'Chọn',
      opt0: 'Một',
      opt1: 'Hai',
      correct: '4',
    });
    expect(gap.text).toContain('Đáp án đúng được đánh dấu ở một lựa chọn còn trống.');

    // empty slots in between are closed up and the right answers follow their options
    const ok = await c.post(`${CE}/${courseId}/questions`, {
      kind: 'multiple',
      prompt: 'Đâu là nguồn chính thức?',
      opt0: 'Cổng thông tin tỉnh',
      opt2: 'Tài khoản lạ',
      opt4: 'Trang Ban chỉ huy',
      correct: ['0', '4'],
      explanation: 'Tên miền .gov.vn',
    });
    expect(ok.status).toBe(303);
    const tf = await c.post(`${CE}/${courseId}/questions`, {
      kind: 'truefalse',
      prompt: 'Nên chia sẻ ngay khi thấy tin bão.',
      correct: '1',
    });
    expect(tf.status).toBe(303);
    const qs = await t.db.query<{
      id: number;
      kind: string;
      options: string[];
      correct: number[];
      explanation: string | null;
    }>(`SELECT id, kind, options, correct, explanation FROM network_questions WHERE course_id = $1 ORDER BY position`, [
      courseId,
    ]);
    expect(qs.map(({ kind, options, correct, explanation }) => ({ kind, options, correct, explanation }))).toEqual([
      {
        kind: 'multiple',
        options: ['Cổng thông tin tỉnh', 'Tài khoản lạ', 'Trang Ban chỉ huy'],
        correct: [0, 2],
        explanation: 'Tên miền .gov.vn',
      },
      { kind: 'truefalse', options: ['Đúng', 'Sai'], correct: [1], explanation: null },
    ]);
    const page = await c.get(`${CE}/${courseId}`);
    expect(page.text).toContain('Trang Ban chỉ huy (đúng)');
    // edit form comes back filled in, reorder, audit
    const edit = await c.get(`${CE}/${courseId}/questions/${qs[0].id}`);
    expect(edit.text).toContain('value="Trang Ban chỉ huy"');
    expect(edit.text).toMatch(/name="correct" value="2" checked/);
    expect((await c.post(`${CE}/${courseId}/questions/${qs[1].id}/up`, {})).status).toBe(303);
    const order = await t.db.query<{ id: number }>(
      `SELECT id FROM network_questions WHERE course_id = $1 ORDER BY position`,
      [courseId],
    );
    expect(order.map((q) => q.id)).toEqual([qs[1].id, qs[0].id]);
    // this course's two (the course built in beforeAll audited its own questions too)
    expect((await audits('network.question.create')).filter((a) => a.data.courseId === courseId).length).toBe(2);
    expect((await audits('network.question.move')).at(-1)!.data).toMatchObject({ courseId, from: 2, to: 1 });
  });

  it('edits a course members have passed without touching their certificates, says so on the page, and audits the change', async () => {
    const c = await editor();
    const course = await t.db.one<{ id: number; title: string }>(
      `SELECT id, title FROM network_courses WHERE id = $1`,
      [passedId],
    );
    const cert = await t.db.one<{ code: string }>(
      `SELECT code FROM network_certificates WHERE course_id = $1 LIMIT 1`,
      [course!.id],
    );
    expect(cert).toBeDefined();
    const n = (await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM network_certificates WHERE course_id = $1`,
      [course!.id],
    ))!.n;
    const page = await c.get(`${CE}/${course!.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      `${n} chứng nhận đã được cấp cho khóa học này. Sửa khóa học không làm mất hiệu lực chứng nhận nào`,
    );
    const bad = await c.post(`${CE}/${course!.id}`, {
      title: 'Kiểm chứng 5 bước (bản 2)',
      summary: 'x',
      pass_mark: '90',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('value="Kiểm chứng 5 bước (bản 2)"');
    expect(bad.text).toContain('Tối thiểu 3 ký tự.');
    const ok = await c.post(`${CE}/${course!.id}`, {
      title: 'Kiểm chứng 5 bước (bản 2)',
      summary: 'Bản cập nhật.',
      pass_mark: '90',
    });
    expect(ok.status).toBe(303);
    expect((await c.get(ok.location!)).text).toContain('Đã lưu thay đổi.');
    // remove a question and a lesson too
    const q = await t.db.one<{ id: number }>(
      `SELECT id FROM network_questions WHERE course_id = $1 ORDER BY position LIMIT 1`,
      [course!.id],
    );
    expect((await c.post(`${CE}/${course!.id}/questions/${q!.id}/remove`, {})).status).toBe(303);
    const still = await t.client().get(`/network/certificates/${cert!.code}`);
    expect(still.status).toBe(200);
    expect(still.text).toContain(course!.title);
    expect(still.text).not.toContain('bản 2');
    expect(
      (await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM network_certificates WHERE course_id = $1`, [
        course!.id,
      ]))!.n,
    ).toBe(n);
    const a = (await audits('network.course.update')).at(-1)!;
    expect(a.data).toMatchObject({
      changed: ['title', 'summary', 'passMark'],
      before: { title: course!.title, passMark: 75 },
      after: { title: 'Kiểm chứng 5 bước (bản 2)', passMark: 90 },
      certificates: n,
    });
    // the training page links to the editor
    expect((await c.get('/network/manage/training')).text).toContain(`href="${CE}/${course!.id}"`);
  });

  it('keeps the editor to staff who run training for the course’s unit', async () => {
    const m = t.client();
    await m.signIn(staff.member.email);
    expect((await m.get(`${CE}/${courseId}`)).status).toBe(403);
    expect((await m.post(`${CE}/${courseId}/lessons`, { title: 'x', body: 'y' })).status).toBe(403);
    // a ward leader may create courses for the ward, but not edit the province's
    const ward = city['19789'];
    await makeUser(t.db, { email: 'daotao@course-editor.test', name: 'Cán Bộ Phường', role: 'editor', unit: ward });
    const w = t.client();
    await w.signIn('daotao@course-editor.test');
    expect((await w.get(`${CE}/${courseId}`)).status).toBe(403);
    const province = city['46'];
    await w.get(`${CE}/new`);
    const out = await w.post(CE, {
      title: 'Khóa của phường',
      summary: 'Dành cho phường.',
      pass_mark: '70',
      unit: String(province.id),
    });
    expect(out.status).toBe(422);
    expect(out.text).toContain('Bạn không phụ trách đơn vị này.');
    const mine = await w.post(CE, {
      title: 'Khóa của phường',
      summary: 'Dành cho phường.',
      pass_mark: '70',
      unit: String(ward.id),
    });
    expect(mine.status).toBe(303);
    expect((await w.get(mine.location!)).status).toBe(200);
    expect((await t.client().get(`${CE}/${courseId}`)).status).toBe(303);
  });

  it('still imports a course from a file on the command line, audited, and the page then shows it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'course-'));
    const file = path.join(dir, 'course.json');
    await writeFile(
      file,
      JSON.stringify({
        slug: 'tu-tep',
        title: 'Khóa học từ tệp',
        summary: 'Nhập bằng dòng lệnh.',
        passMark: 60,
        lessons: [{ title: 'Bài một', body: 'Nội dung.' }],
        questions: [{ kind: 'truefalse', prompt: 'Đúng không?', options: ['Đúng', 'Sai'], correct: [0] }],
      }),
    );
    const lines: string[] = [];
    const code = await networkModule.cli!['network-import-course'].run({
      deps: t.deps,
      args: [file],
      flags: {},
      out: (s) => lines.push(s),
    });
    expect(code ?? 0).toBe(0);
    expect(lines.join('\n')).toMatch(/course tu-tep saved \(id \d+\)/);
    const id = Number(lines.join('').match(/id (\d+)/)![1]);
    expect((await audits('network.course.import')).at(-1)).toMatchObject({ actor_label: 'cli', entity_id: String(id) });
    const c = await editor();
    const page = await c.get(`${CE}/${id}`);
    expect(page.text).toContain('value="Khóa học từ tệp"');
    expect(page.text).toContain('Bài một');
    await rm(dir, { recursive: true, force: true });
  });

  it('speaks English', async () => {
    const c = await editor();
    await c.get(`/lang/en?next=${CE}/${courseId}`);
    const page = await c.get(`${CE}/${courseId}`);
    expect(page.text).toContain('What changes affect');
    expect(page.text).toContain('Add a lesson');
    const bad = await c.post(`${CE}/${courseId}/questions`, { kind: 'single', prompt: 'Q', opt0: 'A', opt1: 'B' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Tick the right answer.');
  });
});
