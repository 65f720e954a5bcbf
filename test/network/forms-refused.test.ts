/**
 * The network's hand-parsed forms now go through form()/submit(): a refused form answers 422 with the translated
 * message beside its field and everything typed kept, whether the schema or the service refused it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followLink } from '../../src/modules/network/service.js';
import { AppError } from '../../src/platform/errors.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { type Account, makeCityStaff, makeItem, realCity } from '../helpers/factories.js';
import { makeCourse } from '../helpers/factories-training.js';
import { tickedUnits } from '../helpers/picker.js';
import { errorBeside as beside } from '../helpers/refused-form.js';

const iso = (d: number) => new Date(Date.now() + 7 * 3600_000 + d * 86400_000).toISOString().slice(0, 10);

describe(`network forms refused beside the field, with what was typed (${testDbKind()})`, () => {
  let t: TestApp;
  /** Phường Vỹ Dạ, in the city editor's scope */
  let vyDa: number;
  let staff: Record<'admin' | 'editor' | 'reviewer' | 'handler' | 'member', Account>;
  /** A course with lessons and a quiz, assigned to the whole city. */
  let course: number;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    const city = await realCity(t.db);
    vyDa = city['19777'].id;
    staff = await makeCityStaff(t.db, 'refused');
    course = (
      await makeCourse(t.db, { by: staff.editor.id, unit: city['46'], assign: [{ unit: city['46'], due: iso(14) }] })
    ).id;
    // a published piece, so the campaign form offers contents to choose from
    await makeItem(t.deps, { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' });
  });
  afterAll(() => t?.close());

  it('a new campaign: the schema’s rules all at once, then the service’s, every value kept', async () => {
    const c = t.client();
    await c.signIn(staff.editor.email);
    await c.get('/network/manage/campaigns/new');
    const ward = vyDa;
    const bad = await c.post('/network/manage/campaigns', {
      title: 'Tiêu đề giữ lại',
      message: '',
      caption: 'Chú thích giữ lại',
      links: 'Trang ngoài | https://evil.example/x',
      starts: iso(2),
      ends: iso(1),
      units: String(ward),
    });
    expect(bad.status).toBe(422);
    expect(beside(bad.text, 'message')).toBe('Trường này là bắt buộc.');
    expect(beside(bad.text, 'links')).toBe(
      'Dòng 1: “https://evil.example/x” không phải trang của cổng này (phải bắt đầu bằng /).',
    );
    expect(beside(bad.text, 'ends')).toBe('Ngày kết thúc phải sau ngày bắt đầu.');
    expect(bad.text).toContain('value="Tiêu đề giữ lại"');
    expect(bad.text).toContain('Chú thích giữ lại');
    expect(bad.text).toContain('Trang ngoài | https://evil.example/x');
    expect(bad.text).toContain(`value="${iso(2)}"`);
    expect(bad.text).toContain(`value="${iso(1)}"`);
    expect(tickedUnits(bad.text, 'units')).toEqual([ward]);

    const unknown = await c.post('/network/manage/campaigns', {
      title: 'Tiêu đề giữ lại',
      message: 'Lời nhắn giữ lại',
      caption: 'Chú thích giữ lại',
      items: 'factcheck:999999',
      links: 'Hộp thư | /mailbox',
      starts: iso(0),
      ends: iso(3),
      units: String(ward),
    });
    expect(unknown.status).toBe(422);
    expect(beside(unknown.text, 'items')).toBe('Lựa chọn không hợp lệ.');
    for (const v of ['value="Tiêu đề giữ lại"', 'Lời nhắn giữ lại', 'Chú thích giữ lại', 'Hộp thư | /mailbox'])
      expect(unknown.text).toContain(v);
    expect(tickedUnits(unknown.text, 'units')).toEqual([ward]);
    expect(await t.db.one(`SELECT 1 FROM network_campaigns WHERE title = 'Tiêu đề giữ lại'`)).toBeUndefined();
  });

  it('a training assignment: a past due date, then a unit outside the scope beside the picker', async () => {
    const lead = t.client();
    await lead.signIn(staff.editor.email);
    await lead.get('/network/manage/training');
    const ward = vyDa;
    const past = await lead.post('/network/manage/training/assign', {
      course: String(course),
      target: '',
      target_unit: String(ward),
      due: iso(-2),
    });
    expect(past.status).toBe(422);
    expect(beside(past.text, 'due')).toBe('Hạn hoàn thành phải từ hôm nay trở đi.');
    expect(past.text).toMatch(new RegExp(`value="${course}" selected`));
    expect(past.text).toContain(`value="${iso(-2)}"`);
    expect(past.text).toMatch(new RegExp(`name="target_unit" value="${ward}"[^>]*checked`));

    const outside = await lead.post('/network/manage/training/assign', {
      course: String(course),
      target: '',
      target_unit: '99999999',
      due: iso(10),
    });
    expect(outside.status).toBe(422);
    expect(beside(outside.text, 'target_unit')).toBe('Bạn không phụ trách đơn vị này.');
    expect(outside.text).toMatch(new RegExp(`value="${course}" selected`));
    expect(outside.text).toContain(`value="${iso(10)}"`);
  });

  it('a quiz question: the prompt and the options refused together, every option kept', async () => {
    const c = t.client();
    await c.signIn(staff.editor.email);
    await c.get(`/network/manage/training/courses/${course}/questions/new`);
    const bad = await c.post(`/network/manage/training/courses/${course}/questions`, {
      kind: 'single',
      prompt: '',
      opt0: 'Lựa chọn duy nhất',
      correct: '0',
      explanation: 'Giải thích giữ lại',
    });
    expect(bad.status).toBe(422);
    expect(beside(bad.text, 'prompt')).toBe('Trường này là bắt buộc.');
    expect(bad.text).toContain('Cần ít nhất 2 lựa chọn.');
    expect(bad.text).toContain('value="Lựa chọn duy nhất"');
    expect(bad.text).toContain('Giải thích giữ lại');
    expect(bad.text).toMatch(/name="correct" value="0" checked/);
  });

  it('the member import: a unit outside the scope; the pasted list kept, the file asked for again', async () => {
    const c = t.client();
    await c.signIn(staff.editor.email);
    await c.get('/network/manage');
    const csv = 'email,họ tên\nmoi.nhap@example.org,Người Nhập Mới';
    const r = await c.post('/network/manage/import', {
      _form: 'import',
      unit: '99999999',
      csv,
      create_groups: '1',
      file: new File(['email,họ tên\nkhac@example.org,Người Khác'], 'ds.csv', { type: 'text/csv' }),
    });
    expect(r.status).toBe(422);
    expect(beside(r.text, 'unit')).toBe('Bạn không phụ trách đơn vị này.');
    expect(beside(r.text, 'file')).toBe('Tệp đã chọn chưa được nhập vì biểu mẫu còn lỗi: vui lòng chọn lại tệp.');
    expect(r.text).toContain('moi.nhap@example.org,Người Nhập Mới');
    expect(r.text).toMatch(/name="create_groups" value="1" checked/);
    const ward = vyDa;
    const empty = await c.post('/network/manage/import', { _form: 'import', unit: String(ward), csv: ' ' });
    expect(empty.status).toBe(422);
    expect(beside(empty.text, 'csv')).toBe('Hãy chọn tệp CSV hoặc dán nội dung.');
  });

  it('a member’s claim, the quiz and the join form', async () => {
    const m = t.client();
    await m.signIn(staff.member.email);
    await m.get('/network/claims/new');
    const claim = await m.post('/network/claims', {
      text: 'Tin',
      link: 'https://vi.example/bai-viet',
      seenWhere: 'Nhóm Zalo giữ lại',
    });
    expect(claim.status).toBe(422);
    expect(beside(claim.text, 'text')).toBe('Tối thiểu 5 ký tự.');
    expect(claim.text).toContain('>Tin</textarea>');
    expect(claim.text).toContain('value="https://vi.example/bai-viet"');
    expect(claim.text).toContain('value="Nhóm Zalo giữ lại"');

    const qs = await t.db.query<{ id: number }>(
      `SELECT id FROM network_questions WHERE course_id = $1 ORDER BY position`,
      [course],
    );
    await m.get(`/network/training/${course}/quiz`);
    const quiz = await m.post(`/network/training/${course}/quiz`, { [`q${qs[0].id}`]: '1' });
    expect(quiz.status).toBe(422);
    expect(beside(quiz.text, `q${qs[1].id}`)).toBe('Hãy chọn câu trả lời.');
    expect(beside(quiz.text, `q${qs[0].id}`)).toBeNull();
    expect(quiz.text).toMatch(new RegExp(`name="q${qs[0].id}" value="1" checked`));

    const lead = t.client();
    await lead.signIn(staff.editor.email);
    await lead.get('/network/manage');
    const invite = await lead.post('/network/manage/invites', { unit: String(vyDa), days: '7' });
    const path = new URL(invite.text.match(/http:\/\/test\.local\/network\/join\/[\w-]+/)![0]).pathname;
    const outsider = t.client({ ip: '203.0.113.77' });
    await outsider.get(path);
    const join = await outsider.post(path, { name: 'Tên Giữ Lại', email: 'khong-phai-thu', phone: '12' });
    expect(join.status).toBe(422);
    expect(beside(join.text, 'email')).toBe('Địa chỉ thư điện tử không hợp lệ.');
    expect(beside(join.text, 'phone')).toBe('Số điện thoại không hợp lệ.');
    for (const v of ['value="Tên Giữ Lại"', 'value="khong-phai-thu"', 'value="12"']) expect(join.text).toContain(v);
  });

  it('a bad short link is the one AppError (404, translated); the visitor still sees the link’s own page', async () => {
    const err = await followLink(t.deps, 'garbage', { ip: '203.0.113.9', userAgent: 'x' }, { rateLimit: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(404);
    expect((err as AppError).translated('vi')).toContain('Liên kết này không đúng');
    const page = await t.client().get('/s/garbage');
    expect(page.status).toBe(404);
    expect(page.text).toContain('Liên kết không hợp lệ');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });
});
