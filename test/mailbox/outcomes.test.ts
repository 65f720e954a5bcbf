import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxModule } from '../../src/modules/mailbox/index.js';
import { metricById } from '../../src/modules/reports/service/metrics.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { cityWithCategories, fileReport } from './helpers.js';

describe(`mailbox: outcomes (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let handler: TestClient;
  let n = 0;
  const idOf = async (code: string) =>
    (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'outcomes');
    handler = t.client();
    await handler.signIn('handler@outcomes.test');
  });
  afterAll(() => t.close());

  async function accepted(title: string) {
    const r = await fileReport(t.client({ ip: `192.0.2.${100 + n++}` }), {
      category: String(u.traffic),
      unit: String(u.phuXuan),
      title,
      description: `${title}: đã nhiều ngày chưa được sửa.`,
    });
    const id = await idOf(r.code);
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    return { ...r, id };
  }
  const figures = async () => {
    const city = (await t.db.one<{ path: string }>(`SELECT path::text AS path FROM units WHERE parent_id IS NULL`))!
      .path;
    return (
      await mailboxModule.figures!(t.db, {
        unitPath: city,
        from: new Date(Date.now() - 86400_000),
        to: new Date(Date.now() + 86400_000),
      })
    ).mailbox!;
  };

  it('a handler closes a report "not fixed" with a reason: the public, the resident, the API and Open311 see it; audited; counted', async () => {
    const before = await figures();
    const r = await accepted('Đèn tín hiệu ngã tư Lê Lợi hỏng');
    const res = await handler.post(`/staff/mailbox/${r.id}/outcome`, {
      outcome: 'not_fixed',
      note: 'Cần thay tủ điều khiển, đã đưa vào kế hoạch quý sau.',
    });
    expect(res.status).toBe(303);
    const text = 'Đã đóng — chưa khắc phục được. Lý do: Cần thay tủ điều khiển, đã đưa vào kế hoạch quý sau.';
    const page = await t.client().get(`/mailbox/r/${r.code}`);
    expect(page.text).toContain('data-status="closed"');
    expect(page.text).toContain(text);
    expect(page.text).toContain('Đóng phản ánh — chưa khắc phục được');
    expect((await t.client().get(r.link)).text).toContain(text);
    const api = await t.client().json(`/api/v1/mailbox/reports/${r.code}`);
    expect(api.body.status).toBe('closed');
    expect(api.body.outcome).toMatchObject({
      code: 'not_fixed',
      reason: 'Cần thay tủ điều khiển, đã đưa vào kế hoạch quý sau.',
      passed_to: null,
      label_en: 'Closed — not fixed. Reason: Cần thay tủ điều khiển, đã đưa vào kế hoạch quý sau.',
    });
    const o311 = await t.client().json(`/open311/v2/requests/${r.code}.json`);
    expect(o311.body[0]).toMatchObject({ status: 'closed', status_notes: text });
    const audit = await t.db.one<{ data: { old: Record<string, unknown>; new: Record<string, unknown> } }>(
      `SELECT data FROM audit_log WHERE action = 'mailbox.outcome' AND entity_id = $1`,
      [r.code],
    );
    expect(audit!.data.old).toEqual({ status: 'assigned', outcome: null, outcome_note: null });
    expect(audit!.data.new).toMatchObject({ status: 'closed', outcome: 'not_fixed' });
    const after = await figures();
    expect(after.closedNotFixed).toBe((before.closedNotFixed ?? 0) + 1);
    expect(metricById.get('mailbox.closedNotFixed')).toBeTruthy();
    // the outcome can be corrected on a closed report
    expect((await handler.post(`/staff/mailbox/${r.id}/outcome`, { outcome: 'fixed', note: '' })).status).toBe(303);
    expect((await t.client().get(`/mailbox/r/${r.code}`)).text).toContain('Đã đóng — đã khắc phục');
    expect((await figures()).closedFixed).toBe((before.closedFixed ?? 0) + 1);
  });

  it('"not our responsibility" names whom it was passed to; "duplicate" points at the original', async () => {
    const a = await accepted('Cột điện nghiêng trước số 8 Bà Triệu');
    expect(
      (
        await handler.post(`/staff/mailbox/${a.id}/outcome`, {
          outcome: 'not_ours',
          note: 'Công ty Điện lực Thừa Thiên Huế',
        })
      ).status,
    ).toBe(303);
    expect((await t.client().get(`/mailbox/r/${a.code}`)).text).toContain(
      'Không thuộc thẩm quyền — đã chuyển đến Công ty Điện lực Thừa Thiên Huế',
    );
    expect((await t.client().json(`/api/v1/mailbox/reports/${a.code}`)).body.outcome).toMatchObject({
      code: 'not_ours',
      passed_to: 'Công ty Điện lực Thừa Thiên Huế',
    });
    const b = await accepted('Cột điện nghiêng ở Bà Triệu');
    expect(
      (await handler.post(`/staff/mailbox/${b.id}/outcome`, { outcome: 'duplicate', note: a.code.toLowerCase() }))
        .status,
    ).toBe(303);
    expect((await t.client().get(`/mailbox/r/${b.code}`)).text).toContain(`Trùng phản ánh ${a.code}`);
    expect(
      (await t.db.one<{ duplicate_of: number }>(`SELECT duplicate_of FROM mailbox_reports WHERE id = $1`, [b.id]))!
        .duplicate_of,
    ).toBe(a.id);
  });

  it('refuses a missing reason, a missing "passed to", an unknown code or outcome with 422 and the typed values; a report not yet accepted with 409; a reviewer with 403', async () => {
    const r = await accepted('Ổ gà lớn trên đường Hùng Vương');
    const noReason = await handler.post(`/staff/mailbox/${r.id}/outcome`, { outcome: 'not_fixed', note: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Vui lòng ghi lý do chưa khắc phục được.');
    expect(noReason.text).toMatch(/<option value="not_fixed" selected="">/);
    const noWhere = await handler.post(`/staff/mailbox/${r.id}/outcome`, { outcome: 'not_ours', note: '  ' });
    expect(noWhere.status).toBe(422);
    expect(noWhere.text).toContain('Vui lòng ghi cơ quan, đơn vị đã chuyển đến.');
    const badCode = await handler.post(`/staff/mailbox/${r.id}/outcome`, {
      outcome: 'duplicate',
      note: 'PA-2019-999999',
    });
    expect(badCode.status).toBe(422);
    expect(badCode.text).toMatch(/<textarea[^>]*name="note"[^>]*>PA-2019-999999<\/textarea>/);
    const badChoice = await handler.post(`/staff/mailbox/${r.id}/outcome`, { outcome: 'maybe', note: '' });
    expect(badChoice.status).toBe(422);
    expect(badChoice.text).toContain('Vui lòng chọn một kết quả.');
    const fresh = await fileReport(t.client({ ip: '192.0.2.199' }), {
      category: String(u.traffic),
      unit: String(u.phuXuan),
      title: 'Biển báo bị che khuất',
      description: 'Cây xanh che khuất biển báo cấm rẽ.',
    });
    const early = await handler.post(`/staff/mailbox/${await idOf(fresh.code)}/outcome`, {
      outcome: 'fixed',
      note: '',
    });
    expect(early.status).toBe(409);
    expect(early.text).toContain('Phản ánh cần được tiếp nhận trước khi đóng.');
    const reviewer = t.client();
    await reviewer.signIn('reviewer@outcomes.test');
    expect((await reviewer.post(`/staff/mailbox/${r.id}/outcome`, { outcome: 'fixed', note: '' })).status).toBe(403);
    expect(
      await t.db.one<{ status: string; outcome: string | null }>(
        `SELECT status, outcome FROM mailbox_reports WHERE id = $1`,
        [r.id],
      ),
    ).toEqual({ status: 'assigned', outcome: null });
  });
});

// this test is about the demo's own closed reports
describe(`mailbox: the demo's outcomes (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('the demo shows outcomes, including one not fixed and one passed on', async () => {
    const rows = await t.db.query<{ outcome: string }>(
      `SELECT DISTINCT outcome FROM mailbox_reports WHERE source = 'demo' AND outcome IS NOT NULL ORDER BY outcome`,
    );
    expect(rows.map((x) => x.outcome)).toEqual(['fixed', 'not_fixed', 'not_ours']);
    const code = (await t.db.one<{ code: string }>(
      `SELECT code FROM mailbox_reports WHERE outcome = 'not_ours' AND source = 'demo'`,
    ))!.code;
    expect((await t.client().get(`/mailbox/r/${code}`)).text).toContain(
      'Không thuộc thẩm quyền — đã chuyển đến Công ty Cổ phần Cấp nước Thừa Thiên Huế',
    );
  });
});
