import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messengerSignature } from '../../src/modules/tipline/service/channels/messenger.js';
import { watchCases } from '../../src/modules/tipline/service/watch.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { makeCategory, makeCityStaff, makeFactcheck, realCity } from '../helpers/factories.js';
import { startMessenger } from './fakes/messenger.js';
import { published } from './harness.js';

const PAGE_TOKEN = 'EAAB-page-token';
const APP_SECRET = 'messenger-app-secret';
const VERIFY = 'verify-me-123';

let t: TestApp;
let fb: Awaited<ReturnType<typeof startMessenger>>;
let seq = 0;
let handlerEmail = '';

beforeAll(async () => {
  fb = await startMessenger(PAGE_TOKEN);
  t = await testApp({
    demo: false,
    env: {
      MESSENGER_PAGE_TOKEN: PAGE_TOKEN,
      MESSENGER_APP_SECRET: APP_SECRET,
      MESSENGER_VERIFY_TOKEN: VERIFY,
      MESSENGER_API_BASE: fb.url,
      OUTBOUND_ALLOW_HOSTS: fb.host,
    },
  });
  await realCity(t.db);
  const staff = await makeCityStaff(t.db, 'messenger');
  handlerEmail = staff.handler.email;
  await makeCategory(t.deps, staff.admin.id, { code: 'ha-tang', name: 'Hạ tầng đô thị' });
  // the fact-check questions are answered from
  await makeFactcheck(t.deps, { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' });
});
afterAll(async () => {
  await t?.close();
  await fb?.close();
});

const post = (body: string, signature: string | null = messengerSignature(APP_SECRET, body)) =>
  t.app.request('/tipline/messenger', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
  });
const event = (psid: string, message: Record<string, unknown>, mid = `mid.${++seq}`) =>
  JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'PAGE',
        time: Date.now(),
        messaging: [
          { sender: { id: psid }, recipient: { id: 'PAGE' }, timestamp: Date.now(), message: { mid, ...message } },
        ],
      },
    ],
  });
const say = (psid: string, text: string, mid?: string) => post(event(psid, { text }, mid));
const quick = (psid: string, payload: string) => post(event(psid, { text: 'x', quick_reply: { payload } }));
const last = (psid: string) => fb.to(psid).at(-1)!;

