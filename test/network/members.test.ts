import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser } from '../helpers/factories.js';
import { type CityNetwork, makeCityNetwork, makeJoinRequest } from '../helpers/factories-network.js';
import { startSmtp } from '../helpers/smtp.js';

describe(`network members, invitations and scoping (${testDbKind()})`, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let net: CityNetwork;
  let unit: (name: string) => { id: number; path: string };
  let member: string;
  let newcomerRequest: number;
  const leader = 'lead.thuanhoa@members.test';
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    net = await makeCityNetwork(t.db, 'members');
    const wards = [net.phuXuan, net.thuanHoa];
    unit = (name) => wards.find((u) => u.name === name)!;
    member = net.staff.member.email;
    // a leader of one ward only
    await makeUser(t.db, { email: leader, name: 'Lê Thị Tổ Trưởng', role: 'editor', unit: net.thuanHoa });
    // a confirmed request to join another ward, waiting for its leader
    newcomerRequest = await makeJoinRequest(t.deps, net.staff.editor.id, {
      unit: net.phuXuan,
      group: net.groups.phuXuan,
      name: 'Trương Thị Mới',
      email: 'nguoimoi@members.test',
      phone: '0905123456',
    });
    // its confirmation mail goes out now, so the tests below count only the mails they cause
    await t.drainJobs();
    await smtp.waitFor(1);
    smtp.mails.length = 0;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('scopes the directory to the leader’s units', async () => {
    const c = t.client();
    await c.signIn(leader);
    const page = await c.get('/network/manage');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Thành viên (7)');
    expect(page.text).toContain('Đoàn thanh niên phường Thuận Hoá');
    expect(page.text).not.toContain(member);
    expect(page.text).not.toContain('Trương Thị Mới'); // a join request of another ward
    const all = t.client();
    await all.signIn(net.staff.editor.email);
    const full = await all.get('/network/manage');
    expect(full.text).toContain('Thành viên (27)');
    expect(full.text).toContain('Trương Thị Mới');
    const search = await all.get('/network/manage?q=hoang van chia');
    expect(search.text).toContain('Thành viên (1)');
    expect(search.text).toContain(member);
  });

  it('shows a member only their groups’ names and sizes, and no directory', async () => {
    const c = t.client();
    await c.signIn(member);
    const feed = await c.get('/network');
    expect(feed.text).toContain('Tổ chia sẻ khu vực Phú Xuân — Phường Phú Xuân (5 thành viên)');
    expect(feed.text).not.toContain('Đoàn thanh niên phường Thuận Hoá');
    expect(feed.text).not.toContain(net.members[0].email); // a member of the same group
    expect((await c.get('/network/manage')).status).toBe(403);
  });

  it('invites by link: a newcomer asks to join, the leader approves, the account can sign in and gets an e-mail', async () => {
    const c = t.client();
    await c.signIn(leader);
    await c.get('/network/manage');
    const created = await c.post('/network/manage/invites', {
      unit: String(unit('Phường Thuận Hoá').id),
      group: '',
      days: '7',
    });
    expect(created.status).toBe(200);
    const url = created.text.match(/Liên kết mời mới: (http:\/\/test\.local\/network\/join\/[\w-]+)/)![1];
    const path = new URL(url).pathname;
    const outsider = t.client({ ip: '203.0.113.50' });
    const form = await outsider.get(path);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Phường Thuận Hoá');
    const bad = await outsider.post(path, {
      name: 'Ngô Văn Mới',
      email: 'not-an-email',
      phone: '12',
      password: 'short',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('value="Ngô Văn Mới"');
    expect(bad.text).toContain('Địa chỉ thư điện tử không hợp lệ.');
    expect(bad.text).toContain('Số điện thoại không hợp lệ.');
    const ok = await outsider.post(path, { name: 'Ngô Văn Mới', email: 'ngo.moi@example.org', phone: '0905 111 222' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Đã gửi yêu cầu tham gia. Hãy mở thư chúng tôi vừa gửi');
    expect(ok.text).not.toContain('name="password"');
    // until the address is confirmed the leader neither sees the request nor can approve it
    expect((await c.get('/network/manage')).text).not.toContain('Ngô Văn Mới');
    const unconfirmed = await t.db.one<{ id: number }>(
      `SELECT id FROM network_join_requests WHERE email = 'ngo.moi@example.org'`,
    );
    const early = await c.post(`/network/manage/requests/${unconfirmed!.id}/approve`, {});
    expect(early.status).toBe(409);
    expect(early.text).toContain('chưa xác nhận địa chỉ thư');
    // asking again answers the same (nobody learns what is pending)
    const again = await outsider.post(path, { name: 'Ngô Văn Mới', email: 'ngo.moi@example.org' });
    expect(again.status).toBe(200);
    expect(again.text).toContain('Đã gửi yêu cầu tham gia');
    await t.drainJobs();
    const confirmMail = (await smtp.waitFor(1)).find((m) => m.to.includes('ngo.moi@example.org'))!;
    expect(confirmMail.subject).toContain('Xác nhận địa chỉ thư để tham gia mạng lưới Phường Thuận Hoá');
    const link = new URL(confirmMail.text.match(/http:\/\/test\.local\/network\/join\/confirm\/[\w-]+/)![0]).pathname;
    const joiner = t.client({ ip: '203.0.113.51' });
    const confirmPage = await joiner.get(link);
    expect(confirmPage.status).toBe(200);
    expect(confirmPage.text).toContain('ngo.moi@example.org');
    expect(confirmPage.text).toContain('Chọn mật khẩu cho tài khoản mới');
    const short = await joiner.post(link, { password: 'short' });
    expect(short.status).toBe(422);
    expect((await joiner.post(link, { password: 'matkhau-dai' })).text).toContain('Đã xác nhận địa chỉ thư.');
    expect((await joiner.get(link)).status).toBe(410); // used once
    const manage = await c.get('/network/manage');
    const reqId = manage.text.match(/data-request="(\d+)"[^]*?Ngô Văn Mới/)![1];
    const approved = await c.post(`/network/manage/requests/${reqId}/approve`, {});
    expect(approved.status).toBe(303);
    expect((await c.get(approved.location!)).text).toContain('Đã duyệt yêu cầu của Ngô Văn Mới.');
    await t.drainJobs();
    const mail = (await smtp.waitFor(2)).find(
      (m) => m.to.includes('ngo.moi@example.org') && m.subject.includes('đã được duyệt'),
    );
    expect(mail).toBeTruthy();
    const newcomer = t.client();
    await newcomer.signIn('ngo.moi@example.org', 'matkhau-dai');
    expect((await newcomer.get('/network')).text).toContain('Bảng tin mạng lưới chia sẻ');
    // a revoked or made-up invitation shows a clear page
    expect((await t.client().get('/network/join/nope')).status).toBe(410);
    expect((await t.client().get('/network/join/nope')).text).toContain('không hợp lệ, đã hết hạn hoặc đã bị thu hồi');
  });

  it('pre-registering an official’s address gives the attacker nothing: no account, no grant, no sign-in', async () => {
    const c = t.client();
    await c.signIn(leader);
    await c.get('/network/manage');
    const created = await c.post('/network/manage/invites', {
      unit: String(unit('Phường Thuận Hoá').id),
      group: '',
      days: '7',
    });
    const path = new URL(created.text.match(/(http:\/\/test\.local\/network\/join\/[\w-]+)/)![1]).pathname;
    const attacker = t.client({ ip: '203.0.113.60' });
    await attacker.get(path);
    const before = smtp.mails.length;
    // a new official not yet on the platform, and an existing account
    for (const email of ['chu.tich@hue.gov.vn', member]) {
      const r = await attacker.post(path, { name: 'Giả Mạo', email, password: 'attacker-pass' });
      expect(r.status).toBe(200);
      expect(r.text).toContain('Đã gửi yêu cầu tham gia');
    }
    // the leader sees nothing to approve, and a forced approval is refused
    expect((await c.get('/network/manage')).text).not.toContain('Giả Mạo');
    for (const row of await t.db.query<{ id: number }>(`SELECT id FROM network_join_requests WHERE name = 'Giả Mạo'`)) {
      expect((await c.post(`/network/manage/requests/${row.id}/approve`, {})).status).toBe(409);
    }
    expect(await t.db.one(`SELECT 1 FROM users WHERE email = 'chu.tich@hue.gov.vn'`)).toBeUndefined();
    const probe = t.client({ ip: '203.0.113.61' });
    await probe.get('/signin');
    expect((await probe.post('/signin', { email: 'chu.tich@hue.gov.vn', password: 'attacker-pass' })).status).toBe(401);
    // the mail goes to the address's owner, never to the attacker
    await t.drainJobs();
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['chu.tich@hue.gov.vn', member].sort());
    // the owner of an existing account confirms with a button and chooses no password
    const link = new URL(
      mails.find((m) => m.to.includes(member))!.text.match(/http:\/\/test\.local\/network\/join\/confirm\/[\w-]+/)![0],
    ).pathname;
    const page = await t.client().get(link);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="password"');
  });

  it('a leader cannot approve requests or remove members outside their units', async () => {
    const c = t.client();
    await c.signIn(leader);
    await c.get('/network/manage');
    expect((await c.post(`/network/manage/requests/${newcomerRequest}/approve`, {})).status).toBe(403);
    expect(
      (
        await c.post(`/network/manage/members/${net.staff.member.id}/remove`, {
          unit: String(unit('Phường Phú Xuân').id),
        })
      ).status,
    ).toBe(403);
    const inv = await c.post('/network/manage/invites', { unit: String(unit('Phường Phú Xuân').id), days: '7' });
    expect(inv.status).toBe(422);
    expect(inv.text).toContain('Bạn không phụ trách đơn vị này.');
  });

  it('imports a CSV list: reports each bad line and imports the rest, with a set-password e-mail to new accounts', async () => {
    const c = t.client();
    await c.signIn(leader);
    await c.get('/network/manage');
    const csv = [
      'email,họ tên,điện thoại,nhóm',
      'an.nguyen@example.org,Nguyễn Văn An,0912345678,Đoàn thanh niên phường Thuận Hoá',
      ',Thiếu Thư',
      'sai-email,Sai Thư',
      'binh.tran@example.org,',
      'chi.le@example.org,Lê Thị Chi,12ab',
      'an.nguyen@example.org,Nguyễn Văn An',
      'dung.pham@example.org,Phạm Dũng,,Nhóm không có',
      `${net.members[8].email},Đã là thành viên`, // the first member of Thuận Hoá
      '"giang.vo@example.org","Võ Giang, cán bộ",0987654321,',
    ].join('\n');
    const file = new File([csv], 'danh-sach.csv', { type: 'text/csv' });
    const started = await c.post(
      '/network/manage/import',
      { unit: String(unit('Phường Thuận Hoá').id), file },
      { multipart: true },
    );
    // the import runs as a job: its page counts the rows and reloads itself until the job is done
    expect(started.status).toBe(303);
    expect(started.location).toMatch(/^\/network\/manage\/import\/\d+$/);
    const waiting = await c.get(started.location!);
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain('Đang chờ bắt đầu: 9 dòng.');
    expect(waiting.text).toMatch(/<meta http-equiv="refresh" content="3"/);
    expect(waiting.text).toContain(`href="${started.location}"`);
    // a leader of the city above the ward may follow it too; a member may not
    const city = t.client();
    await city.signIn(net.staff.editor.email);
    expect((await city.get(started.location!)).status).toBe(200);
    const memberClient = t.client();
    await memberClient.signIn(member);
    expect((await memberClient.get(started.location!)).status).toBe(403);
    await t.drainJobs();
    const r = await c.get(started.location!);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('http-equiv="refresh"');
    expect(r.text).toContain('Đã nhập 2 dòng, 7 dòng lỗi.');
    const line = (n: number) =>
      r.text.match(new RegExp(`data-line="${n}"><td>${n}</td><td>[^<]*</td><td>([^<]*)</td>`))?.[1];
    expect(line(2)).toBe('Đã thêm');
    expect(line(3)).toBe('thiếu thư điện tử');
    expect(line(4)).toBe('thư điện tử “sai-email” không hợp lệ');
    expect(line(5)).toBe('thiếu họ tên');
    expect(line(6)).toBe('số điện thoại “12ab” không hợp lệ');
    expect(line(7)).toBe('trùng với dòng 2');
    expect(line(8)).toBe('không có nhóm “Nhóm không có” trong đơn vị');
    expect(line(9)).toBe('đã là thành viên của đơn vị');
    expect(line(10)).toBe('Đã thêm');
    const giang = await t.db.one<{ name: string }>(`SELECT name FROM users WHERE email = 'giang.vo@example.org'`);
    expect(giang!.name).toBe('Võ Giang, cán bộ');
    const groups = await t.db.query(
      `SELECT 1 FROM network_group_members gm JOIN users u ON u.id = gm.user_id WHERE u.email = 'an.nguyen@example.org'`,
    );
    expect(groups.length).toBe(1);
    await t.drainJobs();
    const mails = await smtp.waitFor(3);
    const welcome = mails.find((m) => m.to.includes('an.nguyen@example.org'));
    expect(welcome?.subject).toContain('Chào mừng bạn đến với mạng lưới chia sẻ Phường Thuận Hoá');
    expect(welcome?.text).toMatch(/http:\/\/test\.local\/reset\/[\w-]+/);
    // an empty import is refused beside the field
    const empty = await c.post(
      '/network/manage/import',
      { unit: String(unit('Phường Thuận Hoá').id), csv: '' },
      { multipart: true },
    );
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Hãy chọn tệp CSV hoặc dán nội dung.');
  });

  it('removes a member; a member edits their profile and notification settings, and can leave', async () => {
    const lead = t.client();
    await lead.signIn(leader);
    await lead.get('/network/manage');
    const an = await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'an.nguyen@example.org'`);
    const removed = await lead.post(`/network/manage/members/${an!.id}/remove`, {
      unit: String(unit('Phường Thuận Hoá').id),
    });
    expect(removed.status).toBe(303);
    const after = await lead.get(removed.location!);
    expect(after.text).toContain('Đã xóa Nguyễn Văn An khỏi mạng lưới.');
    expect(after.text).not.toContain('an.nguyen@example.org');
    const audit = await t.db.one(`SELECT 1 FROM audit_log WHERE action = 'network.member.remove' AND entity_id = $1`, [
      String(an!.id),
    ]);
    expect(audit).toBeTruthy();

    const m = t.client();
    await m.signIn('ngo.moi@example.org', 'matkhau-dai');
    const prof = await m.get('/network/profile');
    expect(prof.text).toContain('value="Ngô Văn Mới"');
    const bad = await m.post('/network/profile', { name: '', phone: 'abc', notify_email: '1' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Trường này là bắt buộc.');
    expect(bad.text).toContain('value="abc"');
    const ok = await m.post('/network/profile', { name: 'Ngô Văn Mới Sửa', phone: '0905111222', notify_webhook: '1' });
    expect(ok.status).toBe(303);
    const saved = await m.get('/network/profile');
    expect(saved.text).toContain('value="Ngô Văn Mới Sửa"');
    expect(saved.text).toMatch(/name="notify_email" value="1"\s*\/?>/);
    expect(saved.text).toMatch(/name="notify_webhook" value="1" checked/);
    const left = await m.post('/network/leave', { unit: String(unit('Phường Thuận Hoá').id) });
    expect(left.text).toContain('Bạn đã rời mạng lưới của Phường Thuận Hoá.');
    expect((await m.get('/network')).status).toBe(404);
  });

  it('records a commendation; the member chooses whether it is public', async () => {
    const ed = t.client();
    await ed.signIn(net.staff.editor.email);
    await ed.get('/network/manage');
    const bad = await ed.post('/network/manage/recognition', {
      unit: String(unit('Phường Phú Xuân').id),
      member,
      reason: '',
    });
    expect(bad.status).toBe(422);
    const ok = await ed.post('/network/manage/recognition', {
      unit: String(unit('Phường Phú Xuân').id),
      member,
      reason: 'Gửi sớm tin giả về học phí.',
    });
    expect(ok.status).toBe(303);
    expect((await t.client().get('/network/recognition')).text).not.toContain('Gửi sớm tin giả về học phí.');
    const m = t.client();
    await m.signIn(member);
    const mine = await m.get('/network/recognition/mine');
    const id = mine.text.match(/data-commendation="(\d+)">\s*<strong>Gửi sớm tin giả về học phí\./)![1];
    await m.post(`/network/recognition/${id}/visibility`, { public: '1' });
    const pub = await t.client().get('/network/recognition');
    expect(pub.text).toContain('Gửi sớm tin giả về học phí.');
    expect(pub.text).toContain('Hoàng Văn Chia');
  });

  it('takes claims from the member’s feed, or says clearly that the desk is not ready and keeps the text', async () => {
    const m = t.client();
    await m.signIn(member);
    await m.get('/network/claims/new');
    const empty = await m.post('/network/claims', { text: '', link: 'zalo://x' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Liên kết phải bắt đầu bằng http:// hoặc https://.');
    const r = await m.post('/network/claims', {
      text: 'Nghe nói mai cắt điện toàn thành phố 3 ngày?',
      seenWhere: 'Nhóm Zalo tổ dân phố',
    });
    if (r.status === 503) {
      expect(r.text).toContain('chưa nhận tin qua hệ thống');
      expect(r.text).toContain('Nghe nói mai cắt điện toàn thành phố 3 ngày?');
    } else {
      expect(r.status).toBe(200);
      expect(r.text).toMatch(/Đã gửi\. Mã theo dõi: \S+/);
    }
  });
});
