/** Issue 15: staff notifications — e-mail and web push for new reports, routing, replies and reopenings; immediate or a daily digest. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/platform/auth/repo.js';
import { enqueue } from '../../src/platform/jobs/queue.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser } from '../helpers/factories.js';
import { decryptPush, makeBrowserKeys, startPushService } from '../helpers/push.js';
import { startSmtp } from '../helpers/smtp.js';
import { cityWithCategories, fileReport } from './helpers.js';

describe(`mailbox: staff notifications (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let push: Awaited<ReturnType<typeof startPushService>>;
  let now: TestClient;
  let digest: TestClient;
  let pxAgency: number;
  beforeAll(async () => {
    smtp = await startSmtp();
    push = await startPushService();
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    t.allowOutbound(push.origin);
    u = await cityWithCategories(t, 'notify');
    pxAgency = (await t.db.one<{ id: number }>(`SELECT id FROM agencies WHERE code = 'HUE-PX-UBND'`))!.id;
    // three handlers of Vỹ Dạ: one told at once, one by a morning digest, one not at all; one of Phú Xuân's committee
    for (const [email, name] of [
      ['ngay@notify.test', 'Cán bộ Nhận Ngay'],
      ['tomtat@notify.test', 'Cán bộ Tóm Tắt'],
      ['khong@notify.test', 'Cán bộ Không Nhận'],
    ]) {
      await grantRole(t.db, await makeUser(t.db, { email, name }), 'handler', u.vyDa);
    }
    await grantRole(
      t.db,
      await makeUser(t.db, { email: 'ubndpx@notify.test', name: 'Cán bộ UBND Phú Xuân' }),
      'handler',
      u.phuXuan,
      pxAgency,
    );
    now = t.client();
    await now.signIn('ngay@notify.test');
    digest = t.client();
    await digest.signIn('tomtat@notify.test');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await push.close();
  });
  const to = (email: string) => smtp.mails.filter((m) => m.to.includes(email));
  const settle = async () => {
    await t.drainJobs();
    await new Promise((r) => setTimeout(r, 300));
  };

  it('a settings page per person: immediate, digest or none, audited; nonsense refused with the choice kept', async () => {
    const page = await digest.get('/staff/mailbox/notifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Một thư tóm tắt mỗi sáng');
    const bad = await digest.post('/staff/mailbox/notifications', { mode: 'weekly', push: 'on' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Vui lòng chọn một cách nhận thư.');
    expect(bad.text).toMatch(/name="push" value="on" checked=""/);
    const ok = await digest.post('/staff/mailbox/notifications', { mode: 'digest', push: 'on' });
    expect(ok.status).toBe(303);
    expect((await digest.get(ok.location!)).text).toContain('Đã lưu lựa chọn thông báo.');
    const off = t.client();
    await off.signIn('khong@notify.test');
    await off.get('/staff/mailbox/notifications');
    expect((await off.post('/staff/mailbox/notifications', { mode: 'off' })).status).toBe(303);
    const audit = await t.db.query<{
      actor_label: string;
      data: { old: unknown; new: { mode: string; push: boolean } };
    }>(`SELECT actor_label, data FROM audit_log WHERE action = 'mailbox.notify-settings' ORDER BY id`);
    expect(audit.map((a) => [a.actor_label, a.data.new.mode])).toEqual([
      ['tomtat@notify.test', 'digest'],
      ['khong@notify.test', 'off'],
    ]);
    expect(audit[0].data.old).toBeNull();
    expect((await off.get('/staff/mailbox/notifications')).text).toMatch(/value="off" checked=""/);
  });

  it('a new report in scope: e-mail and web push at once for one, nothing yet for the digest, nothing for "none"', async () => {
    // this browser turns push on (the settings page's script posts the subscription)
    const browser = makeBrowserKeys();
    await now.get('/staff/mailbox/notifications');
    const bad = await now.request('/staff/mailbox/notifications/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': now.csrf },
      body: JSON.stringify({ endpoint: 'http://evil.example/push', keys: { p256dh: 'x', auth: 'y' } }),
    });
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.text).error.message).toBe('Không bật được thông báo đẩy.');
    const sub = await now.request('/staff/mailbox/notifications/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': now.csrf },
      body: JSON.stringify(browser.subscription(push.endpoint('ngay'))),
    });
    expect(sub.status).toBe(201);
    expect((await now.get('/staff/mailbox/notifications')).text).toContain('Trình duyệt đã bật thông báo đẩy: 1');
    expect(
      (
        await t.db.query(
          `SELECT 1 FROM audit_log WHERE action = 'mailbox.notify-push' AND actor_label = 'ngay@notify.test'`,
        )
      ).length,
    ).toBe(1);

    const r = await fileReport(t.client({ ip: '198.51.100.61' }), {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Nước thải tràn ra đường',
      description: 'Nước thải từ cống tràn ra đường Nguyễn Sinh Cung.',
    });
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;
    await settle();
    const mails = to('ngay@notify.test');
    expect(mails.map((m) => m.subject)).toEqual([`Phản ánh mới ${r.code}: Nước thải tràn ra đường`]);
    expect(mails[0].text).toContain('Phường Vỹ Dạ, Môi trường');
    expect(mails[0].text).toContain(`/staff/mailbox/${id}`);
    expect(to('tomtat@notify.test')).toHaveLength(0);
    expect(to('khong@notify.test')).toHaveLength(0);
    expect(to('ubndpx@notify.test')).toHaveLength(0); // another ward's
    expect(push.requests).toHaveLength(1);
    expect(push.requests[0].path).toBe('/push/ngay');
    expect(JSON.parse(decryptPush(push.requests[0].body, browser))).toEqual({
      title: `Phản ánh mới ${r.code}: Nước thải tràn ra đường`,
      body: expect.stringContaining('Nước thải tràn ra đường'),
      url: expect.stringContaining(`/staff/mailbox/${id}`),
    });
  });

  it('routing to an agency tells its handlers; a resident reply and a reopening tell the person on the case', async () => {
    const resident = t.client({ ip: '198.51.100.62' });
    const r = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Ổ gà trên đường Lê Lợi',
      description: 'Ổ gà lớn trước số nhà 20 đường Lê Lợi.',
    });
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;
    const h = t.client();
    await h.signIn('handler@notify.test');
    expect((await h.post(`/staff/mailbox/${id}/route`, { agency: String(pxAgency) })).status).toBe(303);
    await settle();
    expect(to('ubndpx@notify.test').map((m) => m.subject)).toEqual([
      `Phản ánh ${r.code} được chuyển đến UBND phường Phú Xuân`,
    ]);
    // the committee's handler takes it; the resident writes back
    const px = t.client();
    await px.signIn('ubndpx@notify.test');
    expect((await px.post(`/staff/mailbox/${id}/start`, {})).status).toBe(303);
    expect((await px.post(`/staff/mailbox/${id}/question`, { body: 'Ổ gà rộng bao nhiêu?' })).status).toBe(303);
    expect((await resident.post(`${r.link}/reply`, { body: 'Khoảng một mét.' })).status).toBe(303);
    await settle();
    expect(to('ubndpx@notify.test').map((m) => m.subject)).toContain(`Người gửi trả lời về phản ánh ${r.code}`);
    // answered, then reopened: the person on the case hears, with the new deadline
    expect((await px.post(`/staff/mailbox/${id}/draft`, { answer: 'Đã vá ổ gà.' })).status).toBe(303);
    const rv = t.client();
    await rv.signIn('reviewer@notify.test');
    expect((await rv.post(`/staff/mailbox/${id}/approve`, {})).status).toBe(303);
    expect((await resident.post(`${r.link}/reopen`, { reason: 'Ổ gà lại bị vỡ.' })).status).toBe(303);
    await settle();
    const reopened = to('ubndpx@notify.test').find((m) => m.subject === `Phản ánh ${r.code} được mở lại`);
    expect(reopened?.text).toMatch(/Hạn xử lý mới: \d{2}\/\d{2}\/\d{4}/);
    // nobody is told about their own action
    expect(to('ubndpx@notify.test').filter((m) => m.subject.includes('được giao'))).toHaveLength(0);
  });

  it('the daily digest gathers what happened for those who chose it, once', async () => {
    const a = await fileReport(t.client({ ip: '198.51.100.63' }), {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Cây xanh gãy cành',
      description: 'Cành cây gãy treo trên đường Vỹ Dạ.',
    });
    await settle();
    expect(to('tomtat@notify.test')).toHaveLength(0);
    await enqueue(t.db, 'mailbox.staff-digest', {});
    await settle();
    const got = to('tomtat@notify.test');
    expect(got).toHaveLength(1);
    expect(got[0].subject).toBe('Hộp thư phản ánh: 2 cập nhật'); // this report and the one of the test before
    expect(got[0].text).toContain(`${a.code} — Cây xanh gãy cành (Phản ánh mới,`);
    expect(got[0].text).toContain('Nước thải tràn ra đường');
    expect(got[0].text).toContain('/staff/mailbox/notifications');
    await enqueue(t.db, 'mailbox.staff-digest', {});
    await settle();
    expect(to('tomtat@notify.test')).toHaveLength(1);
    expect(to('khong@notify.test')).toHaveLength(0);
  });
});
