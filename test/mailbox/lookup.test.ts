/** Issue 16: finding and following a report by its code; the confirmation page. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../src/platform/i18n/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCategory, makeCityStaff, realCity, type Unit } from '../helpers/factories.js';
import { fileReport } from './helpers.js';

describe(`mailbox: look up a report, the confirmation page (${testDbKind()})`, () => {
  let t: TestApp;
  let env: number;
  let vyDa: Unit;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    vyDa = (await realCity(t.db))['19777'];
    const staff = await makeCityStaff(t.db, 'lookup');
    env = await makeCategory(t.deps, staff.admin.id, { code: 'moi-truong', name: 'Môi trường', days: 7 });
  });
  afterAll(() => t.close());

  it('offers a look-up box on the mailbox and home pages', async () => {
    for (const path of ['/mailbox', '/']) {
      const page = await t.client().get(path);
      expect(page.text).toContain('Tra cứu phản ánh của bạn');
      expect(page.text).toContain('action="/mailbox/lookup"');
    }
  });

  it('a code not yet public shows its status and timeline, never its content', async () => {
    const c = t.client({ ip: '192.0.2.70' });
    const r = await fileReport(c, {
      category: String(env),
      unit: String(vyDa.id),
      title: 'Khói đốt rác ở kiệt 12',
      description: 'Nhà bên cạnh đốt rác mỗi tối, khói vào nhà.',
      name: 'Trần Thị Bí Mật',
    });
    const short = r.code.replace(/-0+(\d)/, '-$1').toLowerCase(); // pa-2026-97
    const found = await t.client().get(`/mailbox/lookup?code=${encodeURIComponent(short)}`);
    expect(found.status).toBe(303);
    expect(found.location).toBe(`/mailbox/r/${r.code}`);
    const page = await t.client().get(found.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Phản ánh ${r.code}`);
    expect(page.text).toContain('Đã tiếp nhận');
    expect(page.text).toContain('Tiếp nhận phản ánh');
    expect(page.text).toContain('chưa được công khai');
    for (const secret of ['Khói đốt rác', 'đốt rác mỗi tối', 'Trần Thị Bí Mật', 'Môi trường', 'Vỹ Dạ'])
      expect(page.text).not.toContain(secret);
    // the search box finds a code too
    const search = await t.client().get(`/mailbox?q=${r.code}`);
    expect(search.status).toBe(303);
    expect(search.location).toBe(`/mailbox/r/${r.code}`);
  });

  it('a mistyped code says so and suggests checking it', async () => {
    const missing = await t.client().get('/mailbox/r/PA-2026-999999');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Không tìm thấy phản ánh có mã PA-2026-999999.');
    expect(missing.text).toContain('Hãy kiểm tra lại mã');
    expect(missing.text).not.toContain('Đã có lỗi xảy ra');
    expect(missing.text).not.toMatch(/Mã yêu cầu|Request id/);
    const typo = await t.client().get('/mailbox/lookup?code=PA-2O26-12');
    expect(typo.status).toBe(422);
    expect(typo.text).toContain('Mã “PA-2O26-12” không đúng dạng của mã phản ánh.');
    expect(typo.text).toContain('value="PA-2O26-12"');
    const en = await t.client().get('/mailbox/lookup?code=PA-2026-999998&lang=en');
    expect(en.text).toContain('No report has the code PA-2026-999998.');
    expect(en.text).toContain('Please check the code');
    expect((await t.client().get('/mailbox/r/pa-2026-5')).status).toBe(301);
  });

  it('the confirmation page: a panel with the code, what happens next with the deadline, the private link, no empty question form', async () => {
    const c = t.client({ ip: '192.0.2.71' });
    const r = await fileReport(c, {
      category: String(env),
      unit: String(vyDa.id),
      title: 'Nước thải tràn ra đường',
      description: 'Nước thải từ cống tràn ra đường Nguyễn Sinh Cung.',
      name: 'Lê Văn Kín',
      email: 'kin@example.vn',
    });
    const page = r.page;
    expect(page).toContain(`<strong class="mb-panel-code">${r.code}</strong>`);
    expect(page).toContain('Điều gì xảy ra tiếp theo');
    const row = (await t.db.one<{ deadline_at: Date }>(`SELECT deadline_at FROM mailbox_reports WHERE code = $1`, [
      r.code,
    ]))!;
    expect(page).toContain(`chậm nhất ngày ${formatDate('vi', row.deadline_at)} (7 ngày làm việc)`);
    expect(page).toContain('Chúng tôi gửi thư đến kin@example.vn');
    expect(page).toMatch(/<button type="button" class="secondary" hidden="" data-copy="[^"]+\/mailbox\/s\//);
    expect(page).not.toContain('Trả lời câu hỏi của cán bộ');
    expect(page).toContain('Lê Văn Kín (tên không hiển thị công khai)');
    // anonymous, as chosen
    const anon = await fileReport(t.client({ ip: '192.0.2.72' }), {
      category: String(env),
      unit: String(vyDa.id),
      title: 'Đèn đường tắt',
      description: 'Đèn đường tắt cả dãy phố từ tối qua.',
    });
    expect(anon.page).toContain('Ẩn danh (bạn không để lại tên)');
    expect(anon.page).toContain('Bạn không để lại thư điện tử');
    // once staff ask a question, the private page asks the resident to answer it
    const h = t.client();
    await h.signIn('handler@lookup.test');
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;
    await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' });
    expect((await h.post(`/staff/mailbox/${id}/question`, { body: 'Cống tràn ở số nhà nào?' })).status).toBe(303);
    const later = await c.get(r.link);
    expect(later.text).toContain('Cán bộ hỏi thêm: trả lời câu hỏi');
    expect(later.text).toContain('Cống tràn ở số nhà nào?');
  });
});
