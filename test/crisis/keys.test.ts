import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/bootstrap.js';
import { runCommand } from '../../src/cli/commands.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { canonicalForm, newKeyPair, signCanonical } from '../../src/modules/crisis/service/signing.js';
import { modules } from '../../src/modules/index.js';
import { MemoryBlobStore } from '../../src/platform/files/store.js';
import { formatDateTime } from '../../src/platform/i18n/index.js';
import { TestClient, type TestApp, type TestClient as Client } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { testDb, testDbKind } from '../helpers/db.js';
import { makeStatement } from '../helpers/factories-crisis.js';
import { type City, cityApp } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const vn = (d: string | Date) => formatDateTime('vi', new Date(d));

describe(`crisis: signing key rotation (${testDbKind()})`, () => {
  let t: TestApp & { city: City };
  let admin: Client;
  let editor: Client;
  let reviewer: Client;
  let keyA: string;
  let pemA: string;
  let oldCode: string;

  beforeAll(async () => {
    t = await cityApp();
    const { staff, province } = t.city;
    // two notices released before any rotation, one after the other
    for (const title of ['Thông báo lịch tiếp công dân', 'Thông báo lịch thu gom rác'])
      await makeStatement(t.deps, { by: staff.editor.id, reviewer: staff.reviewer.id, unit: province, title });
    admin = t.client();
    await admin.signIn(staff.admin.email);
    editor = t.client();
    await editor.signIn(staff.editor.email);
    reviewer = t.client();
    await reviewer.signIn(staff.reviewer.email);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Drafted by the editor, approved by the reviewer, as in the newsroom. */
  async function release(
    title: string,
    body: string,
  ): Promise<{ id: number; number: string; code: string; keyId: string }> {
    const res = await editor.post('/staff/crisis/statements', {
      incidentId: '',
      unitId: String(t.city.provinceId),
      kind: 'notice',
      refersTo: '',
      title,
      body,
    });
    expect(res.status).toBe(303);
    const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
    expect((await editor.post(`/staff/crisis/statements/${id}/submit`, {})).status).toBe(303);
    expect((await reviewer.post(`/staff/crisis/statements/${id}/release`, {})).status).toBe(303);
    const r = (await t.db.one<{ number: string; code: string; key_id: string }>(
      `SELECT number, code, key_id FROM crisis_statements WHERE id = $1`,
      [id],
    ))!;
    return { id, number: r.number, code: r.code, keyId: r.key_id };
  }

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runCommand(t.deps, modules, argv, (l) => out.push(l));
    return { code, out: out.join('\n') };
  };

  it('before any rotation the JSON lists one current key, the one the statements so far were signed with', async () => {
    const json = await t.client().json('/.well-known/caunoi-statements.json');
    expect(json.body.keys).toHaveLength(1);
    expect(json.body.keys[0]).toMatchObject({
      status: 'current',
      validUntil: null,
      compromisedSince: null,
      algorithm: 'Ed25519',
    });
    keyA = json.body.keyId;
    expect(json.body.keys[0].keyId).toBe(keyA);
    pemA = (await t.client().get('/.well-known/caunoi-statements.pub')).text;
    expect(pemA).toBe(json.body.publicKeyPem);
    oldCode = (await t.db.one<{ code: string }>(
      `SELECT code FROM crisis_statements WHERE status = 'released' AND key_id = $1 ORDER BY released_at LIMIT 1`,
      [keyA],
    ))!.code;
    const v = await t.client().get(`/verify?code=${oldCode}`);
    expect(v.text).toContain('ĐÚNG — đây là văn bản chính thức');
    expect(v.text).toContain(`ký bằng khóa ${keyA} (khóa đang dùng`);
  });

  it('only the top unit’s administrator reaches the key page; the editor and reviewer get 403', async () => {
    expect((await editor.get('/staff/crisis/keys')).status).toBe(403);
    expect((await reviewer.post('/staff/crisis/keys/rotate', { reason: 'thử', confirm: '1' })).status).toBe(403);
    const page = await admin.get('/staff/crisis/keys');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Khóa ký văn bản');
    expect(page.text).toContain(keyA);
    expect(page.text).toContain('Đang dùng');
    expect((await admin.get('/staff/crisis')).text).toContain('href="/staff/crisis/keys"');
    expect((await editor.get('/staff/crisis')).text).not.toContain('href="/staff/crisis/keys"');
  });

  it('refuses a rotation without a reason or confirmation, or with a bad leak time, beside each field (422), keeping what was typed', async () => {
    const none = await admin.post('/staff/crisis/keys/rotate', { reason: '', compromisedSince: '' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Nhập lý do thay khóa (ít nhất 3 ký tự).');
    expect(none.text).toContain('Đánh dấu ô xác nhận để thay khóa.');
    const bad = await admin.post('/staff/crisis/keys/rotate', {
      reason: 'Nghi lộ khóa',
      compromised: '1',
      compromisedSince: '2026-02-30 08:00',
      confirm: '1',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Thời điểm không hợp lệ; ví dụ 2026-11-23 08:00.');
    expect(bad.text).toContain('Nghi lộ khóa</textarea>');
    expect(bad.text).toContain('value="2026-02-30 08:00"');
    const future = await admin.post('/staff/crisis/keys/rotate', {
      reason: 'Nghi lộ khóa',
      compromised: '1',
      compromisedSince: '2099-01-01 08:00',
      confirm: '1',
    });
    expect(future.status).toBe(422);
    expect(future.text).toContain('Thời điểm bị lộ không thể ở tương lai.');
    const missing = await admin.post('/staff/crisis/keys/rotate', {
      reason: 'Nghi lộ khóa',
      compromised: '1',
      compromisedSince: '',
      confirm: '1',
    });
    expect(missing.text).toContain('Nhập thời điểm khóa bị lộ');
    // nothing changed
    expect((await t.client().json('/.well-known/caunoi-statements.json')).body.keys).toHaveLength(1);
  });

  let keyB: string;
  it('rotates from the staff page: audited, new key current, old key retired with its validity period', async () => {
    const res = await admin.post('/staff/crisis/keys/rotate', { reason: 'Thay đổi cán bộ quản trị', confirm: '1' });
    expect(res.status).toBe(303);
    const page = await admin.get(res.location!);
    const json = await t.client().json('/.well-known/caunoi-statements.json');
    keyB = json.body.keyId;
    expect(keyB).not.toBe(keyA);
    expect(page.text).toContain(`Đã thay khóa. Khóa mới: ${keyB}.`);
    expect(page.text).toContain('Thay đổi cán bộ quản trị');
    expect(page.text).toContain('Đã thu hồi');
    expect(json.body.keys.map((k: { keyId: string }) => k.keyId)).toEqual([keyB, keyA]);
    const [b, a] = json.body.keys;
    expect(b).toMatchObject({ status: 'current', validUntil: null });
    expect(a).toMatchObject({ status: 'retired', compromisedSince: null });
    expect(a.validUntil).toBe(b.validFrom);
    expect(new Date(a.validFrom).getTime()).toBeLessThan(new Date(a.validUntil).getTime());
    // the reason is for staff and the audit log, not for the public
    expect(JSON.stringify(json.body)).not.toContain('Thay đổi cán bộ');
    expect(JSON.stringify(json.body)).not.toContain('PRIVATE');
    // the .pub path keeps its format and now serves the new key
    const pub = await t.client().get('/.well-known/caunoi-statements.pub');
    expect(pub.headers.get('content-type')).toContain('application/x-pem-file');
    expect(pub.text).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    expect(pub.text).not.toBe(pemA);
    expect(pub.text).toBe(b.publicKeyPem);
    const audit = await t.db.query<{
      actor_label: string;
      data: { retiredKeyId: string; newKeyId: string; reason: string };
    }>(`SELECT actor_label, data FROM audit_log WHERE action = 'crisis.key.rotate'`);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_label).toBe(t.city.staff.admin.email);
    expect(audit[0].data).toMatchObject({ retiredKeyId: keyA, newKeyId: keyB, reason: 'Thay đổi cán bộ quản trị' });
  });

  it('statements signed before the rotation still verify, naming the old key and when it was valid', async () => {
    const keys = (await t.client().json('/.well-known/caunoi-statements.json')).body.keys;
    const a = keys.find((k: { keyId: string }) => k.keyId === keyA);
    const v = await t.client().get(`/verify?code=${oldCode}`);
    expect(v.text).toContain('ĐÚNG — đây là văn bản chính thức');
    expect(v.text).toContain(`ký bằng khóa ${keyA}, khóa có hiệu lực từ ${vn(a.validFrom)} đến ${vn(a.validUntil)}`);
    const api = await t.client().json(`/api/v1/crisis/verify?code=${oldCode}`);
    expect(api.body).toMatchObject({
      genuine: true,
      signatureStatus: 'valid',
      key: { keyId: keyA, status: 'retired' },
    });
    // and the old public key alone still checks the signature
    const s = api.body.statement;
    expect(
      verify(
        null,
        Buffer.from(
          canonicalForm({
            number: s.number,
            releasedAt: s.releasedAt,
            title: s.title,
            titleEn: s.titleEn,
            body: s.body,
            bodyEn: s.bodyEn,
            incidentId: s.incidentId,
          }),
        ),
        createPublicKey(a.publicKeyPem),
        Buffer.from(s.signature, 'base64'),
      ),
    ).toBe(true);
  });

  let newer: { id: number; number: string; code: string; keyId: string };
  it('statements released after the rotation are signed with the new key', async () => {
    newer = await release(
      'Thông báo sau khi thay khóa',
      'Lịch tiếp công dân tuần này chuyển sang chiều thứ Năm tại trụ sở.',
    );
    expect(newer.keyId).toBe(keyB);
    const v = await t.client().get(`/verify?code=${newer.code}`);
    expect(v.text).toContain('ĐÚNG — đây là văn bản chính thức');
    expect(v.text).toContain(`ký bằng khóa ${keyB} (khóa đang dùng`);
    const api = await t.client().json(`/api/v1/crisis/verify?code=${newer.code}`);
    const s = api.body.statement;
    const pub = (await t.client().get('/.well-known/caunoi-statements.pub')).text;
    expect(
      verify(
        null,
        Buffer.from(
          canonicalForm({
            number: s.number,
            releasedAt: s.releasedAt,
            title: s.title,
            titleEn: s.titleEn,
            body: s.body,
            bodyEn: s.bodyEn,
            incidentId: s.incidentId,
          }),
        ),
        createPublicKey(pub),
        Buffer.from(s.signature, 'base64'),
      ),
    ).toBe(true);
  });

  it('a statement signed with the retired key after its retirement does not verify, and says why', async () => {
    // someone who kept the old private key signs a text dated now
    const { private_key_pem: priv } = (await t.db.one<{ private_key_pem: string }>(
      `SELECT private_key_pem FROM crisis_signing_keys WHERE key_id = $1`,
      [keyA],
    ))!;
    const row = (await t.db.one<{ number: string; released_at: Date; title: string; body: string }>(
      `SELECT number, released_at, title, body FROM crisis_statements WHERE id = $1`,
      [newer.id],
    ))!;
    const sig = signCanonical(
      priv,
      canonicalForm({
        number: row.number,
        releasedAt: new Date(row.released_at).toISOString(),
        title: row.title,
        titleEn: null,
        body: row.body,
        bodyEn: null,
        incidentId: null,
      }),
    );
    await t.db.query(`UPDATE crisis_statements SET key_id = $2, signature = $3 WHERE id = $1`, [newer.id, keyA, sig]);
    const v = await t.client().get(`/verify?code=${newer.code}`);
    expect(v.text).toContain(`KHÔNG XÁC NHẬN ĐƯỢC — văn bản ghi là được ký bằng khóa ${keyA}`);
    expect(v.text).toContain('đã bị thu hồi từ');
    expect(v.text).not.toContain('ĐÚNG —');
    expect((await t.client().json(`/api/v1/crisis/verify?code=${newer.code}`)).body).toMatchObject({
      genuine: false,
      signatureStatus: 'key-retired',
    });
    const en = await t.client().get(`/verify?code=${newer.code}&lang=en`);
    expect(en.text).toContain(`CANNOT BE CONFIRMED — the notice claims to be signed with key ${keyA}`);
    // pasted text gets the same answer, not "genuine"
    const pasted = await t.client().json('/api/v1/crisis/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: row.body }),
    });
    expect(pasted.body).toMatchObject({ genuine: false, signatureStatus: 'key-retired' });

    // a key id the office never had
    await t.db.query(`UPDATE crisis_statements SET key_id = 'deadbeefdeadbeef' WHERE id = $1`, [newer.id]);
    const unknown = await t.client().get(`/verify?code=${newer.code}`);
    expect(unknown.text).toContain(
      'văn bản ghi là được ký bằng khóa deadbeefdeadbeef, nhưng cơ quan chưa từng có khóa này',
    );
    // the new key, with a time before it existed
    await t.db.query(
      `UPDATE crisis_statements SET key_id = $2, released_at = released_at - interval '1 day' WHERE id = $1`,
      [newer.id, keyB],
    );
    const early = await t.client().get(`/verify?code=${newer.code}`);
    expect(early.text).toContain(`khóa ${keyB} lúc`);
    expect(early.text).toContain('nhưng khóa này chỉ có hiệu lực từ');
    expect((await t.client().json(`/api/v1/crisis/verify?code=${newer.code}`)).body.signatureStatus).toBe(
      'key-not-yet-valid',
    );
  });

  it('the CLI rotates a leaked key: statements it signed since the leak warn instead of "genuine", earlier ones still verify', async () => {
    const before = await release(
      'Thông báo trước khi lộ khóa',
      'Trụ sở tiếp công dân mở cửa bình thường vào sáng thứ Bảy tuần này.',
    );
    await sleep(30);
    const since = new Date();
    await sleep(30);
    const after = await release(
      'Thông báo sau khi lộ khóa',
      'Người dân cần nộp lệ phí qua tài khoản mới trước ngày 30 tháng này.',
    );
    expect([before.keyId, after.keyId]).toEqual([keyB, keyB]);

    expect((await run('crisis-rotate-key')).code).toBe(2);
    expect((await run('crisis-rotate-key', '--reason', 'Nghi lộ khóa', '--compromised-since', 'hôm qua')).code).toBe(2);
    const r = await run(
      'crisis-rotate-key',
      '--reason',
      'Máy chủ bị xâm nhập',
      '--compromised-since',
      since.toISOString(),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(`retired key ${keyB}`);
    expect(r.out).toContain('1 statement(s) now show a warning');
    const json = (await t.client().json('/.well-known/caunoi-statements.json')).body;
    const keyC = json.keyId;
    expect(r.out).toContain(`current key ${keyC}`);
    expect(json.keys.map((k: { keyId: string }) => k.keyId)).toEqual([keyC, keyB, keyA]);
    expect(json.keys[1]).toMatchObject({ status: 'compromised', compromisedSince: since.toISOString() });
    expect(json.keys[2]).toMatchObject({ status: 'retired' });
    const audit = await t.db.query<{ actor_label: string }>(
      `SELECT actor_label FROM audit_log WHERE action = 'crisis.key.rotate' ORDER BY id`,
    );
    expect(audit.map((a) => a.actor_label)).toEqual([t.city.staff.admin.email, 'cli']);

    const warned = await t.client().get(`/verify?code=${after.code}`);
    expect(warned.text).toContain(
      `CẢNH BÁO — chưa thể khẳng định văn bản này là thật. Chữ ký khớp với khóa ${keyB}, nhưng khóa này đã bị lộ (hoặc nghi bị lộ) từ ${vn(since)}`,
    );
    expect(warned.text).not.toContain('ĐÚNG —');
    expect(warned.text).toContain('Nội dung được ghi nhận với mã này');
    expect(warned.text).not.toContain('Nội dung chính thức');
    expect((await t.client().get(`/verify?code=${after.code}&lang=en`)).text).toContain(
      'WARNING — this notice cannot be confirmed as genuine.',
    );
    expect((await t.client().json(`/api/v1/crisis/verify?code=${after.code}`)).body).toMatchObject({
      genuine: false,
      signatureStatus: 'compromised',
      key: { keyId: keyB, status: 'compromised' },
    });
    const resident = t.client();
    await resident.get('/verify');
    const pasted = await resident.post('/verify', {
      text: 'Người dân cần nộp lệ phí qua tài khoản mới trước ngày 30 tháng này.',
    });
    expect(pasted.text).toContain('CẢNH BÁO — chưa thể khẳng định');

    // the statement's own public page carries the same warning; one signed before the leak does not
    const statementPage = await t.client().get(`/statements/${after.number}`);
    expect(statementPage.text).toContain(
      `CẢNH BÁO — chưa thể khẳng định văn bản này là thật. Chữ ký khớp với khóa ${keyB}`,
    );
    expect(statementPage.text).toContain('data-signature="compromised"');
    expect((await t.client().get(`/statements/${before.number}`)).text).not.toContain('CẢNH BÁO');

    const earlier = await t.client().get(`/verify?code=${before.code}`);
    expect(earlier.text).toContain('ĐÚNG — đây là văn bản chính thức');
    expect(earlier.text).toContain(`ký bằng khóa ${keyB}, khóa có hiệu lực từ`);
    expect((await t.client().get(`/verify?code=${oldCode}`)).text).toContain('ĐÚNG — đây là văn bản chính thức');

    const page = await admin.get('/staff/crisis/keys');
    expect(page.text).toContain(`Bị lộ từ ${vn(since)}`);
    expect(page.text).toContain('Máy chủ bị xâm nhập');

    const third = await release('Thông báo với khóa thứ ba', 'Lịch cắt điện khu vực phía Nam được lùi sang tuần sau.');
    expect(third.keyId).toBe(keyC);
    expect((await t.client().get(`/verify?code=${third.code}`)).text).toContain(`ký bằng khóa ${keyC} (khóa đang dùng`);
  });

  it('releases running while the key is rotated are each signed with a key valid at their time, and all verify', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const res = await editor.post('/staff/crisis/statements', {
        incidentId: '',
        unitId: String(t.city.provinceId),
        kind: 'notice',
        refersTo: '',
        title: `Thông báo song song ${i}`,
        body: `Nội dung thông báo song song số ${i} gửi người dân trong phường.`,
      });
      const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
      await editor.post(`/staff/crisis/statements/${id}/submit`, {});
      ids.push(id);
    }
    const releases = ids.map((id) => reviewer.post(`/staff/crisis/statements/${id}/release`, {}));
    const rotation = run('crisis-rotate-key', '--reason', 'Thay khóa định kỳ');
    expect((await Promise.all(releases)).map((r) => r.status)).toEqual(ids.map(() => 303));
    expect((await rotation).code).toBe(0);
    const rows = await t.db.query<{ code: string; key_id: string }>(
      `SELECT code, key_id FROM crisis_statements WHERE id = ANY($1::int[])`,
      [ids],
    );
    for (const r of rows) {
      const api = await t.client().json(`/api/v1/crisis/verify?code=${r.code}`);
      expect(api.body).toMatchObject({ genuine: true, signatureStatus: 'valid', key: { keyId: r.key_id } });
    }
    expect((await t.client().json('/.well-known/caunoi-statements.json')).body.keys).toHaveLength(4);
  });

  it('a retired key found leaked later is marked from the staff page or the CLI; what it signed since then warns', async () => {
    const json = (await t.client().json('/.well-known/caunoi-statements.json')).body;
    const current = json.keyId;
    const signedByA = await t.db.query<{ code: string; released_at: Date }>(
      `SELECT code, released_at FROM crisis_statements WHERE key_id = $1 AND status = 'released' ORDER BY released_at`,
      [keyA],
    );
    expect(signedByA.length).toBeGreaterThanOrEqual(2);
    const since = new Date(signedByA[1].released_at);

    const page = await admin.get('/staff/crisis/keys');
    expect(page.text).toContain('Khóa đã thu hồi bị phát hiện lộ');
    const cur = await admin.post('/staff/crisis/keys/leak', {
      leakKey: current,
      leakSince: since.toISOString(),
      leakReason: 'Thử khóa đang dùng',
      leakConfirm: '1',
    });
    expect(cur.status).toBe(422);
    expect(cur.text).toContain('Đây là khóa đang dùng: hãy thay khóa ở trên');
    const noConfirm = await admin.post('/staff/crisis/keys/leak', {
      leakKey: keyA,
      leakSince: since.toISOString(),
      leakReason: 'Cán bộ cũ làm lộ khóa',
    });
    expect(noConfirm.status).toBe(422);
    expect(noConfirm.text).toContain('Đánh dấu ô xác nhận để ghi nhận khóa bị lộ.');
    expect(noConfirm.text).toContain('Cán bộ cũ làm lộ khóa</textarea>');
    expect(
      (
        await editor.post('/staff/crisis/keys/leak', {
          leakKey: keyA,
          leakSince: since.toISOString(),
          leakReason: 'x x x',
          leakConfirm: '1',
        })
      ).status,
    ).toBe(403);

    const ok = await admin.post('/staff/crisis/keys/leak', {
      leakKey: keyA,
      leakSince: since.toISOString(),
      leakReason: 'Cán bộ cũ làm lộ khóa',
      leakConfirm: '1',
    });
    expect(ok.status).toBe(303);
    const after = await admin.get(ok.location!);
    expect(after.text).toContain(
      `Đã đánh dấu khóa ${keyA} bị lộ. ${signedByA.length - 1} văn bản ký bằng khóa cũ từ thời điểm bị lộ sẽ hiện cảnh báo khi kiểm tra.`,
    );
    expect(after.text).toContain('Thay đổi cán bộ quản trị — Cán bộ cũ làm lộ khóa');
    expect((await t.client().get(`/verify?code=${signedByA[1].code}`)).text).toContain(
      `CẢNH BÁO — chưa thể khẳng định văn bản này là thật. Chữ ký khớp với khóa ${keyA}`,
    );
    expect((await t.client().get(`/verify?code=${signedByA[0].code}`)).text).toContain(
      'ĐÚNG — đây là văn bản chính thức',
    );
    const keys = (await t.client().json('/.well-known/caunoi-statements.json')).body.keys;
    expect(keys.find((k: { keyId: string }) => k.keyId === keyA)).toMatchObject({
      status: 'compromised',
      compromisedSince: since.toISOString(),
    });
    expect(
      await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'crisis.key.compromise' AND actor_label = $1`, [
        t.city.staff.admin.email,
      ]),
    ).toHaveLength(1);

    // the CLI: a key id that does not exist, then the third key since long before it existed (all it signed)
    expect((await run('crisis-key-compromised', '--key', keyA)).code).toBe(2);
    const unknown = await run(
      'crisis-key-compromised',
      '--key',
      'deadbeefdeadbeef',
      '--since',
      '2026-01-01 00:00',
      '--reason',
      'Thử',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('No such key.');
    const keyC = keys.find((k: { status: string; keyId: string }) => k.status === 'retired')!.keyId;
    const signedByC = (await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM crisis_statements WHERE key_id = $1 AND status = 'released'`,
      [keyC],
    ))!.n;
    const cli = await run(
      'crisis-key-compromised',
      '--key',
      keyC,
      '--since',
      '2020-01-01 00:00',
      '--reason',
      'Bản sao lưu bị lộ',
    );
    expect(cli.code).toBe(0);
    expect(cli.out).toContain(`key ${keyC} compromised since`);
    expect(cli.out).toContain(`${signedByC} statement(s) now show a warning`);
    const c = (await t.db.one<{ code: string }>(
      `SELECT code FROM crisis_statements WHERE key_id = $1 AND status = 'released' ORDER BY released_at LIMIT 1`,
      [keyC],
    ))!.code;
    expect((await t.client().json(`/api/v1/crisis/verify?code=${c}`)).body).toMatchObject({
      genuine: false,
      signatureStatus: 'compromised',
    });
  });
});

describe(`crisis: the key kept in settings before 002 moves into the key table (${testDbKind()})`, () => {
  it('statements signed before the migration keep verifying with that key', async () => {
    const db = await testDb({ demo: false });
    try {
      // the database as 001_crisis.sql left it: the key in settings, a statement signed with it
      await db.exec(
        `DROP TABLE crisis_signing_keys; DROP INDEX crisis_statements_key; DELETE FROM schema_migrations WHERE id = 'crisis/002_signing_keys.sql'`,
      );
      const k = newKeyPair();
      const createdAt = '2026-01-05T01:00:00.000Z';
      await db.query(`INSERT INTO settings (key, value) VALUES ('crisis.signing-key', $1)`, [
        JSON.stringify({ ...k, createdAt }),
      ]);
      const unit = (await db.one<{ id: number }>(
        `INSERT INTO units (code, name, full_name, type, path, depth) VALUES ('T1', 'Tỉnh', 'Tỉnh Thử', 'province', 'T1', 0) RETURNING id`,
      ))!.id;
      // released before the key's recorded creation time (a clock set late): still within the migrated validity
      const releasedAt = '2026-01-04T23:00:00.000Z';
      const f = {
        number: '2026-001',
        releasedAt,
        title: 'Thông báo cũ',
        titleEn: null,
        body: 'Văn bản ký trước khi có bảng khóa.',
        bodyEn: null,
        incidentId: null,
      };
      const sig = signCanonical(k.privateKeyPem, canonicalForm(f));
      await db.query(
        `INSERT INTO crisis_statements (unit_id, kind, title, body, status, seq, number, released_at, code, signature, key_id) VALUES ($1,'notice',$2,$3,'released',1,'2026-001',$4,'ABCD-EFGH',$5,$6)`,
        [unit, f.title, f.body, releasedAt, sig, k.keyId],
      );
      const deps = await boot({
        config: testConfig(),
        log: createLogger('silent'),
        modules,
        db,
        blobs: new MemoryBlobStore(),
      });
      const client = new TestClient(createApp(deps, modules));
      const v = await client.get('/verify?code=ABCD-EFGH');
      expect(v.text).toContain('ĐÚNG — đây là văn bản chính thức');
      expect(v.text).toContain(`ký bằng khóa ${k.keyId} (khóa đang dùng, có hiệu lực từ ${vn(releasedAt)})`);
      const json = await client.json('/.well-known/caunoi-statements.json');
      expect(json.body).toMatchObject({ keyId: k.keyId, publicKeyPem: k.publicKeyPem, createdAt });
      expect(json.body.keys).toEqual([
        expect.objectContaining({ keyId: k.keyId, validFrom: releasedAt, validUntil: null, status: 'current' }),
      ]);
      expect((await client.get('/.well-known/caunoi-statements.pub')).text).toBe(k.publicKeyPem);
      // one copy of the private key
      expect(await db.query(`SELECT 1 FROM settings WHERE key = 'crisis.signing-key'`)).toHaveLength(0);
    } finally {
      await db.close();
    }
  });
});
