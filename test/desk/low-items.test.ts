/** Issue 12, Low items for the desk: backslash and protocol-relative links, and draft posters kept to staff. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { makeCityStaff, realCity } from '../helpers/factories.js';
import { wardStaff, type WardStaff } from './ward-staff.js';

let t: TestApp;
let w: WardStaff;
beforeAll(async () => {
  t = await testApp({ demo: false });
  await realCity(t.db);
  await makeCityStaff(t.db, 'desk');
  w = await wardStaff(t.db);
});
afterAll(async () => t?.close());

async function as(email: string): Promise<TestClient> {
  const c = t.client();
  await c.signIn(email);
  return c;
}

async function approveAndPublish(id: number) {
  const rv = await as('reviewer@desk.test');
  const page = await rv.get(`/staff/desk/items/${id}`);
  const version = page.text.match(/name="version" value="(\d+)"/)![1];
  expect((await rv.post(`/staff/desk/items/${id}/approve`, { version })).status).toBe(303);
  expect((await rv.post(`/staff/desk/items/${id}/publish`, {})).status).toBe(303);
}

describe('links in Markdown stay on the site or go where they say', () => {
  it('a backslash, tab or encoded slash cannot turn a site path into another site', async () => {
    const ed = await as('editor@desk.test');
    await ed.get('/staff/desk/items/new?kind=article');
    const body = [
      'Một [liên kết lừa](/\\evil.com) và [một nữa](/\\/evil.com), [mã hoá](/%5Cevil.com), [hai gạch](//evil.com),',
      '[chéo ngược](https:\\\\evil.org/x) và [trang chính sách](/policies/method).',
    ].join('\n');
    const r = await ed.post('/staff/desk/items', {
      kind: 'article',
      title: 'Liên kết an toàn',
      summary: 'Tóm tắt',
      body,
    });
    expect(r.status).toBe(303);
    const id = Number(r.location!.match(/items\/(\d+)/)![1]);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    await approveAndPublish(id);
    const page = (await t.client().get(`/articles/${id}`)).text;
    expect(page).toContain('liên kết lừa');
    expect(page).not.toMatch(/href="[^"]*evil\.com/);
    expect(page).not.toMatch(/href="\/\\/);
    expect(page).toContain('<a href="/policies/method" rel="nofollow noopener">trang chính sách</a>');
    // a disguised outside link is written as the browser reads it
    expect(page).toContain('href="https://evil.org/x"');
  });
});

describe('a draft’s poster is shown only to staff who may see the draft', () => {
  it('anonymous, members, handlers and another ward’s staff get 404 until the video is published', async () => {
    const png = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#0a0' } })
      .png()
      .toBuffer();
    const ed = await as(w.emails.editorA);
    await ed.get('/staff/desk/items/new?kind=video');
    const r = await ed.post('/staff/desk/items', {
      kind: 'video',
      title: 'Hướng dẫn phân loại rác',
      summary: 'Video ngắn',
      video_url: 'https://example.org/v/1',
      transcript: 'Lời thoại',
      owner_unit_id: String(w.wardA.id),
      poster: new File([new Uint8Array(png)], 'p.png', { type: 'image/png' }),
    });
    expect(r.status).toBe(303);
    const id = Number(r.location!.match(/items\/(\d+)/)![1]);
    const poster = (await t.db.one<{ poster_url: string }>(`SELECT poster_url FROM desk_items WHERE id = $1`, [id]))!
      .poster_url;
    expect(poster).toMatch(/^\/desk\/media\/[0-9a-f-]{36}$/);
    expect((await t.client().get(poster)).status).toBe(404);
    for (const email of ['member@desk.test', 'handler@desk.test', w.emails.editorB, w.emails.reviewerB]) {
      expect((await (await as(email)).get(poster)).status, email).toBe(404);
    }
    const own = await ed.get(poster);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toMatch(/^image\//);
    expect(own.headers.get('cache-control')).toContain('no-store');
    expect((await (await as('editor@desk.test')).get(poster)).status).toBe(200);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    const rv = await as(w.emails.reviewerA);
    const version = (await rv.get(`/staff/desk/items/${id}`)).text.match(/name="version" value="(\d+)"/)![1];
    expect((await rv.post(`/staff/desk/items/${id}/approve`, { version })).status).toBe(303);
    expect((await rv.post(`/staff/desk/items/${id}/publish`, {})).status).toBe(303);
    const pub = await t.client().get(poster);
    expect(pub.status).toBe(200);
    expect(pub.headers.get('cache-control')).toContain('public');
  });
});
