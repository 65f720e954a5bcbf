import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkCode } from '../../src/modules/network/service/links.js';
import { installationSecret } from '../../src/platform/secrets.js';
import { countClick } from '../../src/modules/network/repo.js';
import { fanout } from '../../src/modules/network/service.js';
import { createToken } from '../../src/platform/auth/service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import {
  type Account,
  makeCampaign,
  makeCityStaff,
  makeUser,
  realCity,
  type STAFF_ROLES,
  type Unit,
} from '../helpers/factories.js';

const UA =
  'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);

describe(`network campaigns: edit and cancel (${testDbKind()})`, () => {
  let t: TestApp;
  let campaignId = 0;
  let memberId = 0;
  let units: Record<string, Unit>;
  let staff: Record<(typeof STAFF_ROLES)[number], Account>;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    units = await realCity(t.db);
    staff = await makeCityStaff(t.db, 'campaign-edit');
    memberId = staff.member.id;
  });
  afterAll(() => t?.close());

  const editor = async () => {
    const c = t.client();
    await c.signIn('editor@campaign-edit.test');
    return c;
  };
  const member = async () => {
    const c = t.client();
    await c.signIn('member@campaign-edit.test');
    return c;
  };
  const audits = (action: string) =>
    t.db.query<{ actor_label: string; entity_id: string; data: Record<string, unknown> }>(
      `SELECT actor_label, entity_id::text AS entity_id, data FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    );

  it('lets the organiser edit title, message and end date, refusing bad input beside the field and keeping it', async () => {
    const c = await editor();
    await c.get('/network/manage/campaigns/new');
    const ward = await t.db.one<{ id: number }>(`SELECT id FROM units WHERE full_name = 'Phường Phú Xuân'`);
    const r = await c.post('/network/manage/campaigns', {
      title: 'Lịch tiêm chủng tháng này',
      message: 'Chia sẻ lịch chính thức.',
      links: 'Ghi nhận | /network/recognition',
      units: String(ward!.id),
      starts: iso(0),
      ends: iso(5),
    });
    expect(r.status).toBe(303);
    campaignId = Number(r.location!.match(/campaigns\/(\d+)/)![1]);
    const detail = await c.get(`/network/manage/campaigns/${campaignId}`);
    expect(detail.text).toContain(`href="/network/manage/campaigns/${campaignId}/edit"`);

    const form = await c.get(`/network/manage/campaigns/${campaignId}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Lịch tiêm chủng tháng này"');
    expect(form.text).toContain(`value="${iso(5)}"`);
    const bad = await c.post(`/network/manage/campaigns/${campaignId}/edit`, {
      title: '',
      message: 'Lời nhắn mới đã sửa',
      ends: iso(-3),
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Lời nhắn mới đã sửa');
    expect(bad.text).toMatch(/id="f-title"[^>]*aria-invalid="true"/);
    expect(bad.text).toContain('Ngày kết thúc phải sau ngày bắt đầu.');
    expect(bad.text).toContain(`value="${iso(-3)}"`);

    const ok = await c.post(`/network/manage/campaigns/${campaignId}/edit`, {
      title: 'Lịch tiêm chủng (đã cập nhật)',
      message: 'Lời nhắn mới đã sửa',
      ends: iso(9),
    });
    expect(ok.status).toBe(303);
    const after = await c.get(ok.location!);
    expect(after.text).toContain('Đã lưu thay đổi của chiến dịch.');
    expect(after.text).toContain('<h1>Lịch tiêm chủng (đã cập nhật)</h1>');
    const m = await member();
    const feed = await m.get('/network');
    expect(feed.text).toContain('Lịch tiêm chủng (đã cập nhật)');
    expect(feed.text).toContain('Lời nhắn mới đã sửa');
    const a = (await audits('network.campaign.update')).at(-1)!;
    expect(a.actor_label).toBe('editor@campaign-edit.test');
    expect(a.entity_id).toBe(String(campaignId));
    expect(a.data).toMatchObject({
      changed: ['title', 'message', 'ends'],
      before: { title: 'Lịch tiêm chủng tháng này', ends: iso(5) },
      after: { title: 'Lịch tiêm chủng (đã cập nhật)', ends: iso(9) },
    });
  });

  it('does not edit a campaign that has ended, and keeps edit and cancel to its organisers', async () => {
    const c = await editor();
    const endedId = await makeCampaign(t.deps, {
      by: staff.editor.id,
      units: [units['46']],
      title: 'Hướng dẫn gửi phản ánh qua Hộp thư kết nối',
    });
    // a campaign that ran last month (the organiser's form only takes dates from today on)
    await t.db.query(
      `UPDATE network_campaigns SET starts_at = now() - interval '30 days', ends_at = now() - interval '20 days' WHERE id = $1`,
      [endedId],
    );
    const ended = { id: endedId };
    expect((await c.get(`/network/manage/campaigns/${ended!.id}/edit`)).status).toBe(409);
    const post = await c.post(`/network/manage/campaigns/${ended!.id}/edit`, {
      title: 'x',
      message: 'y',
      ends: iso(3),
    });
    expect(post.status).toBe(409);
    expect(post.text).toContain('Chiến dịch đã kết thúc hoặc đã bị hủy nên không sửa được.');
    expect((await c.get(`/network/manage/campaigns/${ended!.id}`)).text).not.toContain(`/campaigns/${ended!.id}/edit"`);

    await makeUser(t.db, {
      email: 'totruong2@campaign-edit.test',
      name: 'Tổ Trưởng Hai',
      role: 'editor',
      unit: units['19789'],
    });
    const other = t.client();
    await other.signIn('totruong2@campaign-edit.test');
    expect((await other.get(`/network/manage/campaigns/${campaignId}/edit`)).status).toBe(403);
    expect(
      (
        await other.post(`/network/manage/campaigns/${campaignId}/cancel`, {
          reason: 'Không phải của tôi',
          confirm: '1',
        })
      ).status,
    ).toBe(403);
    const m = await member();
    expect(
      (await m.post(`/network/manage/campaigns/${campaignId}/cancel`, { reason: 'Thử hủy', confirm: '1' })).status,
    ).toBe(403);
    expect(
      (await t.db.one<{ status: string }>(`SELECT status FROM network_campaigns WHERE id = $1`, [campaignId]))!.status,
    ).toBe('launched');
  });

  it('cancels with a reason and a confirmation: gone from feeds, links show a polite withdrawn page, clicks kept, pending notices stopped, audited', async () => {
    // the member's personal link is visited once while the campaign runs
    const item = await t.db.one<{ id: number }>(`SELECT id FROM network_campaign_items WHERE campaign_id = $1`, [
      campaignId,
    ]);
    const path = `/s/${linkCode(await installationSecret(t.deps, 'network.secret'), item!.id, memberId)}`;
    const visit = await t.client({ ip: '198.51.100.21' }).get(path, { 'user-agent': UA });
    expect(visit.status).toBe(302);
    const clicks = async () =>
      (await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM network_clicks WHERE campaign_id = $1`, [
        campaignId,
      ]))!.n;
    expect(await clicks()).toBe(1);
    // notifications queued, not yet delivered
    const out = await fanout(t.db, campaignId, 'http://test.local');
    expect(out.messages).toBeGreaterThan(0);

    const c = await editor();
    const confirm = await c.get(`/network/manage/campaigns/${campaignId}/cancel`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('số liệu lượt mở liên kết và lượt chia sẻ đã có vẫn được giữ');
    const bad = await c.post(`/network/manage/campaigns/${campaignId}/cancel`, { reason: 'Lịch đổi' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Lịch đổi');
    expect(bad.text).toContain('Hãy đánh dấu ô xác nhận để hủy chiến dịch.');
    const short = await c.post(`/network/manage/campaigns/${campaignId}/cancel`, { reason: 'x', confirm: '1' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('Tối thiểu 5 ký tự.');
    expect(
      (await t.db.one<{ status: string }>(`SELECT status FROM network_campaigns WHERE id = $1`, [campaignId]))!.status,
    ).toBe('launched');

    const ok = await c.post(`/network/manage/campaigns/${campaignId}/cancel`, {
      reason: 'Lịch tiêm đã thay đổi, chờ thông báo mới',
      confirm: '1',
    });
    expect(ok.status).toBe(303);
    const detail = await c.get(ok.location!);
    expect(detail.text).toContain('Đã hủy chiến dịch.');
    expect(detail.text).toContain('bởi Trần Thị Biên. Lý do: Lịch tiêm đã thay đổi, chờ thông báo mới');
    expect(detail.text).not.toContain(`/campaigns/${campaignId}/cancel"`);
    const totals = detail.text.match(
      /<tr class="total"><th>[^<]+<\/th><th>\d+<\/th><th>\d+<\/th><th>\d+<\/th><th>(\d+)<\/th>/,
    );
    expect(Number(totals![1])).toBe(1);
    const list = await c.get('/network/manage/campaigns');
    expect(list.text).toMatch(
      new RegExp(
        `<tr data-campaign="${campaignId}" class="cancelled"><td><a [^>]+>Lịch tiêm chủng \\(đã cập nhật\\)</a></td><td>Đã hủy</td>`,
      ),
    );

    // members: gone from the feed and the API; the campaign page says it was withdrawn
    const m = await member();
    expect((await m.get('/network')).text).not.toContain('Lịch tiêm chủng');
    const token = await createToken(t.db, memberId, 'cancel-test', 'test');
    const api = await t.client().json('/api/v1/me/campaigns', { headers: { authorization: `Bearer ${token}` } });
    expect(api.body.campaigns.map((x: { id: number }) => x.id)).not.toContain(campaignId);
    const page = await m.get(`/network/campaigns/${campaignId}`);
    expect(page.status).toBe(410);
    expect(page.text).toContain('Chiến dịch này đã được đơn vị tổ chức rút lại.');

    // the tracked link no longer redirects, and nothing more is counted
    const after = await t.client({ ip: '198.51.100.22' }).get(path, { 'user-agent': UA });
    expect(after.status).toBe(410);
    expect(after.location).toBeNull();
    expect(after.text).toContain('Chiến dịch đã được rút lại');
    expect(after.text).not.toContain('href="/network/recognition"');
    expect(after.text).not.toContain('Xem nội dung');
    expect(await clicks()).toBe(1);
    // another process whose cached link target predates the cancellation counts nothing either
    const unit = (await t.db.one<{ unit_id: number }>(`SELECT unit_id FROM network_clicks WHERE campaign_id = $1`, [
      campaignId,
    ]))!.unit_id;
    expect(
      await countClick(t.db, 'stale-cache-visit', 1800, {
        campaignId,
        itemId: item!.id,
        userId: memberId,
        unitId: unit,
      }),
    ).toBe(false);
    expect(await clicks()).toBe(1);

    const notes = await t.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM notifications WHERE ref_type = 'network.campaign' AND ref_id = $1 GROUP BY status`,
      [String(campaignId)],
    );
    expect(notes).toEqual([{ status: 'failed', n: out.messages }]);
    const a = (await audits('network.campaign.cancel')).at(-1)!;
    expect(a.actor_label).toBe('editor@campaign-edit.test');
    expect(a.data).toMatchObject({
      reason: 'Lịch tiêm đã thay đổi, chờ thông báo mới',
      was: 'active',
      clicksKept: 1,
      notificationsStopped: out.messages,
    });

    // once is enough; and a cancelled campaign cannot be edited
    expect(
      (await c.post(`/network/manage/campaigns/${campaignId}/cancel`, { reason: 'Lần nữa cho chắc', confirm: '1' }))
        .status,
    ).toBe(409);
    expect((await c.get(`/network/manage/campaigns/${campaignId}/edit`)).status).toBe(409);
    expect((await audits('network.campaign.cancel')).length).toBe(1);
  });

  it('says so in English too', async () => {
    const item = await t.db.one<{ id: number }>(`SELECT id FROM network_campaign_items WHERE campaign_id = $1`, [
      campaignId,
    ]);
    const r = await t
      .client()
      .get(`/s/${linkCode(await installationSecret(t.deps, 'network.secret'), item!.id, memberId)}?lang=en`, {
        'user-agent': UA,
      });
    expect(r.status).toBe(410);
    expect(r.text).toContain('This campaign was withdrawn');
    const c = await editor();
    await c.get(`/lang/en?next=/network/manage/campaigns`);
    expect((await c.get('/network/manage/campaigns')).text).toContain('Cancelled');
  });
});
