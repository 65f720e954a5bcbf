import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeTemplate } from '../helpers/factories-mailbox.js';
import { cityWithCategories, fileReport } from './helpers.js';

describe(`mailbox: response templates (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let reviewer: TestClient;
  let handler: TestClient;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'templates');
    // the city's reviewer keeps a general template and one for each category
    const by = u.staff.reviewer.id;
    await makeTemplate(t.deps, by, {
      name: 'Trả lời chung: đã tiếp nhận và xử lý',
      body: 'Kính gửi {resident_name},\n\n{agency} đã tiếp nhận phản ánh {code} “{title}” và đã kiểm tra, xử lý như sau:\n\n…',
    });
    await makeTemplate(t.deps, by, {
      name: 'Môi trường: đã kiểm tra hiện trường',
      category: u.env,
      body: 'Kính gửi {resident_name},\n\nVề phản ánh {code} tại {unit}, {agency} đã kiểm tra hiện trường.',
    });
    await makeTemplate(t.deps, by, {
      name: 'Giao thông: đã chuyển đơn vị quản lý đường',
      category: u.traffic,
      body: 'Kính gửi {resident_name},\n\nPhản ánh {code} về {category} đã được {agency} chuyển đơn vị quản lý tuyến đường.',
    });
    reviewer = t.client();
    await reviewer.signIn('reviewer@templates.test');
    handler = t.client();
    await handler.signIn('handler@templates.test');
  });
  afterAll(() => t.close());

  it('reviewers list, add and edit templates; every change audited with old and new', async () => {
    const list = await reviewer.get('/staff/mailbox/templates');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Môi trường: đã kiểm tra hiện trường');
    const res = await reviewer.post('/staff/mailbox/templates/new', {
      name: 'Giao thông: đã sửa xong',
      category: String(u.traffic),
      agency: '',
      body: 'Kính gửi {resident_name}, phản ánh {code} đã được {agency} xử lý xong.',
      active: 'on',
    });
    expect(res.status).toBe(303);
    const row = (await t.db.one<{ id: number }>(
      `SELECT id FROM mailbox_templates WHERE name = 'Giao thông: đã sửa xong'`,
    ))!;
    const created = await t.db.one<{ data: { old: unknown; new: { body: string; category_id: number } } }>(
      `SELECT data FROM audit_log WHERE action = 'mailbox.template.create' AND entity_id = $1`,
      [String(row.id)],
    );
    expect(created!.data.old).toBeNull();
    expect(created!.data.new).toMatchObject({
      category_id: u.traffic,
      body: 'Kính gửi {resident_name}, phản ánh {code} đã được {agency} xử lý xong.',
    });
    expect(
      (
        await reviewer.post(`/staff/mailbox/templates/${row.id}`, {
          name: 'Giao thông: đã sửa xong',
          category: String(u.traffic),
          agency: '',
          body: 'Phản ánh {code}: đã sửa xong trước {deadline}.',
          active: 'on',
        })
      ).status,
    ).toBe(303);
    const updated = await t.db.one<{ data: { old: { body: string }; new: { body: string } } }>(
      `SELECT data FROM audit_log WHERE action = 'mailbox.template.update' AND entity_id = $1`,
      [String(row.id)],
    );
    expect(updated!.data.old.body).toContain('{resident_name}');
    expect(updated!.data.new.body).toBe('Phản ánh {code}: đã sửa xong trước {deadline}.');
    expect((await reviewer.get(`/staff/mailbox/templates/${row.id}`)).text).toContain(
      'Phản ánh {code}: đã sửa xong trước {deadline}.',
    );
  });

  it('refuses an unknown placeholder, an empty name or a bad category with 422, beside the fields, keeping what was typed', async () => {
    const bad = await reviewer.post('/staff/mailbox/templates/new', {
      name: '',
      category: '99999',
      agency: '',
      body: 'Gửi {ten_nguoi_dan}: đã xử lý.',
      active: 'on',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Chỗ trống không hợp lệ: {ten_nguoi_dan}.');
    expect(bad.text).toContain('Vui lòng đặt tên mẫu');
    expect(bad.text).toContain('Lĩnh vực không hợp lệ.');
    expect(bad.text).toMatch(/<textarea[^>]*name="body"[^>]*>Gửi \{ten_nguoi_dan\}: đã xử lý.<\/textarea>/);
    expect(await t.db.one(`SELECT 1 FROM mailbox_templates WHERE body LIKE '%ten_nguoi_dan%'`)).toBeUndefined();
  });

  it('handlers may not edit templates', async () => {
    expect((await handler.get('/staff/mailbox/templates')).status).toBe(403);
    expect(
      (
        await handler.post('/staff/mailbox/templates/new', {
          name: 'Mẫu',
          body: 'Nội dung',
          category: '',
          agency: '',
          active: 'on',
        })
      ).status,
    ).toBe(403);
  });

  it('a handler picks a template and the draft is filled on the server; the resident’s private name is masked in the public answer', async () => {
    const r = await fileReport(t.client({ ip: '192.0.2.91' }), {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Khói từ bãi rác Thủy Phương',
      description: 'Bãi rác đốt lộ thiên mỗi tối, khói bay vào khu dân cư.',
      name: 'Đặng Thị Riêng',
      phone: '0912000111',
    });
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const tpl = (await t.db.one<{ id: number }>(
      `SELECT id FROM mailbox_templates WHERE name = 'Trả lời chung: đã tiếp nhận và xử lý'`,
    ))!.id;
    const page = await handler.get(`/staff/mailbox/${id}?template=${tpl}`);
    expect(page.status).toBe(200);
    const draft = page.text.match(/<textarea id="f-answer"[^>]*>([\s\S]*?)<\/textarea>/)![1];
    expect(draft).toContain('Kính gửi Đặng Thị Riêng,');
    expect(draft).toContain(`đã tiếp nhận phản ánh ${r.code} “Khói từ bãi rác Thủy Phương”`);
    expect(draft).toContain('Sở Nông nghiệp và Môi trường đã tiếp nhận');
    expect(page.text).toContain('Đã điền mẫu “Trả lời chung: đã tiếp nhận và xử lý” vào dự thảo.');
    // a template of another category is not offered
    const other = (await t.db.one<{ id: number }>(
      `SELECT id FROM mailbox_templates WHERE name LIKE 'Giao thông: đã chuyển%'`,
    ))!.id;
    const picker = page.text.match(/<select id="f-template"[\s\S]*?<\/select>/)![0];
    expect(picker).toContain(`<option value="${tpl}"`);
    expect(picker).not.toContain(`<option value="${other}"`);
    expect((await handler.get(`/staff/mailbox/${id}?template=${other}`)).text).toContain(
      'Mẫu này không dùng được cho phản ánh này.',
    );
    // saved as the draft, approved by someone else: the public answer masks the name the resident kept private
    const text = draft
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#39;/g, "'");
    expect((await handler.post(`/staff/mailbox/${id}/draft`, { answer: text })).status).toBe(303);
    expect((await reviewer.post(`/staff/mailbox/${id}/approve`, {})).status).toBe(303);
    const pub = await t.client().get(`/mailbox/r/${r.code}`);
    expect(pub.text).toContain('Kính gửi [***],');
    expect(pub.text).not.toContain('Đặng Thị Riêng');
    expect((await t.client().get(r.link)).text).toContain('Kính gửi Đặng Thị Riêng,');
  });
});
