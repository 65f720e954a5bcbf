/**
 * Calibrated abstention as a resident sees it, on a small hand-written fixture: a paraphrase of a published
 * fact-check is answered ("already checked", with its verdict); an unrelated rumour is not ("not checked yet"), in
 * the API and on the claim form, in Vietnamese (with and without diacritics) and in English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALIBRATION } from '../../src/modules/desk/service/match/calibrate.js';
import { queryLanguage } from '../../src/modules/desk/service/match/language.js';
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

const api = async (text: string) =>
  (await t.client().json('/api/v1/factchecks/match?text=' + encodeURIComponent(text))).body;

/** The claim form's answer page (a 303 to the claim's page is followed, as the browser does). */
async function ask(text: string) {
  const c = t.client();
  await c.get('/claims/new');
  const res = await c.post('/claims/new', { text }, { multipart: true });
  return res.status === 303 && res.location ? c.get(res.location) : res;
}

const unrelated = [
  'Nghe nói ngân hàng sẽ đóng tài khoản của người không cập nhật căn cước trước thứ sáu',
  'Có người bảo đàn voi rừng sắp đi lạc vào khu phố cổ vào cuối tuần này',
  'nghe noi ngan hang se khoa tai khoan neu khong cap nhat can cuoc',
  'Phường phát 5 triệu đồng cho hộ kinh doanh bị ảnh hưởng bão',
  'Drinking hot lemon water every morning prevents cancer',
];
const paraphrases: [string, string][] = [
  ['Người về hưu bấm link trong tin nhắn để nhận 3 triệu hỗ trợ lương hưu', 'pension-sms'],
  ['nguoi ve huu bam link nhan 3 trieu tien ho tro luong huu', 'pension-sms'],
  ['Giá nhà ở Huế tăng gấp đôi chỉ trong một tháng', 'sell-house'],
  ['uong nuoc dua chua khoi sot xuat huyet', 'coconut'],
  ['Is it true everyone over 60 can ride city buses for free next month?', 'bus-en'],
];

describe('the language of the question decides the calibration', () => {
  it('detects Vietnamese with and without diacritics, and English', () => {
    expect(queryLanguage('Giá điện tăng 20% từ tháng sau')).toBe('vi');
    expect(queryLanguage('gia dien tang 20% tu thang sau co dung khong')).toBe('vi');
    expect(queryLanguage('Is it true that electricity prices rise 20% next month?')).toBe('en');
    // an accented name in an English sentence does not make it Vietnamese
    expect(queryLanguage('The café owner says the market will close for good')).toBe('en');
  });
  it('answers only above a stricter threshold than the one for showing related items, per language', () => {
    for (const c of Object.values(CALIBRATION)) {
      expect(c.answer).toBeGreaterThan(c.related);
      expect(c.answer).toBeGreaterThan(0);
      expect(c.answer).toBeLessThan(1);
    }
  });
});

describe('API', () => {
  it.each(unrelated)('an unrelated rumour is not answered: %s', async (text) => {
    const r = await api(text);
    expect(r.answered).toBe(false);
    expect(r.thresholds.language).toBe(queryLanguage(text));
    for (const x of r.results) expect(x.score).toBeLessThan(r.thresholds.answer);
  });
  it.each(paraphrases)('a paraphrase of a published fact-check is answered: %s', async (text, key) => {
    const r = await api(text);
    expect(r.answered).toBe(true);
    expect(r.results[0].id).toBe(ids.get(key));
    expect(r.results[0].score).toBeGreaterThanOrEqual(r.thresholds.answer);
    expect(r.thresholds.answer).toBe(CALIBRATION[queryLanguage(text)].answer);
  });
});

describe('claim form', () => {
  it('an unrelated rumour: "not checked yet", no verdict shown', async () => {
    const page = await ask(unrelated[0]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Chưa được kiểm chứng');
    expect(page.text).not.toContain('Đã được kiểm chứng');
    expect(page.text).not.toContain('data-verdict=');
  });
  it('a paraphrase (typed without diacritics): "already checked" with the fact-check and its verdict', async () => {
    const page = await ask(paraphrases[1][0]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Đã được kiểm chứng');
    expect(page.text).toContain('Tin nhắn “nhận 3 triệu hỗ trợ lương hưu” là lừa đảo');
    expect(page.text).toContain('data-verdict="sai"');
  });
});
