/**
 * The rendered-page cache for anonymous visitors (issue 16, src/http/page-cache.ts): the same bytes again, a 304 for
 * the ETag, a publish/release/accept showing on the next request, never a stored page for a signed-in visitor or one
 * that carries a visitor's token or cookie, and never another app's page.
 */
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { versionForm } from '../desk/ward-staff.js';
import { makeIncident } from '../helpers/factories.js';
import { cityWithCategories, fileReport } from '../mailbox/helpers.js';

let t: TestApp;
let u: Awaited<ReturnType<typeof cityWithCategories>>;
let incident: number;
let editor: TestClient;
let reviewer: TestClient;
beforeAll(async () => {
  t = await testApp({ demo: false, env: { PAGE_CACHE_TTL_SECONDS: '60' } });
  // Huế's staff and two mailbox categories, and one open incident on the city
  u = await cityWithCategories(t, 'cache');
  incident = (await makeIncident(t.deps, { by: u.staff.editor.id, unit: u.staff.admin.unit })).id;
  editor = t.client();
  await editor.signIn('editor@cache.test');
  reviewer = t.client();
  await reviewer.signIn('reviewer@cache.test');
});
afterAll(async () => {
  await t?.close();
});

/** An anonymous visitor's browser: no cookies at all, brotli and gzip accepted. */
const anon = (app: TestApp, path: string, headers: Record<string, string> = {}) =>
  app.app.request(path, { headers: { 'x-test-ip': '203.0.113.60', 'accept-encoding': 'br, gzip', ...headers } });
const bytes = async (r: Response) => Buffer.from(await r.arrayBuffer());
const html = async (r: Response) =>
  r.headers.get('content-encoding') === 'br' ? brotliDecompressSync(await bytes(r)).toString('utf8') : r.text();

