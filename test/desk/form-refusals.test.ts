/**
 * Issue 14: the desk's forms on the one form helper (submit()). A refused form answers 422 with the translated message
 * beside its field and everything typed kept: the piece editor (a new piece, a change to a piece), a cluster's steps
 * and the residents' claim form. A file chosen with a refused editor save or claim is asked for again beside its field.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dt } from '../../src/modules/desk/i18n.js';
import { common } from '../../src/platform/i18n/common.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, makeUnit, realCity } from '../helpers/factories.js';
import { pickerChoices, tickedUnits } from '../helpers/picker.js';
import { errorBeside as beside } from '../helpers/refused-form.js';

let t: TestApp;
let ed: TestClient;
let vyDa: number;
let anCuu: number;
let outside: number;

beforeAll(async () => {
  t = await testApp({ demo: false });
  const city = await realCity(t.db);
  vyDa = city['19777'].id;
  anCuu = city['19815'].id;
  outside = (await makeUnit(t.db, { name: 'Tỉnh Ngoài Phạm Vi', level: 'province' })).id;
  const staff = await makeCityStaff(t.db, 'deskrefuse');
  ed = t.client();
  expect((await ed.signIn(staff.editor.email)).status).toBeLessThan(400);
});
afterAll(async () => t?.close());

const vi = dt.t('vi');
const en = dt.t('en');
const image = async () =>
  new File(
    [
      new Uint8Array(
        await sharp({ create: { width: 60, height: 40, channels: 3, background: '#36c' } })
          .jpeg()
          .toBuffer(),
      ),
    ],
    'anh.jpg',
    { type: 'image/jpeg' },
  );
const textarea = (name: string, text: string) =>
  new RegExp(
    `<textarea[^>]*name="${name}"[^>]*>${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\n/g, '\r?\n')}</textarea>`,
  );
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.one<{ n: string }>(sql, params))!.n);

const factcheck = {
  kind: 'factcheck',
  title: 'Tin đồn <cắt nước> cả tuần ở Vỹ Dạ',
  summary: '',
  body: 'Công ty cấp nước chỉ tạm ngừng một buổi sáng để thay van.',
  claim: 'Cả phường Vỹ Dạ mất nước bảy ngày',
  appearances: 'Nhóm Zalo khu phố | https://zalo.example.org/g/1',
  verdict: 'khong-co-ket-luan-nay',
  method: 'Gọi tổng đài công ty cấp nước.',
  sources: 'Thông báo tạm ngừng cấp nước | Công ty cấp nước Huế | 2026-12-01\nBài báo | Báo Huế | hôm qua',
};

describe(`desk forms refused with 422, the message beside the field and what was typed (${testDbKind()})`, () => {
  it('a new fact-check: every refusal translated beside its field, every value and list kept, the image asked again', async () => {
    const before = await count(`SELECT count(*) AS n FROM desk_items`);
    const r = await ed.post('/staff/desk/items', {
      ...factcheck,
      units: [String(vyDa), String(anCuu)],
      image_new: await image(),
      image_new_caption: 'Ảnh chụp tin nhắn',
      image_new_credit: 'Người dân gửi',
    });
    expect(r.status).toBe(422);
    expect(beside(r.text, 'summary')).toBe(common.t('vi')('field.required'));
    expect(beside(r.text, 'verdict')).toBe(vi('err.verdict'));
    expect(beside(r.text, 'sources')).toBe(vi('err.sourceLine', { n: 2 }));
    expect(beside(r.text, 'image_new')).toBe(vi('form.fileNotSaved'));
    expect(r.text).toContain('value="Tin đồn &lt;cắt nước&gt; cả tuần ở Vỹ Dạ"');
    expect(r.text).toMatch(textarea('claim', factcheck.claim));
    expect(r.text).toMatch(textarea('appearances', factcheck.appearances));
    expect(r.text).toMatch(textarea('method', factcheck.method));
    expect(r.text).toMatch(textarea('sources', factcheck.sources));
    expect(r.text).toContain('value="Ảnh chụp tin nhắn"');
    expect(r.text).toContain('value="Người dân gửi"');
    expect(tickedUnits(r.text, 'units')).toEqual([vyDa, anCuu].sort((a, b) => a - b));
    expect(await count(`SELECT count(*) AS n FROM desk_items`)).toBe(before);

    const inEnglish = await ed.post('/staff/desk/items?lang=en', { ...factcheck, summary: 'Có tóm tắt' });
    expect(inEnglish.status).toBe(422);
    expect(beside(inEnglish.text, 'sources')).toBe(en('err.sourceLine', { n: 2 }));
    expect(beside(inEnglish.text, 'verdict')).toBe(en('err.verdict'));
    expect(beside(inEnglish.text, 'summary')).toBeNull();
    expect(inEnglish.text).toMatch(textarea('summary', 'Có tóm tắt'));
  });

  it('a change to a piece: a schema refusal and a service refusal both bring the editor back with what was typed', async () => {
    const created = await ed.post('/staff/desk/items', {
      kind: 'article',
      title: 'Lịch cắt điện tuần tới',
      summary: 'Điện lực thông báo lịch bảo trì.',
      body: 'Chi tiết theo từng tuyến phố.',
      units: String(vyDa),
    });
    expect(created.status).toBe(303);
    const id = Number(created.location!.match(/items\/(\d+)/)![1]);
    const change = {
      kind: 'article',
      title: '',
      summary: 'Tóm tắt mới đã gõ',
      body: 'Nội dung mới <b>đã gõ</b> chưa lưu.',
      units: [String(vyDa), String(anCuu)],
    };
    const bad = await ed.post(`/staff/desk/items/${id}`, change);
    expect(bad.status).toBe(422);
    expect(beside(bad.text, 'title')).toBe(common.t('vi')('field.required'));
    expect(bad.text).toMatch(textarea('summary', 'Tóm tắt mới đã gõ'));
    expect(bad.text).toMatch(textarea('body', 'Nội dung mới &lt;b&gt;đã gõ&lt;/b&gt; chưa lưu.'));
    expect(tickedUnits(bad.text, 'units')).toEqual([vyDa, anCuu].sort((a, b) => a - b));

    // the service refuses a place outside the editor's scope: the same page, the message beside the places
    const refused = await ed.post(`/staff/desk/items/${id}`, {
      ...change,
      title: 'Lịch cắt điện đã sửa',
      units: [String(vyDa), String(outside)],
      image_new: await image(),
      image_new_caption: 'Sơ đồ',
      image_new_credit: 'Điện lực',
    });
    expect(refused.status).toBe(422);
    expect(beside(refused.text, 'units')).toBe(vi('err.unitScope'));
    expect(beside(refused.text, 'image_new')).toBe(vi('form.fileNotSaved'));
    expect(refused.text).toContain('value="Lịch cắt điện đã sửa"');
    expect(refused.text).toMatch(textarea('summary', 'Tóm tắt mới đã gõ'));
    const item = await t.db.one<{ title: string }>(`SELECT title FROM desk_items WHERE id = $1`, [id]);
    expect(item!.title).toBe('Lịch cắt điện tuần tới');
  });

  it('a cluster’s steps: status, merge, assign and reply refused beside their fields, typed values kept', async () => {
    const resident = t.client();
    await resident.get('/claims/new');
    const sent = await resident.post('/claims/new', {
      text: 'Nghe nói trường tiểu học phường Vỹ Dạ cho học sinh nghỉ cả tháng, có đúng không?',
      unit_id: String(vyDa),
    });
    expect(sent.status).toBe(303);
    const code = sent.location!.match(/KC-[A-Z0-9]{7}/)![0];
    const { cluster_id: cluster } = (await t.db.one<{ cluster_id: number }>(
      `SELECT cluster_id FROM desk_claims WHERE code = $1`,
      [code],
    ))!;
    const base = `/staff/desk/clusters/${cluster}`;
    await ed.get(base);

    const status = await ed.post(base, { status: 'bogus', reason: 'Lý do đã gõ <thử>' });
    expect(status.status).toBe(422);
    expect(beside(status.text, 'status')).toBe(common.t('vi')('field.invalidChoice'));
    expect(status.text).toContain('value="Lý do đã gõ &lt;thử&gt;"');

    const merge = await ed.post(`${base}/merge`, { from: 'mười hai' });
    expect(merge.status).toBe(422);
    expect(beside(merge.text, 'from')).toBe(vi('err.cluster'));
    expect(merge.text).toContain('value="mười hai"');

    const assign = await ed.post(`${base}/assign?lang=en`, { assignee_id: 'x1', priority: 'high' });
    expect(assign.status).toBe(422);
    expect(beside(assign.text, 'assignee_id')).toBe(en('err.assignee'));
    expect(assign.text).toMatch(/<option value="high" selected/);

    const long = `Trả lời rất dài: ${'ồ'.repeat(2000)}`;
    const reply = await ed.post(`${base}/reply`, { reply: long });
    expect(reply.status).toBe(422);
    expect(beside(reply.text, 'reply')).toBe(vi('err.replyLong'));
    expect(reply.text).toMatch(textarea('reply', long));
    expect(await count(`SELECT count(*) AS n FROM desk_cluster_replies WHERE cluster_id = $1`, [cluster])).toBe(0);
  });

  it('the claim form: a short text and a bad address refused beside their fields, the rest and the ward kept', async () => {
    const resident = t.client();
    await resident.get('/claims/new');
    const typed = {
      text: 'Mất nước',
      link: 'https://zalo.example.org/p/9',
      seen_where: 'Nhóm Zalo “Khu phố 3”',
      email: 'ban@@example',
      unit_id: String(vyDa),
    };
    const r = await resident.post('/claims/new', typed);
    expect(r.status).toBe(422);
    expect(beside(r.text, 'text')).toBe(vi('err.textShort', { min: 10 }));
    expect(beside(r.text, 'email')).toBe(vi('err.email'));
    expect(r.text).toContain('value="https://zalo.example.org/p/9"');
    expect(r.text).toContain('value="Nhóm Zalo “Khu phố 3”"');
    expect(r.text).toContain('value="ban@@example"');
    expect(r.text).toMatch(textarea('text', 'Mất nước'));
    expect(pickerChoices(r.text, 'unit_id', 'radio').find((c) => c.checked)?.id).toBe(vyDa);

    const inEnglish = await resident.post('/claims/new?lang=en', { ...typed, email: '' });
    expect(inEnglish.status).toBe(422);
    expect(beside(inEnglish.text, 'text')).toBe(en('err.textShort', { min: 10 }));
    expect(beside(inEnglish.text, 'email')).toBeNull();
  });

  it('the claim form: a screenshot chosen with a refused send is asked for again beside its field, vi and en', async () => {
    const resident = t.client();
    await resident.get('/claims/new');
    const files = await count(`SELECT count(*) AS n FROM files`);
    const typed = { text: 'Mất nước', unit_id: String(vyDa) };
    const r = await resident.post('/claims/new', { ...typed, screenshot: await image() });
    expect(r.status).toBe(422);
    expect(beside(r.text, 'text')).toBe(vi('err.textShort', { min: 10 }));
    expect(beside(r.text, 'screenshot')).toBe(vi('claim.screenshotNotSent'));
    const inEnglish = await resident.post('/claims/new?lang=en', { ...typed, screenshot: await image() });
    expect(inEnglish.status).toBe(422);
    expect(beside(inEnglish.text, 'screenshot')).toBe(en('claim.screenshotNotSent'));
    expect(await count(`SELECT count(*) AS n FROM files`)).toBe(files);
    // without a file chosen nothing is asked for
    expect(beside((await resident.post('/claims/new', typed)).text, 'screenshot')).toBeNull();
  });
});
