import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanout } from '../../src/modules/network/service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, realCity } from '../helpers/factories.js';

const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);
const decode = (s: string) =>
  s
    .replace(/&#10;|&#x0A;/gi, '\n')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');

describe(`network: a suggested caption with each campaign item (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    await realCity(t.db);
    await makeCityStaff(t.db, 'captions');
  });
  afterAll(() => t?.close());

  it('the organiser writes it once; each member reads it with their own link in a box, with a copy button for JavaScript', async () => {
    const c = t.client();
    await c.signIn('editor@captions.test');
    await c.get('/network/manage/campaigns/new');
    const ward = await t.db.one<{ id: number }>(`SELECT id FROM units WHERE full_name = 'Phường Phú Xuân'`);
    const long = await c.post('/network/manage/campaigns', {
      title: 'Lịch tiêm',
      message: 'Chia sẻ.',
      caption: 'x'.repeat(501),
      links: '/mailbox',
      units: String(ward!.id),
      starts: iso(0),
      ends: iso(5),
    });
    expect(long.status).toBe(422);
    expect(long.text).toContain('x'.repeat(501));
    const caption = 'Lịch tiêm chủng chính thức của phường — xem và chia sẻ giúp bà con:';
    const r = await c.post('/network/manage/campaigns', {
      title: 'Lịch tiêm chủng',
      message: 'Chia sẻ lịch chính thức.',
      caption,
      links: 'Hộp thư | /mailbox\n/network/recognition',
      units: String(ward!.id),
      starts: iso(0),
      ends: iso(5),
    });
    expect(r.status).toBe(303);
    const id = Number(r.location!.match(/campaigns\/(\d+)/)![1]);
    await fanout(t.db, id, 'http://test.local');
    const m = t.client();
    await m.signIn('member@captions.test');
    const page = await m.get(`/network/campaigns/${id}`);
    expect(page.status).toBe(200);
    const boxes = [
      ...page.text.matchAll(
        /<textarea id="caption-(\d+)" readonly="" rows="3" class="caption-text">([^<]*)<\/textarea>/g,
      ),
    ];
    expect(boxes).toHaveLength(2);
    for (const [, , text] of boxes) {
      const [line1, line2] = decode(text).split('\n');
      expect(line1).toBe(caption);
      expect(line2).toMatch(/^http:\/\/test\.local\/s\/[\w-]+$/);
    }
    // the copy button carries the same text, hidden until a browser that can copy shows it
    expect(page.text).toMatch(
      /<button type="button" class="secondary copy" hidden="" data-copy="Lịch tiêm chủng chính thức của phường — xem và chia sẻ giúp bà con:(\n|&#10;)http:\/\/test\.local\/s\/[\w-]+"/,
    );
  });
});
