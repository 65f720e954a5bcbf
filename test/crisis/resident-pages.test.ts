/**
 * Issue 16, crisis and verification: fact-checks shown with their own verdict, a mistyped code asked to be checked
 * first, altered text highlighted, technical details tucked away, and no meta refresh on the incident page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../helpers/app.js';
import { makeIncident } from '../helpers/factories.js';
import { type City, cityApp } from './helpers.js';

let t: TestApp & { city: City };
let editor: TestClient;
let incidentId: number;
let genuine: { number: string; code: string; body: string };

beforeAll(async () => {
  t = await cityApp();
  editor = t.client();
  await editor.signIn('editor@crisis.test');
  // an open incident with one released notice
  const { staff, province } = t.city;
  const made = await makeIncident(t.deps, {
    by: staff.editor.id,
    unit: province,
    statement: { reviewer: staff.reviewer.id },
  });
  incidentId = made.id;
  genuine = (await t.db.one<{ number: string; code: string; body: string }>(
    `SELECT number, code, body FROM crisis_statements WHERE id = $1 AND status = 'released'`,
    [made.statement],
  ))!;
});
afterAll(async () => {
  await t?.close();
});

async function factcheck(title: string, verdict: string): Promise<number> {
  return (await t.db.one<{ id: number }>(
    `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
     VALUES ('factcheck', $1, $2, 'Tóm tắt', 'Nội dung', 'Tin đồn', $3, 'published', now(), '[{"title":"Nguồn"}]') RETURNING id`,
    [title, `kc-${verdict}-${Date.now()}`, verdict],
  ))!.id;
}

describe('the incident page', () => {
  it('lists linked fact-checks under "Fact-checks about this incident", each with its own verdict', async () => {
    const trueOne = await factcheck('Đập thủy điện vẫn an toàn', 'dung');
    const falseOne = await factcheck('Tin vỡ đập là bịa đặt', 'sai');
    for (const id of [trueOne, falseOne]) {
      await editor.get(`/staff/crisis/incidents/${incidentId}`);
      expect(
        (await editor.post(`/staff/crisis/incidents/${incidentId}/factchecks`, { itemId: String(id) })).status,
      ).toBe(303);
    }
    const page = await t.client().get(`/incidents/${incidentId}`);
    expect(page.text).toContain('<h2 id="h-false">Kiểm chứng về sự cố này</h2>');
    expect(page.text).not.toContain('Thông tin sai sự thật đã được kiểm chứng');
    expect(page.text).toMatch(
      /<span class="badge ok" data-verdict="dung">Đúng<\/span> <a href="[^"]+" lang="vi">Đập thủy điện vẫn an toàn<\/a>/,
    );
    expect(page.text).toMatch(
      /<span class="badge false" data-verdict="sai">Sai<\/span> <a href="[^"]+" lang="vi">Tin vỡ đập là bịa đặt<\/a>/,
    );
    const en = await t.client().get(`/incidents/${incidentId}`, { cookie: 'lang=en', 'accept-language': 'en' });
    expect(en.text).toContain('Fact-checks about this incident');
    expect(en.text).not.toContain('Known to be false');
    // English pages: the verdict in English, the fact-check's title marked as Vietnamese (its only language)
    expect(en.text).toMatch(
      /<span class="badge ok" data-verdict="dung">True<\/span> <a href="[^"]+" lang="vi">Đập thủy điện vẫn an toàn<\/a>/,
    );
    // the staff page no longer paints "Đúng" red either
    const staff = await editor.get(`/staff/crisis/incidents/${incidentId}`);
    expect(staff.text).toContain('<span class="badge ok" data-verdict="dung">Đúng</span>');
  });

  it('has no meta refresh; a reload link with the time of the last update, and a polite live region for the script', async () => {
    const page = await t.client().get(`/incidents/${incidentId}`);
    expect(page.text).not.toMatch(/http-equiv="refresh"/i);
    expect(page.text).toMatch(
      /<time datetime="[^"]+">Cập nhật lúc \d\d\/\d\d\/\d{4} \d\d:\d\d<\/time> · <a class="incident-refresh" href="\/incidents\/\d+">Tải lại trang để xem tin mới nhất<\/a>/,
    );
    expect(page.text).toContain('role="status" aria-live="polite"');
    expect(page.text).toContain('/static/crisis-live.js');
  });
});

describe('/verify', () => {
  it('a code that does not exist: first "check what you typed" with the code as read, then the warning', async () => {
    const page = await t.client().get('/verify?code=abcd efgh');
    expect(page.status).toBe(200);
    const check = page.text.indexOf('Hãy kiểm tra lại mã bạn đã nhập');
    const warning = page.text.indexOf('KHÔNG có văn bản nào được ban hành với mã này');
    expect(check).toBeGreaterThan(0);
    expect(warning).toBeGreaterThan(check);
    expect(page.text).toContain('<strong class="code code-as-read">ABCD-EFGH</strong>');
    expect(page.text).toContain('không bao giờ có số 0, số 1 hay các chữ O, I, L');
    const en = await t.client().get('/verify?code=ABCD-EFGH', { cookie: 'lang=en', 'accept-language': 'en' });
    expect(en.text).toContain('Check what you typed');
  });

  it('altered pasted text: what differs from the genuine statement is highlighted', async () => {
    const altered = genuine.body.replace(/\S+$/, 'ngay-lập-tức-rời-khỏi-nhà') + ' Chia sẻ gấp cho mọi người!';
    const c = t.client();
    await c.get('/verify');
    const page = await c.post('/verify', { text: altered });
    expect(page.text).toContain('KHÔNG KHỚP');
    expect(page.text).toContain(`Những chỗ khác với văn bản thật số ${genuine.number}`);
    expect(page.text).toMatch(
      /<ins class="diff-added"[^>]*>[^<]*ngay-lập-tức-rời-khỏi-nhà Chia sẻ gấp cho mọi người!<\/ins>/,
    );
    expect(page.text).toMatch(/<del class="diff-removed"[^>]*>[^<]+<\/del>/);
    // the unchanged start is plain text, not marked
    const firstWords = genuine.body.split(/\s+/).slice(0, 3).join(' ');
    expect(page.text).toContain(`<p class="diff">${firstWords}`);
  });

  it('key ids and algorithm names sit in a "technical details" section', async () => {
    const page = await t.client().get(`/verify?code=${genuine.code}`);
    expect(page.text).toContain('ĐÚNG — đây là văn bản chính thức');
    const details = page.text.indexOf('<summary>Chi tiết kỹ thuật</summary>');
    expect(details).toBeGreaterThan(0);
    const keyAt = page.text.indexOf('Chữ ký số hợp lệ — ký bằng khóa');
    expect(keyAt).toBeGreaterThan(details);
    expect(page.text.slice(details)).toContain('Thuật toán chữ ký: Ed25519.');
    // nothing before the details names a key or an algorithm
    expect(page.text.slice(0, page.text.indexOf('<details class="technical">'))).not.toMatch(
      /Ed25519|khóa [0-9a-f]{16}/,
    );
  });
});
