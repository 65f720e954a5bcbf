import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalForm } from '../../src/modules/crisis/service/signing.js';
import { demoCommunes } from '../../src/platform/demo/units.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { makeCityStaff, makeIncident, realCity, realUnit } from '../helpers/factories.js';

let t: TestApp & { demo: { communeIds: number[]; provinceId: number } };
let editor: TestClient;
let reviewer: TestClient;

beforeAll(async () => {
  // Huế and its staff only: every incident and statement here is the test's own
  const app = await testApp({ demo: false });
  const units = await realCity(app.db);
  await makeCityStaff(app.db, 'crisis');
  t = Object.assign(app, {
    demo: { provinceId: units['46'].id, communeIds: demoCommunes.map((c) => units[c.code].id) },
  });
  editor = t.client();
  await editor.signIn('editor@crisis.test');
  reviewer = t.client();
  await reviewer.signIn('reviewer@crisis.test');
});
afterAll(async () => {
  await t?.close();
});

const incidentForm = (over: Record<string, string | string[]> = {}) => ({
  title: 'Sạt lở đất trên tỉnh lộ 10',
  titleEn: 'Landslide on provincial road 10',
  type: 'natural',
  severity: 'severe',
  summary: 'Đất đá sạt xuống mặt đường.',
  unitId: String(t.demo.provinceId),
  unitIds: [String(t.demo.communeIds[1])],
  spokespersonName: 'Lê Văn Nói',
  spokespersonTitle: 'Chánh Văn phòng',
  spokespersonPhone: '0234 3000 111',
  spokespersonEmail: 'noi@example.org',
  hotlines: 'Cứu hộ: 112',
  publicAlert: '1',
  areaPolygon: '',
  areaCircle: '16.45,107.58 4',
  ...over,
});

async function audit(action: string, entityId: string | number) {
  return t.db.query(`SELECT * FROM audit_log WHERE action = $1 AND entity_id = $2`, [action, String(entityId)]);
}

