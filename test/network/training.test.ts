import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeAnswers, parseCsv } from '../../src/modules/network/service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { type Account, makeCityStaff, makeMember, realCity, type Unit } from '../helpers/factories.js';
import { makeCourse, readLessons, takeCourseQuiz } from '../helpers/factories-training.js';

const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);

describe(`network training: lessons, quizzes, certificates (${testDbKind()})`, () => {
  let t: TestApp;
  let courseId = 0;
  let deepId = 0;
  let phuXuan: Unit;
  let staff: Record<'admin' | 'editor' | 'reviewer' | 'handler' | 'member', Account>;
  let questions: { id: number; kind: string; correct: number[]; options: string[] }[];
  beforeAll(async () => {
    t = await testApp({ demo: false });
    const city = await realCity(t.db);
    phuXuan = city['19753'];
    staff = await makeCityStaff(t.db, 'training');
    // the five-step course for the whole city, its first lesson read by the member (on Phú Xuân)
    courseId = (
      await makeCourse(t.db, { by: staff.editor.id, unit: city['46'], assign: [{ unit: city['46'], due: iso(14) }] })
    ).id;
    await readLessons(t.db, staff.member.id, courseId, [1]);
    // a course for Thuận Hoá only, due a week ago: one of its two members has passed it
    deepId = (
      await makeCourse(t.db, {
        by: staff.editor.id,
        unit: city['46'],
        title: 'Nhận biết ảnh bị chỉnh sửa và video giả (deepfake)',
        summary: 'Ảnh cũ gán chuyện mới, ảnh ghép và video giả mặt: cách nhận ra.',
        passMark: 70,
        lessons: [{ title: 'Ảnh cũ, ảnh ghép', body: 'Tìm kiếm ngược bằng hình ảnh.' }],
        questions: [{ kind: 'truefalse', prompt: 'Mọi ảnh gây hiểu lầm đều đã bị chỉnh sửa.', correct: [1] }],
        assign: [{ unit: city['19789'], due: iso(-7) }],
      })
    ).id;
    const passed = await makeMember(t.db, { email: 'thanhvien1@training.test', unit: city['19789'] });
    await makeMember(t.db, { email: 'thanhvien2@training.test', unit: city['19789'] });
    await takeCourseQuiz(t.db, passed, deepId, { pass: true });
    questions = await t.db.query(
      `SELECT id, kind, correct, options FROM network_questions WHERE course_id = $1 ORDER BY position`,
      [courseId],
    );
  });
  afterAll(() => t?.close());

  it('grades single, multiple and true/false questions exactly', () => {
    const qs = [
      {
        id: 1,
        course_id: 1,
        position: 1,
        kind: 'single' as const,
        prompt: '',
        options: ['a', 'b'],
        correct: [1],
        explanation: null,
      },
      {
        id: 2,
        course_id: 1,
        position: 2,
        kind: 'multiple' as const,
        prompt: '',
        options: ['a', 'b', 'c'],
        correct: [0, 2],
        explanation: null,
      },
      {
        id: 3,
        course_id: 1,
        position: 3,
        kind: 'truefalse' as const,
        prompt: '',
        options: ['Đúng', 'Sai'],
        correct: [0],
        explanation: null,
      },
    ];
    expect(gradeAnswers(qs, { 1: [1], 2: [2, 0], 3: [0] }).score).toBe(100);
    expect(gradeAnswers(qs, { 1: [1], 2: [0], 3: [0] }).score).toBe(67); // a partly right multiple choice is wrong
    expect(gradeAnswers(qs, { 1: [0], 2: [0, 1, 2], 3: [1] }).results).toEqual({ 1: false, 2: false, 3: false });
    expect(parseCsv('a;"b;c";d\r\n"x ""y""";z')).toEqual([
      ['a', 'b;c', 'd'],
      ['x "y"', 'z'],
    ]);
  });

  it('shows lessons with images, video and transcript, and saves progress per lesson', async () => {
    const c = t.client();
    await c.signIn(staff.member.email);
    const course = await c.get(`/network/training/${courseId}`);
    expect(course.status).toBe(200);
    expect(course.text).toContain('1/3 bài');
    const l1 = await c.get(`/network/training/${courseId}/lessons/1`);
    expect(l1.text).toContain('<img src="/network/assets/five-steps.svg"');
    const img = await c.get('/network/assets/five-steps.svg');
    expect(img.headers.get('content-type')).toContain('image/svg+xml');
    const l2 = await c.get(`/network/training/${courseId}/lessons/2`);
    expect(l2.text).toContain('Xem video');
    expect(l2.text).toContain('Lời thoại của video');
    const done = await c.post(`/network/training/${courseId}/lessons/2/done`, {});
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/network/training/${courseId}/lessons/3`);
    expect((await c.get(`/network/training/${courseId}`)).text).toContain('2/3 bài');
    // a course not assigned to this member
    expect((await c.get(`/network/training/${deepId}`)).status).toBe(404);
  });

  it('refuses an incomplete quiz beside each unanswered question, keeping the answers given', async () => {
    const c = t.client();
    await c.signIn(staff.member.email);
    await c.get(`/network/training/${courseId}/quiz`);
    const r = await c.post(`/network/training/${courseId}/quiz`, { [`q${questions[0].id}`]: '1' });
    expect(r.status).toBe(422);
    expect(r.text.match(/Hãy chọn câu trả lời\./g)!.length).toBeGreaterThanOrEqual(3);
    expect(r.text).toMatch(new RegExp(`name="q${questions[0].id}" value="1" checked`));
  });

  it('fails a wrong quiz, passes a right one and issues a certificate that anyone can verify', async () => {
    const c = t.client();
    await c.signIn(staff.member.email);
    await c.get(`/network/training/${courseId}/quiz`);
    const wrong: Record<string, string | string[]> = {};
    for (const q of questions) wrong[`q${q.id}`] = String((q.correct[0] + 1) % q.options.length);
    const failed = await c.post(`/network/training/${courseId}/quiz`, wrong);
    expect(failed.status).toBe(200);
    expect(failed.text).toContain('Chưa đạt');
    expect(await t.db.one(`SELECT 1 FROM network_certificates WHERE user_id = $1`, [staff.member.id])).toBeUndefined();
    const right: Record<string, string | string[]> = {};
    for (const q of questions) right[`q${q.id}`] = q.correct.map(String);
    const passed = await c.post(`/network/training/${courseId}/quiz`, right);
    expect(passed.text).toContain('Bạn đạt 100% (cần 75%).');
    const code = passed.text.match(/href="\/network\/certificates\/(CN-[0-9A-F-]+)"/)![1];
    const cert = await t.client().get(`/network/certificates/${code}`);
    expect(cert.status).toBe(200);
    expect(cert.text).toContain('Hoàng Văn Chia');
    expect(cert.text).toContain('Kiểm chứng một thông tin trong 5 bước');
    expect(cert.text).toContain(`Mã xác minh: ${code}`);
    const verify = await t.client().get(`/network/certificates?code=${code.toLowerCase()}`);
    expect(verify.status).toBe(303);
    const forged = await t.client().get('/network/certificates?code=CN-0000-0000-0000');
    expect(forged.status).toBe(404);
    expect(forged.text).toContain('Không tìm thấy chứng nhận với mã này.');
    expect((await c.get('/network')).text).toMatch(
      /Kiểm chứng một thông tin trong 5 bước<\/a> <span class="badge ok">Đã đạt/,
    );
  });

  it('lets a leader assign a course with a due date and see completion by unit and who is overdue', async () => {
    const ed = t.client();
    await ed.signIn(staff.editor.email);
    const page = await ed.get('/network/manage/training');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hoàn thành theo đơn vị');
    // the deepfake course was due a week ago in Thuận Hoá
    expect(page.text).toMatch(/Thành viên quá hạn[^]*Phường Thuận Hoá: Nhận biết ảnh bị chỉnh sửa/);
    const row = page.text.match(
      /<tr data-unit="\d+"><td>Phường Thuận Hoá<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/,
    )!;
    expect(Number(row[1])).toBeGreaterThan(Number(row[2]));
    expect(Number(row[3])).toBeGreaterThan(0);
    const bad = await ed.post('/network/manage/training/assign', { course: '', target: '', due: iso(-2) });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Lựa chọn không hợp lệ.');
    expect(bad.text).toContain('Hạn hoàn thành phải từ hôm nay trở đi.');
    const ok = await ed.post('/network/manage/training/assign', {
      course: String(deepId),
      target: `u:${phuXuan.id}`,
      due: iso(10),
    });
    expect(ok.status).toBe(303);
    const m = t.client();
    await m.signIn(staff.member.email);
    expect((await m.get('/network/training')).text).toContain('Nhận biết ảnh bị chỉnh sửa và video giả (deepfake)');
    const mem = t.client();
    await mem.signIn(staff.member.email);
    expect((await mem.get('/network/manage/training')).status).toBe(403);
  });
});
