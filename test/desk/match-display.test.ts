import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { makeCityStaff, makeFactcheck, makeMember, realCity } from '../helpers/factories.js';
import { BRIDGE_FACTCHECK } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ demo: false });
  const units = await realCity(t.db);
  const staff = await makeCityStaff(t.db, 'matchshow');
  await makeMember(t.db, { email: 'thanhvien@matchshow.test', unit: units['19753'] });
  const out = { author: staff.editor.id, reviewer: staff.reviewer.id, status: 'published' } as const;
  // the fact-checks that answer: a bridge rumour and a pension scam
  await makeFactcheck(t.deps, {
    ...out,
    form: BRIDGE_FACTCHECK,
  });
  await makeFactcheck(t.deps, {
    ...out,
    form: {
      title: 'Tin nhắn báo “nhận tiền hỗ trợ lương hưu” là lừa đảo',
      claim: 'Người về hưu bấm vào đường link trong tin nhắn để nhận 3 triệu đồng tiền hỗ trợ lương hưu của nhà nước.',
      summary: 'Sai. Nhà nước không gửi tin nhắn kèm đường link để chi tiền hỗ trợ lương hưu.',
    },
  });
});
afterAll(async () => {
  await t?.close();
});

describe("the network members' claim form follows the desk's rule", () => {
  it('"already checked" with the answer only when a fact-check answers; otherwise "not checked yet", related ones without a verdict', async () => {
    const m = t.client();
    await m.signIn('thanhvien@matchshow.test');
    await m.get('/network/claims/new');
    const hit = await m.post('/network/claims', {
      text: 'Cầu Trường Tiền bị nứt dầm sắp sập, từ mai cấm xe máy qua cầu?',
      seenWhere: 'Nhóm Zalo',
    });
    expect(hit.status).toBe(200);
    expect(hit.text).toContain('Đã được kiểm chứng');
    expect(hit.text).toMatch(/Cầu Trường Tiền[^<]*<\/a> — Sai/);

    const miss = await m.post('/network/claims', {
      text: 'Phường phát 5 triệu đồng cho hộ kinh doanh bị ảnh hưởng bão tuần trước',
      seenWhere: '',
    });
    expect(miss.status).toBe(200);
    expect(miss.text).toContain('Chưa được kiểm chứng — bộ phận kiểm chứng đã nhận tin bạn gửi');
    expect(miss.text).not.toContain('Đã được kiểm chứng');
    expect(miss.text).not.toMatch(/<\/a> — Sai/);
  });

  it('the API says whether the claim was answered', async () => {
    const r = await t.client().json('/api/v1/claims', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Phường phát 5 triệu đồng cho hộ kinh doanh bị ảnh hưởng bão tuần trước' }),
    });
    expect(r.status).toBe(201);
    expect(r.body.answered).toBe(false);
    const en = await t
      .client()
      .json(
        '/api/v1/factchecks/match?lang=en&text=' +
          encodeURIComponent('Người về hưu bấm link trong tin nhắn nhận 3 triệu tiền hỗ trợ lương hưu'),
        { headers: { 'accept-language': 'en' } },
      );
    expect(en.body.answered).toBe(true);
    expect(en.body.results[0].verdict).toBe('False');
  });
});
