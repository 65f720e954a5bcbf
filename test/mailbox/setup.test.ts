/** Issue 15: set-up without a programmer, and a handler's agency restricting what it sees. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCategory, makeUser, realAgency, realUnit } from '../helpers/factories.js';
import { cityWithCategories, fileReport } from './helpers.js';

describe(`mailbox set-up (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let publicServices: number;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'setup');
    // a category no routing rule names
    publicServices = await makeCategory(t.deps, u.staff.admin.id, { code: 'dich-vu-cong', name: 'Dịch vụ công' });
  });
  afterAll(() => t.close());
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runCommand(t.deps, modules, argv, (l) => out.push(l));
    return { code, out: out.join('\n') };
  };
  const audit = (action: string) =>
    t.db.query<{ entity_id: string; data: { old: any; new: any } }>(
      `SELECT entity_id, data FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    );

  it('mailbox-agency creates then updates an agency, audited with old and new values; routing can point at it', async () => {
    const made = await run(
      'mailbox-agency',
      '--code',
      'HUE-VD-UBND',
      '--name',
      'UBND phường Vỹ Dạ',
      '--unit',
      '19777',
      '--email',
      'vyda@hue.gov.vn',
    );
    expect(made).toEqual({ code: 0, out: expect.stringContaining('agency HUE-VD-UBND') });
    expect(made.out).toContain('Phường Vỹ Dạ');
    const again = await run(
      'mailbox-agency',
      '--code',
      'HUE-VD-UBND',
      '--name',
      'Ủy ban nhân dân phường Vỹ Dạ',
      '--unit',
      '19777',
      '--email',
      'vyda@hue.gov.vn',
      '--email',
      'motcua.vyda@hue.gov.vn',
    );
    expect(again.code).toBe(0);
    expect(again.out).toContain('vyda@hue.gov.vn, motcua.vyda@hue.gov.vn');
    const rows = await audit('mailbox.agency.update');
    expect(rows.at(-1)!.data.old.name).toBe('UBND phường Vỹ Dạ');
    expect(rows.at(-1)!.data.new.name).toBe('Ủy ban nhân dân phường Vỹ Dạ');
    expect((await audit('mailbox.agency.create')).at(-1)!.data.old).toBeNull();
    const bad = await run('mailbox-agency', '--code', 'HUE-X', '--name', 'X cơ quan', '--unit', 'nowhere');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('Please choose an administrative unit.');
    expect(
      (
        await run(
          'mailbox-agency',
          '--code',
          'HUE-Y',
          '--name',
          'Y cơ quan',
          '--unit',
          '19777',
          '--email',
          'not-an-address',
        )
      ).out,
    ).toContain('An e-mail address is not valid');
    // a rule to it: only along the unit's line (Vỹ Dạ's agency cannot take Phú Xuân's reports)
    expect((await run('mailbox-route', '--unit', '19777', '--agency', 'HUE-VD-UBND')).code).toBe(0);
    const outside = await run('mailbox-route', '--unit', '19753', '--agency', 'HUE-VD-UBND');
    expect(outside.code).toBe(2);
    expect(outside.out).toContain('does not cover the report’s area');
    const r = await fileReport(t.client({ ip: '192.0.2.50' }), {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Rác ở chợ Vỹ Dạ',
      description: 'Rác chưa được thu gom ở chợ Vỹ Dạ.',
    });
    // the category's rule (Môi trường → Sở) wins over "any category" for Vỹ Dạ
    const agency = await t.db.one<{ code: string }>(
      `SELECT a.code FROM mailbox_reports r JOIN agencies a ON a.id = r.agency_id WHERE r.code = $1`,
      [r.code],
    );
    expect(agency!.code).toBe('HUE-STNMT');
    const r2 = await fileReport(t.client({ ip: '192.0.2.51' }), {
      category: String(publicServices),
      unit: String(u.vyDa),
      title: 'Mất nước ở Vỹ Dạ',
      description: 'Mất nước sinh hoạt hai ngày ở Vỹ Dạ.',
    });
    expect(
      (await t.db.one<{ code: string }>(
        `SELECT a.code FROM mailbox_reports r JOIN agencies a ON a.id = r.agency_id WHERE r.code = $1`,
        [r2.code],
      ))!.code,
    ).toBe('HUE-VD-UBND');
  });

  it('holidays: add, list, remove, and a year of public holidays with Tết from the lunar calendar', async () => {
    const loaded = await run('mailbox-holiday', '--year', '2031');
    expect(loaded.code).toBe(0);
    expect(loaded.out).toContain('2031-01-23'); // Tết Tân Hợi
    const list = await run('mailbox-holiday', '--list', '--year', '2031');
    expect(list.out).toContain('2031-01-23  Tết Nguyên đán');
    expect(list.out).toContain('Giỗ Tổ Hùng Vương');
    expect((await run('mailbox-holiday', '--remove', '2031-09-01')).code).toBe(0);
    expect((await run('mailbox-holiday', '--list', '--year', '2031')).out).not.toContain('2031-09-01');
    const removed = (await audit('mailbox.holiday.remove')).at(-1)!;
    expect(removed.data.old).toEqual({ day: '2031-09-01', name: 'Quốc khánh' });
    const gone = await run('mailbox-holiday', '--remove', '2031-09-01');
    expect(gone.code).toBe(2);
    expect(gone.out).toContain('--day: This day is not in the list of holidays.');
    const badDay = await run('mailbox-holiday', '--date', '2031-02-30', '--name', 'Sai ngày');
    expect(badDay.code).toBe(2);
    expect(badDay.out).toContain('--day: Enter the day as YYYY-MM-DD, e.g. 2026-09-02.');
  });

  it('admin pages: forms without JavaScript, translated errors, typed values kept, changes audited', async () => {
    const a = t.client();
    await a.signIn('admin@setup.test');
    const index = await a.get('/staff/mailbox/setup');
    expect(index.status).toBe(200);
    expect(index.text).toContain('Thiết lập hộp thư');
    // an agency with a bad e-mail: 422, the message beside the field, everything typed kept
    const bad = await a.post('/staff/mailbox/setup/agencies/new', {
      code: 'HUE-AC-UBND',
      name: 'UBND phường An Cựu',
      name_en: 'An Cuu Ward People’s Committee',
      unit: '19815',
      emails: 'ancuu@hue.gov.vn\nkhong-hop-le',
      active: 'on',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Có địa chỉ thư điện tử không hợp lệ');
    expect(bad.text).toContain('value="UBND phường An Cựu"');
    expect(bad.text).toContain('khong-hop-le</textarea>');
    expect(bad.text).toMatch(/<option value="19815" selected/);
    const ok = await a.post('/staff/mailbox/setup/agencies/new', {
      code: 'HUE-AC-UBND',
      name: 'UBND phường An Cựu',
      unit: '19815',
      emails: 'ancuu@hue.gov.vn',
      active: 'on',
    });
    expect(ok.status).toBe(303);
    const list = await a.get(ok.location!);
    expect(list.text).toContain('HUE-AC-UBND');
    expect(list.text).toContain('ancuu@hue.gov.vn');
    // English errors
    const en = await a.post('/staff/mailbox/setup/categories/new?lang=en', {
      code: 'Cây',
      name: 'C',
      name_en: '',
      handling_days: '200',
    });
    expect(en.status).toBe(422);
    expect(en.text).toContain('lower-case letters without diacritics');
    expect(en.text).toContain('Enter a number of working days from 1 to 90.');
    // a category: name vi/en, handling days, questions
    const cat = await a.post('/staff/mailbox/setup/categories/new', {
      code: 'cay-xanh-2',
      name: 'Cây xanh đô thị',
      name_en: 'Urban trees',
      handling_days: '120',
      questions: 'Cây ở đâu?\nCây có nguy cơ đổ không?',
      active: 'on',
    });
    expect(cat.status).toBe(422);
    expect(cat.text).toContain('Nhập số ngày làm việc từ 1 đến 90.');
    expect(cat.text).toContain('Cây có nguy cơ đổ không?</textarea>');
    expect(
      (
        await a.post('/staff/mailbox/setup/categories/new', {
          code: 'cay-xanh-2',
          name: 'Cây xanh đô thị',
          name_en: 'Urban trees',
          handling_days: '4',
          questions: 'Cây ở đâu?\nCây có nguy cơ đổ không?',
          questions_en: 'Where is the tree?\nMay it fall?',
          active: 'on',
        })
      ).status,
    ).toBe(303);
    const api = await t.client().json('/api/v1/mailbox/categories');
    expect(api.body.find((c: any) => c.code === 'cay-xanh-2')?.handling_days).toBe(4);
    // a routing rule and its removal
    const rule = await a.post('/staff/mailbox/setup/routes', { unit: '19815', category: '', agency: 'HUE-AC-UBND' });
    expect(rule.status).toBe(303);
    const routes = await a.get('/staff/mailbox/setup/routes');
    expect(routes.text).toContain('UBND phường An Cựu');
    const outside = await a.post('/staff/mailbox/setup/routes', { unit: '19753', category: '', agency: 'HUE-AC-UBND' });
    expect(outside.status).toBe(422);
    expect(outside.text).toContain('Cơ quan này không thuộc địa bàn');
    // holidays page: load a year, remove a day
    const loaded = await a.post('/staff/mailbox/setup/holidays/load', { year: '2032' });
    expect(loaded.text).toContain('Tết Nguyên đán');
    expect(loaded.text).toMatch(/Đã thêm \d+ ngày nghỉ/);
    const wrong = await a.post('/staff/mailbox/setup/holidays', { day: '2032-13-01', name: 'Ngày sai' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('value="2032-13-01"');
    // settings
    const s1 = await a.post('/staff/mailbox/setup/settings', { reopenDays: '0', retentionDays: '400' });
    expect(s1.status).toBe(422);
    expect(s1.text).toContain('Nhập số ngày từ 1 đến 3650.');
    expect(s1.text).toContain('value="400"');
    expect((await a.post('/staff/mailbox/setup/settings', { reopenDays: '14', retentionDays: '400' })).status).toBe(
      303,
    );
    const changed = await audit('mailbox.settings');
    expect(changed.map((x) => [x.entity_id, x.data.old, x.data.new])).toEqual(
      expect.arrayContaining([
        ['mailbox.reopenDays', 30, 14],
        ['mailbox.retentionDays', 365, 400],
      ]),
    );
    // other staff may not
    const h = t.client();
    await h.signIn('handler@setup.test');
    expect((await h.get('/staff/mailbox/setup')).status).toBe(403);
    expect((await h.post('/staff/mailbox/setup/settings', { reopenDays: '1', retentionDays: '1' })).status).toBe(403);
  });

  it('a handler tied to an agency sees that agency’s reports and those shared with it, not the whole city', async () => {
    const sxd = await realAgency(t.db, 'HUE-SXD');
    const city = await realUnit(t.db, '46');
    await makeUser(t.db, {
      email: 'sxd@setup.test',
      name: 'Cán bộ Sở Xây dựng',
      role: 'handler',
      unit: city,
      agency: sxd,
    });
    const c = t.client({ ip: '192.0.2.60' });
    const road = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.thuanHoa),
      title: 'Ổ gà trên đường Lê Lợi',
      description: 'Ổ gà sâu trước số 10 Lê Lợi.',
      phone: '0911222333',
    });
    const trash = await fileReport(c, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Rác ở bờ sông',
      description: 'Rác thải dồn ứ ở bờ sông Hương.',
      phone: '0911444555',
    });
    const rid = async (code: string) =>
      (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
    const s = t.client();
    await s.signIn('sxd@setup.test');
    const inbox = await s.get('/staff/mailbox?status=all');
    expect(inbox.text).toContain(road.code);
    expect(inbox.text).not.toContain(trash.code);
    expect((await s.get(`/staff/mailbox/${await rid(road.code)}`)).text).toContain('0911222333');
    const other = await s.get(`/staff/mailbox/${await rid(trash.code)}`);
    expect(other.status).toBe(403);
    expect(other.text).not.toContain('0911444555');
    expect((await s.post(`/staff/mailbox/${await rid(trash.code)}/triage`, { action: 'accept' })).status).toBe(403);
    // the city's reception shares the environment report with the Department of Construction
    const h = t.client();
    await h.signIn('handler@setup.test');
    expect((await h.post(`/staff/mailbox/${await rid(trash.code)}/share`, { share_agency: String(sxd) })).status).toBe(
      303,
    );
    expect((await s.get('/staff/mailbox?status=all')).text).toContain(trash.code);
    expect((await s.get(`/staff/mailbox/${await rid(trash.code)}`)).status).toBe(200);
  });
});
