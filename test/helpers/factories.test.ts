/** The factories themselves: each makes its row through the module's service, so the rules and the audit log apply. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './app.js';
import { testDbKind } from './db.js';
import {
  type Account,
  makeCampaign,
  makeCategory,
  makeCityStaff,
  makeClaim,
  makeFactcheck,
  makeGroup,
  makeIncident,
  makeMember,
  makeReport,
  makeRoute,
  makeUnit,
  realCity,
  type STAFF_ROLES,
  type Unit,
} from './factories.js';

let t: TestApp;
let units: Record<string, Unit>;
let staff: Record<(typeof STAFF_ROLES)[number], Account>;
beforeAll(async () => {
  t = await testApp({ demo: false });
  units = await realCity(t.db);
  staff = await makeCityStaff(t.db, 'f');
});
afterAll(async () => t?.close());

const audited = async (action: string) =>
  (await t.db.query<{ actor_label: string }>(`SELECT actor_label FROM audit_log WHERE action = $1`, [action])).map(
    (r) => r.actor_label,
  );

describe(`test factories (${testDbKind()})`, () => {
  it('units: a made-up ward under a real city, with its path', async () => {
    const ward = await makeUnit(t.db, { name: 'Phường Thử Nghiệm', parent: units['46'] });
    expect(ward.path).toBe(`${units['46'].path}.${ward.id}`);
    expect(ward.name).toBe('Phường Thử Nghiệm');
    expect(units['19753'].name).toBe('Phường Phú Xuân');
  });

  it('a report in a category, filed by the mailbox with its code and deadline', async () => {
    const category = await makeCategory(t.deps, staff.admin.id, { code: 'moi-truong', name: 'Môi trường', days: 7 });
    expect(await audited('mailbox.category.create')).toEqual(['admin@f.test']);
    const r = await makeReport(t.deps, { unit: units['19789'], category, email: 'dan@example.org' });
    expect(r.code).toMatch(/^PA-\d{4}-\d+$/);
    const row = await t.db.one<{ status: string; unit_id: number; deadline_at: Date | null }>(
      `SELECT status, unit_id, deadline_at FROM mailbox_reports WHERE id = $1`,
      [r.id],
    );
    expect(row).toMatchObject({ status: 'received', unit_id: units['19789'].id });
  });

  it('a routing rule: a report in the category goes to the agency named', async () => {
    const category = await makeCategory(t.deps, staff.admin.id, { code: 'giao-thong', name: 'Giao thông' });
    await makeRoute(t.deps, staff.admin.id, { unit: '46', category: 'giao-thong', agency: 'HUE-SXD' });
    expect(await audited('mailbox.route.save')).toEqual(['admin@f.test']);
    const r = await makeReport(t.deps, { unit: units['19777'], category });
    const row = await t.db.one<{ agency: string }>(
      `SELECT a.code AS agency FROM mailbox_reports r JOIN agencies a ON a.id = r.agency_id WHERE r.id = $1`,
      [r.id],
    );
    expect(row).toEqual({ agency: 'HUE-SXD' });
  });

  it('a published fact-check, approved by another person', async () => {
    const id = await makeFactcheck(t.deps, {
      author: staff.editor.id,
      reviewer: staff.reviewer.id,
      status: 'published',
    });
    const row = await t.db.one<{ status: string; verdict: string }>(
      `SELECT status, verdict FROM desk_items WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'published', verdict: 'sai' });
    expect((await t.client().get(`/factchecks/${id}`)).status).toBe(200);
  });

  it('a claim, city-wide or from a ward, filed and clustered by the desk', async () => {
    const city = await makeClaim(t.deps, { text: 'Có tin cả thành phố sẽ cắt điện ba ngày liền, có đúng không?' });
    const ward = await makeClaim(t.deps, { text: 'Chợ phường sẽ đóng cửa ba tháng để xây lại?', unit: units['19777'] });
    expect(city.code).toMatch(/^KC-[A-Z0-9]{7}$/);
    const rows = await t.db.query<{ code: string; unit_id: number | null; cluster_id: number }>(
      `SELECT code, unit_id, cluster_id FROM desk_claims WHERE code = ANY($1) ORDER BY id`,
      [[city.code, ward.code]],
    );
    expect(rows).toEqual([
      { code: city.code, unit_id: null, cluster_id: city.cluster },
      { code: ward.code, unit_id: units['19777'].id, cluster_id: ward.cluster },
    ]);
    expect((await t.client().get(`/claims/${city.code}`)).status).toBe(200);
  });

  it('an incident with a released, signed statement', async () => {
    const r = await makeIncident(t.deps, {
      by: staff.editor.id,
      unit: units['46'],
      affected: [units['19789']],
      statement: { reviewer: staff.reviewer.id },
    });
    const s = await t.db.one<{ status: string; code: string }>(
      `SELECT status, code FROM crisis_statements WHERE id = $1`,
      [r.statement],
    );
    expect(s!.status).toBe('released');
    expect((await t.client().get(`/verify?code=${s!.code}`)).text).toContain('ĐÚNG — đây là văn bản chính thức');
  });

  it('a network group with a member, and a campaign for the ward', async () => {
    const ward = units['19753'];
    const group = await makeGroup(t.db, staff.admin.id, { unit: ward, name: 'Tổ 1' });
    const member = await makeMember(t.db, { email: 'tv1@f.test', name: 'Thành Viên Một', unit: ward, group });
    expect(
      await t.db.one(`SELECT 1 FROM network_group_members WHERE group_id = $1 AND user_id = $2`, [group, member]),
    ).toBeTruthy();
    const id = await makeCampaign(t.deps, { by: staff.admin.id, units: [ward] });
    expect(await audited('network.campaign.create')).toEqual(['admin@f.test']);
    const c = t.client();
    await c.signIn('tv1@f.test');
    expect((await c.get(`/network/campaigns/${id}`)).status).toBe(200);
  });
});