describe('anonymous public pages are kept rendered and compressed', () => {
  it('the second request gets the very same bytes and headers; its ETag brings a 304', async () => {
    const first = await anon(t, '/mailbox');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-page-cache')).toBe('miss');
    const firstBody = await bytes(first);
    const second = await anon(t, '/mailbox');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-page-cache')).toBe('hit');
    expect((await bytes(second)).equals(firstBody)).toBe(true);
    for (const h of ['content-type', 'content-encoding', 'etag', 'cache-control', 'vary', 'content-security-policy'])
      expect(second.headers.get(h), h).toBe(first.headers.get(h));
    expect(second.headers.get('content-encoding')).toBe('br');
    expect(Number(second.headers.get('content-length') ?? firstBody.byteLength)).toBe(firstBody.byteLength);
    expect(brotliDecompressSync(firstBody).toString('utf8')).toContain('<!DOCTYPE html>');
    expect(second.headers.get('x-request-id')).toBeTruthy();
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(second.headers.get('set-cookie')).toBeNull();

    // Vary and Cache-Control say what a browser or proxy may do with it
    expect(second.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(second.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(second.headers.get('vary')).toMatch(/Cookie/i);

    const etag = second.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    const notModified = await anon(t, '/mailbox', { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('cache-control')).toBe(second.headers.get('cache-control'));
  });

  it('keeps one copy per encoding and language', async () => {
    const br = await bytes(await anon(t, '/'));
    const gz = await anon(t, '/', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const gzAgain = await anon(t, '/', { 'accept-encoding': 'gzip' });
    expect(gzAgain.headers.get('x-page-cache')).toBe('hit');
    expect(gzAgain.headers.get('content-encoding')).toBe('gzip');
    expect((await bytes(gzAgain)).equals(br)).toBe(false);
    const plain = await anon(t, '/', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('<!DOCTYPE html>');

    const vi = await html(await anon(t, '/desk'));
    const en = await anon(t, '/desk', { cookie: 'lang=en' });
    expect(en.headers.get('x-page-cache')).toBe('miss');
    const enHtml = await html(en);
    expect(enHtml).toContain('lang="en"');
    expect(vi).toContain('lang="vi"');
    const enAgain = await anon(t, '/desk', { cookie: 'lang=en' });
    expect(enAgain.headers.get('x-page-cache')).toBe('hit');
    expect(await html(enAgain)).toBe(enHtml);
    expect(await html(await anon(t, '/desk'))).toBe(vi);
  });

  it('a fact-check published shows on the next request of the list and the home page', async () => {
    const title = 'Không có chuyện thu phí gửi xe tại chợ Đông Ba từ tháng sau';
    await anon(t, '/desk');
    await anon(t, '/');
    expect((await anon(t, '/desk')).headers.get('x-page-cache')).toBe('hit');
    const created = await editor.post('/staff/desk/items', {
      kind: 'factcheck',
      title,
      claim: 'Chợ Đông Ba thu phí gửi xe từ tháng sau',
      verdict: 'sai',
      summary: 'Sai. Ban quản lý chợ chưa có kế hoạch thu phí.',
      body: 'Chúng tôi đã hỏi ban quản lý chợ.',
      appearances: 'Tin nhắn chuyển tiếp | https://example.org/post/9',
      claim_date: '2026-11-01',
      method: 'Hỏi ban quản lý chợ Đông Ba.',
      sources: 'Trả lời của ban quản lý | BQL chợ Đông Ba | 2026-11-02 | https://example.org/tra-loi',
    });
    const id = Number(/\/staff\/desk\/items\/(\d+)/.exec(created.location ?? '')?.[1]);
    expect(id, created.text.slice(0, 500)).toBeGreaterThan(0);
    // a draft is not public: the cached list stays as it was
    expect((await anon(t, '/desk')).headers.get('x-page-cache')).toBe('hit');
    expect((await editor.post(`/staff/desk/items/${id}/submit`, {})).status).toBe(303);
    expect((await reviewer.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id))).status).toBe(303);
    expect((await reviewer.post(`/staff/desk/items/${id}/publish`, {})).status).toBe(303);
    const list = await anon(t, '/desk');
    expect(list.headers.get('x-page-cache')).toBe('miss');
    expect(await html(list)).toContain(title);
    expect(await html(await anon(t, '/'))).toContain(title);
  });

  it('a crisis statement released shows on the next request of the incident page', async () => {
    const title = 'Cầu Trường Tiền thông xe trở lại lúc 16 giờ';
    await anon(t, `/incidents/${incident}`);
    expect((await anon(t, `/incidents/${incident}`)).headers.get('x-page-cache')).toBe('hit');
    const res = await editor.post('/staff/crisis/statements', {
      incidentId: String(incident),
      kind: 'notice',
      refersTo: '',
      title,
      body: 'Lực lượng chức năng đã kiểm tra an toàn.',
    });
    const sid = Number(/statements\/(\d+)/.exec(res.location ?? '')?.[1]);
    expect(sid, res.text.slice(0, 500)).toBeGreaterThan(0);
    await editor.post(`/staff/crisis/statements/${sid}/submit`, {});
    expect((await reviewer.post(`/staff/crisis/statements/${sid}/release`, {})).status).toBe(303);
    const page = await anon(t, `/incidents/${incident}`);
    expect(page.headers.get('x-page-cache')).toBe('miss');
    expect(await html(page)).toContain(title);
  });

  it('a report accepted shows on the next request of the mailbox list', async () => {
    const title = 'Đèn đường hỏng trên đường Lê Lợi';
    const resident = t.client();
    await fileReport(resident, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title,
      description: 'Ba cột đèn liền nhau không sáng từ tuần trước.',
    });
    const before = await anon(t, '/mailbox');
    expect(await html(before)).not.toContain(title);
    expect((await anon(t, '/mailbox')).headers.get('x-page-cache')).toBe('hit');
    const handler = t.client();
    await handler.signIn('handler@cache.test');
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE title = $1`, [title]))!.id;
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const after = await anon(t, '/mailbox');
    expect(after.headers.get('x-page-cache')).toBe('miss');
    expect(await html(after)).toContain(title);
  });
});

describe('what is never served from the cache', () => {
  it('a signed-in visitor gets the live private page, and it is not kept for anyone', async () => {
    await anon(t, '/desk');
    expect((await anon(t, '/desk')).headers.get('x-page-cache')).toBe('hit');
    const page = await editor.get('/desk');
    expect(page.status).toBe(200);
    expect(page.headers.get('x-page-cache')).toBeNull();
    expect(page.headers.get('cache-control')).toMatch(/private/);
    expect(page.text).toContain('/staff'); // the staff menu, for this editor only
    // and the anonymous copy does not carry it
    const again = await anon(t, '/desk');
    expect(again.headers.get('x-page-cache')).toBe('hit');
    expect(await html(again)).not.toContain('editor@cache.test');
  });

  it('a bearer token is never answered from the cache', async () => {
    await anon(t, '/mailbox');
    const r = await anon(t, '/mailbox', { authorization: 'Bearer not-a-real-token' });
    expect(r.headers.get('x-page-cache')).toBeNull();
    expect(r.status).toBe(303); // an unknown token is refused (to the sign-in page), never given the stored page
    expect(r.headers.get('location')).toMatch(/^\/signin/);
  });

  it('a page with a form carrying the visitor’s token, or setting a cookie, is rendered for each visitor', async () => {
    const first = await anon(t, '/mailbox/new');
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toMatch(/csrf=/);
    const token = (await html(first)).match(/name="_csrf" value="([^"]+)"/)?.[1];
    expect(token).toBeTruthy();
    const other = await anon(t, '/mailbox/new');
    expect(other.headers.get('x-page-cache')).not.toBe('hit');
    expect((await html(other)).match(/name="_csrf" value="([^"]+)"/)?.[1]).not.toBe(token);
    // the same visitor coming back with its cookie: its own token, still not from the cache
    const back = await anon(t, '/mailbox/new', { cookie: `csrf=${token}` });
    expect(back.headers.get('x-page-cache')).not.toBe('hit');
    expect(await html(back)).toContain(token);
  });

  it('two apps in one process never share a page; the TTL bounds a page’s age', async () => {
    const other = await testApp({
      demo: false,
      env: { PAGE_CACHE_TTL_SECONDS: '1', ORG_NAME: 'Cổng thử nghiệm thứ hai' },
    });
    try {
      await anon(t, '/');
      expect((await anon(t, '/')).headers.get('x-page-cache')).toBe('hit');
      const mine = await anon(other, '/');
      expect(mine.headers.get('x-page-cache')).toBe('miss');
      expect(await html(mine)).toContain('Cổng thử nghiệm thứ hai');
      expect(await html(await anon(t, '/'))).not.toContain('Cổng thử nghiệm thứ hai');
      expect((await anon(other, '/')).headers.get('x-page-cache')).toBe('hit');
      await new Promise((r) => setTimeout(r, 1100));
      expect((await anon(other, '/')).headers.get('x-page-cache')).toBe('miss');
    } finally {
      await other.close();
    }
  });
});
