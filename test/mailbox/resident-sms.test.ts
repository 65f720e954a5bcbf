/**
 * Updates where the resident is (issue 16): a resident who gave a phone number gets an SMS/Zalo message through the
 * office's gateway (signed webhook event `mailbox.sms`) when the report is accepted, a question is asked, it is
 * answered and it is overdue; only phone, code, status, text and link travel. The gateway here is a stand-in that
 * checks the signature as a real one must.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/platform/jobs/queue.js';
import { addWebhookEndpoint } from '../../src/platform/notify/notify.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { startSmtp } from '../helpers/smtp.js';
import { startWebhookReceiver } from '../helpers/webhook.js';
import { cityWithCategories, fileReport } from './helpers.js';

describe(`mailbox: SMS/Zalo updates through the signed gateway (${testDbKind()})`, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let gateway: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let handler: TestClient;
  let reviewer: TestClient;
  const SECRET = 'gateway-secret-0123456789';

  beforeAll(async () => {
    smtp = await startSmtp();
    gateway = await startWebhookReceiver({ secret: SECRET });
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    t.allowOutbound(gateway.url);
    await addWebhookEndpoint(t.db, {
      name: 'SMS/Zalo gateway',
      url: gateway.url,
      secret: SECRET,
      events: ['mailbox.sms'],
    });
    u = await cityWithCategories(t, 'sms');
    handler = t.client();
    await handler.signIn('handler@sms.test');
    reviewer = t.client();
    await reviewer.signIn('reviewer@sms.test');
  });
  afterAll(async () => {
    await t?.close();
    await gateway?.close();
    await smtp?.close();
  });

  const idOf = async (code: string) =>
    (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
  const smsFor = (code: string) => gateway.received.filter((h) => h.json.data.code === code);
  const mailTo = async (to: string, test: (m: { subject: string; text: string }) => boolean) => {
    const end = Date.now() + 10_000;
    for (;;) {
      const found = smtp.mails.filter((m) => m.to.includes(to) && test(m));
      if (found.length || Date.now() > end) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('tells the phone when the report is accepted, asked about and answered — signed, and with nothing but phone, code, status, text and link', async () => {
    const r = await fileReport(t.client({ ip: '198.51.100.31' }), {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Cống thoát nước bị tắc ở kiệt 5 Nguyễn Huệ',
      description: 'Nước ứ đọng sau mưa, mùi hôi lan ra đường.',
      name: 'Trần Văn Riêng Tư',
      phone: ' 0905 111 222 ',
      email: 'rieng.tu@example.org',
    });
    const id = await idOf(r.code);
    await t.drainJobs();
    expect(smsFor(r.code)).toEqual([]); // the arrival itself is confirmed on screen and by e-mail

    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    await t.drainJobs();
    const accepted = smsFor(r.code);
    expect(accepted).toHaveLength(1);
    const hook = accepted[0];
    expect(hook.verified).toBe(true);
    expect(hook.answered).toBe(204);
    expect(hook.event).toBe('mailbox.sms');
    expect(hook.json.event).toBe('mailbox.sms');
    expect(Object.keys(hook.json.data).sort()).toEqual(['code', 'kind', 'locale', 'phone', 'status', 'text', 'url']);
    expect(hook.json.data).toMatchObject({
      phone: '0905111222',
      code: r.code,
      kind: 'accepted',
      status: 'Đã tiếp nhận',
      locale: 'vi',
    });
    expect(hook.json.data.url).toMatch(new RegExp(`^http://test\\.local${r.link.replace(/[/]/g, '\\/')}$`));
    expect(hook.json.data.text).toBe(
      `Phản ánh ${r.code} đã được tiếp nhận và đang được xử lý. Theo dõi: ${hook.json.data.url}`,
    );
    for (const secret of ['Trần Văn Riêng Tư', 'rieng.tu@example.org', 'Cống thoát nước', 'Nước ứ đọng'])
      expect(hook.body).not.toContain(secret);
    // the private link in the message opens the resident's page
    const page = await t.client().get(String(hook.json.data.url).replace('http://test.local', ''));
    expect(page.status).toBe(200);
    expect(page.text).toContain(r.code);

    expect((await handler.post(`/staff/mailbox/${id}/start`, {})).status).toBe(303);
    expect(
      (await handler.post(`/staff/mailbox/${id}/question`, { body: 'Cống nằm ở đầu hay cuối kiệt?' })).status,
    ).toBe(303);
    await t.drainJobs();
    const asked = smsFor(r.code).at(-1)!;
    expect(asked.verified).toBe(true);
    expect(asked.json.data).toMatchObject({ kind: 'question', status: 'Cần bạn bổ sung thông tin' });
    expect(asked.json.data.text).toContain('Trả lời tại: http://test.local/mailbox/s/');
    expect(asked.body).not.toContain('Cống nằm ở đầu'); // the question itself is read on the private page

    expect(
      (await handler.post(`/staff/mailbox/${id}/draft`, { answer: 'Công ty môi trường đã nạo vét cống sáng nay.' }))
        .status,
    ).toBe(303);
    await t.drainJobs();
    expect(smsFor(r.code)).toHaveLength(2); // a draft is not an answer
    expect((await reviewer.post(`/staff/mailbox/${id}/approve`, {})).status).toBe(303);
    await t.drainJobs();
    const answered = smsFor(r.code).at(-1)!;
    expect(answered.verified).toBe(true);
    expect(answered.json.data).toMatchObject({ kind: 'answered', status: 'Đã có trả lời', phone: '0905111222' });
    expect(answered.body).not.toContain('nạo vét');
    expect(smsFor(r.code).map((h) => h.json.data.kind)).toEqual(['accepted', 'question', 'answered']);
    const rows = await t.db.query<{ status: string }>(
      `SELECT status FROM notifications WHERE channel = 'webhook' AND template = 'mailbox.sms' AND ref_id = $1`,
      [String(id)],
    );
    expect(rows.map((x) => x.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('tells the phone (in English for an English report) and the e-mail when the report passes its deadline', async () => {
    const c = t.client({ ip: '198.51.100.32' });
    await c.get('/lang/en?next=/mailbox/new'); // the language switch, remembered in a cookie
    const r = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.phuXuan),
      title: 'Broken traffic light at the bridge',
      description: 'The light has been dark for two days.',
      phone: '0905333444',
      email: 'late@example.org',
    });
    const id = await idOf(r.code);
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    await t.db.query(`UPDATE mailbox_reports SET deadline_at = now() - interval '2 days' WHERE id = $1`, [id]);
    await enqueue(t.db, 'mailbox.deadlines', {});
    await t.drainJobs();
    const overdue = smsFor(r.code).find((h) => h.json.data.kind === 'overdue');
    expect(overdue, JSON.stringify(smsFor(r.code).map((h) => h.json.data))).toBeTruthy();
    expect(overdue!.verified).toBe(true);
    expect(overdue!.json.data).toMatchObject({ phone: '0905333444', code: r.code, status: 'Overdue', locale: 'en' });
    expect(overdue!.json.data.text).toBe(
      `Your report ${r.code} is past its deadline and was escalated. Follow it: ${overdue!.json.data.url}`,
    );
    const [mail] = await mailTo('late@example.org', (m) => /overdue/i.test(m.subject));
    expect(mail, smtp.mails.map((m) => m.subject).join(' | ')).toBeTruthy();
    expect(mail.subject.replace(/\s+/g, ' ')).toContain(`Report ${r.code} is overdue`);
    expect(mail.text).toContain('/mailbox/s/');
    // the deadline job runs every hour: the resident hears once
    await enqueue(t.db, 'mailbox.deadlines', {});
    await t.drainJobs();
    expect(smsFor(r.code).filter((h) => h.json.data.kind === 'overdue')).toHaveLength(1);
  });

  it('sends nothing to the gateway for a resident who gave no phone number', async () => {
    const r = await fileReport(t.client({ ip: '198.51.100.33' }), {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Cây đổ chắn ngang kiệt 8',
      description: 'Cây đổ sau gió lớn đêm qua.',
      email: 'only.mail@example.org',
    });
    const id = await idOf(r.code);
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    await t.drainJobs();
    expect(smsFor(r.code)).toEqual([]);
    // the e-mail still goes
    expect(
      (await mailTo('only.mail@example.org', (m) => m.subject.includes(r.code) && m.text.includes('cập nhật mới')))
        .length,
      JSON.stringify(smtp.mails.filter((m) => m.to.includes('only.mail@example.org'))),
    ).toBeGreaterThan(0);
  });
});
