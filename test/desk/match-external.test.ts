import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchClaim, removeExternalFactchecks, upsertExternalFactchecks } from '../../src/modules/desk/public.js';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t?.close();
});

const partner = { key: 'da-nang', name: 'Cổng thông tin Đà Nẵng', url: 'https://dn.example.gov.vn', weight: 0.8 };

describe("partners' fact-checks (exchange)", () => {
  it('are matchable once stored, carry their source, rank below our own on the same text, and go when removed', async () => {
    const text = 'Đà Nẵng miễn phí vé tham quan bán đảo Sơn Trà cho khách du lịch suốt tháng 12';
    const before = await matchClaim(t.deps, text);
    expect(before.results.find((r) => r.source)).toBeUndefined();

    await upsertExternalFactchecks(t.db, partner, [
      {
        id: 'dn-77',
        claim: text,
        title: 'Không có chuyện miễn phí vé Sơn Trà cả tháng 12',
        shortAnswer: 'Sai. Chỉ miễn phí ngày 1/12.',
        explanation: 'Ban quản lý bán đảo Sơn Trà xác nhận chỉ miễn vé ngày khai mạc lễ hội.',
        verdict: 'Sai',
        url: 'https://dn.example.gov.vn/kiem-chung/77',
        lang: 'vi',
      },
      {
        id: 'dn-78',
        claim: 'Cầu Rồng phun lửa mỗi tối',
        title: 'Cầu Rồng chỉ phun lửa cuối tuần',
        shortAnswer: 'Sai.',
        explanation: '',
        verdict: 'Sai',
        url: 'https://dn.example.gov.vn/kiem-chung/78',
        lang: 'vi',
      },
    ]);
    const api = await t.client().json('/api/v1/factchecks/match?text=' + encodeURIComponent(text));
    expect(api.status).toBe(200);
    expect(api.body.answered).toBe(true);
    expect(api.body.results[0]).toMatchObject({
      id: 'dn-77',
      title: 'Không có chuyện miễn phí vé Sơn Trà cả tháng 12',
      verdict: 'Sai',
      url: 'https://dn.example.gov.vn/kiem-chung/77',
      source: { key: 'da-nang', name: 'Cổng thông tin Đà Nẵng', url: 'https://dn.example.gov.vn' },
    });
    expect(api.body.results[0].score).toBeLessThanOrEqual(0.8);

    // our own fact-check on the same text ranks above the partner's
    await t.db.query(
      `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
       VALUES ('factcheck', 'Vé Sơn Trà tháng 12: chỉ miễn phí một ngày', 've-son-tra', 'Sai. Chỉ miễn phí ngày 1/12.', 'Ban quản lý xác nhận.', $1, 'sai', 'published', now(), '[{"title":"Ban quản lý"}]')`,
      [text],
    );
    const both = await matchClaim(t.deps, text);
    expect(both.results[0].title).toBe('Vé Sơn Trà tháng 12: chỉ miễn phí một ngày');
    expect(both.results[0].source).toBeUndefined();
    expect(both.results[1].source?.key).toBe('da-nang');

    expect(await removeExternalFactchecks(t.db, 'da-nang', ['dn-77'])).toBe(1);
    const after = await matchClaim(t.deps, text);
    expect(after.results.map((r) => r.id)).not.toContain('dn-77');
    const dragon = await matchClaim(t.deps, 'cau rong phun lua moi toi');
    expect(dragon.results[0]).toMatchObject({ id: 'dn-78', source: { key: 'da-nang' } });
    expect(await removeExternalFactchecks(t.db, 'da-nang', null)).toBe(1);
    expect((await matchClaim(t.deps, 'cau rong phun lua moi toi')).results.find((r) => r.source)).toBeUndefined();
  });
});
