/**
 * Issue 12, own versus someone else's: a reviewer who rewrites the handler's draft in the approval form and approves
 * it publishes its own text alone, under the handler's name. Approval publishes exactly the text someone else drafted;
 * a reviewer who wants other words returns the draft with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCategory, makeCityStaff, realCity, type Unit } from '../helpers/factories.js';
import { fileReport } from './helpers.js';

describe(`approving an answer (${testDbKind()})`, () => {
  let t: TestApp;
  let env: number;
  let vyDa: Unit;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    vyDa = (await realCity(t.db))['19777'];
    const staff = await makeCityStaff(t.db, 'own');
    env = await makeCategory(t.deps, staff.admin.id, { code: 'moi-truong', name: 'Môi trường' });
  });
  afterAll(() => t.close());

  it('a reviewer cannot replace the handler’s draft and publish it; the draft as written (CRLF from a browser) is approved', async () => {
    const r = await fileReport(t.client({ ip: '198.51.100.31' }), {
      category: String(env),
      unit: String(vyDa.id),
      title: 'Đèn đường tắt ở Vỹ Dạ',
      description: 'Cả dãy đèn đường tắt từ tối qua.',
    });
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;
    const h = t.client();
    await h.signIn('handler@own.test');
    expect((await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const draft = 'Đã báo điện lực.\nĐèn sẽ sáng lại trong tối nay.';
    expect((await h.post(`/staff/mailbox/${id}/draft`, { answer: draft })).status).toBe(303);

    const rv = t.client();
    await rv.signIn('reviewer@own.test');
    await rv.get(`/staff/mailbox/${id}`);
    const rewritten = 'Không có sự cố nào, người dân báo sai.';
    const res = await rv.post(`/staff/mailbox/${id}/approve`, { answer: rewritten });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Người duyệt chỉ duyệt đúng văn bản cán bộ xử lý đã soạn');
    expect(res.text).toContain(rewritten); // what was typed is kept
    expect((await t.client().get(`/mailbox/r/${r.code}`)).text).not.toContain(rewritten);
    expect(await t.db.one(`SELECT status, answer, answer_draft FROM mailbox_reports WHERE id = $1`, [id])).toEqual({
      status: 'in_progress',
      answer: null,
      answer_draft: draft,
    });

    // the form as a browser sends it back (CRLF line ends, the draft untouched) approves the handler's words
    const ok = await rv.post(`/staff/mailbox/${id}/approve`, { answer: draft.replace(/\n/g, '\r\n') });
    expect(ok.status).toBe(303);
    const pub = await t.client().get(`/mailbox/r/${r.code}`);
    expect(pub.text).toContain('Đèn sẽ sáng lại trong tối nay.');
  });
});
