/** Issue 15: consulting another agency inside a case, the deadline paused while the resident is asked, a new deadline on reopening. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDaysDate } from '../../src/modules/mailbox/service/deadline.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser, realAgency, realUnit } from '../helpers/factories.js';
import { startSmtp } from '../helpers/smtp.js';
import { cityWithCategories, fileReport } from './helpers.js';

const dmy = (iso: string) => iso.split('-').reverse().join('/');

describe(`mailbox: consult another agency, paused deadline (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let sxd: number;
  let holidays: Set<string>;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    u = await cityWithCategories(t, 'consult');
    sxd = await realAgency(t.db, 'HUE-SXD');
    // a handler of the Department of Construction only
    const province = await realUnit(t.db, '46');
    await makeUser(t.db, {
      email: 'xaydung@consult.test',
      name: 'Cán bộ Sở Xây dựng',
      role: 'handler',
      unit: province,
      agency: sxd,
    });
    holidays = new Set(
      (await t.db.query<{ day: string }>(`SELECT day::text AS day FROM mailbox_holidays`)).map((r) => r.day),
    );
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  const rid = async (code: string) =>
    (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
  const audit = (action: string, code: string) =>
    t.db.query<{ data: Record<string, unknown>; actor_label: string }>(
      `SELECT data, actor_label FROM audit_log WHERE action = $1 AND entity_id = $2 ORDER BY id`,
      [action, code],
    );

  it('asks the Department of Construction for an opinion; its handler sees the case until answering, inside the case', async () => {
    const resident = t.client({ ip: '198.51.100.31' });
    const r = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Công trình xả thải ra sông',
      description: 'Một công trình xây dựng xả nước thải ra sông Hương.',
      phone: '0905123456',
    });
    const id = await rid(r.code);
    const h = t.client();
    await h.signIn('handler@consult.test');
    expect((await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const x = t.client();
    await x.signIn('xaydung@consult.test');
    expect((await x.get(`/staff/mailbox/${id}`)).status).toBe(403);

    // bad input: the messages beside the fields, everything typed kept
    const bad = await h.post(`/staff/mailbox/${id}/consult`, {
      consult_agency: String(sxd),
      consult_question: 'Công trình có giấy phép xây dựng không?',
      consult_days: 'ba ngày',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Hạn trả lời phải là số nguyên từ 1 đến 30 ngày làm việc.');
    expect(bad.text).toContain('value="ba ngày"');
    expect(bad.text).toContain('Công trình có giấy phép xây dựng không?</textarea>');
    const own = await h.post(`/staff/mailbox/${id}/consult`, {
      consult_agency: '999999',
      consult_question: 'Câu hỏi?',
      consult_days: '3',
    });
    expect(own.status).toBe(422);
    expect(own.text).toContain('Vui lòng chọn một cơ quan khác cơ quan đang xử lý');

    const ok = await h.post(`/staff/mailbox/${id}/consult`, {
      consult_agency: String(sxd),
      consult_question: 'Công trình có giấy phép xây dựng không?',
      consult_days: '3',
    });
    expect(ok.status).toBe(303);
    const due = dmy(addWorkingDaysDate(new Date(), 3, holidays));
    const page = await h.get(`/staff/mailbox/${id}`);
    expect(page.text).toContain(`Đang chờ ý kiến — hạn ${due}`);
    expect(page.text).toContain(`Hỏi ý kiến Sở Xây dựng (hạn ${due})`);
    expect(page.text).not.toContain('name="consult_answer"'); // the reception does not answer for the department
    expect((await audit('mailbox.consult', r.code))[0]).toMatchObject({
      actor_label: 'handler@consult.test',
      data: { agency: sxd, days: 3 },
    });

    // the department's handler: sees the case (not the resident's phone), may not route it, answers the request
    const seen = await x.get(`/staff/mailbox/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.text).toContain('Công trình xả thải ra sông');
    expect(seen.text).not.toContain('0905123456');
    expect(seen.text).toContain('name="consult_answer"');
    expect((await x.post(`/staff/mailbox/${id}/route`, { agency: String(sxd) })).status).toBe(403);
    const cid = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_consultations WHERE report_id = $1`, [id]))!.id;
    const empty = await x.post(`/staff/mailbox/${id}/consultations/${cid}/answer`, { consult_answer: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Vui lòng nhập ý kiến');
    expect(
      (await h.post(`/staff/mailbox/${id}/consultations/${cid}/answer`, { consult_answer: 'Không phải việc của tôi.' }))
        .status,
    ).toBe(422);
    expect(
      (
        await x.post(`/staff/mailbox/${id}/consultations/${cid}/answer`, {
          consult_answer: 'Công trình chưa có giấy phép; Sở sẽ kiểm tra trong tuần.',
        })
      ).status,
    ).toBe(303);
    const after = await h.get(`/staff/mailbox/${id}`);
    expect(after.text).toContain('Sở Xây dựng cho ý kiến');
    expect(after.text).toContain('Công trình chưa có giấy phép; Sở sẽ kiểm tra trong tuần.');
    expect(after.text).toMatch(/Đã trả lời ngày \d{2}\/\d{2}\/\d{4}/);
    expect(await audit('mailbox.consult-answer', r.code)).toHaveLength(1);
    // answered: the department no longer sees the case; a second answer is refused
    expect((await x.get(`/staff/mailbox/${id}`)).status).toBe(403);
    // the consultation is internal: the resident's pages never show it
    expect((await resident.get(r.link)).text).not.toContain('Sở Xây dựng cho ý kiến');
    // the department was told by e-mail when asked
    await t.drainJobs();
    const mails = await smtp.waitFor(1);
    const mail = mails.find((m) => m.to.includes('xaydung@consult.test'));
    expect(mail?.subject).toBe(`Xin ý kiến về phản ánh ${r.code}`);
    expect(mail?.text).toContain(`/staff/mailbox/${id}`);
  });

  it('a question to the resident pauses the deadline; the answer resumes it with the working days left; reopening sets a new one', async () => {
    const resident = t.client({ ip: '198.51.100.32' });
    const r = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Cây đổ chắn đường kiệt',
      description: 'Một cây lớn đổ chắn lối đi trong kiệt 12.',
    });
    const id = await rid(r.code);
    const h = t.client();
    await h.signIn('handler@consult.test');
    expect((await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    // seven working days left when the question is asked
    await t.db.query(`UPDATE mailbox_reports SET deadline_at = $2 WHERE id = $1`, [
      id,
      new Date(`${addWorkingDaysDate(new Date(), 7, holidays)}T23:59:59.999+07:00`),
    ]);
    expect((await h.post(`/staff/mailbox/${id}/question`, { body: 'Cây đổ ở số nhà nào?' })).status).toBe(303);
    const paused = await h.get(`/staff/mailbox/${id}`);
    expect(paused.text).toContain('Hạn xử lý tạm dừng từ');
    expect(paused.text).toContain('(còn 7 ngày làm việc)');
    expect(paused.text).toContain('Tạm dừng tính hạn, chờ người gửi bổ sung thông tin (còn 7 ngày làm việc)');
    expect(
      (await t.db.one<{ deadline_at: Date | null }>(`SELECT deadline_at FROM mailbox_reports WHERE id = $1`, [id]))!
        .deadline_at,
    ).toBeNull();
    // a paused report is not overdue, even after the old deadline has passed
    await t.db.query(
      `UPDATE mailbox_deadline_pauses SET paused_at = now() - interval '20 days', old_deadline = now() - interval '10 days' WHERE report_id = $1`,
      [id],
    );
    expect((await h.get('/staff/mailbox?status=overdue')).text).not.toContain(r.code);
    // the resident answers: the seven working days start again from today
    expect((await resident.post(`${r.link}/reply`, { body: 'Trước số nhà 12/4.' })).status).toBe(303);
    const due = addWorkingDaysDate(new Date(), 7, holidays);
    const resumed = await h.get(`/staff/mailbox/${id}`);
    expect(resumed.text).toContain(`Tiếp tục tính hạn: hạn mới ${dmy(due)}`);
    expect(resumed.text).not.toContain('Hạn xử lý tạm dừng từ');
    const row = (await t.db.one<{ d: string }>(
      `SELECT to_char(deadline_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS d FROM mailbox_reports WHERE id = $1`,
      [id],
    ))!;
    expect(row.d).toBe(due);
    // the resident sees the pause and the new deadline on the private page
    expect((await resident.get(r.link)).text).toContain(`Tiếp tục tính hạn: hạn mới ${dmy(due)}`);

    // answered, then reopened: a new deadline of the category's handling time from today
    expect((await h.post(`/staff/mailbox/${id}/draft`, { answer: 'Đã cưa và dọn cây đổ.' })).status).toBe(303);
    const rv = t.client();
    await rv.signIn('reviewer@consult.test');
    expect((await rv.post(`/staff/mailbox/${id}/approve`, {})).status).toBe(303);
    expect((await resident.post(`${r.link}/reopen`, { reason: 'Gốc cây vẫn còn chắn lối.' })).status).toBe(303);
    const days = (await t.db.one<{ n: number }>(`SELECT handling_days AS n FROM mailbox_categories WHERE id = $1`, [
      u.env,
    ]))!.n;
    const reopened = await h.get(`/staff/mailbox/${id}`);
    expect(reopened.text).toContain(`Hạn xử lý mới: ${dmy(addWorkingDaysDate(new Date(), days, holidays))}`);
  });

  it('in English', async () => {
    const resident = t.client({ ip: '198.51.100.33' });
    const r = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Đèn đường hỏng',
      description: 'Đèn đường hỏng ba ngày ở đường Lê Lợi.',
    });
    const id = await rid(r.code);
    const h = t.client();
    await h.signIn('handler@consult.test');
    await h.get('/lang/en?next=%2Fstaff');
    const en = await h.get(`/staff/mailbox/${id}`);
    expect(en.text).toContain('Consult another agency');
    const bad = await h.post(`/staff/mailbox/${id}/consult`, {
      consult_agency: String(sxd),
      consult_question: 'Is it lit?',
      consult_days: '45',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('The time to answer must be a whole number from 1 to 30 working days.');
    expect(bad.text).toContain('value="45"');
  });
});
