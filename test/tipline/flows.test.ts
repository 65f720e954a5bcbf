import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tiplineModule } from '../../src/modules/tipline/index.js';
import { purgeConversations } from '../../src/modules/tipline/service/privacy.js';
import { watchCases } from '../../src/modules/tipline/service/watch.js';
import { triage } from '../../src/modules/mailbox/service/triage.js';
import {
  type Account,
  actorOf,
  makeCategory,
  makeCityStaff,
  makeIncident,
  makeReport,
  realCity,
} from '../helpers/factories.js';
import { telegramApp, textImage, type TelegramHarness } from './harness.js';

let h: TelegramHarness;
let people: Record<'admin' | 'editor' | 'reviewer' | 'handler' | 'member', Account>;
let followed: string;
let incident: number;
beforeAll(async () => {
  h = await telegramApp({}, { demo: false });
  const city = await realCity(h.db);
  people = await makeCityStaff(h.db, 'flows');
  const category = await makeCategory(h.deps, people.admin.id, { code: 've-sinh', name: 'Vệ sinh môi trường' });
  const report = await makeReport(h.deps, { unit: city['19815'], category });
  await triage(h.deps, await actorOf(h.db, people.handler.id), report.id, 'accept', null);
  followed = report.code;
  incident = (await makeIncident(h.deps, { by: people.editor.id, unit: city['46'], affected: [city['19789']] })).id;
});
afterAll(async () => h?.close());

