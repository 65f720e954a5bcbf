/**
 * Issue 15, crisis practice: contacts edited, removed and imported from CSV; distribution e-mails carry the
 * spokesperson's name and contact and a Reply-To, as a real SMTP peer receives them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { type City, cityApp } from './helpers.js';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp & { city: City };
let editor: TestClient;
let reviewer: TestClient;
let listId: number;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await cityApp({ SMTP_URL: smtp.url });
  editor = t.client();
  await editor.signIn('editor@crisis.test');
  reviewer = t.client();
  await reviewer.signIn('reviewer@crisis.test');
  await editor.get('/staff/crisis/lists');
  const res = await editor.post('/staff/crisis/lists', {
    name: 'Báo chí thử',
    kind: 'press',
    unitId: String(t.city.provinceId),
  });
  listId = Number(res.location!.match(/lists\/(\d+)/)![1]);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const contacts = () =>
  t.db.query<{ id: number; name: string; organisation: string; address: string; locale: string }>(
    `SELECT id, name, organisation, address, locale FROM crisis_contacts WHERE list_id = $1 ORDER BY address`,
    [listId],
  );

describe('contacts', () => {
  it('imports from CSV: adds the good lines and reports each skipped one with its reason', async () => {
    const csv = [
      'name,organisation,email,language',
      'Phóng viên A,"Báo Thừa Thiên Huế, ban thời sự",pv.a@bao.example.org,vi',
      'Foreign desk,Agency,desk@agency.example.org,en',
      'Thiếu thư,Báo X,not-an-email,vi',
      'Trùng,Báo Y,PV.A@bao.example.org,vi',
      ',Không tên,ai@example.org,vi',
      'Sai ngôn ngữ,Báo Z,z@example.org,fr',
    ].join('\r\n');
    const page = await editor.post(`/staff/crisis/lists/${listId}/import`, {
      file: new File([csv], 'bao-chi.csv', { type: 'text/csv' }),
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Đã thêm 2 người nhận; bỏ qua 4 dòng.');
    expect(page.text).toContain('Dòng 4 (Thiếu thư, Báo X, not-an-email, vi): Địa chỉ thư điện tử không hợp lệ.');
    expect(page.text).toContain(
      'Dòng 5 (Trùng, Báo Y, PV.A@bao.example.org, vi): Danh sách đã có người nhận với địa chỉ này.',
    );
    expect(page.text).toContain('Dòng 6');
    expect(page.text).toContain('Dòng 7 (Sai ngôn ngữ, Báo Z, z@example.org, fr): Ngôn ngữ phải là vi hoặc en.');
    expect((await contacts()).map((c) => [c.name, c.organisation, c.address, c.locale])).toEqual([
      ['Foreign desk', 'Agency', 'desk@agency.example.org', 'en'],
      ['Phóng viên A', 'Báo Thừa Thiên Huế, ban thời sự', 'pv.a@bao.example.org', 'vi'],
    ]);
    // pasted text works too (semicolons, as spreadsheet programs in Vietnamese write them)
    const pasted = await editor.post(
      `/staff/crisis/lists/${listId}/import`,
      { csv: 'Văn phòng;UBND;vanphong@ubnd.example.org;vi' },
      { multipart: true },
    );
    expect(pasted.text).toContain('Đã thêm 1 người nhận; bỏ qua 0 dòng.');
    const empty = await editor.post(`/staff/crisis/lists/${listId}/import`, { csv: '  ' }, { multipart: true });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Dán hoặc chọn một tệp CSV có ít nhất một dòng.');
    expect(await t.db.query(`SELECT data FROM audit_log WHERE action = 'crisis.contact.import' ORDER BY id`)).toEqual([
      { data: { added: 2, skipped: 4 } },
      { data: { added: 1, skipped: 0 } },
    ]);
  });

  it('edits a contact (refusing a bad address beside the field, keeping what was typed) and removes one', async () => {
    const pv = (await contacts()).find((c) => c.address === 'pv.a@bao.example.org')!;
    const form = await editor.get(`/staff/crisis/lists/${listId}/contacts/${pv.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="pv.a@bao.example.org"');
    const bad = await editor.post(`/staff/crisis/lists/${listId}/contacts/${pv.id}/edit`, {
      name: 'Phóng viên A (mới)',
      organisation: 'Báo TTH',
      channel: 'email',
      address: 'sai địa chỉ',
      locale: 'vi',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Địa chỉ thư điện tử không hợp lệ.');
    expect(bad.text).toContain('value="Phóng viên A (mới)"');
    const dup = await editor.post(`/staff/crisis/lists/${listId}/contacts/${pv.id}/edit`, {
      name: 'Phóng viên A',
      organisation: '',
      channel: 'email',
      address: 'desk@agency.example.org',
      locale: 'vi',
    });
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('Danh sách đã có người nhận với địa chỉ này.');
    const ok = await editor.post(`/staff/crisis/lists/${listId}/contacts/${pv.id}/edit`, {
      name: 'Phóng viên A (mới)',
      organisation: 'Báo TTH',
      channel: 'email',
      address: 'pv.a2@bao.example.org',
      locale: 'en',
    });
    expect(ok.status).toBe(303);
    expect((await contacts()).find((c) => c.id === pv.id)).toMatchObject({
      name: 'Phóng viên A (mới)',
      address: 'pv.a2@bao.example.org',
      locale: 'en',
    });
    const office = (await contacts()).find((c) => c.address === 'vanphong@ubnd.example.org')!;
    const removed = await editor.post(`/staff/crisis/lists/${listId}/contacts/${office.id}/remove`, {});
    expect(removed.status).toBe(303);
    expect((await editor.get(removed.location!)).text).toContain('Đã xóa người nhận.');
    expect((await contacts()).map((c) => c.address)).toEqual(['desk@agency.example.org', 'pv.a2@bao.example.org']);
    expect(
      (
        await t.db.query<{ action: string }>(
          `SELECT action FROM audit_log WHERE action IN ('crisis.contact.edit', 'crisis.contact.remove') ORDER BY id`,
        )
      ).map((r) => r.action),
    ).toEqual(['crisis.contact.edit', 'crisis.contact.remove']);
    // a reviewer (no right to manage lists) can neither edit nor remove
    await reviewer.get(`/staff/crisis/lists/${listId}`);
    expect((await reviewer.post(`/staff/crisis/lists/${listId}/contacts/${pv.id}/remove`, {})).status).toBe(403);
    expect((await reviewer.get(`/staff/crisis/lists/${listId}/contacts/${pv.id}/edit`)).status).toBe(403);
  });

  it('statement e-mails name the spokesperson with their contact, and replies go to the spokesperson', async () => {
    await editor.get('/staff/crisis/incidents/new');
    const open = await editor.post('/staff/crisis/incidents', {
      title: 'Cháy chợ Đông Ba',
      type: 'other',
      severity: 'moderate',
      unitId: String(t.city.provinceId),
      unitIds: [String(t.city.communeIds[0])],
      spokespersonName: 'Hoàng Thị Phát Ngôn',
      spokespersonTitle: 'Chánh Văn phòng',
      spokespersonPhone: '0234 3811 222',
      spokespersonEmail: 'phatngon.dongba@ubnd.example.org',
      hotlines: '',
      areaPolygon: '',
      areaCircle: '',
    });
    const incidentId = Number(/incidents\/(\d+)/.exec(open.location!)![1]);
    const res = await editor.post('/staff/crisis/statements', {
      incidentId: String(incidentId),
      kind: 'notice',
      refersTo: '',
      listIds: [String(listId)],
      title: 'Phong tỏa khu vực chợ Đông Ba',
      body: 'Người dân không đến gần khu vực chợ.',
    });
    const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
    await editor.post(`/staff/crisis/statements/${id}/submit`, {});
    expect((await reviewer.post(`/staff/crisis/statements/${id}/release`, {})).status).toBe(303);
    await t.drainJobs();
    await t.drainJobs();
    const mails = (await smtp.waitFor(2)).filter((m) => m.subject.includes('Phong tỏa khu vực chợ Đông Ba'));
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['desk@agency.example.org', 'pv.a2@bao.example.org']);
    for (const m of mails) {
      expect(m.raw).toMatch(/^Reply-To: phatngon\.dongba@ubnd\.example\.org\r?$/m);
      expect(m.text).toContain('Hoàng Thị Phát Ngôn, Chánh Văn phòng');
      expect(m.text).toContain('0234 3811 222 — phatngon.dongba@ubnd.example.org');
    }
    expect(mails.find((m) => m.to[0] === 'desk@agency.example.org')!.text).toContain(
      'Spokesperson: Hoàng Thị Phát Ngôn',
    );
  });
});
