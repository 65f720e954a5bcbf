import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchClaim } from '../../src/modules/desk/public.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { fixture } from './fixtures/match-fixture.js';

let t: TestApp;
const ids = new Map<string, string>();
beforeAll(async () => {
  t = await testApp({ demo: false });
  for (const f of fixture) {
    const r = await t.db.one<{ id: number }>(
      `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
       VALUES ('factcheck', $1, $2, $3, $4, $5, $6, 'published', now(), '[{"title":"Nguồn"}]') RETURNING id`,
      [f.title, f.key, f.summary, f.body, f.claim, f.verdict],
    );
    ids.set(f.key, String(r!.id));
  }
});
afterAll(async () => {
  await t?.close();
});

/** The claim form's answer page (a 303 to the claim's page is followed, as the browser does). */
async function ask(text: string) {
  const c = t.client();
  await c.get('/claims/new');
  const res = await c.post('/claims/new', { text }, { multipart: true });
  return res.status === 303 && res.location ? c.get(res.location) : res;
}

const top = async (text: string) =>
  (await matchClaim(t.deps, text, { limit: 5 })).results.map((r) => [...ids].find(([, id]) => id === r.id)?.[0]);

describe('ranking over the whole fact-check', () => {
  it('a rare name outranks common words', async () => {
    expect((await top('Người dân Kim Long được nhận tiền hỗ trợ không?'))[0]).toBe('kim-long');
  });
  it('a long explanation that repeats the words does not drown a short exact claim', async () => {
    expect((await top('Uống nước dừa chữa khỏi sốt xuất huyết'))[0]).toBe('coconut');
  });
  it('an exact match (the accents as typed) ranks above a folded-only one, and a query without accents still finds it', async () => {
    expect((await top('giá bán nhà ở Huế tăng gấp đôi'))[0]).toBe('sell-house');
    expect((await top('bạn nhà hàng xóm được tặng nhà'))[0]).toBe('friend-house');
    expect((await top('gia ban nha o hue tang gap doi'))[0]).toBe('sell-house');
    expect((await top('cau truong tien nut dam sap sap'))[0]).toBe('bridge');
    expect((await top('CẦU TRƯỜNG TIỀN NỨT DẦM'.normalize('NFD')))[0]).toBe('bridge');
  });
  it('matches English', async () => {
    expect((await top('is it true that people over 60 ride the bus free?'))[0]).toBe('bus-en');
  });
});

describe('calibrated abstention', () => {
  it('answers when a fact-check settles the claim, with a confidence in [0, 1]', async () => {
    const r = await t
      .client()
      .json(
        '/api/v1/factchecks/match?text=' +
          encodeURIComponent('bấm link trong tin nhắn nhận 3 triệu tiền hỗ trợ lương hưu') +
          '&limit=5',
      );
    expect(r.status).toBe(200);
    expect(r.body.answered).toBe(true);
    expect(r.body.results[0]).toMatchObject({ id: ids.get('pension-sms'), verdict: 'Sai' });
    for (const x of r.body.results) expect(x.score >= 0 && x.score <= 1).toBe(true);
    expect(r.body.results[0].score).toBeGreaterThanOrEqual(r.body.thresholds.answer);
  });
  it('does not answer an unrelated claim that shares common words, and shows related items without a verdict', async () => {
    const text = 'Phường phát 5 triệu đồng cho hộ kinh doanh bị ảnh hưởng bão';
    const r = await t.client().json('/api/v1/factchecks/match?text=' + encodeURIComponent(text));
    expect(r.body.answered).toBe(false);
    expect(r.body.results.every((x: { score: number }) => x.score < 0.5)).toBe(true);
    const c = t.client();
    await c.get('/claims/new');
    const sent = await c.post('/claims/new', { text }, { multipart: true });
    expect(sent.status).toBe(303);
    const page = await c.get(sent.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Chưa được kiểm chứng — chúng tôi đã nhận câu hỏi của bạn');
    expect(page.text).not.toContain('Đã được kiểm chứng');
    expect(page.text).not.toContain('data-verdict="sai"');
    const en = await t.client().get('/claims/new?lang=en');
    expect(en.status).toBe(200);
  });
  it('shows "already checked" with the verdict when answered, and at most three related fact-checks', async () => {
    const c = t.client();
    await c.get('/claims/new');
    const page = await c.get(
      (await c.post('/claims/new', { text: 'Cầu Trường Tiền bị nứt dầm sắp sập, cấm xe máy' }, { multipart: true }))
        .location!,
    );
    expect(page.text).toContain('Đã được kiểm chứng');
    expect(page.text).toContain('Cầu Trường Tiền không bị nứt dầm');
    expect(page.text).toContain('data-verdict="sai"');
    const related = page.text.split('class="related"')[1] ?? '';
    expect((related.match(/<li>/g) ?? []).length).toBeLessThanOrEqual(3);
    expect(related).not.toContain('data-verdict');
  });
  it('the threshold and the meaning of score are in the OpenAPI description', async () => {
    const spec = await t.client().json('/api/v1/openapi.json');
    const op = spec.body.paths['/api/v1/factchecks/match'].get;
    expect(op.description).toMatch(/MATCH_ANSWER_THRESHOLD/);
    expect(JSON.stringify(op)).toMatch(/answered/);
  });
});
