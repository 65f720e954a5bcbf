/**
 * Issue 14: the mailbox's hand-parsed forms now go through submit(). A refused form (by the schema or by the service)
 * answers 422 with the translated message beside its field and everything that was typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import {
  type Account,
  makeCategory,
  makeCityStaff,
  realCity,
  type STAFF_ROLES,
  type Unit,
} from '../helpers/factories.js';
import { fileReport } from './helpers.js';

/** The message shown beside a field (Field and Select write it in `f-NAME-err`). */
const beside = (html: string, field: string) =>
  html.match(new RegExp(`id="f-${field}-err"[^>]*>([\\s\\S]*?)</`))?.[1]?.trim();

describe(`mailbox forms refused with what was typed (${testDbKind()})`, () => {
  let t: TestApp;
  let outside: string;
  let staff: Record<(typeof STAFF_ROLES)[number], Account>;
  let env: number;
  let thuanHoa: Unit;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    thuanHoa = (await realCity(t.db))['19789'];
    staff = await makeCityStaff(t.db, 'refused');
    env = await makeCategory(t.deps, staff.admin.id, { code: 'moi-truong', name: 'Môi trường' });
    // an agency of another ward: the rule for Thuận Hóa is refused beside the agency (a rule of the service)
    outside = (await t.db.one<{ code: string }>(
      `SELECT a.code FROM agencies a JOIN units au ON au.id = a.unit_id, units u
       WHERE u.code = '19789' AND a.retired_at IS NULL AND NOT (u.path <@ au.path) AND NOT (au.path <@ u.path)
       ORDER BY a.id LIMIT 1`,
    ))!.code;
  });
  afterAll(() => t.close());

  it('a routing rule refused by the service keeps the unit, the category and the agency chosen (vi and en)', async () => {
    const a = t.client();
    await a.signIn('admin@refused.test');
    const form = { unit: '19789', category: 'moi-truong', agency: outside, unit_q: 'thuan hoa' };
    for (const [lang, message] of [
      ['vi', 'Cơ quan này không thuộc địa bàn của phản ánh'],
      ['en', 'This agency does not cover the report’s area'],
    ] as const) {
      const res = await a.post(`/staff/mailbox/setup/routes?lang=${lang}`, form);
      expect(res.status).toBe(422);
      expect(beside(res.text, 'agency')).toContain(message);
      expect(res.text).toMatch(/name="unit" value="19789"[^>]*checked/);
      expect(res.text).toContain('value="thuan hoa"');
      expect(res.text).toMatch(/<option value="moi-truong" selected/);
      expect(res.text).toMatch(new RegExp(`<option value="${outside}" selected`));
    }
    const rules = await t.db.query(
      `SELECT 1 FROM mailbox_routing_rules r JOIN agencies a ON a.id = r.agency_id JOIN units u ON u.id = r.unit_id
       WHERE a.code = $1 AND u.code = '19789'`,
      [outside],
    );
    expect(rules).toHaveLength(0);
  });

  it('removing a day that is not a holiday: 422, the message beside the day, the year that was shown', async () => {
    const a = t.client();
    await a.signIn('admin@refused.test');
    const vi = await a.post('/staff/mailbox/setup/holidays/remove', { day: '2031-03-03', year: '2031' });
    expect(vi.status).toBe(422);
    expect(beside(vi.text, 'day')).toBe('Ngày này không có trong danh sách ngày nghỉ.');
    expect(vi.text).toMatch(/name="year"[^>]*value="2031"/);
    const en = await a.post('/staff/mailbox/setup/holidays/remove?lang=en', { day: '2031-03-03', year: '2031' });
    expect(en.status).toBe(422);
    expect(beside(en.text, 'day')).toBe('This day is not in the list of holidays.');
  });

  it("the private page's rate form: a rating out of range is refused beside the stars, the comment kept", async () => {
    const resident = t.client({ ip: '198.51.100.77' });
    const { link, code } = await fileReport(resident, {
      category: String(env),
      unit: String(thuanHoa.id),
      title: 'Đèn đường hỏng trước trường tiểu học',
      description: 'Đèn đường trước cổng trường không sáng đã một tuần, buổi tối rất tối.',
      address: '5 Lê Lợi',
    });
    await t.db.query(
      `UPDATE mailbox_reports SET status = 'answered', answer = 'Đã thay bóng đèn.', answered_at = now() WHERE code = $1`,
      [code],
    );
    const comment = 'Xử lý nhanh, cảm ơn đội điện lực phường';
    const vi = await resident.post(`${link}/rate`, { rating: '9', comment });
    expect(vi.status).toBe(422);
    expect(vi.text).toContain('Vui lòng chọn số sao từ 1 đến 5.');
    expect(vi.text).toContain(comment);
    const en = await resident.post(`${link}/rate?lang=en`, { rating: '0', comment });
    expect(en.status).toBe(422);
    expect(en.text).toContain('Please choose from 1 to 5 stars.');
    expect(en.text).toContain(comment);
    const reason = await resident.post(`${link}/reopen`, { reason: '   ' });
    expect(reason.status).toBe(422);
    expect(beside(reason.text, 'reason')).toBeTruthy();
    // a link nobody has: the not-found page, as before
    expect((await resident.post('/mailbox/s/aaaaaaaaaaaaaaaaaaaaaaaa/rate', { rating: '5' })).status).toBe(404);
  });
});
