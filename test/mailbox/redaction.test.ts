import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_REDACTED_TITLE } from '../../src/modules/mailbox/demo/redaction.js';
import { findPersonalData, MASK, maskText } from '../../src/modules/mailbox/service/masking.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUnpublishedCategory } from '../helpers/factories-mailbox.js';
import { cityWithCategories, fileReport } from './helpers.js';

describe('masking personal data in text (pure)', () => {
  it.each([
    ['0905 123 456', 'phone'],
    ['0905.123.456', 'phone'],
    ['0905123456', 'phone'],
    ['+84 905 123 456', 'phone'],
    ['(+84) 905-123-456', 'phone'],
    ['0234 3812 345', 'phone'],
    ['001203004567', 'id'],
    ['123456789', 'id'],
    ['ban.tu@example.org', 'email'],
    ['29A-123.45', 'plate'],
    ['51F1-234.56', 'plate'],
    ['30E-12345', 'plate'],
    ['59-X1 234.56', 'plate'],
  ])('finds and masks %s (%s)', (value, kind) => {
    const text = `Liên hệ: ${value}, cảm ơn.`;
    expect(findPersonalData(text).map((f) => f.kind)).toEqual([kind]);
    expect(maskText(text)).toBe(`Liên hệ: ${MASK}, cảm ơn.`);
  });
  it.each([
    'Mã PA-2026-000123',
    'Phạt 1.500.000 đồng',
    'ngày 12/09/2026',
    'số nhà 45, kiệt 7',
    'năm 2026 có 12 hộ',
    'Đường 23/8',
  ])('leaves %s alone', (text) => {
    expect(maskText(text)).toBe(text);
  });
  it('hides passages case-insensitively and the resident’s private name as a whole word', () => {
    expect(maskText('Ông Hoàng Văn Bảy đỗ xe. ông hoàng văn bảy lại đỗ.', { passages: ['ông Hoàng Văn Bảy'] })).toBe(
      `${MASK} đỗ xe. ${MASK} lại đỗ.`,
    );
    expect(maskText('Tôi là Trần Thị Kín, nhà Trần Thị Kínhh', { passages: [], hiddenName: 'Trần Thị Kín' })).toBe(
      `Tôi là ${MASK}, nhà Trần Thị Kínhh`,
    );
  });
});

