import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/platform/auth/service.js';
import { networkModule } from '../../src/modules/network/index.js';
import { membersOfUnits } from '../../src/modules/network/public.js';
import { contentChoices, fanout } from '../../src/modules/network/service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeItem, makeUser } from '../helpers/factories.js';
import {
  type CityNetwork,
  makeCityNetwork,
  makePastCampaign,
  makeStormCampaign,
} from '../helpers/factories-network.js';
import { makeCourse, readLessons, takeCourseQuiz } from '../helpers/factories-training.js';
import { startSmtp } from '../helpers/smtp.js';

const UA =
  'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);

describe(`network campaigns (${testDbKind()})`, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let net: CityNetwork;
  let units: { id: number; path: string; full_name: string }[];
  let member: { id: number; email: string };
  let finished = 0;
  let running = 0;
  let campaignId = 0;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    net = await makeCityNetwork(t.db, 'campaigns');
    const { staff } = net;
    member = staff.member;
    units = [net.city, net.phuXuan, net.thuanHoa, net.vyDa, net.anCuu, net.thuanAn].map((u) => ({
      id: u.id,
      path: u.path,
      full_name: u.name,
    }));
    // published desk content the campaign form offers
    await makeItem(t.deps, { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' });
    // the city's campaigns: one over, one over for two wards, one running for the whole city
    finished = await makePastCampaign(t.deps, {
      by: staff.editor.id,
      units: [net.city],
      title: 'Hướng dẫn gửi phản ánh qua Hộp thư kết nối',
      startedDaysAgo: 95,
      days: 30,
      links: 'Hộp thư kết nối: gửi phản ánh, kiến nghị | /mailbox',
    });
    await makePastCampaign(t.deps, {
      by: staff.editor.id,
      units: [net.phuXuan, net.thuanHoa],
      title: 'Cảnh giác cuộc gọi giả danh công an',
      startedDaysAgo: 40,
      days: 20,
      links: 'Hỏi: tin này có đúng không? | /claims/new',
    });
    running = await makeStormCampaign(t.deps, { by: staff.editor.id, units: [net.city] });
    // a course assigned to the whole city, completed by one member
    const course = await makeCourse(t.db, {
      by: staff.editor.id,
      unit: net.city,
      assign: [{ unit: net.city, due: iso(14) }],
    });
    await readLessons(t.db, net.members[1].id, course.id, [1, 2, 3]);
    await takeCourseQuiz(t.db, net.members[1].id, course.id, { pass: true });
    // the campaigns' own fan-out and mails happen now: the tests below count only what they cause
    await t.drainJobs();
    const sent = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE channel = 'email' AND status = 'sent'`,
    );
    await smtp.waitFor(sent!.n);
    smtp.mails.length = 0;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('shows a member an active campaign and an assigned course in the feed', async () => {
    const c = t.client();
    await c.signIn(member.email);
    const feed = await c.get('/network');
    expect(feed.status).toBe(200);
    expect(feed.text).toContain('Mùa mưa bão: theo dõi thông tin chính thức');
    expect(feed.text).toContain('Kiểm chứng một thông tin trong 5 bước');
    expect(feed.text).not.toContain('Hướng dẫn gửi phản ánh qua Hộp thư kết nối'); // finished
    const staff = await c.get('/staff');
    expect(staff.text).toMatch(/Mạng lưới: 1 chiến dịch đang diễn ra/);
  });

  it('refuses a bad campaign form with errors beside the fields and keeps what was typed', async () => {
    const c = t.client();
    await c.signIn(net.staff.editor.email);
    await c.get('/network/manage/campaigns/new');
    const r = await c.post('/network/manage/campaigns', {
      title: 'Chiến dịch thử',
      message: '',
      links: 'Trang ngoài | https://evil.example/x',
      starts: iso(0),
      ends: iso(-3),
    });
    expect(r.status).toBe(422);
    expect(r.text).toContain('value="Chiến dịch thử"');
    expect(r.text).toContain('Trường này là bắt buộc.');
    expect(r.text).toContain('không phải trang của cổng này');
    expect(r.text).toContain('Ngày kết thúc phải sau ngày bắt đầu.');
    expect(r.text).toContain('Hãy chọn ít nhất một đơn vị hoặc một nhóm.');
  });

  it('refuses a campaign to an empty audience with a clear message', async () => {
    const c = t.client();
    await c.signIn(net.staff.editor.email);
    await c.get('/network/manage/campaigns/new');
    const empty = units.find((u) => u.full_name === 'Phường Thuận An')!;
    const r = await c.post('/network/manage/campaigns', {
      title: 'Không ai nhận',
      message: 'Thử',
      links: '/mailbox',
      units: String(empty.id),
      starts: iso(0),
      ends: iso(5),
    });
    expect(r.status).toBe(422);
    expect(r.text).toContain('chưa có thành viên nào');
    expect(await t.db.one(`SELECT 1 FROM network_campaigns WHERE title = 'Không ai nhận'`)).toBeUndefined();
  });

  it('launches a campaign without blocking, then the queue fans it out to every member by e-mail through a real SMTP peer', async () => {
    const c = t.client();
    await c.signIn(net.staff.editor.email);
    await c.get('/network/manage/campaigns/new');
    const ward = units.find((u) => u.full_name === 'Phường Vỹ Dạ')!;
    const r = await c.post('/network/manage/campaigns', {
      title: 'Lịch cắt điện tuần này',
      message: 'Chia sẻ lịch chính thức để tránh tin đồn.',
      links: 'Hộp thư kết nối | /mailbox\nhttp://test.local/network/recognition',
      units: String(ward.id),
      starts: iso(0),
      ends: iso(7),
    });
    expect(r.status).toBe(303);
    campaignId = Number(r.location!.match(/campaigns\/(\d+)/)![1]);
    const members = await t.db.query<{ email: string }>(
      `SELECT us.email FROM role_grants g JOIN users us ON us.id = g.user_id WHERE g.role = 'member' AND g.unit_id = $1`,
      [ward.id],
    );
    expect(members.length).toBeGreaterThan(2);
    // nothing sent inside the request
    expect(smtp.mails.length).toBe(0);
    const queued = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE type = 'network.fanout' AND status = 'queued'`,
    );
    expect(queued!.n).toBe(1);
    await t.drainJobs();
    const mails = await smtp.waitFor(members.length);
    const ours = mails.filter((m) => m.subject.includes('Lịch cắt điện tuần này'));
    expect(ours.map((m) => m.to[0]).sort()).toEqual(members.map((m) => m.email).sort());
    expect(ours[0].text).toContain(`/network/campaigns/${campaignId}`);
    expect(ours[0].text).toContain('không bao giờ đăng bài thay bạn');
    const detail = await c.get(`/network/manage/campaigns/${campaignId}`);
    expect(detail.text).toContain('Lịch cắt điện tuần này');
    expect(detail.text).toMatch(new RegExp(`Thông báo: ${members.length} đã gửi`));
  });

  it('builds a campaign from published desk and crisis content picked in the form', async () => {
    const choices = await contentChoices(t.db);
    const c = t.client();
    await c.signIn(net.staff.editor.email);
    const form = await c.get('/network/manage/campaigns/new');
    for (const ch of choices.slice(0, 3)) expect(form.text).toContain(`value="${ch.key}"`);
    if (choices.length === 0) {
      expect(form.text).toContain('Chưa có nội dung đã đăng để chọn');
      return;
    }
    const ward = units.find((u) => u.full_name === 'Phường Phú Xuân')!;
    const r = await c.post('/network/manage/campaigns', {
      title: 'Từ nội dung đã đăng',
      message: 'Chia sẻ bài đã đăng',
      items: [choices[0].key, 'factcheck:999999'],
      units: String(ward.id),
      starts: iso(0),
      ends: iso(3),
    });
    expect(r.status).toBe(422); // an unknown item is refused beside the list
    expect(r.text).toContain('Lựa chọn không hợp lệ.');
    expect(r.text).toMatch(new RegExp(`value="${choices[0].key}" checked`));
    const ok = await c.post('/network/manage/campaigns', {
      title: 'Từ nội dung đã đăng',
      message: 'Chia sẻ bài đã đăng',
      items: [choices[0].key],
      units: String(ward.id),
      starts: iso(0),
      ends: iso(3),
    });
    expect(ok.status).toBe(303);
    const detail = await c.get(ok.location!);
    expect(detail.text).toContain(`href="${choices[0].url}"`);
  });

  it('lists the member’s running campaigns with personal links over the bearer-token API', async () => {
    const token = await createToken(t.db, member.id, 'test', 'test');
    const api = await t.client().json('/api/v1/me/campaigns', { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    const camp = api.body.campaigns.find((x: { title: string }) => x.title.startsWith('Mùa mưa bão'));
    expect(camp.items.length).toBe(2);
    expect(camp.items[0].link).toMatch(/^http:\/\/test\.local\/s\/[0-9a-z]+-[0-9a-z]+-[\w-]{10}$/);
    expect(camp.items[0].share.facebook).toContain('https://www.facebook.com/sharer/sharer.php?u=');
    expect(camp.items[0].share.x).toContain('https://x.com/intent/post?url=');
    const anon = await t.client().json('/api/v1/me/campaigns');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthorized');
    const bad = await t.client().json('/api/v1/me/campaigns', { headers: { authorization: 'Bearer cn_nope' } });
    expect(bad.status).toBe(401);
    const spec = await t.client().json('/api/v1/openapi.json');
    expect(spec.body.paths['/api/v1/me/campaigns'].get.security).toEqual([{ bearer: [] }]);
  });

  it('counts a short-link visit once for the member’s unit, sets no cookie, and ignores bots and repeats', async () => {
    const token = await createToken(t.db, member.id, 'test2', 'test');
    const api = await t.client().json('/api/v1/me/campaigns', { headers: { authorization: `Bearer ${token}` } });
    const item = api.body.campaigns.find((x: { title: string }) => x.title.startsWith('Mùa mưa bão')).items[1];
    const path = new URL(item.link).pathname;
    const clicks = async () =>
      (await t.db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM network_clicks WHERE item_id = $1 AND user_id = $2`,
        [item.id, member.id],
      ))!.n;
    const before = await clicks();
    const visitor = t.client({ ip: '198.51.100.7' });
    const r = await visitor.get(path, { 'user-agent': UA });
    expect(r.status).toBe(302);
    expect(r.location).toBe('/network/recognition');
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(await clicks()).toBe(before + 1);
    // the same browser again within the window: not counted
    await visitor.get(path, { 'user-agent': UA });
    expect(await clicks()).toBe(before + 1);
    // link preview fetchers and scripts: redirected, not counted
    for (const ua of [
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Mozilla/5.0 (compatible; Googlebot/2.1)',
      'curl/8.5.0',
      '',
    ]) {
      const b = await t.client({ ip: '198.51.100.8' }).get(path, { 'user-agent': ua });
      expect(b.status).toBe(302);
    }
    expect(await clicks()).toBe(before + 1);
    // another visitor counts
    await t.client({ ip: '198.51.100.9' }).get(path, { 'user-agent': UA });
    expect(await clicks()).toBe(before + 2);
    // no visitor address is stored anywhere in the click tables
    const seen = await t.db.query<{ fp: string }>(`SELECT fp FROM network_click_seen`);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((s) => s.fp.includes('198.51'))).toBe(false);
    const unit = await t.db.one<{ unit_id: number }>(
      `SELECT unit_id FROM network_clicks WHERE item_id = $1 ORDER BY id DESC LIMIT 1`,
      [item.id],
    );
    expect(unit!.unit_id).toBe(units.find((u) => u.full_name === 'Phường Phú Xuân')!.id);
  });

  it('shows a clear page for a tampered link and for a link of a finished campaign', async () => {
    const token = await createToken(t.db, member.id, 'test3', 'test');
    const api = await t.client().json('/api/v1/me/campaigns', { headers: { authorization: `Bearer ${token}` } });
    const link = new URL(api.body.campaigns[0].items[0].link).pathname;
    const [, item, user, sig] = link.match(/^\/s\/([^-]+)-([^-]+)-(.+)$/)!;
    const tampered = await t.client().get(`/s/${item}-${(parseInt(user, 36) + 1).toString(36)}-${sig}`);
    expect(tampered.status).toBe(404);
    expect(tampered.text).toContain('Liên kết không hợp lệ');
    expect(tampered.headers.get('set-cookie')).toBeNull();
    expect((await t.client().get('/s/garbage')).status).toBe(404);
    // a link made for an item of the finished campaign
    const { linkCode } = await import('../../src/modules/network/service/links.js');
    const { installationSecret } = await import('../../src/platform/secrets.js');
    const ended = await t.db.one<{ id: number; url: string }>(
      `SELECT id, url FROM network_campaign_items WHERE campaign_id = $1`,
      [finished],
    );
    const r = await t
      .client()
      .get(`/s/${linkCode(await installationSecret(t.deps, 'network.secret'), ended!.id, member.id)}`, {
        'user-agent': UA,
      });
    expect(r.status).toBe(410);
    expect(r.text).toContain('Chiến dịch đã kết thúc');
    expect(r.text).toContain(`href="${ended!.url}"`);
  });

  it('records “I shared this” with its channel and shows the figures by unit to a leader', async () => {
    const c = t.client();
    await c.signIn(member.email);
    const page = await c.get(`/network/campaigns/${campaignId}`);
    expect(page.status).toBe(404); // not in the member's ward
    const open = await c.get(`/network/campaigns/${running}`);
    expect(open.text).toContain('data-copy="http://test.local/s/');
    expect(open.text).toContain('target="_blank"');
    expect(open.text).toContain('https://sp.zalo.me/share_inline?url=');
    const itemId = open.text.match(/data-item="(\d+)"/)![1];
    const shared = await c.post(`/network/campaigns/${running}/items/${itemId}/shared`, { channel: 'zalo' });
    expect(shared.status).toBe(303);
    const after = await c.get(shared.location!);
    expect(after.text).toContain('Cảm ơn bạn! Đã ghi nhận lượt chia sẻ.');
    expect(after.text).toContain('Bạn đã chia sẻ qua: Zalo');
    const ed = t.client();
    await ed.signIn(net.staff.editor.email);
    const fig = await ed.get(`/network/manage/campaigns/${running}`);
    expect(fig.text).toContain('Kết quả theo đơn vị');
    const row = fig.text.match(
      /<tr data-unit="\d+"><td>Phường Phú Xuân<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>([\d,—]+)<\/td><\/tr>/,
    );
    expect(row).not.toBeNull();
    const [reached, opened, shares, clicks] = row!.slice(1, 5).map(Number);
    expect(reached).toBe(9);
    expect(opened).toBeGreaterThan(0);
    expect(shares).toBeGreaterThan(0);
    expect(clicks).toBeGreaterThan(0);
    expect(row![5]).toBe(
      new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(Math.round((clicks / reached) * 1000) / 10),
    );
  });

  it('keeps campaigns and figures to editors, scoped to their units', async () => {
    await makeUser(t.db, { email: 'totruong@campaigns.test', name: 'Tổ Trưởng', role: 'editor', unit: net.thuanHoa });
    const c = t.client();
    await c.signIn('totruong@campaigns.test');
    await c.get('/network/manage/campaigns/new');
    const other = units.find((u) => u.full_name === 'Phường Vỹ Dạ')!;
    const r = await c.post('/network/manage/campaigns', {
      title: 'Ngoài phạm vi',
      message: 'x',
      links: '/',
      units: String(other.id),
      starts: iso(0),
      ends: iso(2),
    });
    expect(r.status).toBe(422);
    expect(r.text).toContain('Bạn không phụ trách đơn vị này.');
    const fig = await c.get(`/network/manage/campaigns/${running}`);
    expect(fig.text).toContain('Phường Thuận Hoá');
    expect(fig.text).not.toContain('<td>Phường Phú Xuân</td>');
    const m = t.client();
    await m.signIn(member.email);
    expect((await m.get('/network/manage/campaigns')).status).toBe(403);
    expect((await m.get('/network/manage')).status).toBe(403);
    expect((await t.client().get('/network')).status).toBe(303);
  });

  it('fans out by each member’s choice: e-mail, every push subscription, and subscribed webhook endpoints for Zalo/SMS gateways', async () => {
    const ward = units.find((u) => u.full_name === 'Phường An Cựu')!;
    const ms = await t.db.query<{ id: number; email: string }>(
      `SELECT us.id, us.email FROM role_grants g JOIN users us ON us.id = g.user_id WHERE g.role = 'member' AND g.unit_id = $1 ORDER BY us.id`,
      [ward.id],
    );
    expect(ms.length).toBe(5);
    await t.db.query(
      `INSERT INTO network_profiles (user_id, notify_email, notify_push, notify_webhook) VALUES ($1, false, true, true)`,
      [ms[0].id],
    );
    await t.db.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES ($1, 'https://push.example/a', 'k', 'a'), ($1, 'https://push.example/b', 'k', 'a')`,
      [ms[1].id],
    );
    await t.db.query(
      `INSERT INTO webhook_endpoints (name, url, secret, events) VALUES ('Cổng SMS', 'http://127.0.0.1:9/sms', 's', '{network.campaign}'), ('Khác', 'http://127.0.0.1:9/x', 's', '{crisis.statement}')`,
    );
    const c = t.client();
    await c.signIn(net.staff.editor.email);
    await c.get('/network/manage/campaigns/new');
    const r = await c.post('/network/manage/campaigns', {
      title: 'Theo kênh',
      message: 'Thử kênh',
      links: '/',
      units: String(ward.id),
      starts: iso(0),
      ends: iso(3),
    });
    expect(r.status).toBe(303);
    const id = Number(r.location!.match(/campaigns\/(\d+)/)![1]);
    const out = await fanout(t.db, id, 'http://test.local');
    expect(out).toEqual({ users: 5, messages: 4 + 2 + 1 });
    const rows = await t.db.query<{ channel: string; recipient: string; vars: Record<string, string> }>(
      `SELECT channel, recipient, vars FROM notifications WHERE ref_type = 'network.campaign' AND ref_id = $1 ORDER BY id`,
      [String(id)],
    );
    expect(
      rows
        .filter((x) => x.channel === 'email')
        .map((x) => x.recipient)
        .sort(),
    ).toEqual(
      ms
        .slice(1)
        .map((m) => m.email)
        .sort(),
    );
    expect(rows.filter((x) => x.channel === 'push').length).toBe(2);
    expect(rows.filter((x) => x.channel === 'webhook').length).toBe(1);
    const jobs = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE type = 'notify.deliver' AND (payload->>'notificationId')::bigint IN (SELECT id FROM notifications WHERE ref_id = $1 AND ref_type = 'network.campaign')`,
      [String(id)],
    );
    expect(jobs!.n).toBe(7);
    // a second run of the job sends nothing twice
    expect(await fanout(t.db, id, 'http://test.local')).toEqual({ users: 0, messages: 0 });
    // small batches walk the whole audience once
    const vyDa = units.find((u) => u.full_name === 'Phường Vỹ Dạ')!;
    const r2 = await c.post('/network/manage/campaigns', {
      title: 'Lô nhỏ',
      message: 'Thử lô',
      links: '/',
      units: String(vyDa.id),
      starts: iso(0),
      ends: iso(3),
    });
    const id2 = Number(r2.location!.match(/campaigns\/(\d+)/)![1]);
    expect(await fanout(t.db, id2, 'http://test.local', 2)).toEqual({ users: 6, messages: 6 });
    const audience = await t.db.one<{ audience: number }>(`SELECT audience FROM network_campaigns WHERE id = $1`, [
      id2,
    ]);
    expect(audience!.audience).toBe(6);
  });

  it('speaks English when asked', async () => {
    const c = t.client();
    await c.signIn(member.email);
    await c.get('/lang/en?next=/network');
    const feed = await c.get('/network');
    expect(feed.text).toContain('Sharing network feed');
    expect(feed.text).toContain('Running campaigns');
    const page = await c.get(`/network/campaigns/${running}`);
    expect(page.text).toContain('Copy link');
    expect(page.text).toContain('Record my share');
    const bad = await t.client().get('/s/zz-zz-0123456789?lang=en');
    expect(bad.text).toContain('Invalid link');
  });

  it('gives the reports module its figures and the crisis module its member list', async () => {
    const province = units[0];
    const f = await networkModule.figures!(t.db, {
      unitPath: province.path,
      from: new Date(Date.now() - 365 * 86400_000),
      to: new Date(Date.now() + 86400_000),
    });
    expect(f.network!.members).toBe(27);
    expect(f.network!.clicks).toBeGreaterThan(0);
    expect(f.network!.reportedShares).toBeGreaterThan(0);
    expect(f.network!.campaigns).toBeGreaterThanOrEqual(6);
    expect(f.network!.clicksPer100Members).toBe(Math.round((f.network!.clicks / 27) * 1000) / 10);
    expect(f.network!.trainingCompleted).toBeGreaterThan(0);
    const ward = units.find((u) => u.full_name === 'Phường Phú Xuân')!;
    const list = await membersOfUnits(t.db, [ward.path]);
    expect(list.length).toBe(9);
    expect(list.map((x) => x.email)).toContain(member.email);
    expect(list.every((x) => x.unitId === ward.id)).toBe(true);
  });
});