describe('incident lifecycle', () => {
  let incidentId: number;

  it('rejects bad input beside each field, keeping what was typed (422)', async () => {
    const page = await editor.post(
      '/staff/crisis/incidents',
      incidentForm({ title: '', spokespersonEmail: 'not-an-email', areaPolygon: '16.4,107.5 16.5,107.6', unitIds: [] }),
    );
    expect(page.status).toBe(422);
    expect(page.text).toContain('Trường này là bắt buộc.');
    expect(page.text).toContain('Địa chỉ thư điện tử không hợp lệ.');
    expect(page.text).toContain('Đa giác cần ít nhất 4 cặp');
    expect(page.text).toContain('Chọn ít nhất một địa bàn bị ảnh hưởng.');
    expect(page.text).toContain('value="Lê Văn Nói"');
    expect(page.text).toContain('value="16.4,107.5 16.5,107.6"');
  });

  it('opens, changes and closes an incident, each change audited', async () => {
    const res = await editor.post('/staff/crisis/incidents', incidentForm());
    expect(res.status).toBe(303);
    incidentId = Number(/incidents\/(\d+)/.exec(res.location!)![1]);
    const page = await editor.get(res.location!);
    expect(page.text).toContain('Đã mở sự cố.');
    expect(page.text).toContain('Sạt lở đất trên tỉnh lộ 10');
    expect(await audit('crisis.incident.open', incidentId)).toHaveLength(1);

    const edit = await editor.post(`/staff/crisis/incidents/${incidentId}/edit`, incidentForm({ severity: 'extreme' }));
    expect(edit.status).toBe(303);
    expect((await t.client().get(`/incidents/${incidentId}`)).text).toContain('Đặc biệt nghiêm trọng');
    expect(await audit('crisis.incident.update', incidentId)).toHaveLength(1);

    const mon = await editor.post(`/staff/crisis/incidents/${incidentId}/status`, { status: 'monitoring' });
    expect(mon.status).toBe(303);
    expect((await t.client().get(`/incidents/${incidentId}`)).text).toContain('Đang theo dõi');
    expect(await audit('crisis.incident.status', incidentId)).toHaveLength(1);
  });

  it('linking a fact-check the desk has not published is refused beside the field', async () => {
    const res = await editor.post(`/staff/crisis/incidents/${incidentId}/factchecks`, { itemId: '987654' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Không tìm thấy bài kiểm chứng đã đăng với mã này.');
    expect(res.text).toContain('value="987654"');
    const bad = await editor.post(`/staff/crisis/incidents/${incidentId}/factchecks`, { itemId: 'abc' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Số không hợp lệ.');
  });

  it('adds a staff member to the incident team; an unknown address is refused', async () => {
    const bad = await editor.post(`/staff/crisis/incidents/${incidentId}/team`, {
      email: 'nobody@example.org',
      role: 'drafter',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Không có tài khoản cán bộ với địa chỉ này.');
    const ok = await editor.post(`/staff/crisis/incidents/${incidentId}/team`, {
      email: 'handler@crisis.test',
      role: 'drafter',
    });
    expect(ok.status).toBe(303);
    expect((await editor.get(ok.location!)).text).toContain('Phạm Thu Xử (handler@crisis.test) — Soạn thảo');
    expect(await audit('crisis.team.add', incidentId)).toHaveLength(1);
  });

  it('a handler may not open incidents', async () => {
    const handler = t.client();
    await handler.signIn('handler@crisis.test');
    const res = await handler.post('/staff/crisis/incidents', incidentForm());
    expect(res.status).toBe(403);
  });

  describe('statements', () => {
    let stmtId: number;
    let number: string;
    let code: string;

    it('is drafted by the team and sent for approval; the drafter cannot approve it', async () => {
      const bad = await editor.post('/staff/crisis/statements', {
        incidentId: String(incidentId),
        kind: 'correction',
        title: 'Đính chính',
        body: '',
        refersTo: '',
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Bản cập nhật hoặc đính chính phải chỉ rõ văn bản được thay đổi.');
      expect(bad.text).toContain('value="Đính chính"');

      const res = await editor.post('/staff/crisis/statements', {
        incidentId: String(incidentId),
        kind: 'notice',
        refersTo: '',
        title: 'Cấm lưu thông qua tỉnh lộ 10',
        body: 'Từ 14 giờ hôm nay, cấm mọi phương tiện lưu thông qua đoạn Km 12 – Km 15 tỉnh lộ 10.\n\nĐi đường vòng qua quốc lộ 49.',
        bodyEn: 'From 2 p.m. today the Km 12 – Km 15 stretch of provincial road 10 is closed to all traffic.',
      });
      expect(res.status).toBe(303);
      stmtId = Number(/statements\/(\d+)/.exec(res.location!)![1]);
      expect((await editor.post(`/staff/crisis/statements/${stmtId}/submit`, {})).status).toBe(303);
      const own = await editor.get(`/staff/crisis/statements/${stmtId}`);
      expect(own.text).toContain('Chờ duyệt');
      expect(own.text).not.toContain('Duyệt và phát hành');

      // a reviewer who drafted it would not be allowed either: four eyes
      const forced = await editor.post(`/staff/crisis/statements/${stmtId}/release`, {});
      expect(forced.status).toBe(403);
      // not public before release
      expect((await t.client().get(`/incidents/${incidentId}`)).text).not.toContain('Cấm lưu thông qua tỉnh lộ 10');
    });

    it('the reviewer approves; a double click releases it once', async () => {
      const page = await reviewer.get(`/staff/crisis/statements/${stmtId}`);
      expect(page.text).toContain('Duyệt và phát hành');
      const [a, b] = await Promise.all([
        reviewer.post(`/staff/crisis/statements/${stmtId}/release`, {}),
        reviewer.post(`/staff/crisis/statements/${stmtId}/release`, {}),
      ]);
      expect([a.status, b.status]).toEqual([303, 303]);
      const flashes = [a.location, b.location].map((l) => new URL(l!, 'http://x').searchParams.get('flash')).sort();
      expect(flashes).toEqual(['already', 'released']);
      const after = await reviewer.get(a.location!);
      expect(after.text).toMatch(/Đã phát hành thông báo số \d{4}-\d{3}|đã được phát hành trước đó/);
      const rows = await t.db.query<{ number: string; code: string }>(
        `SELECT number, code FROM crisis_statements WHERE id = $1`,
        [stmtId],
      );
      number = rows[0].number;
      code = rows[0].code;
      expect(await audit('crisis.statement.release', stmtId)).toHaveLength(1);
      expect(
        await t.db.query(`SELECT 1 FROM jobs WHERE type = 'crisis.distribute' AND payload->>'statementId' = $1`, [
          String(stmtId),
        ]),
      ).toHaveLength(1);
      expect(await t.db.query(`SELECT 1 FROM crisis_alerts WHERE statement_id = $1`, [stmtId])).toHaveLength(1);
    });

    it('the public incident page shows it on top; its page has the code and an SVG QR code', async () => {
      const page = await t.client().get(`/incidents/${incidentId}`);
      const latest = page.text.indexOf('Thông báo mới nhất');
      expect(page.text.indexOf('Cấm lưu thông qua tỉnh lộ 10')).toBeGreaterThan(latest);
      expect(page.text).toContain('Lê Văn Nói');
      expect(page.text).toContain('href="tel:112"');
      expect(page.text).toContain('Phường Thuận Hoá');
      const s = await t.client().get(`/statements/${number}`);
      expect(s.status).toBe(200);
      expect(s.text).toContain(code);
      expect(s.text).toMatch(/<svg[^>]*viewBox/);
      expect(s.text).not.toMatch(/<script>(?!<\/script>)/);
      expect(s.text).toContain('From 2 p.m. today');
    });

    it('verifies the code; an unknown code is clearly not issued', async () => {
      const ok = await t.client().get(`/verify?code=${code.toLowerCase().replace('-', '')}`);
      expect(ok.text).toContain('ĐÚNG — đây là văn bản chính thức đã được ban hành.');
      expect(ok.text).toContain('Cấm lưu thông qua tỉnh lộ 10');
      const fake = await t.client().get('/verify?code=ZZZZ-ZZZZ');
      expect(fake.text).toContain('KHÔNG có văn bản nào được ban hành với mã này.');
      const malformed = await t.client().get('/verify?code=abc');
      expect(malformed.status).toBe(422);
      expect(malformed.text).toContain('Mã xác minh gồm 8 chữ cái');
      expect(malformed.text).toContain('value="abc"');
      const api = await t.client().json(`/api/v1/crisis/verify?code=${code}`);
      expect(api.body.genuine).toBe(true);
      expect(api.body.statement.number).toBe(number);
    });

    it('verifies pasted text (whitespace and Unicode form do not matter); altered text never verifies', async () => {
      const resident = t.client();
      await resident.get('/verify');
      const original =
        'Từ 14 giờ hôm nay, cấm mọi phương tiện lưu thông qua đoạn Km 12 – Km 15 tỉnh lộ 10.\n\nĐi đường vòng qua quốc lộ 49.';
      const pasted = `  ${original.normalize('NFD').replace(/\n\n/, '\r\n \r\n')}  `;
      const ok = await resident.post('/verify', { text: pasted });
      expect(ok.text).toContain('ĐÚNG — nội dung bạn dán trùng khớp hoàn toàn');
      const altered = await resident.post('/verify', { text: original.replace('14 giờ', '10 giờ') });
      expect(altered.text).toContain('KHÔNG KHỚP');
      expect(altered.text).toContain(`Văn bản thật gần giống nhất là thông báo số ${number}`);
      expect(altered.text).not.toContain('ĐÚNG —');
      const share = (await t.client().get(`/statements/${number}`)).text
        .match(/<pre class="share-text">([\s\S]*?)<\/pre>/)![1]
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>');
      const shared = await resident.post('/verify', { text: share });
      expect(shared.text).toContain('ĐÚNG — nội dung bạn dán trùng khớp hoàn toàn');
      const api = await t.client().json('/api/v1/crisis/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: pasted }),
      });
      expect(api.body.genuine).toBe(true);
      expect(api.body.statement.number).toBe(number);
      const apiAltered = await t.client().json('/api/v1/crisis/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: original.replace('14 giờ', '10 giờ') }),
      });
      expect(apiAltered.body).toMatchObject({ genuine: false, closest: { number } });
      const apiShort = await t.client().json('/api/v1/crisis/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'ngắn' }),
      });
      expect(apiShort.status).toBe(422);
      expect(apiShort.body.error.fields.text).toContain('Nội dung quá ngắn');
      const empty = await resident.post('/verify', { text: '  ' });
      expect(empty.status).toBe(422);
      expect(empty.text).toContain('Nhập mã xác minh hoặc dán nội dung văn bản.');
    });

    it('the signature verifies with the published key alone, and a row altered behind our back fails', async () => {
      const key = await t.client().json('/.well-known/caunoi-statements.json');
      const pem = await t.client().get('/.well-known/caunoi-statements.pub');
      expect(pem.text).toContain('BEGIN PUBLIC KEY');
      expect(key.body.keyId).toMatch(/^[0-9a-f]{16}$/);
      const api = await t.client().json(`/api/v1/crisis/verify?code=${code}`);
      const s = api.body.statement;
      const canonical = canonicalForm({
        number: s.number,
        releasedAt: s.releasedAt,
        title: s.title,
        titleEn: s.titleEn,
        body: s.body,
        bodyEn: s.bodyEn,
        incidentId: s.incidentId,
      });
      expect(verify(null, Buffer.from(canonical), createPublicKey(pem.text), Buffer.from(s.signature, 'base64'))).toBe(
        true,
      );
      const forged = canonical.replace('14 giờ', '10 giờ');
      expect(verify(null, Buffer.from(forged), createPublicKey(pem.text), Buffer.from(s.signature, 'base64'))).toBe(
        false,
      );
      // the private key is never served
      expect(JSON.stringify(key.body)).not.toContain('PRIVATE');

      await t.db.query(`UPDATE crisis_statements SET body = replace(body, '14 giờ', '10 giờ') WHERE id = $1`, [stmtId]);
      const tampered = await t.client().get(`/verify?code=${code}`);
      expect(tampered.text).toContain('Không xác nhận được chữ ký số');
      expect(tampered.text).not.toContain('ĐÚNG —');
      await t.db.query(`UPDATE crisis_statements SET body = replace(body, '10 giờ', '14 giờ') WHERE id = $1`, [stmtId]);
    });

    it('a correction is a new statement that refers to the one it changes', async () => {
      const res = await editor.post('/staff/crisis/statements', {
        incidentId: String(incidentId),
        kind: 'correction',
        refersTo: String(stmtId),
        title: 'Đính chính thời gian cấm đường',
        body: 'Thời gian cấm lưu thông bắt đầu từ 15 giờ, không phải 14 giờ như đã thông báo.',
      });
      const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
      await editor.post(`/staff/crisis/statements/${id}/submit`, {});
      await reviewer.post(`/staff/crisis/statements/${id}/release`, {});
      const corr = (await t.db.one<{ number: string }>(`SELECT number FROM crisis_statements WHERE id = $1`, [id]))!
        .number;
      const page = await t.client().get(`/statements/${number}`);
      expect(page.text).toContain(`Thông báo này đã được đính chính bởi thông báo số ${corr}.`);
      const newer = await t.client().get(`/statements/${corr}`);
      expect(newer.text).toContain(`Văn bản này đính chính thông báo số ${number}.`);
      const v = await t.client().get(`/verify?code=${code}`);
      expect(v.text).toContain('ĐÚNG');
      expect(v.text).toContain(`đã được đính chính bởi thông báo số ${corr}`);
    });

    it('closing the incident is audited and stops new statements', async () => {
      const res = await editor.post(`/staff/crisis/incidents/${incidentId}/status`, { status: 'closed' });
      expect(res.status).toBe(303);
      expect(await audit('crisis.incident.close', incidentId)).toHaveLength(1);
      const page = await editor.get(`/staff/crisis/incidents/${incidentId}`);
      expect(page.text).toContain('Sự cố đã kết thúc; không soạn thêm thông báo.');
      const more = await editor.post('/staff/crisis/statements', {
        incidentId: String(incidentId),
        kind: 'notice',
        refersTo: '',
        title: 'Muộn',
        body: 'Nội dung',
      });
      expect(more.status).toBe(422);
      expect(more.text).toContain('Sự cố đã kết thúc.');
    });
  });

  it('an ordinary notice outside any incident is numbered, signed and verifiable', async () => {
    const res = await editor.post('/staff/crisis/statements', {
      incidentId: '',
      unitId: String(t.demo.provinceId),
      kind: 'notice',
      refersTo: '',
      title: 'Thông báo nghỉ lễ',
      body: 'Bộ phận một cửa nghỉ lễ từ ngày 1 đến hết ngày 3 tháng 1.',
    });
    expect(res.status).toBe(303);
    const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
    await editor.post(`/staff/crisis/statements/${id}/submit`, {});
    const rel = await reviewer.post(`/staff/crisis/statements/${id}/release`, {});
    expect((await reviewer.get(rel.location!)).text).toContain('Đã phát hành thông báo số');
    const { code } = (await t.db.one<{ code: string }>(`SELECT code FROM crisis_statements WHERE id = $1`, [id]))!;
    expect((await t.client().get(`/verify?code=${code}`)).text).toContain('Thông báo nghỉ lễ');
    expect((await t.client().get('/incidents')).text).toContain('Thông báo nghỉ lễ');
  });

  it('English pages are complete', async () => {
    const page = await t.client().get('/verify?lang=en');
    expect(page.text).toContain('Is this notice genuine?');
    await makeIncident(t.deps, {
      by: (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'editor@crisis.test'`))!.id,
      unit: await realUnit(t.db, '46'),
      affected: [await realUnit(t.db, '19789')],
      title: 'Mưa lớn gây ngập úng tại phường Thuận Hoá',
      titleEn: 'Heavy rain floods Thuan Hoa Ward',
    });
    const inc = await t.client().get('/incidents?lang=en');
    expect(inc.text).toContain('Heavy rain floods Thuan Hoa Ward');
  });
});