describe(`mailbox: redaction and "not for publication" (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let handler: TestClient;
  let reviewer: TestClient;
  const anon = () => t.client({ ip: '192.0.2.80' });
  const idOf = async (code: string) =>
    (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'redact');
    handler = t.client();
    await handler.signIn('handler@redact.test');
    reviewer = t.client();
    await reviewer.signIn('reviewer@redact.test');
  });
  afterAll(() => t.close());

  const secrets = ['0914 222 333', '079203001234', 'hang.xom@example.org', '43A-555.66'];
  async function publicReport(title: string, extra = '') {
    const r = await fileReport(t.client({ ip: `192.0.2.${Math.floor(Math.random() * 200) + 10}` }), {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title,
      description: `Xe ${secrets[3]} của ông Lê Văn Tám đổ rác ra bờ sông. Gọi tôi số ${secrets[0]}, CCCD ${secrets[1]}, thư ${secrets[2]}.${extra}`,
      name: 'Trương Thị Kín',
      phone: '0987654321',
    });
    const id = await idOf(r.code);
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    return { ...r, id };
  }

  it('masks phone, CCCD, e-mail and plate in the public page, list, JSON API and Open311; the handler sees them', async () => {
    const r = await publicReport('Đổ rác ra bờ sông Hương gọi 0914 222 333');
    const c = anon();
    const page = await c.get(`/mailbox/r/${r.code}`);
    expect(page.status).toBe(200);
    for (const s of secrets) expect(page.text).not.toContain(s);
    expect(page.text).toContain('Đổ rác ra bờ sông Hương gọi [***]');
    expect(page.text).toContain('của ông Lê Văn Tám đổ rác');
    const list = await c.get('/mailbox?q=bờ sông Hương');
    expect(list.text).toContain(r.code);
    expect(list.text).not.toContain('0914 222 333');
    const api = await c.json(`/api/v1/mailbox/reports/${r.code}`);
    expect(api.body.title).toBe('Đổ rác ra bờ sông Hương gọi [***]');
    expect(api.body.description).toBe(
      'Xe [***] của ông Lê Văn Tám đổ rác ra bờ sông. Gọi tôi số [***], CCCD [***], thư [***].',
    );
    const apiList = await c.json('/api/v1/mailbox/reports?q=bờ sông Hương');
    expect(JSON.stringify(apiList.body)).not.toMatch(/0914 222 333|079203001234|hang\.xom|43A-555/);
    const o311 = await c.json(`/open311/v2/requests/${r.code}.json`);
    expect(o311.body[0].description).toBe(api.body.description);
    const staff = await handler.get(`/staff/mailbox/${r.id}`);
    for (const s of secrets) expect(staff.text).toContain(s);
    const found = staff.text
      .match(/class="notice warning" data-found="([^"]+)"/)![1] // the redaction notice (the ward picker has a data-found too)
      .split(' ')
      .sort();
    expect(found).toEqual(['email', 'id', 'phone', 'plate']);
    // answered: the Atom feed and the home page carry the masked text too, the answer included
    expect(
      (
        await handler.post(`/staff/mailbox/${r.id}/draft`, {
          answer: 'Đã liên hệ chủ xe 43A-555.66 qua số 0914 222 333 và xử phạt.',
        })
      ).status,
    ).toBe(303);
    expect((await reviewer.post(`/staff/mailbox/${r.id}/approve`, {})).status).toBe(303);
    const feed = await c.get('/mailbox/feed/category/moi-truong.atom');
    expect(feed.text).toContain(r.code);
    expect(feed.text).toContain('Đã liên hệ chủ xe [***] qua số [***] và xử phạt.');
    for (const s of secrets) expect(feed.text).not.toContain(s);
    const home = await c.get('/');
    for (const s of secrets) expect(home.text).not.toContain(s);
    const answered = await c.json(`/api/v1/mailbox/reports/${r.code}`);
    expect(answered.body.answer).toBe('Đã liên hệ chủ xe [***] qua số [***] và xử phạt.');
    expect(JSON.stringify(answered.body.timeline)).not.toContain('0914 222 333');
  });

  it('a handler hides a passage: masked for the public and for staff who may not see personal data, audited with old and new', async () => {
    const r = await publicReport('Rác thải trên bờ sông Như Ý');
    const res = await handler.post(`/staff/mailbox/${r.id}/redact`, { passage: 'ông Lê Văn Tám' });
    expect(res.status).toBe(303);
    const page = await anon().get(`/mailbox/r/${r.code}`);
    expect(page.text).not.toContain('Lê Văn Tám');
    expect(page.text).toContain('Xe [***] của [***] đổ rác');
    const api = await anon().json(`/api/v1/mailbox/reports/${r.code}`);
    expect(api.body.description).not.toContain('Lê Văn Tám');
    const own = await handler.get(`/staff/mailbox/${r.id}`);
    expect(own.text).toContain('của ông Lê Văn Tám đổ rác');
    expect(own.text).toContain('<mark>ông Lê Văn Tám</mark>');
    const rv = await reviewer.get(`/staff/mailbox/${r.id}`);
    expect(rv.status).toBe(200);
    expect(rv.text).not.toContain('Lê Văn Tám');
    expect(rv.text).not.toContain('/redact"');
    const audit = await t.db.one<{
      actor_label: string;
      data: { old: Record<string, string>; new: Record<string, string> };
    }>(
      `SELECT actor_label, data FROM audit_log WHERE action = 'mailbox.redact' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [r.code],
    );
    expect(audit!.actor_label).toBe('handler@redact.test');
    expect(audit!.data.old.description).toContain('ông Lê Văn Tám');
    expect(audit!.data.new.description).not.toContain('Lê Văn Tám');
    expect(audit!.data.new.description).toContain('[***] đổ rác');
    // shown again, audited too
    const rid = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_redactions WHERE report_id = $1`, [r.id]))!.id;
    expect((await handler.post(`/staff/mailbox/${r.id}/redactions/${rid}/remove`, {})).status).toBe(303);
    expect((await anon().get(`/mailbox/r/${r.code}`)).text).toContain('của ông Lê Văn Tám');
    expect(
      await t.db.one(`SELECT 1 FROM audit_log WHERE action = 'mailbox.unredact' AND entity_id = $1`, [r.code]),
    ).toBeTruthy();
  });

  it('refuses a passage that is not in the text or too short with 422, the typed text kept beside the field', async () => {
    const r = await publicReport('Nước thải chảy ra đường Đặng Thái Thân');
    const bad = await handler.post(`/staff/mailbox/${r.id}/redact`, { passage: 'bà Nguyễn Thị Không Có' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Không tìm thấy đoạn này trong nội dung công khai');
    expect(bad.text).toMatch(/<textarea[^>]*name="passage"[^>]*>bà Nguyễn Thị Không Có<\/textarea>/);
    const short = await handler.post(`/staff/mailbox/${r.id}/redact`, { passage: 'a' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('Đoạn cần ẩn có ít nhất 2 ký tự.');
    const wrong = await handler.post(`/staff/mailbox/${r.id}/publication`, { not_public: 'maybe' });
    expect(wrong.status).toBe(422);
    // a reviewer may not redact
    expect((await reviewer.post(`/staff/mailbox/${r.id}/redact`, { passage: 'Nước thải' })).status).toBe(403);
    expect(await t.db.one(`SELECT 1 FROM mailbox_redactions WHERE report_id = $1`, [r.id])).toBeUndefined();
  });

  it('"not for publication" keeps a report out of every public output; the resident still follows it by its code', async () => {
    const r = await publicReport('Tụ tập đua xe trên cầu Tràng Tiền');
    expect((await handler.post(`/staff/mailbox/${r.id}/publication`, { not_public: '1' })).status).toBe(303);
    const c = anon();
    const page = await c.get(`/mailbox/r/${r.code}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Tràng Tiền');
    expect(page.text).toContain('data-status="assigned"');
    expect((await c.get('/mailbox?q=Tràng Tiền')).text).not.toContain(r.code);
    expect((await c.json(`/api/v1/mailbox/reports/${r.code}`)).status).toBe(404);
    const o311 = await c.json(`/open311/v2/requests/${r.code}.json`);
    expect(o311.body[0]).toMatchObject({
      service_request_id: r.code,
      status: 'open',
      description: null,
      service_code: null,
    });
    expect((await c.get(r.link)).text).toContain('Tụ tập đua xe trên cầu Tràng Tiền');
    const audit = await t.db.one<{ data: { old: { not_public: boolean }; new: { not_public: boolean } } }>(
      `SELECT data FROM audit_log WHERE action = 'mailbox.publication' AND entity_id = $1`,
      [r.code],
    );
    expect(audit!.data).toEqual({ old: { not_public: false }, new: { not_public: true } });
    expect((await handler.get(`/staff/mailbox/${r.id}`)).text).toContain('data-publication="not-public"');
    expect((await handler.post(`/staff/mailbox/${r.id}/publication`, { not_public: '0' })).status).toBe(303);
    expect((await c.get(`/mailbox/r/${r.code}`)).text).toContain('Tràng Tiền');
  });

  it('security reports are not for publication by default', async () => {
    const sec = await makeUnpublishedCategory(t.deps, u.staff.admin.id, {
      code: 'an-ninh',
      name: 'An ninh, trật tự',
      nameEn: 'Public order and security',
    });
    const r = await fileReport(t.client({ ip: '192.0.2.77' }), {
      category: String(sec),
      unit: String(u.thuanHoa),
      title: 'Nhóm thanh niên gây rối đêm khuya',
      description: 'Có nhóm thanh niên tụ tập gây rối ở kiệt 9 mỗi đêm.',
    });
    const id = await idOf(r.code);
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const page = await anon().get(`/mailbox/r/${r.code}`);
    expect(page.text).not.toContain('gây rối');
    expect((await anon().json(`/api/v1/mailbox/reports/${r.code}`)).status).toBe(404);
  });

  it('an admin makes a category "not for publication" by default in the set-up page (audited); its new reports are never published', async () => {
    const admin = t.client();
    await admin.signIn('admin@redact.test');
    const res = await admin.post('/staff/mailbox/setup/categories/new', {
      code: 'bao-luc-gia-dinh',
      name: 'Bạo lực gia đình',
      name_en: 'Domestic violence',
      handling_days: '3',
      active: 'on',
      not_public_default: 'on',
    });
    expect(res.status).toBe(303);
    const cat = (await t.db.one<{ id: number; not_public_default: boolean }>(
      `SELECT id, not_public_default FROM mailbox_categories WHERE code = 'bao-luc-gia-dinh'`,
    ))!;
    expect(cat.not_public_default).toBe(true);
    const audit = await t.db.one<{ data: { new: { not_public_default: boolean } } }>(
      `SELECT data FROM audit_log WHERE action = 'mailbox.category.create' AND entity_id = 'bao-luc-gia-dinh'`,
    );
    expect(audit!.data.new.not_public_default).toBe(true);
    expect((await admin.get(`/staff/mailbox/setup/categories/${cat.id}`)).text).toMatch(
      /name="not_public_default"[^>]*checked/,
    );
    const { forgetPickerLists } = await import('../../src/modules/mailbox/repo.js');
    forgetPickerLists(t.deps.state);
    const r = await fileReport(t.client({ ip: '192.0.2.78' }), {
      category: String(cat.id),
      unit: String(u.thuanHoa),
      title: 'Hàng xóm thường xuyên đánh vợ',
      description: 'Đêm nào cũng nghe tiếng đánh đập và la hét ở nhà bên cạnh.',
    });
    expect((await handler.post(`/staff/mailbox/${await idOf(r.code)}/triage`, { action: 'accept' })).status).toBe(303);
    expect((await anon().get(`/mailbox/r/${r.code}`)).text).not.toContain('đánh vợ');
    // unchecked on the form: published again by default
    expect(
      (
        await admin.post(`/staff/mailbox/setup/categories/${cat.id}`, {
          code: 'bao-luc-gia-dinh',
          name: 'Bạo lực gia đình',
          name_en: 'Domestic violence',
          handling_days: '3',
          active: 'on',
        })
      ).status,
    ).toBe(303);
    expect(
      (await t.db.one<{ v: boolean }>(`SELECT not_public_default AS v FROM mailbox_categories WHERE id = $1`, [
        cat.id,
      ]))!.v,
    ).toBe(false);
  });
});

// this test is about the demo's own redacted report
describe(`mailbox: the demo's redacted report (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());
  const anon = () => t.client({ ip: '192.0.2.80' });

  it('the demo shows a report with its phone number, plate and a third person’s name masked', async () => {
    const code = (await t.db.one<{ code: string }>(`SELECT code FROM mailbox_reports WHERE title = $1`, [
      DEMO_REDACTED_TITLE,
    ]))!.code;
    const page = await anon().get(`/mailbox/r/${code}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/0905 123 456|75C-123\.45|Hoàng Văn Bảy/);
    expect(page.text).toContain('Cần thì gọi tôi: [***]');
    expect(page.text).toContain('Đã đóng — đã khắc phục');
  });
});
