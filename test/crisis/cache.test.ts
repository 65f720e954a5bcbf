import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../helpers/app.js';
import { makeIncident, realUnit } from '../helpers/factories.js';
import { cityApp } from './helpers.js';

let t: TestApp;
let editor: TestClient;
let reviewer: TestClient;
let flood: number;

beforeAll(async () => {
  const app = await cityApp();
  t = app;
  editor = t.client();
  await editor.signIn('editor@crisis.test');
  reviewer = t.client();
  await reviewer.signIn('reviewer@crisis.test');
  // an open flood in Phường Thuận Hoá, with a notice already out
  const { staff, province } = app.city;
  flood = (
    await makeIncident(t.deps, {
      by: staff.editor.id,
      unit: province,
      affected: [await realUnit(t.db, '19789')],
      title: 'Mưa lớn gây ngập úng tại phường Thuận Hoá',
      titleEn: 'Heavy rain floods Thuan Hoa Ward',
      statement: { reviewer: staff.reviewer.id },
    })
  ).id;
});
afterAll(async () => {
  await t?.close();
});

describe('public incident page cache', () => {
  it('is served with an ETag, answers 304 to a matching If-None-Match, and offers a reload instead of refreshing itself', async () => {
    const a = await t.client().get(`/incidents/${flood}`);
    expect(a.status).toBe(200);
    const etag = a.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"inc-\d+-v\d+-vi"$/);
    expect(a.headers.get('cache-control')).toContain('public');
    // no meta refresh (an accessibility failure): a reload link and the enhancement script instead
    expect(a.text).not.toContain('http-equiv="refresh"');
    expect(a.text).toContain('class="incident-refresh"');
    expect(a.text).toContain('src="/static/crisis-live.js"');
    expect(a.text).not.toMatch(/<script>[^<]/);
    const b = await t.client().get(`/incidents/${flood}`, { 'if-none-match': etag });
    expect(b.status).toBe(304);
    expect(b.text).toBe('');
    const en = await t.client().get(`/incidents/${flood}?lang=en`);
    expect(en.headers.get('etag')).not.toBe(etag);
    expect(en.text).toContain('Heavy rain floods Thuan Hoa Ward');
    // known-to-be-false section copes with a desk that has nothing linked
    expect(a.text).toContain('Kiểm chứng về sự cố này');
    // staff see a fresh, private page
    const staff = await editor.get(`/incidents/${flood}`);
    expect(staff.headers.get('cache-control')).toContain('private');
  });

  it('a new statement invalidates it at once: new ETag, the statement on top', async () => {
    const before = await t.client().get(`/incidents/${flood}`);
    const oldTag = before.headers.get('etag')!;
    const v0 = (await t.client().json(`/incidents/${flood}/version.json`)).body.version;
    const res = await editor.post('/staff/crisis/statements', {
      incidentId: String(flood),
      kind: 'notice',
      refersTo: '',
      title: 'Nước đã rút tại phường Thuận Hoá',
      body: 'Các tuyến đường đã thông xe trở lại.',
    });
    const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
    await editor.post(`/staff/crisis/statements/${id}/submit`, {});
    // a draft is not public and does not change the page
    expect((await t.client().get(`/incidents/${flood}`, { 'if-none-match': oldTag })).status).toBe(304);
    await reviewer.post(`/staff/crisis/statements/${id}/release`, {});
    const after = await t.client().get(`/incidents/${flood}`, { 'if-none-match': oldTag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(oldTag);
    const latest = after.text.indexOf('Thông báo mới nhất');
    const pos = after.text.indexOf('Nước đã rút tại phường Thuận Hoá');
    expect(pos).toBeGreaterThan(latest);
    expect(pos).toBeLessThan(after.text.indexOf('Người phát ngôn'));
    const v1 = (await t.client().json(`/incidents/${flood}/version.json`)).body.version;
    expect(v1).toBeGreaterThan(v0);
    // asking for the version first never leaves an empty page in the cache
    await editor.post(`/staff/crisis/incidents/${flood}/status`, { status: 'monitoring' });
    expect((await t.client().json(`/incidents/${flood}/version.json`)).body.version).toBeGreaterThan(v1);
    expect((await t.client().get(`/incidents/${flood}`)).text).toContain('Đang theo dõi');
  });

  it('a change made by another process shows within a second', async () => {
    const a = await t.client().get(`/incidents/${flood}`);
    await t.db.query(
      `UPDATE crisis_incidents SET title = 'Lũ lớn tại Thuận Hoá', version = version + 1 WHERE id = $1`,
      [flood],
    );
    await new Promise((r) => setTimeout(r, 1100));
    const b = await t.client().get(`/incidents/${flood}`, { 'if-none-match': a.headers.get('etag')! });
    expect(b.status).toBe(200);
    expect(b.text).toContain('Lũ lớn tại Thuận Hoá');
  });

  it('the home page banner follows the incident at once, although anonymous home pages are kept a few seconds', async () => {
    const before = await t.client().get('/');
    expect(before.text).toContain('Đang có sự cố:');
    expect((await t.client().get('/')).text).toContain('Đang có sự cố:'); // served from the kept page
    const res = await editor.post(`/staff/crisis/incidents/${flood}/status`, { status: 'closed' });
    expect(res.status).toBeLessThan(400);
    expect((await t.client().get('/')).text).not.toContain('Đang có sự cố:');
  });

  it('an unknown incident is 404', async () => {
    expect((await t.client().get('/incidents/999999')).status).toBe(404);
    expect((await t.client().get('/statements/1999-999')).status).toBe(404);
  });
});
