/** In-person training sessions, awards and the reach of members' groups: recorded in pages, counted in the period report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/platform/auth/service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { type Account, makeCityStaff, realCity } from '../helpers/factories.js';

// the current month (a live period: figures of periods over are cached for a day)
const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const monthStart = `${today.slice(0, 8)}01`;

describe(`network: training sessions, awards, groups' reach (${testDbKind()})`, () => {
  let t: TestApp;
  let vyDa = 0;
  let staff: Record<'admin' | 'editor' | 'reviewer' | 'handler' | 'member', Account>;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    vyDa = (await realCity(t.db))['19777'].id;
    staff = await makeCityStaff(t.db, 'practice');
  });
  afterAll(() => t?.close());

  const signedIn = async (email: string) => {
    const c = t.client();
    await c.signIn(email);
    return c;
  };
  const figures = async () => {
    const token = await createToken(t.db, staff.admin.id, 'r', 'test');
    const r = await t.client().json(`/api/v1/reports?unit=46&from=${monthStart}&to=${today}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(200);
    return r.body.figures.network as Record<string, number>;
  };

  it('a session with participants by unit; bad lines are refused beside the field with everything kept', async () => {
    const c = await signedIn(staff.editor.email);
    const before = await figures();
    await c.get('/network/manage/sessions');
    const bad = await c.post('/network/manage/sessions', {
      unit: String(vyDa),
      held_on: today,
      place: 'Nhà văn hoá phường',
      topic: 'Nhận diện tin giả',
      participants: 'Phường Vỹ Dạ: 25\nPhường Không Có: 4',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Dòng 2: không tìm thấy đơn vị “Phường Không Có” trong phạm vi của bạn.');
    expect(bad.text).toContain('Nhà văn hoá phường');
    expect(bad.text).toMatch(/checked=""[^>]*\/?> Phường Vỹ Dạ, Thành phố Huế/);
    const ok = await c.post('/network/manage/sessions', {
      unit: String(vyDa),
      held_on: today,
      place: 'Nhà văn hoá phường',
      topic: 'Nhận diện tin giả',
      participants: 'Phường Vỹ Dạ: 25\nphuong phu xuan: 12',
    });
    expect(ok.status).toBe(303);
    const list = await c.get(ok.location!);
    expect(list.text).toContain('Đã ghi nhận.');
    expect(list.text).toMatch(
      new RegExp(
        `<td>${today}</td><td>Nhận diện tin giả</td><td>Nhà văn hoá phường</td><td>Phường Vỹ Dạ</td><td class="num">37</td>`,
      ),
    );
    const after = await figures();
    expect(after.sessions - (before.sessions ?? 0)).toBe(1);
    expect(after.sessionParticipants - (before.sessionParticipants ?? 0)).toBe(37);
    const audit = await t.db.one<{ data: { participants: number } }>(
      `SELECT data FROM audit_log WHERE action = 'network.session.create' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit!.data.participants).toBe(37);
  });

  it('an award with type, level and decision number, counted in the period of its decision', async () => {
    const c = await signedIn(staff.editor.email);
    const before = await figures();
    await c.get('/network/manage/awards');
    const bad = await c.post('/network/manage/awards', {
      unit: String(vyDa),
      recipient: 'Tổ truyền thông phường Vỹ Dạ',
      award_type: 'merit',
      level: 'galaxy',
      decision_number: '',
      decided_on: today,
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Tổ truyền thông phường Vỹ Dạ');
    const ok = await c.post('/network/manage/awards', {
      unit: String(vyDa),
      recipient: 'Tổ truyền thông phường Vỹ Dạ',
      award_type: 'merit',
      level: 'province',
      decision_number: '1234/QĐ-UBND',
      decided_on: today,
    });
    expect(ok.status).toBe(303);
    const list = await c.get(ok.location!);
    expect(list.text).toContain('1234/QĐ-UBND');
    expect(list.text).toContain('Bằng khen');
    expect(list.text).toContain('Cấp tỉnh, thành phố');
    expect((await figures()).awards - (before.awards ?? 0)).toBe(1);
  });

  it("a member declares a group's reach; the report sums what members declared; a handler may not record sessions", async () => {
    const m = await signedIn(staff.member.email);
    const before = await figures();
    await m.get('/network/reach');
    expect(
      (await m.post('/network/reach', { group_name: 'Hội phụ huynh trường Vỹ Dạ', platform: 'zalo', reach: 'nhiều' }))
        .status,
    ).toBe(422);
    const ok = await m.post('/network/reach', {
      group_name: 'Hội phụ huynh trường Vỹ Dạ',
      platform: 'zalo',
      reach: '240',
    });
    expect(ok.status).toBe(303);
    expect((await m.get(ok.location!)).text).toContain('Hội phụ huynh trường Vỹ Dạ (Zalo): 240');
    // saying it again updates the same group
    await m.post('/network/reach', { group_name: 'Hội phụ huynh trường Vỹ Dạ', platform: 'zalo', reach: '260' });
    expect((await figures()).groupReach - (before.groupReach ?? 0)).toBe(260);
    const h = await signedIn(staff.handler.email);
    await h.get('/staff');
    expect(
      (
        await h.post('/network/manage/sessions', {
          unit: String(vyDa),
          held_on: today,
          place: 'x',
          topic: 'y',
          participants: 'Phường Vỹ Dạ: 1',
        })
      ).status,
    ).toBe(403);
  });

  it('a member import creates the groups its file names when the leader asks, and says per row what happened', async () => {
    const c = await signedIn(staff.editor.email);
    await c.get('/network/manage');
    const csv =
      'email,họ tên,điện thoại,nhóm\nnhom.moi.1@example.org,Thành viên Một,,Tổ dân phố 7\nnhom.moi.2@example.org,Thành viên Hai,,Tổ dân phố 7\nkhong-hop-le,Ba,,';
    const imported = async (body: Record<string, string>) => {
      const started = await c.post('/network/manage/import', body);
      expect(started.status).toBe(303);
      await t.drainJobs();
      return c.get(started.location!);
    };
    const refused = await imported({ unit: String(vyDa), csv });
    expect(refused.status).toBe(200);
    expect(refused.text).toContain('không có nhóm “Tổ dân phố 7” trong đơn vị');
    const done = await imported({ unit: String(vyDa), csv, create_groups: '1' });
    expect(done.status).toBe(200);
    const rows = [
      ...done.text.matchAll(
        /<tr class="(row-ok|row-fail)" data-line="(\d+)"><td>\d+<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g,
      ),
    ].map((m) => [m[2], m[1], m[4]]);
    expect(rows).toEqual([
      ['2', 'row-ok', 'Đã thêm'],
      ['3', 'row-ok', 'Đã thêm'],
      ['4', 'row-fail', expect.stringContaining('khong-hop-le')],
    ]);
    const group = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM network_groups WHERE unit_id = $1 AND name = 'Tổ dân phố 7'`,
      [vyDa],
    );
    expect(group!.n).toBe(1);
    const members = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM network_group_members gm JOIN network_groups g ON g.id = gm.group_id WHERE g.name = 'Tổ dân phố 7'`,
    );
    expect(members!.n).toBe(2);
    const audit = await t.db.one<{ data: { from: string } }>(
      `SELECT data FROM audit_log WHERE action = 'network.group.create' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit!.data.from).toBe('import');
  });
});
