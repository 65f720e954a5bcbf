/**
 * Issue 15: after a national import every unit list of the mailbox stays inside the installation's root unit. The
 * public list's ward filter, the staff report page's ward and the inbox's ward filter are unit pickers (wards and
 * communes named with their province, searched with or without diacritics, without JavaScript too); a ward of the
 * same name in another province is never offered, and naming it in a query or a form is refused with a message —
 * never a 500, never a list widened to everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { grantRole } from '../../src/platform/auth/repo.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeReport, makeUser, realUnit } from '../helpers/factories.js';
import { makeReportIn } from '../helpers/factories-mailbox.js';
import { pickerChoices } from '../helpers/picker.js';
import { cityWithCategories, fileReport, postReport } from './helpers.js';

const radios = (html: string) => pickerChoices(html, 'unit', 'radio');
const cards = (html: string) =>
  [...html.matchAll(/<article class="card mb-card">([\s\S]*?)<\/article>/g)].map((m) => m[1]);
const FILTER_ERROR = 'Giá trị lọc không hợp lệ.';
const UNIT_ERROR = 'Vui lòng chọn phường, xã.';

describe(`mailbox: unit lists inside the installation's root unit (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let city: number;
  let elsewhere: number;
  let province: number;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'unit-lists');
    city = (await realUnit(t.db, '46')).id;
    // public reports in two wards, answered, for the public list to filter; one received in Phú Xuân for the staff
    const staff = { handler: u.staff.handler.id, reviewer: u.staff.reviewer.id };
    for (const code of ['19777', '19789'])
      await makeReportIn(t.deps, { unit: await realUnit(t.db, code), category: u.env, state: 'answered', ...staff });
    await makeReport(t.deps, { unit: await realUnit(t.db, '19753'), category: u.env });
    // the national import: another province with a ward of the same name as one of Huế's
    province = (await t.db.one<{ id: number }>(
      `INSERT INTO units (code, name, full_name, type, path, depth) VALUES ('PK7P', 'Khác', 'Tỉnh Khác', 'province', '990701', 0) RETURNING id`,
    ))!.id;
    elsewhere = (await t.db.one<{ id: number }>(
      `INSERT INTO units (code, name, full_name, type, parent_id, path, depth)
       VALUES ('PK7W', 'Vỹ Dạ', 'Phường Vỹ Dạ', 'ward', $1, '990701.990702', 1) RETURNING id`,
      [province],
    ))!.id;
    t.deps.state.clear(); // the units changed behind the app's back
  });
  afterAll(() => t?.close());

  describe('the public list', () => {
    it('filters by ward with the picker: no select of the country, one feed link for the chosen ward', async () => {
      const c = t.client();
      const page = await c.get('/mailbox');
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/<select[^>]*name="unit"/);
      expect(page.text).toMatch(/id="f-unit"[^>]*data-unit-picker="leaves=1"/);
      // the feeds: every category's, but no link per ward of the country
      expect(page.text).toContain('href="/mailbox/feed/category/moi-truong.atom"');
      expect(page.text).not.toContain('/mailbox/feed/unit/');
      // the six wards and communes of Huế fit the picker whole; the other province's ward is never offered
      const offered = radios(page.text);
      expect(offered.map((r) => r.id)).toContain(u.vyDa);
      expect(offered.map((r) => r.id)).not.toContain(elsewhere);
      expect(offered.find((r) => r.id === u.vyDa)?.label).toBe('Phường Vỹ Dạ, Thành phố Huế');
      expect(page.text).toMatch(/<input type="radio" name="unit" value="" checked=""[^>]*\/?> Tất cả/);

      // the URL contract /mailbox?unit=ID: the ward chosen, the list and the feed link are that ward's
      const vy = await c.get(`/mailbox?unit=${u.vyDa}`);
      expect(vy.status).toBe(200);
      expect(radios(vy.text).find((r) => r.checked)).toMatchObject({
        id: u.vyDa,
        label: 'Phường Vỹ Dạ, Thành phố Huế',
      });
      expect(cards(vy.text).length).toBeGreaterThan(0);
      for (const card of cards(vy.text)) expect(card).toContain('Phường Vỹ Dạ');
      expect(vy.text).toContain('href="/mailbox/feed/unit/19777.atom"');
      expect(vy.text).toContain('href="/mailbox/feed/category/moi-truong.atom"');
      expect(vy.text.match(/\/mailbox\/feed\/unit\//g)).toHaveLength(2); // the <link> in the head and the one link
    });

    it('without JavaScript: type without diacritics, Search, and the one match is chosen, the other filters kept', async () => {
      const found = await t.client().get(`/mailbox?q=&category=${u.env}&status=answered&unit_q=vy+da&_pick=unit`);
      expect(found.status).toBe(200);
      expect(found.text).toContain('value="vy da"');
      const offered = radios(found.text);
      expect(offered.map((r) => r.id)).toEqual([u.vyDa]);
      expect(offered[0].checked).toBe(true);
      expect(found.text).toMatch(new RegExp(`<option value="${u.env}" selected="">`));
      expect(found.text).toMatch(/<option value="answered" selected="">/);
      for (const card of cards(found.text)) expect(card).toContain('Phường Vỹ Dạ');
      // the search as you type answers inside the root unit too
      const src = found.text.match(/id="f-unit"[^>]*data-unit-picker="([^"]*)"/)![1].replace(/&amp;/g, '&');
      const res = await t.client().json(`/units/pick?q=${encodeURIComponent('vy da')}&${src}`);
      const labels = res.body.units.map((x: { label: string }) => x.label);
      expect(labels).toEqual(['Phường Vỹ Dạ, Thành phố Huế']);
    });

    it('a ward outside the root, a city or nonsense in ?unit= is named, and nothing is listed', async () => {
      for (const bad of [String(elsewhere), String(city), 'abc', '99999999']) {
        const res = await t.client().get(`/mailbox?unit=${bad}&q=c%C3%A2y`);
        expect(res.status, bad).toBe(422);
        expect(res.text).toContain(FILTER_ERROR);
        expect(res.text).toContain('value="cây"');
        expect(cards(res.text)).toHaveLength(0);
        expect(res.text).not.toContain('/mailbox/feed/unit/');
      }
    });
  });

  describe('filing a report', () => {
    it('refuses a ward of another province or a whole province, on the form', async () => {
      const c = t.client();
      for (const unit of [elsewhere, province, city]) {
        const res = await postReport(c, {
          category: String(u.env),
          unit: String(unit),
          title: 'Cây đổ chắn đường',
          description: 'Cây lớn đổ chắn ngang đường sau cơn mưa tối qua.',
        });
        expect(res.status, String(unit)).toBe(422);
        expect(res.text).toContain(UNIT_ERROR);
      }
      const ok = await fileReport(c, {
        category: String(u.env),
        unit: String(u.vyDa),
        title: 'Cây đổ chắn đường',
        description: 'Cây lớn đổ chắn ngang đường sau cơn mưa tối qua.',
      });
      expect(ok.code).toMatch(/^PA-/);
    });
  });

  describe('the staff report page', () => {
    let h: TestClient;
    let report: { id: number; category_id: number; unit_id: number };
    beforeAll(async () => {
      h = t.client();
      await h.signIn('handler@unit-lists.test');
      report = (await t.db.one<{ id: number; category_id: number; unit_id: number }>(
        `SELECT id, category_id, unit_id FROM mailbox_reports WHERE unit_id = $1 AND status = 'received' ORDER BY id LIMIT 1`,
        [u.phuXuan],
      ))!;
    });

    it("chooses the ward with the picker inside the person's reach, searched without JavaScript", async () => {
      const page = await h.get(`/staff/mailbox/${report.id}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/<select[^>]*name="unit"/);
      expect(radios(page.text).find((r) => r.checked)).toMatchObject({
        id: u.phuXuan,
        label: 'Phường Phú Xuân, Thành phố Huế',
      });
      expect(radios(page.text).map((r) => r.id)).not.toContain(elsewhere);
      const found = await h.post(`/staff/mailbox/${report.id}/edit`, {
        category: String(u.traffic),
        unit: String(u.phuXuan),
        unit_q: 'vy da',
        action: 'find-unit',
      });
      expect(found.status).toBe(200);
      expect(found.text).toContain('value="vy da"');
      expect(radios(found.text).map((r) => r.id)).toContain(u.vyDa);
      expect(radios(found.text).map((r) => r.id)).not.toContain(elsewhere);
      expect(found.text).toMatch(new RegExp(`<option value="${u.traffic}" selected="">`));
      expect(
        (await t.db.one<{ unit_id: number }>(`SELECT unit_id FROM mailbox_reports WHERE id = $1`, [report.id]))!
          .unit_id,
      ).toBe(u.phuXuan);
    });

    it('refuses a ward outside the root or a whole unit on the form, with what was typed kept', async () => {
      for (const unit of [elsewhere, city]) {
        const res = await h.post(`/staff/mailbox/${report.id}/edit`, {
          category: String(u.traffic),
          unit: String(unit),
          unit_q: 'vy',
        });
        expect(res.status, String(unit)).toBe(422);
        expect(res.text).toContain(UNIT_ERROR);
        expect(res.text).toMatch(new RegExp(`<option value="${u.traffic}" selected="">`));
        expect(res.text).toContain('value="vy"');
      }
      const row = await t.db.one<{ unit_id: number; category_id: number }>(
        `SELECT unit_id, category_id FROM mailbox_reports WHERE id = $1`,
        [report.id],
      );
      expect(row).toEqual({ unit_id: report.unit_id, category_id: report.category_id });
      const ok = await h.post(`/staff/mailbox/${report.id}/edit`, {
        category: String(report.category_id),
        unit: String(u.vyDa),
      });
      expect(ok.status).toBe(303);
      expect(
        (await t.db.one<{ unit_id: number }>(`SELECT unit_id FROM mailbox_reports WHERE id = $1`, [report.id]))!
          .unit_id,
      ).toBe(u.vyDa);
    });

    it("a ward handler's picker offers only its ward; another ward posted is refused on the form, not a 403", async () => {
      const px = await makeUser(t.db, { email: 'px@unit-lists.test', name: 'Cán bộ Phú Xuân' });
      await grantRole(t.db, px, 'handler', u.phuXuan);
      const w = t.client();
      await w.signIn('px@unit-lists.test');
      const filed = await fileReport(t.client(), {
        category: String(u.env),
        unit: String(u.phuXuan),
        title: 'Rác ở bờ sông',
        description: 'Rác đổ thành đống ở bờ sông gần cầu đã ba ngày.',
      });
      const r = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [filed.code]))!;
      const page = await w.get(`/staff/mailbox/${r.id}`);
      expect(radios(page.text).map((x) => x.id)).toEqual([u.phuXuan]);
      const res = await w.post(`/staff/mailbox/${r.id}/edit`, { category: String(u.env), unit: String(u.vyDa) });
      expect(res.status).toBe(422);
      expect(res.text).toContain(UNIT_ERROR);
    });
  });

  describe('Open311', () => {
    it("lists and accepts only the jurisdiction's wards and communes, in its own error format", async () => {
      const out: string[] = [];
      expect(
        await runCommand(t.deps, modules, ['create-api-key', '--name', 'Ứng dụng đơn vị'], (l) => out.push(l)),
      ).toBe(0);
      const c = t.client();
      const def = await c.json('/open311/v2/services/moi-truong.json');
      const values = def.body.attributes.find((x: { code: string }) => x.code === 'commune').values;
      expect(values.map((v: { key: string }) => v.key)).toContain('19777');
      expect(values.map((v: { key: string }) => v.key)).not.toContain('PK7W');
      expect(values.map((v: { key: string }) => v.key)).not.toContain('46');
      const request = (commune?: string) =>
        c.json('/open311/v2/requests.json', {
          method: 'POST',
          body: new URLSearchParams({
            api_key: out[0],
            service_code: 'moi-truong',
            address_string: '12 Nguyễn Sinh Cung',
            description: 'Cây lớn đổ chắn ngang đường sau cơn mưa tối qua.',
            ...(commune ? { 'attribute[commune]': commune } : {}),
          }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      for (const bad of ['PK7W', 'PK7P', '46']) {
        const res = await request(bad);
        expect(res.status, bad).toBe(400);
        expect(res.body[0]).toEqual({
          code: 400,
          description: `attribute[commune] ${bad} is not a known ward or commune`,
        });
      }
      expect((await request('19777')).status).toBe(201);
      const whole = await request(); // without a commune: the whole jurisdiction, as documented
      expect(whole.status).toBe(201);
      const row = await t.db.one<{ unit_id: number }>(`SELECT unit_id FROM mailbox_reports WHERE code = $1`, [
        whole.body[0].service_request_id,
      ]);
      expect(row?.unit_id).toBe(city);
    });
  });

  describe('the staff inbox', () => {
    it("filters by a ward of the person's reach with the picker; any other ward is named", async () => {
      const h = t.client();
      await h.signIn('handler@unit-lists.test');
      const page = await h.get('/staff/mailbox?status=all');
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/<select[^>]*name="unit"/);
      expect(radios(page.text).map((r) => r.id)).toContain(u.vyDa);
      expect(radios(page.text).map((r) => r.id)).not.toContain(elsewhere);
      const found = await h.get('/staff/mailbox?status=all&unit_q=vy+da&_pick=unit');
      expect(radios(found.text).map((r) => r.label)).toEqual(['Phường Vỹ Dạ, Thành phố Huế']);
      for (const bad of [elsewhere, city]) {
        const res = await h.get(`/staff/mailbox?status=all&unit=${bad}`);
        expect(res.status).toBe(422);
        expect(res.text).toContain(FILTER_ERROR);
        expect(radios(res.text).some((r) => r.checked)).toBe(false);
      }
      const px = t.client();
      await px.signIn('px@unit-lists.test');
      const own = await px.get('/staff/mailbox?status=all');
      expect(radios(own.text).map((r) => r.id)).toEqual([u.phuXuan]);
      expect((await px.get(`/staff/mailbox?status=all&unit=${u.vyDa}`)).status).toBe(422);
    });
  });

  describe('the figures page', () => {
    it("chooses the unit with the picker inside the person's scope; another province's ward is named, never shown", async () => {
      const admin = t.client();
      await admin.signIn('admin@unit-lists.test');
      const page = await admin.get('/staff/mailbox/dashboard');
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/<select[^>]*name="unit"/);
      expect(page.text).toMatch(/id="f-unit"[^>]*data-unit-picker=/);
      expect(radios(page.text).find((r) => r.checked)?.id).toBe(city);
      expect(radios(page.text).map((r) => r.id)).not.toContain(elsewhere);

      const vy = await admin.get(`/staff/mailbox/dashboard?unit=${u.vyDa}`);
      expect(vy.status).toBe(200);
      expect(radios(vy.text).find((r) => r.checked)).toMatchObject({
        id: u.vyDa,
        label: 'Phường Vỹ Dạ, Thành phố Huế',
      });

      // without JavaScript: type, Search, choose; the chosen unit's figures stay on the page meanwhile
      const found = await admin.get(`/staff/mailbox/dashboard?unit=${u.vyDa}&unit_q=vy+da&_pick=unit`);
      expect(radios(found.text).map((r) => r.id)).toEqual([u.vyDa]);

      for (const bad of [String(elsewhere), String(province), 'abc']) {
        const other = await admin.get(`/staff/mailbox/dashboard?unit=${bad}`);
        expect(other.status).toBe(422);
        expect(other.text).toContain(FILTER_ERROR);
        expect(radios(other.text).find((r) => r.checked)?.id).toBe(city);
      }
    });
  });
});
