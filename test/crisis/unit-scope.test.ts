/**
 * Issue 12, findings 1–3, reproduced as the security review did with ward-scoped accounts on two wards:
 * one person releasing a signed statement, an editor granting itself approval rights, and notices of another ward
 * opened, edited, moved and sent to city-wide lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../helpers/app.js';
import { createList } from '../../src/modules/crisis/service.js';
import { actorOf } from '../helpers/factories.js';
import { type City, cityApp } from './helpers.js';
import { wardStaff } from './ward-staff.js';

let t: TestApp & { city: City };
let w: Awaited<ReturnType<typeof wardStaff>>;
const clients = new Map<string, TestClient>();

beforeAll(async () => {
  t = await cityApp();
  w = await wardStaff(t.db, t.city.communeIds);
  // the city's press list
  const editor = await actorOf(t.db, t.city.staff.editor.id);
  await createList(t.db, editor, 'Báo chí, phát thanh, truyền hình', 'press', t.city.provinceId);
});
afterAll(async () => {
  await t?.close();
});

async function as(email: string): Promise<TestClient> {
  let c = clients.get(email);
  if (!c) {
    c = t.client();
    const res = await c.signIn(email);
    expect(res.status, `sign-in ${email}`).toBeLessThan(400);
    clients.set(email, c);
  }
  return c;
}

const notice = (unitId: number, title: string, extra: Record<string, string> = {}) => ({
  incidentId: '',
  unitId: String(unitId),
  kind: 'notice',
  refersTo: '',
  title,
  titleEn: '',
  body: `${title}: nội dung.`,
  bodyEn: '',
  listIds: '',
  ...extra,
});

async function draft(
  email: string,
  unitId: number,
  title: string,
  extra: Record<string, string> = {},
): Promise<number> {
  const c = await as(email);
  await c.get('/staff/crisis/statements/new');
  const res = await c.post('/staff/crisis/statements', notice(unitId, title, extra));
  expect(res.status, res.text.slice(0, 400)).toBe(303);
  return Number(res.location!.match(/statements\/(\d+)/)![1]);
}

const statement = (id: number) =>
  t.db.one<{
    status: string;
    unit_id: number;
    title: string;
    number: string | null;
    text_version: number;
    approved_by: number | null;
  }>(`SELECT status, unit_id, title, number, text_version, approved_by FROM crisis_statements WHERE id = $1`, [id]);
const userId = async (email: string) =>
  (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = $1`, [email]))!.id;

describe('finding 1: whoever last changed the text never approves or releases that version', () => {
  it('a reviewer who edited another person’s draft cannot submit-and-release it alone; someone else can', async () => {
    const id = await draft(w.b.editor, w.wardB.id, 'Thông báo cắt nước phường B');
    const reviewer = await as(w.b.reviewer);
    await reviewer.get(`/staff/crisis/statements/${id}/edit`);
    const edit = await reviewer.post(
      `/staff/crisis/statements/${id}/edit`,
      notice(w.wardB.id, 'Thông báo cắt nước phường B', { body: 'Văn bản do người duyệt viết lại.' }),
    );
    expect(edit.status).toBe(303);
    expect((await reviewer.post(`/staff/crisis/statements/${id}/submit`, {})).status).toBe(303);
    const page = await reviewer.get(`/staff/crisis/statements/${id}`);
    expect(page.text).toContain('Phiên bản 2, sửa lần cuối bởi reviewer B');
    expect(page.text).not.toContain(`/staff/crisis/statements/${id}/release`);
    const release = await reviewer.post(`/staff/crisis/statements/${id}/release`, {});
    expect(release.status).toBe(422);
    expect(release.text).toContain('Người sửa văn bản lần cuối không được duyệt hay phát hành phiên bản đó');
    expect(await statement(id)).toMatchObject({ status: 'submitted', number: null, text_version: 2 });
    expect(
      await t.db.query(`SELECT 1 FROM jobs WHERE type = 'crisis.distribute' AND payload->>'statementId' = $1`, [
        String(id),
      ]),
    ).toHaveLength(0);
    // who edited each version is on record
    const versions = await t.db.query<{ version: number; edited_by: number; body: string }>(
      `SELECT version, edited_by, body FROM crisis_statement_versions WHERE statement_id = $1 ORDER BY version`,
      [id],
    );
    expect(versions.map((v) => [v.version, v.edited_by])).toEqual([
      [1, await userId(w.b.editor)],
      [2, await userId(w.b.reviewer)],
    ]);
    expect(versions[1].body).toBe('Văn bản do người duyệt viết lại.');
    // the drafter cannot release it either; the city's reviewer (a second person) can
    expect(
      (await (await as(w.b.editor)).post(`/staff/crisis/statements/${id}/release`, {})).status,
    ).toBeGreaterThanOrEqual(403);
    const other = await as('reviewer@crisis.test');
    expect((await other.post(`/staff/crisis/statements/${id}/release`, {})).status).toBe(303);
    expect(await statement(id)).toMatchObject({
      status: 'released',
      approved_by: await userId('reviewer@crisis.test'),
    });
  });

  it('the API of the release check: a returned and re-edited draft counts its newest editor', async () => {
    const id = await draft(w.a.editor, w.wardA.id, 'Thông báo phường A');
    const ra = await as(w.a.reviewer);
    expect((await (await as(w.a.editor)).post(`/staff/crisis/statements/${id}/submit`, {})).status).toBe(303);
    expect((await ra.post(`/staff/crisis/statements/${id}/return`, { note: 'Sửa lại giờ' })).status).toBe(303);
    await ra.get(`/staff/crisis/statements/${id}/edit`);
    expect(
      (await ra.post(`/staff/crisis/statements/${id}/edit`, notice(w.wardA.id, 'Thông báo phường A (giờ mới)'))).status,
    ).toBe(303);
    expect((await ra.post(`/staff/crisis/statements/${id}/submit`, {})).status).toBe(303);
    expect((await ra.post(`/staff/crisis/statements/${id}/release`, {})).status).toBe(422);
    expect((await statement(id))!.status).toBe('submitted');
  });
});

describe('finding 2: team roles are granted only from above, never to oneself, only to staff of the unit subtree', () => {
  let incidentId: number;
  beforeAll(async () => {
    const ea = await as(w.a.editor);
    await ea.get('/staff/crisis/incidents/new');
    const res = await ea.post('/staff/crisis/incidents', {
      title: 'Sạt lở đất phường A',
      titleEn: '',
      type: 'natural',
      severity: 'moderate',
      summary: 'Sạt lở',
      summaryEn: '',
      unitId: String(w.wardA.id),
      unitIds: String(w.wardA.id),
      spokespersonName: 'Ông A',
      spokespersonTitle: '',
      spokespersonPhone: '',
      spokespersonEmail: '',
      hotlines: '',
      areaPolygon: '',
      areaCircle: '',
    });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    incidentId = Number(res.location!.match(/incidents\/(\d+)/)![1]);
  });
  const team = () =>
    t.db.query<{ email: string; role: string }>(
      `SELECT u.email, t.role FROM crisis_team t JOIN users u ON u.id = t.user_id WHERE t.incident_id = $1 ORDER BY u.email`,
      [incidentId],
    );
  const add = async (by: string, email: string, role: string) => {
    const c = await as(by);
    await c.get(`/staff/crisis/incidents/${incidentId}`);
    return c.post(`/staff/crisis/incidents/${incidentId}/team`, { email, role });
  };

  it('an editor cannot make itself (or anyone) spokesperson, nor add staff of another ward', async () => {
    const self = await add(w.a.editor, w.a.editor, 'spokesperson');
    expect(self.status).toBe(422);
    expect(self.text).toContain(
      'Chỉ người đang giữ quyền này ở cấp đơn vị của sự cố (hoặc cấp trên) mới giao được vai trò này.',
    );
    expect(self.text).toContain(`value="${w.a.editor}"`);
    expect((await add(w.a.editor, w.a.handler, 'spokesperson')).status).toBe(422);
    const selfDrafter = await add(w.a.editor, w.a.editor, 'drafter');
    expect(selfDrafter.status).toBe(422);
    expect(selfDrafter.text).toContain('Không tự thêm mình vào tổ xử lý');
    const otherWard = await add(w.a.editor, w.b.editor, 'drafter');
    expect(otherWard.status).toBe(422);
    expect(otherWard.text).toContain('Chỉ thêm được cán bộ của đơn vị xảy ra sự cố hoặc đơn vị trực thuộc.');
    expect((await add(w.a.editor, w.a.member, 'drafter')).status).toBe(422);
    expect(await team()).toEqual([]);
  });

  it('staff of another ward cannot add anyone; the ward’s own editor adds a drafter, its reviewer a spokesperson', async () => {
    expect((await add(w.b.editor, w.b.editor, 'spokesperson')).status).toBe(403);
    expect((await add(w.b.reviewer, w.a.handler, 'drafter')).status).toBe(403);
    expect((await add(w.a.editor, w.a.handler, 'drafter')).status).toBe(303);
    expect((await add(w.a.reviewer, w.a.reviewer, 'spokesperson')).status).toBe(422);
    expect((await add(w.a.reviewer, w.a.handler, 'spokesperson')).status).toBe(303);
    expect(await team()).toEqual([{ email: w.a.handler, role: 'spokesperson' }]);
    const audit = await t.db.query<{ data: { role: string } }>(
      `SELECT data FROM audit_log WHERE action = 'crisis.team.add' AND entity_id = $1 ORDER BY id`,
      [String(incidentId)],
    );
    expect(audit.map((a) => a.data.role)).toEqual(['drafter', 'spokesperson']);
  });
});

describe('finding 3: notices outside an incident and distribution lists are scoped by their own stored unit', () => {
  let bDraft: number;
  beforeAll(async () => {
    bDraft = await draft(w.b.editor, w.wardB.id, 'Bản nháp nội bộ của phường B');
  });

  it('staff of ward A cannot open, edit, move, submit or see ward B’s draft', async () => {
    for (const role of ['editor', 'reviewer', 'handler', 'admin'] as const) {
      const c = await as(w.a[role]);
      expect((await c.get(`/staff/crisis/statements/${bDraft}`)).status, role).toBe(403);
      expect((await c.get(`/staff/crisis/statements/${bDraft}/edit`)).status, role).toBe(403);
      expect((await c.get(`/staff/crisis/statements/${bDraft}/deliveries`)).status, role).toBe(403);
      const dash = await c.get('/staff/crisis');
      expect(dash.text, role).not.toContain('Bản nháp nội bộ của phường B');
    }
    const ea = await as(w.a.editor);
    await ea.get('/staff/crisis/statements/new');
    const moved = await ea.post(`/staff/crisis/statements/${bDraft}/edit`, notice(w.wardA.id, 'Đã chiếm bản nháp'));
    expect(moved.status).toBe(403);
    expect((await ea.post(`/staff/crisis/statements/${bDraft}/submit`, {})).status).toBe(403);
    expect(await statement(bDraft)).toMatchObject({
      unit_id: w.wardB.id,
      title: 'Bản nháp nội bộ của phường B',
      status: 'draft',
    });
    // ward B's own staff still see and edit it
    expect((await (await as(w.b.reviewer)).get(`/staff/crisis/statements/${bDraft}`)).status).toBe(200);
    expect((await (await as(w.b.handler)).get(`/staff/crisis/statements/${bDraft}`)).status).toBe(200);
  });

  it('ward B’s editor cannot move its own draft to ward A either', async () => {
    const eb = await as(w.b.editor);
    await eb.get(`/staff/crisis/statements/${bDraft}/edit`);
    const res = await eb.post(
      `/staff/crisis/statements/${bDraft}/edit`,
      notice(w.wardA.id, 'Bản nháp nội bộ của phường B'),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Bạn không soạn thảo được văn bản cho đơn vị này.');
    expect((await statement(bDraft))!.unit_id).toBe(w.wardB.id);
  });

  it('a ward cannot send to the city-wide lists, nor open them; its own list works', async () => {
    const press = (await t.db.one<{ id: number }>(`SELECT id FROM crisis_lists WHERE kind = 'press' AND unit_id = $1`, [
      t.city.provinceId,
    ]))!.id;
    const ea = await as(w.a.editor);
    await ea.get('/staff/crisis/statements/new');
    const form = await ea.get('/staff/crisis/statements/new');
    expect(form.text).not.toContain('Báo chí, phát thanh, truyền hình');
    const res = await ea.post(
      '/staff/crisis/statements',
      notice(w.wardA.id, 'Gửi báo chí toàn thành phố', { listIds: String(press) }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Danh sách này thuộc đơn vị khác');
    expect(res.text).toContain('value="Gửi báo chí toàn thành phố"');
    expect((await ea.get(`/staff/crisis/lists/${press}`)).status).toBe(403);
    expect((await ea.get('/staff/crisis/lists')).text).not.toContain('Báo chí, phát thanh, truyền hình');
    // a draft of ward A cannot be edited into the city list either
    const own = await draft(w.a.editor, w.wardA.id, 'Thông báo riêng phường A');
    await ea.get(`/staff/crisis/statements/${own}/edit`);
    expect(
      (
        await ea.post(
          `/staff/crisis/statements/${own}/edit`,
          notice(w.wardA.id, 'Thông báo riêng phường A', { listIds: String(press) }),
        )
      ).status,
    ).toBe(422);
    expect(await t.db.query(`SELECT 1 FROM crisis_statement_lists WHERE statement_id = $1`, [own])).toHaveLength(0);
    // a list of ward A is usable by ward A
    const created = await ea.post('/staff/crisis/lists', {
      name: 'Báo chí phường A',
      kind: 'press',
      unitId: String(w.wardA.id),
    });
    expect(created.status).toBe(303);
    const wardList = Number(created.location!.match(/lists\/(\d+)/)![1]);
    expect(await draft(w.a.editor, w.wardA.id, 'Gửi báo chí phường A', { listIds: String(wardList) })).toBeGreaterThan(
      0,
    );
    // ward B cannot create a list for ward A, nor see it
    const eb = await as(w.b.editor);
    await eb.get('/staff/crisis/lists');
    expect(
      (await eb.post('/staff/crisis/lists', { name: 'Chiếm', kind: 'press', unitId: String(w.wardA.id) })).status,
    ).toBe(403);
    expect((await eb.get(`/staff/crisis/lists/${wardList}`)).status).toBe(403);
  });
});

describe('the same fault elsewhere: every crisis staff route checks the unit of the stored row', () => {
  let incidentB: number;
  let releasedB: number;
  let draftB: number;
  let listB: number;
  beforeAll(async () => {
    const eb = await as(w.b.editor);
    await eb.get('/staff/crisis/incidents/new');
    const inc = await eb.post('/staff/crisis/incidents', {
      title: 'Ngập úng phường B',
      titleEn: '',
      type: 'natural',
      severity: 'moderate',
      summary: '',
      summaryEn: '',
      unitId: String(w.wardB.id),
      unitIds: String(w.wardB.id),
      spokespersonName: 'Bà B',
      spokespersonTitle: '',
      spokespersonPhone: '',
      spokespersonEmail: '',
      hotlines: '',
      areaPolygon: '',
      areaCircle: '',
    });
    expect(inc.status).toBe(303);
    incidentB = Number(inc.location!.match(/incidents\/(\d+)/)![1]);
    releasedB = await draft(w.b.editor, w.wardB.id, 'Thông báo đã phát hành của phường B');
    expect((await eb.post(`/staff/crisis/statements/${releasedB}/submit`, {})).status).toBe(303);
    expect((await (await as(w.b.reviewer)).post(`/staff/crisis/statements/${releasedB}/release`, {})).status).toBe(303);
    draftB = await draft(w.b.editor, w.wardB.id, 'Bản nháp thứ hai của phường B');
    const list = await eb.post('/staff/crisis/lists', {
      name: 'Danh sách phường B',
      kind: 'custom',
      unitId: String(w.wardB.id),
    });
    listB = Number(list.location!.match(/lists\/(\d+)/)![1]);
  });

  it('ward A staff of every role get 403 on ward B’s incident, statements and lists, and change nothing', async () => {
    const before = await t.db.query(
      `SELECT id, status, title, unit_id, text_version FROM crisis_statements ORDER BY id`,
    );
    const beforeInc = await t.db.query(`SELECT id, status, title, unit_id, version FROM crisis_incidents ORDER BY id`);
    const gets = [
      `/staff/crisis/incidents/${incidentB}`,
      `/staff/crisis/incidents/${incidentB}/edit`,
      `/staff/crisis/incidents/${incidentB}/report`,
      `/staff/crisis/incidents/${incidentB}/report.csv`,
      `/staff/crisis/statements/${draftB}`,
      `/staff/crisis/statements/${draftB}/edit`,
      `/staff/crisis/statements/${releasedB}/deliveries`,
      `/staff/crisis/lists/${listB}`,
      `/staff/crisis/statements/new?incident=${incidentB}`,
    ];
    const posts: [string, Record<string, string>][] = [
      [
        `/staff/crisis/incidents/${incidentB}/edit`,
        {
          title: 'Chiếm',
          type: 'natural',
          severity: 'minor',
          unitId: String(w.wardA.id),
          unitIds: String(w.wardA.id),
          spokespersonName: 'X',
        },
      ],
      [`/staff/crisis/incidents/${incidentB}/status`, { status: 'closed' }],
      [`/staff/crisis/incidents/${incidentB}/team`, { email: w.a.editor, role: 'drafter' }],
      [`/staff/crisis/incidents/${incidentB}/factchecks`, { itemId: '1' }],
      [`/staff/crisis/statements/${draftB}/edit`, notice(w.wardA.id, 'Chiếm')],
      [`/staff/crisis/statements/${draftB}/submit`, {}],
      [`/staff/crisis/statements/${draftB}/release`, {}],
      [`/staff/crisis/statements/${draftB}/return`, { note: 'x' }],
      [`/staff/crisis/statements/${releasedB}/resend`, {}],
      [
        `/staff/crisis/statements`,
        {
          ...notice(w.wardA.id, 'Cập nhật giả'),
          incidentId: String(incidentB),
          kind: 'update',
          refersTo: String(releasedB),
        },
      ],
      [
        `/staff/crisis/lists/${listB}/contacts`,
        { name: 'X', organisation: '', channel: 'email', address: 'x@example.org', secret: '', locale: 'vi' },
      ],
    ];
    for (const role of ['editor', 'reviewer', 'handler', 'admin', 'member'] as const) {
      const c = await as(w.a[role]);
      await c.get('/staff/crisis/statements/new');
      for (const path of gets) expect((await c.get(path)).status, `${role} GET ${path}`).toBe(403);
      for (const [path, form] of posts) expect((await c.post(path, form)).status, `${role} POST ${path}`).toBe(403);
    }
    expect(
      await t.db.query(`SELECT id, status, title, unit_id, text_version FROM crisis_statements ORDER BY id`),
    ).toEqual(before);
    expect(await t.db.query(`SELECT id, status, title, unit_id, version FROM crisis_incidents ORDER BY id`)).toEqual(
      beforeInc,
    );
  });

  it('a ward cannot hang a “correction” under another ward’s notice, nor name another ward as affected', async () => {
    const ea = await as(w.a.editor);
    await ea.get('/staff/crisis/statements/new');
    const res = await ea.post(
      '/staff/crisis/statements',
      notice(w.wardA.id, 'Đính chính giả', { kind: 'correction', refersTo: String(releasedB) }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Chỉ có thể tham chiếu một thông báo đã phát hành.');
    expect((await ea.get('/staff/crisis/statements/new')).text).not.toContain('Thông báo đã phát hành của phường B');
    await ea.get('/staff/crisis/incidents/new');
    const inc = await ea.post('/staff/crisis/incidents', {
      title: 'Sự cố lan sang phường B',
      titleEn: '',
      type: 'natural',
      severity: 'moderate',
      summary: '',
      summaryEn: '',
      unitId: String(w.wardA.id),
      unitIds: [String(w.wardA.id), String(w.wardB.id)],
      spokespersonName: 'Ông A',
      spokespersonTitle: '',
      spokespersonPhone: '',
      spokespersonEmail: '',
      hotlines: '',
      areaPolygon: '',
      areaCircle: '',
    });
    expect(inc.status).toBe(422);
    expect(inc.text).toContain('Bạn không soạn thảo được văn bản cho đơn vị này.');
    expect(await t.db.query(`SELECT 1 FROM crisis_incidents WHERE title = 'Sự cố lan sang phường B'`)).toHaveLength(0);
  });
});