describe('Messenger', () => {
  it('answers the hub.challenge handshake only with our verify token', async () => {
    const ok = await t.app.request(
      `/tipline/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect(
      (await t.app.request('/tipline/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1')).status,
    ).toBe(403);
  });

  it('refuses unsigned bodies and signatures over a different body (401); 400 for a signed body that is not JSON', async () => {
    const body = event('p1', { text: 'menu' });
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, messengerSignature(APP_SECRET, body.replace('menu', 'help')))).status).toBe(401);
    expect((await post(body, messengerSignature('other-secret', body))).status).toBe(401);
    expect((await post('not json at all')).status).toBe(400);
    await t.drainJobs();
    expect(fb.to('p1')).toHaveLength(0);
    const ok = await post(body);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('EVENT_RECEIVED');
  });

  it('replies inside the 24-hour window with messaging_type RESPONSE and quick replies; replays are ignored', async () => {
    await say('p2', 'menu', 'mid.same');
    await say('p2', 'menu', 'mid.same');
    await t.drainJobs();
    expect(fb.to('p2')).toHaveLength(1);
    expect(last('p2').messagingType).toBe('RESPONSE');
    expect(last('p2').quickReplies.map((q) => q.payload)).toEqual(
      expect.arrayContaining(['#check', '#report', '#follow', '#sub', '#stop']),
    );
  });

  it('checks a forwarded text via a quick reply and answers at once from a published fact-check', async () => {
    await quick('p3', '#check');
    await t.drainJobs();
    expect(last('p3').text).toContain('Hãy gửi (hoặc chuyển tiếp)');
    const fc = await published(t);
    await say('p3', fc.claim);
    await t.drainJobs();
    expect(last('p3').text).toContain(fc.title);
  });

  it("answers in English from the first message when the person's Messenger profile locale is en_*; vi_VN or an unreadable profile get Vietnamese", async () => {
    fb.profiles.set('pen', 'en_GB');
    fb.profiles.set('pvi', 'vi_VN');
    await say('pen', 'hello');
    await say('pvi', 'hello');
    await say('pnone', 'hello');
    await t.drainJobs();
    expect(last('pen').text).toContain('citizen mailbox and fact-check desk');
    expect(last('pen').quickReplies.map((q) => q.title)).toContain('Is this true?');
    expect(last('pvi').text).toContain('Hộp thư kết nối');
    expect(last('pnone').text).toContain('Hộp thư kết nối');
    // asked once: the next message is answered in English without asking the profile again
    await say('pen', 'menu');
    await t.drainJobs();
    expect(last('pen').text).toContain('citizen mailbox and fact-check desk');
    expect(fb.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pen'))).toHaveLength(1);
    expect(fb.requests.find((r) => r.path.endsWith('/pen'))!.query.get('fields')).toContain('locale');
    // the person's own choice wins over the profile
    await quick('pen', '#lang');
    await say('pen', 'menu');
    await t.drainJobs();
    expect(last('pen').text).toContain('Hộp thư kết nối');
  });

  it('a guided report with a location pin: category, ward without diacritics, description, location, contact → code', async () => {
    await say('p4', 'gửi phản ánh');
    await t.drainJobs();
    const cat = last('p4').quickReplies.find((q) => q.payload.startsWith('#cat:'))!;
    await quick('p4', cat.payload);
    await say('p4', 'phuong vy da');
    await say('p4', 'Đèn đường trước nhà số 5 bị hỏng đã hai tuần, buổi tối rất tối.');
    await quick('p4', '#done');
    await post(
      event('p4', { attachments: [{ type: 'location', payload: { coordinates: { lat: 16.4637, long: 107.5909 } } }] }),
    );
    await quick('p4', '#skip');
    await t.drainJobs();
    const filed = last('p4').text;
    expect(filed).toMatch(/Mã hồ sơ: PA-\d{4}-\d+/);
    const code = filed.match(/PA-\d{4}-\d+/)![0];
    const r = await t.db.one<{ lat: number; unit: string; source: string }>(
      `SELECT r.lat, u.name AS unit, r.source FROM mailbox_reports r JOIN units u ON u.id = r.unit_id WHERE r.code = $1`,
      [code],
    );
    expect(r!.unit).toBe('Vỹ Dạ');
    expect(Number(r!.lat)).toBeCloseTo(16.4637, 3);
  });

  it('unsupported attachments get a clear reply and the menu', async () => {
    await post(event('p5', { attachments: [{ type: 'audio', payload: { url: `${fb.url}/cdn/a.mp4` } }] }));
    await t.drainJobs();
    expect(fb.to('p5')[0]!.text).toContain('chỉ đọc được chữ');
  });

  it('outside the 24-hour window: no message is sent; the update goes by e-mail if given, and the status page says so', async () => {
    await say('p6', 'KC-AAAAAAA');
    await t.drainJobs();
    expect(last('p6').text).toContain('Không tìm thấy mã KC-AAAAAAA');
    // file a claim, then let two days pass
    await say('p6', 'Có người bảo đàn voi rừng sắp đi lạc vào khu phố cổ vào cuối tuần này');
    await t.drainJobs();
    await quick('p6', '#yes');
    await t.drainJobs();
    const code = last('p6').text.match(/KC-[A-Z0-9]{7}/)![0];
    await t.db.query(
      `UPDATE tipline_users SET last_inbound_at = now() - interval '2 days', email = 'p6@example.vn' WHERE address = 'p6'`,
    );
    const before = fb.to('p6').length;
    const fc = await published(t);
    await t.db.query(
      `UPDATE desk_clusters SET status = 'answered_existing', factcheck_id = $2 WHERE id = (SELECT cluster_id FROM desk_claims WHERE code = $1)`,
      [code, fc.id],
    );
    await watchCases(t.deps);
    await t.drainJobs();
    expect(fb.to('p6')).toHaveLength(before);
    const mail = await t.db.one<{ recipient: string }>(
      `SELECT recipient FROM notifications WHERE channel = 'email' AND template = 'tipline.fallback' ORDER BY id DESC LIMIT 1`,
    );
    expect(mail!.recipient).toBe('p6@example.vn');
    const token = (await t.db.one<{ token: string }>(`SELECT token FROM tipline_cases WHERE code = $1`, [code]))!.token;
    const page = await t.client().get(`/tipline/s/${token}`);
    expect(page.text).toContain('quá thời hạn nhắn tin của nền tảng');
    expect(page.text).toContain('đã gửi qua e-mail');
  });

  it('a staff reply after 2 days goes with the HUMAN_AGENT tag; after 8 days it cannot be sent', async () => {
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM tipline_users WHERE address = 'p6'`))!.id;
    const staff = t.client();
    await staff.signIn(handlerEmail);
    const page = await staff.get(`/staff/tipline/${id}`);
    expect(page.text).toContain('Người dân #');
    const res = await staff.post(`/staff/tipline/${id}/reply`, {
      text: 'Chúng tôi đã chuyển câu hỏi của bạn cho tổ kiểm chứng.',
    });
    expect(res.status).toBe(303);
    await t.drainJobs();
    expect(last('p6').tag).toBe('HUMAN_AGENT');
    expect(last('p6').text).toMatch(/— .+, /);
    await t.db.query(
      `UPDATE tipline_users SET last_inbound_at = now() - interval '8 days', email = NULL WHERE id = $1`,
      [id],
    );
    const n = fb.to('p6').length;
    await staff.post(`/staff/tipline/${id}/reply`, { text: 'Tin thứ hai.' });
    await t.drainJobs();
    expect(fb.to('p6')).toHaveLength(n);
    const after = await staff.get(`/staff/tipline/${id}`);
    expect(after.text).toContain('chưa để lại e-mail hoặc số điện thoại');
  });

  it('an expired page token and a person who is not available are reported as not delivered; a rate limit is retried', async () => {
    await say('p7', 'menu');
    fb.state.expired = true;
    await t.drainJobs();
    fb.state.expired = false;
    expect(fb.to('p7')).toHaveLength(0);
    expect(
      (await t.db.one<{ status: string; last_error: string }>(
        `SELECT status, last_error FROM notifications WHERE channel = 'tipline' ORDER BY id DESC LIMIT 1`,
      ))!,
    ).toMatchObject({ status: 'failed', last_error: 'tipline:token' });
    fb.unavailable.add('p8');
    await say('p8', 'menu');
    await t.drainJobs();
    expect(
      (await t.db.one<{ last_error: string }>(
        `SELECT last_error FROM notifications WHERE channel = 'tipline' ORDER BY id DESC LIMIT 1`,
      ))!.last_error,
    ).toBe('tipline:blocked:none');
    fb.state.rateLimited = 1;
    await say('p9', 'menu');
    await t.drainJobs();
    expect(fb.to('p9')).toHaveLength(0);
    await t.db.query(`UPDATE jobs SET run_at = now() WHERE status = 'queued'`);
    await t.drainJobs();
    expect(fb.to('p9')).toHaveLength(1);
  });
});
