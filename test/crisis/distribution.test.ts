import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crisisModule } from '../../src/modules/crisis/index.js';
import { signWebhook } from '../../src/platform/notify/channels.js';
import type { TestApp, TestClient } from '../helpers/app.js';
import { findUnit, makeIncident } from '../helpers/factories.js';
import { makeList, makeStatement } from '../helpers/factories-crisis.js';
import { startSmtp } from '../helpers/smtp.js';
import { type City, cityApp, makeRetriesDue } from './helpers.js';

const SECRET_A = 'gateway-a-secret-0123456789';
const SECRET_B = 'gateway-b-secret-9876543210';

interface Hook {
  path: string;
  event: string;
  data: Record<string, string>;
  signatureOk: boolean;
}

/** A local SMS/Zalo gateway stand-in: checks the HMAC signature; /flaky fails its first call. */
async function startWebhookReceiver() {
  const received: Hook[] = [];
  let flakyCalls = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const secret = req.url === '/flaky' ? SECRET_B : SECRET_A;
      const ts = String(req.headers['x-caunoi-timestamp']);
      const signatureOk = req.headers['x-caunoi-signature'] === signWebhook(secret, ts, body);
      if (req.url === '/flaky' && flakyCalls++ === 0) {
        res.writeHead(503).end('busy');
        return;
      }
      if (!signatureOk) {
        res.writeHead(401).end('bad signature');
        return;
      }
      const parsed = JSON.parse(body);
      received.push({ path: req.url!, event: parsed.event, data: parsed.data, signatureOk });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let t: TestApp & { city: City };
let flood: number;
let network: number;
let editor: TestClient;
let reviewer: TestClient;
const smtpAttempts = new Map<string, number>();

beforeAll(async () => {
  smtp = await startSmtp({
    failFor: (to) => {
      const n = (smtpAttempts.get(to) ?? 0) + 1;
      smtpAttempts.set(to, n);
      if (to === 'flaky@press.example.org') return n === 1; // fails once, then recovers
      return to === 'gone@press.example.org'; // never accepts
    },
  });
  hooks = await startWebhookReceiver();
  // The fake gateway is on this machine: the operator allows exactly its host:port, the guard stays on for everything else.
  t = await cityApp({ SMTP_URL: smtp.url, OUTBOUND_ALLOW_HOSTS: new URL(hooks.url).host });
  const { staff, province } = t.city;
  const thuanHoa = await findUnit(t.db, t.city.communeIds[1]);
  // the flood under way: two statements already sent to the press (four contacts, all delivered)
  const press = await makeList(t.deps, {
    by: staff.editor.id,
    unit: province,
    name: 'Báo chí, phát thanh, truyền hình',
    kind: 'press',
    contacts: [
      { name: 'Ban Thời sự', email: 'thoisu@trt.example.org' },
      { name: 'Phóng viên thường trú', email: 'phongvien@bao.example.org' },
      { name: 'Văn phòng UBND thành phố', email: 'vanphong@ubnd.example.org' },
      { name: 'Foreign press desk', email: 'desk@agency.example.org', locale: 'en' },
    ],
  });
  flood = (
    await makeIncident(t.deps, {
      by: staff.editor.id,
      unit: province,
      affected: [thuanHoa],
      title: 'Mưa lớn gây ngập úng tại phường Thuận Hoá',
      severity: 'severe',
    })
  ).id;
  for (const title of ['Thông báo ngập úng số 1', 'Thông báo ngập úng số 2'])
    await makeStatement(t.deps, {
      by: staff.editor.id,
      reviewer: staff.reviewer.id,
      unit: province,
      incident: flood,
      title,
      lists: [press],
    });
  network = await makeList(t.deps, {
    by: staff.editor.id,
    unit: province,
    name: 'Thành viên mạng lưới tại địa bàn',
    kind: 'network',
  });
  editor = t.client();
  await editor.signIn(staff.editor.email);
  reviewer = t.client();
  await reviewer.signIn(staff.reviewer.email);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await hooks?.close();
});

describe('distribution', () => {
  let listId: number;
  let stmtId: number;

  it('builds a list of contacts; bad contacts are refused beside the field', async () => {
    const res = await editor.post('/staff/crisis/lists', {
      name: 'Báo chí thử nghiệm',
      kind: 'custom',
      unitId: String(t.city.provinceId),
    });
    expect(res.status).toBe(303);
    listId = Number(/lists\/(\d+)/.exec(res.location!)![1]);
    const add = (form: Record<string, string>) =>
      editor.post(`/staff/crisis/lists/${listId}/contacts`, { organisation: '', secret: '', locale: 'vi', ...form });
    const bad = await add({ name: 'Sai', channel: 'email', address: 'khong-phai-email' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Địa chỉ thư điện tử không hợp lệ.');
    expect(bad.text).toContain('value="khong-phai-email"');
    const badHook = await add({ name: 'Cổng SMS', channel: 'webhook', address: `${hooks.url}/ok`, secret: 'short' });
    expect(badHook.status).toBe(422);
    expect(badHook.text).toContain('Khóa bí mật cần ít nhất 16 ký tự.');
    for (const f of [
      { name: 'Phóng viên A', channel: 'email', address: 'a@press.example.org' },
      { name: 'Phóng viên Flaky', channel: 'email', address: 'flaky@press.example.org' },
      { name: 'Hộp thư đã đóng', channel: 'email', address: 'gone@press.example.org' },
      { name: 'Foreign desk', channel: 'email', address: 'desk@press.example.org', locale: 'en' },
      { name: 'Cổng SMS', channel: 'webhook', address: `${hooks.url}/ok`, secret: SECRET_A },
      { name: 'Cổng Zalo OA', channel: 'webhook', address: `${hooks.url}/flaky`, secret: SECRET_B },
    ] as Record<string, string>[])
      expect((await add(f)).status).toBe(303);
    const page = await editor.get(`/staff/crisis/lists/${listId}`);
    expect(page.text).toContain('Phóng viên Flaky');
    expect(page.text).toContain(`${hooks.url}/flaky`);
    expect(page.text).not.toContain(SECRET_B);
  });

  it('release sends through the queue; a failed delivery is retried, reported and recovers', async () => {
    const res = await editor.post('/staff/crisis/statements', {
      incidentId: String(flood),
      kind: 'notice',
      refersTo: '',
      listIds: [String(listId)],
      title: 'Thông báo đóng cửa cầu Trường Tiền',
      body: 'Cầu Trường Tiền tạm đóng từ 20 giờ do nước dâng cao.',
      titleEn: 'Truong Tien bridge closed',
      bodyEn: 'Truong Tien bridge closes at 8 p.m. because of rising water.',
    });
    stmtId = Number(/statements\/(\d+)/.exec(res.location!)![1]);
    await editor.post(`/staff/crisis/statements/${stmtId}/submit`, {});
    await reviewer.post(`/staff/crisis/statements/${stmtId}/release`, {});
    await reviewer.post(`/staff/crisis/statements/${stmtId}/release`, {}); // a second click sends nothing twice
    const { number, code } = (await t.db.one<{ number: string; code: string }>(
      `SELECT number, code FROM crisis_statements WHERE id = $1`,
      [stmtId],
    ))!;

    await t.drainJobs();
    let page = await editor.get(`/staff/crisis/statements/${stmtId}/deliveries`);
    expect(page.text).toContain('Đã gửi 3/6');
    expect(page.text).toContain('Chưa nhận được');
    expect(page.text).toContain('Phóng viên Flaky');
    expect(page.text).toContain('Hộp thư đã đóng');
    expect(page.text).toContain('Cổng Zalo OA');
    expect(page.text).toContain('Đang thử lại');
    expect(page.text).toContain('webhook answered 503');

    await makeRetriesDue(t);
    await t.drainJobs();
    page = await editor.get(`/staff/crisis/statements/${stmtId}/deliveries`);
    expect(page.text).toContain('Đã gửi 5/6');
    expect(page.text).not.toContain('Phóng viên Flaky');
    expect(page.text).not.toContain('Cổng Zalo OA');
    expect(page.text).toContain('Hộp thư đã đóng');

    const mails = await smtp.waitFor(3);
    const a = mails.find((m) => m.to.includes('a@press.example.org'))!;
    expect(a.subject).toContain(`Thông báo số ${number}: Thông báo đóng cửa cầu Trường Tiền`);
    expect(a.text).toContain(`Mã xác minh: ${code}`);
    expect(a.text).toContain(`http://test.local/verify?code=${code}`);
    const en = mails.find((m) => m.to.includes('desk@press.example.org'))!;
    expect(en.subject).toContain('Truong Tien bridge closed');
    expect(mails.filter((m) => m.to.includes('flaky@press.example.org'))).toHaveLength(1);
    expect(mails.filter((m) => m.to.includes('a@press.example.org'))).toHaveLength(1);

    expect(hooks.received.map((h) => h.path).sort()).toEqual(['/flaky', '/ok']);
    for (const h of hooks.received) {
      expect(h.signatureOk).toBe(true);
      expect(h.event).toBe('crisis.statement');
      expect(h.data.code).toBe(code);
      expect(h.data.number).toBe(number);
    }
  });

  it('a recipient that never accepts ends as failed, is listed, and can be re-sent', async () => {
    for (let i = 0; i < 6; i++) {
      await makeRetriesDue(t);
      await t.drainJobs();
    }
    const page = await editor.get(`/staff/crisis/statements/${stmtId}/deliveries`);
    expect(page.text).toContain('thất bại 1');
    expect(page.text).toContain('Thất bại');
    expect(page.text).toContain('gone@press.example.org');
    expect(page.text).toContain('Gửi lại cho người chưa nhận');
    const resend = await editor.post(`/staff/crisis/statements/${stmtId}/resend`, {});
    expect(resend.status).toBe(303);
    expect((await editor.get(resend.location!)).text).toContain('Đã xếp lịch gửi lại cho 1 người nhận.');
    expect(await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'crisis.statement.resend'`)).toHaveLength(1);
  });

  it('a network list reaches the network members of the affected units', async () => {
    const open = await editor.post('/staff/crisis/incidents', {
      title: 'Cây đổ chắn đường Lê Lợi',
      type: 'infrastructure',
      severity: 'minor',
      unitId: String(t.city.provinceId),
      unitIds: [String(t.city.communeIds[0])],
      spokespersonName: 'Người phát ngôn',
      hotlines: '',
      areaPolygon: '',
      areaCircle: '',
    });
    const incidentId = Number(/incidents\/(\d+)/.exec(open.location!)![1]);
    const res = await editor.post('/staff/crisis/statements', {
      incidentId: String(incidentId),
      kind: 'notice',
      refersTo: '',
      listIds: [String(network)],
      title: 'Tránh đường Lê Lợi',
      body: 'Cây đổ chắn đường Lê Lợi, đang xử lý.',
    });
    const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
    await editor.post(`/staff/crisis/statements/${id}/submit`, {});
    await reviewer.post(`/staff/crisis/statements/${id}/release`, {});
    await t.drainJobs();
    // the city's member is a network member of Phường Phú Xuân, the affected ward
    const mails = await smtp.waitFor(1);
    expect(
      mails.some((m) => m.to.includes(t.city.staff.member.email) && m.subject.includes('Tránh đường Lê Lợi')),
    ).toBe(true);
    const page = await editor.get(`/staff/crisis/statements/${id}/deliveries`);
    expect(page.text).toContain('Đã gửi 1/1');
    expect(page.text).toContain('Tất cả người nhận đã nhận được.');
  });

  it('reports figures and the after-action record with distribution numbers', async () => {
    const province = (await t.db.one<{ path: string }>(`SELECT path::text AS path FROM units WHERE id = $1`, [
      t.city.provinceId,
    ]))!.path;
    const f = await crisisModule.figures!(t.db, {
      unitPath: province,
      from: new Date(Date.now() - 86400_000),
      to: new Date(Date.now() + 60_000),
    });
    // the flood and the fallen tree; the flood's two statements went to 4 press contacts each (8, all delivered),
    // plus ours (6, 5 delivered) and the network one (1)
    expect(f.crisis).toMatchObject({ incidents: 2, statements: 4, deliveries: 15, delivered: 14 });
    expect(f.crisis!.deliverySuccessRate).toBeCloseTo(14 / 15);
    const none = await crisisModule.figures!(t.db, {
      unitPath: province,
      from: new Date(Date.now() - 3 * 86400_000),
      to: new Date(Date.now() - 2 * 86400_000),
    });
    expect(none.crisis).toEqual({
      incidents: 0,
      statements: 0,
      deliveries: 0,
      delivered: 0,
      deliverySuccessRate: null,
    });
    const report = await editor.get(`/staff/crisis/incidents/${flood}/report`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('Báo cáo sau sự cố: Mưa lớn gây ngập úng');
    expect(report.text).toContain('Đã gửi 13/14');
    expect(report.text).toContain('Thông báo đóng cửa cầu Trường Tiền');
    const csv = await editor.get(`/staff/crisis/incidents/${flood}/report.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('section,at,number,event,actor,recipients,delivered,failed,code');
    expect(lines.find((l) => l.includes('Thông báo đóng cửa cầu Trường Tiền') && l.startsWith('statement'))).toMatch(
      /,6,5,1,/,
    );
    expect(lines.some((l) => l.startsWith('event') && l.includes('Phát hành thông báo số'))).toBe(true);
    const resident = await t.client().get(`/staff/crisis/incidents/${flood}/report.csv`);
    expect(resident.status).not.toBe(200);
  });
});