describe('tipline conversations (over Telegram)', () => {
  it('a guided report: category, ward typed without diacritics, description, a photo, skip location, e-mail → code, private link; the answer arrives in the chat', async () => {
    await h.tap(201, '#report');
    await h.drain();
    const cat = h.last(201)!;
    expect(cat.text).toContain('bước 1/6');
    await h.tap(201, cat.buttons.find((b) => b.callback_data.startsWith('#cat:'))!.callback_data);
    await h.drain();
    await h.text(201, 'ngõ gì đó không có');
    await h.drain();
    expect(h.last(201)!.text).toContain('Không tìm thấy phường, xã');
    await h.text(201, 'phu xuan');
    await h.drain();
    expect(h.last(201)!.text).toContain('Bước 3/6');
    await h.text(201, 'ngắn');
    await h.drain();
    expect(h.last(201)!.text).toContain('ít nhất 10 ký tự');
    await h.text(201, 'Rác thải đổ trộm ở bờ sông cạnh chợ, bốc mùi hôi nhiều ngày nay.');
    await h.photo(201, await textImage(['ảnh hiện trường'], { jpeg: 70 }));
    await h.drain();
    expect(h.last(201)!.text).toContain('Đã nhận ảnh 1/');
    await h.tap(201, '#done');
    await h.tap(201, '#skip');
    await h.text(201, 'không phải email');
    await h.drain();
    expect(h.last(201)!.text).toContain('chưa đúng');
    await h.text(201, 'dan201@example.vn');
    await h.drain();
    const filed = h.last(201)!.text;
    expect(filed).toMatch(/Mã hồ sơ: PA-\d{4}-\d+/);
    expect(filed).toMatch(/http:\/\/test\.local\/mailbox\/s\/[\w-]+/);
    const code = filed.match(/PA-\d{4}-\d+/)![0];
    const r = await h.db.one<{ unit: string; email: string; photos: number }>(
      `SELECT u.name AS unit, r.contact_email AS email, (SELECT count(*)::int FROM mailbox_photos p WHERE p.report_id = r.id) AS photos FROM mailbox_reports r JOIN units u ON u.id = r.unit_id WHERE r.code = $1`,
      [code],
    );
    expect(r).toMatchObject({ unit: 'Phú Xuân', email: 'dan201@example.vn', photos: 1 });
    // staff answer it (set directly here; the mailbox's own tests cover its workflow)
    await h.db.query(
      `UPDATE mailbox_reports SET status = 'answered', answer = 'Đội vệ sinh đã thu gom rác ngày 5/12.', answered_at = now() WHERE code = $1`,
      [code],
    );
    await watchCases(h.deps);
    await h.drain();
    expect(h.last(201)!.text).toContain('Đội vệ sinh đã thu gom rác');
  }, 180_000);

  it('follow a code: status now, and changes later', async () => {
    const code = followed;
    await h.tap(202, '#follow');
    await h.text(202, code.toLowerCase());
    await h.drain();
    expect(h.last(202)!.text).toMatch(new RegExp(`Đã theo dõi mã ${code}. Tình trạng hiện tại: `));
    await h.text(202, 'PA-2020-999999');
    await h.drain();
    expect(h.last(202)!.text).toContain('Không tìm thấy mã PA-2020-999999');
  });

  it('crisis alerts: subscribe to a ward; a released statement for it arrives with one tap to stop; stop everything', async () => {
    await h.tap(203, '#sub');
    await h.text(203, 'Thuận Hóa');
    await h.drain();
    expect(h.last(203)!.text).toContain('Đã đăng ký nhận cảnh báo khẩn cấp của Phường Thuận Hoá');
    const editor = h.client();
    await editor.signIn(people.editor.email);
    const reviewer = h.client();
    await reviewer.signIn(people.reviewer.email);
    const res = await editor.post('/staff/crisis/statements', {
      incidentId: String(incident),
      kind: 'notice',
      refersTo: '',
      title: 'Cảnh báo ngập sâu đường Lê Lợi',
      body: 'Người dân không đi qua đường Lê Lợi từ 18 giờ hôm nay.',
    });
    expect(res.status).toBe(303);
    const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
    await editor.post(`/staff/crisis/statements/${id}/submit`, {});
    expect((await reviewer.post(`/staff/crisis/statements/${id}/release`, {})).status).toBe(303);
    await h.drain();
    const alert = h.last(203)!;
    expect(alert.text).toContain('Cảnh báo ngập sâu đường Lê Lợi');
    expect(alert.buttons.map((b) => b.callback_data)).toEqual(['#stopalerts']);
    const tracked = await h.db.one<{ status: string }>(
      `SELECT status FROM notifications WHERE ref_type = 'crisis.statement' AND ref_id = $1 AND channel = 'tipline'`,
      [String(id)],
    );
    expect(tracked!.status).toBe('sent');
    await h.tap(203, alert.buttons[0]!.callback_data);
    await h.drain();
    expect(h.last(203)!.text).toContain('Đã dừng mọi cảnh báo khẩn cấp');
    expect(
      (
        await h.db.query(
          `SELECT 1 FROM tipline_subscriptions s JOIN tipline_users u ON u.id = s.user_id WHERE u.address = '203'`,
        )
      ).length,
    ).toBe(0);
    await h.tap(203, '#stop');
    await h.drain();
    expect(h.last(203)!.text).toContain('Đã dừng mọi tin');
  }, 180_000);

  it('staff read the conversation and reply as the office, signed with their name and audited', async () => {
    await h.text(204, 'Tôi muốn hỏi về giờ làm việc của bộ phận một cửa phường');
    await h.tap(204, '#no');
    await h.drain();
    const id = (await h.db.one<{ id: number }>(`SELECT id FROM tipline_users WHERE address = '204'`))!.id;
    const anon = await h.client().get(`/staff/tipline/${id}`);
    expect(anon.status).not.toBe(200);
    const member = h.client();
    await member.signIn(people.member.email);
    expect((await member.get(`/staff/tipline/${id}`)).status).toBe(403);
    const staff = h.client();
    await staff.signIn(people.handler.email);
    const list = await staff.get('/staff/tipline');
    expect(list.text).toContain(`Người dân #${id}`);
    const conv = await staff.get(`/staff/tipline/${id}`);
    expect(conv.text).toContain('giờ làm việc của bộ phận một cửa');
    const empty = await staff.post(`/staff/tipline/${id}/reply`, { text: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Hãy nhập nội dung trả lời');
    expect(
      (await staff.post(`/staff/tipline/${id}/reply`, { text: 'Bộ phận một cửa làm việc từ 7 giờ 30 đến 17 giờ.' }))
        .status,
    ).toBe(303);
    await h.drain();
    const name = (await h.db.one<{ name: string }>(`SELECT name FROM users WHERE email = $1`, [people.handler.email]))!
      .name;
    expect(h.last(204)!.text).toBe(
      `Bộ phận một cửa làm việc từ 7 giờ 30 đến 17 giờ.\n— ${name}, ${h.deps.config.ORG_NAME}`,
    );
    const audit = await h.db.one<{ actor_label: string; entity_id: string }>(
      `SELECT actor_label, entity_id FROM audit_log WHERE action = 'tipline.reply' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({ actor_label: people.handler.email, entity_id: String(id) });
    expect((await staff.get(`/staff/tipline/${id}`)).text).toContain(`Cán bộ ${name}`);
  });

  it('a resident sees their data and deletes it in the chat', async () => {
    await h.text(205, 'dữ liệu của tôi');
    await h.drain();
    expect(h.last(205)!.text).toContain('Dữ liệu chúng tôi lưu về bạn: kênh telegram');
    await h.tap(205, '#delete');
    await h.drain();
    expect(h.last(205)!.text).toContain('Xóa toàn bộ dữ liệu');
    await h.tap(205, '#yes');
    await h.drain();
    expect(h.last(205)!.text).toBe('Đã xóa dữ liệu của bạn.');
    const hashLeft = await h.db.query(`SELECT 1 FROM tipline_users WHERE address = '205'`);
    expect(hashLeft).toHaveLength(0);
  });

  it('stores the platform id only as a hash key; conversations are purged with the mailbox retention', async () => {
    const u = await h.db.one<{ user_hash: string; address: string }>(
      `SELECT user_hash, address FROM tipline_users WHERE address = '204'`,
    );
    expect(u!.user_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(u!.user_hash).not.toContain('204');
    await h.db.query(
      `UPDATE tipline_messages SET created_at = now() - interval '400 days' WHERE user_id = (SELECT id FROM tipline_users WHERE address = '204')`,
    );
    await h.db.query(`UPDATE tipline_users SET updated_at = now() - interval '400 days' WHERE address = '204'`);
    await h.db.query(
      `UPDATE tipline_cases SET created_at = now() - interval '400 days', closed_at = now() - interval '400 days', status = 'closed' WHERE user_id = (SELECT id FROM tipline_users WHERE address = '204')`,
    );
    const r = await purgeConversations(h.db);
    expect(r.messages).toBeGreaterThan(0);
    expect(await h.db.query(`SELECT 1 FROM tipline_users WHERE address = '204'`)).toHaveLength(0);
  });

  it('English accounts get English; the language can be switched in the chat', async () => {
    await h.text(206, 'hi', { lang: 'en' });
    await h.drain();
    expect(h.last(206)!.text).toContain('You can:');
    await h.tap(206, '#lang', 'en');
    await h.drain();
    expect(h.tg.to(206).at(-2)!.text).toBe('Đã chuyển sang tiếng Việt.');
    await h.text(206, 'menu', { lang: 'en' });
    await h.drain();
    expect(h.last(206)!.text).toContain('Bạn có thể:');
  });

  it('figures for the reports module: questions per channel, answered at once or later, subscribers per unit', async () => {
    await h.tap(207, '#sub');
    await h.text(207, 'an cuu');
    await h.drain();
    const root = (await h.db.one<{ path: string }>(
      `SELECT path::text AS path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`,
    ))!.path;
    const f = (
      await tiplineModule.figures!(h.db, {
        unitPath: root,
        from: new Date(Date.now() - 86_400_000),
        to: new Date(Date.now() + 60_000),
      })
    ).tipline!;
    expect(f.subscribersByUnit.find((b) => b.label === 'Phường An Cựu')?.values.subscribers).toBe(1);
    expect(f.subscribers).toBe(1);
    const before = f.questionsReceived;
    await h.text(208, 'Có tin đồn rằng sắp tới thành phố sẽ cấm xe máy trong toàn bộ nội thành');
    await h.tap(208, '#yes');
    await h.drain();
    const g = (
      await tiplineModule.figures!(h.db, {
        unitPath: root,
        from: new Date(Date.now() - 86_400_000),
        to: new Date(Date.now() + 60_000),
      })
    ).tipline!;
    expect(g.questionsReceived).toBe(before + 1);
    expect(g.byChannel[0]).toMatchObject({ key: 'telegram' });
  });

  it('an admin turns channels on and off and stores their settings (audited without the secrets); a bad address is refused beside the field', async () => {
    const admin = h.client();
    await admin.signIn(people.admin.email);
    const page = await admin.get('/staff/tipline/settings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cài đặt kênh tipline');
    const bad = await admin.post('/staff/tipline/settings/messenger', {
      enabled: '1',
      token: 'x',
      apiBase: 'ftp://graph',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Giá trị không hợp lệ');
    expect(
      (
        await admin.post('/staff/tipline/settings/messenger', {
          enabled: '1',
          token: 'page-token-from-admin',
          secret: 'app-secret-from-admin',
          verifyToken: 'vt-admin',
        })
      ).status,
    ).toBe(303);
    const handshake = await h.app.request(
      '/tipline/messenger?hub.mode=subscribe&hub.verify_token=vt-admin&hub.challenge=42',
    );
    expect(await handshake.text()).toBe('42');
    const audit = await h.db.one<{ data: Record<string, unknown> }>(
      `SELECT data FROM audit_log WHERE action = 'tipline.settings' ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.stringify(audit!.data)).not.toContain('page-token-from-admin');
    // turned off: the webhook is gone
    expect((await admin.post('/staff/tipline/settings/telegram', {})).status).toBe(303);
    expect((await h.text(299, 'menu')).status).toBe(404);
    const handler = h.client();
    await handler.signIn(people.handler.email);
    expect((await handler.get('/staff/tipline/settings')).status).toBe(403);
  });
});
