/** Issue 16: reports already near the pin before filing; "Tìm" keeps the photos; photo sizes served cacheable. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { cityWithCategories, fileReport, jpeg } from './helpers.js';

describe(`mailbox: nearby reports, photos kept by "Tìm", photo sizes (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let handler: TestClient;
  let near: string;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'nearby');
    handler = t.client();
    await handler.signIn('handler@nearby.test');
  });
  afterAll(() => t.close());

  const accept = async (code: string) => {
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    return id;
  };

  it('lists open public reports near the pin, of the same category, nearest first, without personal data', async () => {
    const c = t.client({ ip: '192.0.2.91' });
    const a = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.vyDa),
      title: 'Ổ gà sâu trước chợ Vỹ Dạ',
      description: 'Ổ gà sâu, xe máy dễ ngã.',
      lat: '16.47010',
      lon: '107.60010',
      name: 'Hồ Thị Riêng',
      email: 'rieng@example.org',
    });
    const b = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.vyDa),
      title: 'Nắp cống vỡ gần chợ',
      description: 'Nắp cống vỡ một nửa.',
      lat: '16.47150',
      lon: '107.60000',
    });
    const far = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.vyDa),
      title: 'Đèn đường tắt ở cuối phường',
      description: 'Đèn tắt cả tuần.',
      lat: '16.49000',
      lon: '107.62000',
    });
    const otherCat = await fileReport(c, {
      category: String(u.env),
      unit: String(u.vyDa),
      title: 'Rác đổ cạnh chợ Vỹ Dạ',
      description: 'Rác không được thu gom.',
      lat: '16.47012',
      lon: '107.60012',
    });
    const unpublished = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.vyDa),
      title: 'Chưa tiếp nhận gần chợ',
      description: 'Chờ tiếp nhận.',
      lat: '16.47011',
      lon: '107.60011',
    });
    for (const r of [a, b, far, otherCat]) await accept(r.code);
    near = a.code;

    const res = await t.client().json(`/mailbox/nearby.json?lat=16.4701&lon=107.6001&category=${u.traffic}`);
    expect(res.status).toBe(200);
    const codes = res.body.items.map((x: { code: string }) => x.code);
    expect(codes).toEqual([a.code, b.code]); // nearest first; far, other category and not-yet-public left out
    expect(codes).not.toContain(unpublished.code);
    expect(res.body.items[0]).toMatchObject({
      code: a.code,
      title: 'Ổ gà sâu trước chợ Vỹ Dạ',
      status: 'assigned',
      category: 'Giao thông',
      url: `/mailbox/r/${a.code}`,
    });
    expect(res.body.items[0].distance_m).toBeLessThan(5);
    expect(res.body.items[1].distance_m).toBeGreaterThan(150);
    expect(res.body.items[1].distance_m).toBeLessThan(200);
    expect(JSON.stringify(res.body)).not.toMatch(/Hồ Thị Riêng|rieng@example\.org|contact/);
    // without a category: every open report near the pin
    const all = await t.client().json('/mailbox/nearby.json?lat=16.4701&lon=107.6001');
    expect(all.body.items.map((x: { code: string }) => x.code)).toContain(otherCat.code);
    // a place that is not one: 422 with a translated message
    const bad = await t.client().json('/mailbox/nearby.json?lat=91&lon=107&lang=en');
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toBe('The place is not valid.');
    // the form's script may ask by ward when there is no pin
    const byUnit = await t.client().json(`/mailbox/nearby.json?unit=${u.vyDa}&category=${u.traffic}`);
    expect(byUnit.body.by_unit).toBe(true);
    expect(byUnit.body.items.map((x: { code: string }) => x.code)).toEqual(
      expect.arrayContaining([a.code, b.code, far.code]),
    );
  });

  it('without JavaScript, choosing the ward with "Tìm" shows the open reports of that ward and category', async () => {
    const c = t.client({ ip: '192.0.2.92' });
    const form = await c.get('/mailbox/new');
    expect(form.text).toMatch(/id="mb-nearby"[^>]*hidden/); // nothing chosen yet: nothing shown
    const once = form.text.match(/name="once" value="([^"]+)"/)![1];
    const found = await c.post(
      '/mailbox/new',
      { once, action: 'find-unit', unit_q: 'vy da', category: String(u.traffic), title: 'Ổ gà', description: '' },
      { multipart: true },
    );
    expect(found.status).toBe(200);
    expect(found.text).toContain('Phản ánh tương tự đang được xử lý');
    expect(found.text).toContain('đang được xử lý tại Phường Vỹ Dạ');
    expect(found.text).toContain(`href="/mailbox/r/${near}"`);
    expect(found.text).not.toContain('Rác đổ cạnh chợ Vỹ Dạ'); // another category
    expect(found.text).not.toContain('Chưa tiếp nhận gần chợ'); // not public yet
  });

  it('"Tìm" keeps a photo chosen before it; sending then files the report with that photo', async () => {
    const c = t.client({ ip: '192.0.2.93' });
    const form = await c.get('/mailbox/new');
    const once = form.text.match(/name="once" value="([^"]+)"/)![1];
    const found = await c.post(
      '/mailbox/new',
      {
        once,
        action: 'find-unit',
        unit_q: 'Thuận Hóa',
        category: String(u.env),
        title: 'Cống nghẹt',
        description: 'Cống nghẹt bốc mùi.',
        photos: (await jpeg(800, 600)) as unknown as string,
      },
      { multipart: true },
    );
    expect(found.status).toBe(200);
    const kept = [...found.text.matchAll(/name="photo_ids" value="([0-9a-f-]{36})" checked/g)].map((m) => m[1]);
    expect(kept).toHaveLength(1);
    expect(found.text).toContain('Ảnh đã đính kèm');
    expect(found.text).toContain('value="Cống nghẹt"');
    const sent = await c.post(
      '/mailbox/new',
      {
        once,
        action: 'send',
        category: String(u.env),
        unit: String(u.thuanHoa),
        title: 'Cống nghẹt',
        description: 'Cống nghẹt bốc mùi.',
        photo_ids: kept,
      },
      { multipart: true },
    );
    expect(sent.status).toBe(303);
    const page = await c.get(sent.location!);
    expect(page.text).toContain(`data-photo="${kept[0]}"`);
  });

  it('the photo job makes a thumbnail and a medium size once; pages link thumb → medium with alt text; cacheable with ETag', async () => {
    const c = t.client({ ip: '192.0.2.94' });
    const big = new File(
      [
        new Uint8Array(
          await sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 90, g: 140, b: 60 } } })
            .jpeg()
            .toBuffer(),
        ),
      ],
      'big.jpg',
      { type: 'image/jpeg' },
    );
    const r = await fileReport(c, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Cây xanh chết khô',
      description: 'Hàng cây chết khô.',
      photos: [big] as unknown as string[],
    });
    const photo = r.page.match(/data-photo="([0-9a-f-]{36})"/)![1];
    await t.drainJobs();
    const keys = [...t.blobs.blobs.keys()].filter((k) => k.includes(photo)).sort();
    expect(keys).toEqual([
      `${photo.slice(0, 2)}/${photo}.jpg`,
      `sizes/${photo.slice(0, 2)}/${photo}-medium.jpg`,
      `sizes/${photo.slice(0, 2)}/${photo}-thumb.jpg`,
    ]);

    // the resident's private page: sizes, cacheable by the browser only, with an ETag; never no-store
    const own = await c.get(r.link);
    expect(own.text).toContain(`href="${r.link}/photos/${photo}/medium"`);
    expect(own.text).toMatch(
      new RegExp(`<img src="${r.link}/photos/${photo}/thumb" alt="Ảnh 1 người dân gửi kèm phản ánh"`),
    );
    const priv = await c.request(`${r.link}/photos/${photo}/thumb`);
    expect(priv.status).toBe(200);
    expect(priv.headers.get('cache-control')).toBe('private, max-age=3600');
    const tag = priv.headers.get('etag')!;
    expect(tag).toMatch(/^"[0-9a-f]{32}-thumb"$/);
    expect((await c.request(`${r.link}/photos/${photo}/thumb`, { headers: { 'if-none-match': tag } })).status).toBe(
      304,
    );
    const full = await c.request(`${r.link}/photos/${photo}`);
    expect(full.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(full.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    // nobody else gets them before the report is public
    expect((await t.client().request(`/mailbox/photos/${photo}/thumb`)).status).toBe(404);

    await accept(r.code);
    const pub = await t.client().get(`/mailbox/r/${r.code}?lang=en`);
    expect(pub.text).toContain(`<a href="/mailbox/photos/${photo}/medium" title="Photo 1: open the larger photo">`);
    expect(pub.text).toContain(`<img src="/mailbox/photos/${photo}/thumb" alt="Photo 1 sent with the report"`);
    for (const [size, edge] of [
      ['thumb', 320],
      ['medium', 1024],
    ] as const) {
      const res = await t.app.request(`/mailbox/photos/${photo}/${size}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBe(edge);
      expect(meta.exif).toBeUndefined();
    }
    expect((await t.client().request(`/mailbox/photos/${photo}/huge`)).status).toBe(404);
  });

  it('a photo cleaned before sizes existed gets them on first request, made from the clean file', async () => {
    const c = t.client({ ip: '192.0.2.95' });
    const r = await fileReport(c, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Ảnh cũ',
      description: 'Ảnh làm sạch trước khi có cỡ nhỏ.',
      photos: [await jpeg(900, 600)] as unknown as string[],
    });
    const photo = r.page.match(/data-photo="([0-9a-f-]{36})"/)![1];
    await t.drainJobs();
    for (const k of [...t.blobs.blobs.keys()].filter((k) => k.startsWith('sizes/') && k.includes(photo)))
      t.blobs.blobs.delete(k);
    const res = await c.request(`${r.link}/photos/${photo}/thumb`);
    expect(res.status).toBe(200);
    expect([...t.blobs.blobs.keys()]).toContain(`sizes/${photo.slice(0, 2)}/${photo}-thumb.jpg`);
  });
});
