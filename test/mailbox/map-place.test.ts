/** Issue 16, "Placing the report": the map settings, the pin picker, address search, static map, report maps. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geocoderRequest, parsePlaces } from '../../src/modules/mailbox/service/map-geocode.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { cityWithCategories, fileReport } from './helpers.js';

/** A Nominatim stand-in: `/search?q=…&format=jsonv2` answers one place for "Lê Lợi", none otherwise; "máy chủ hỏng" fails. */
async function nominatim(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://x');
    const q = u.searchParams.get('q') ?? '';
    if (q === 'máy chủ hỏng') return void res.writeHead(500).end('boom');
    const body = /lê lợi/i.test(q)
      ? [
          {
            place_id: 1,
            display_name: '12 Lê Lợi, Phường Thuận Hóa, Huế, Việt Nam',
            lat: '16.4632',
            lon: '107.5881',
            type: 'house',
          },
        ]
      : [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

describe(`mailbox map: nothing third-party unless configured (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'nomap');
  });
  afterAll(() => t.close());

  it('without MAP_TILE_URL the form has the ward and address only: no map, no Leaflet, no latitude/longitude boxes', async () => {
    const page = await t.client().get('/mailbox/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="unit"');
    expect(page.text).toContain('name="address"');
    expect(page.text).not.toContain('id="mb-place"');
    expect(page.text).not.toContain('leaflet');
    expect(page.text).not.toContain('openstreetmap');
    expect(page.text).not.toMatch(/<label[^>]*for="f-lat"/); // never a raw latitude box
    expect(page.text).toMatch(/<input type="hidden" name="lat" id="f-lat"/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("img-src 'self' data: blob:;");
    expect((await t.client().json('/mailbox/geocode.json?q=L%C3%AA%20L%E1%BB%A3i')).status).toBe(404);
  });

  it('a public report with a pin shows its ward name, not a map; the map page lists it without personal data', async () => {
    const c = t.client({ ip: '192.0.2.81' });
    const r = await fileReport(c, {
      category: String(u.traffic),
      unit: String(u.thuanHoa),
      title: 'Đèn giao thông hỏng ở ngã tư',
      description: 'Đèn đỏ không sáng từ sáng nay.',
      lat: '16.4640',
      lon: '107.5900',
      name: 'Lê Văn Kín',
      email: 'kin@example.org',
      phone: '0905123456',
    });
    const h = t.client();
    await h.signIn('handler@nomap.test');
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;
    expect((await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const pub = await t.client().get(`/mailbox/r/${r.code}`);
    expect(pub.text).toContain('Vị trí: Phường Thuận Hoá');
    expect(pub.text).not.toContain('<svg');
    const map = await t.client().get('/mailbox/map');
    expect(map.status).toBe(200);
    expect(map.text).toContain('Bản đồ chưa được bật');
    expect(map.text).toContain(r.code);
    expect(map.text).toContain('data-lat="16.464"');
    for (const secret of ['Lê Văn Kín', 'kin@example.org', '0905123456']) expect(map.text).not.toContain(secret);
    expect((await t.client().get('/mailbox')).text).toContain('href="/mailbox/map"');
  });
});

describe(`mailbox map: tiles and a geocoder from settings (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let geo: Awaited<ReturnType<typeof nominatim>>;
  beforeAll(async () => {
    geo = await nominatim();
    t = await testApp({
      demo: false,
      env: {
        MAP_TILE_URL: 'https://tiles.example.gov.vn/{z}/{x}/{y}.png',
        MAP_TILE_ATTRIBUTION: '© OpenStreetMap, Sở TT&TT',
        MAP_GEOCODER_URL: geo.url,
        OUTBOUND_ALLOW_HOSTS: new URL(geo.url).host,
      },
    });
    u = await cityWithCategories(t, 'map');
  });
  afterAll(async () => {
    await t.close();
    await geo.close();
  });

  it('the form loads Leaflet from this site (hashed, immutable) and the tile host only in img-src', async () => {
    const page = await t.client().get('/mailbox/new');
    expect(page.text).toContain('data-tiles="https://tiles.example.gov.vn/{z}/{x}/{y}.png"');
    expect(page.text).toContain('data-attribution="© OpenStreetMap, Sở TT&amp;TT"');
    expect(page.text).toContain('data-geocoder="/mailbox/geocode.json"');
    const js = page.text.match(/src="(\/static\/vendor\/leaflet\.[0-9a-f]{10}\.js)"/)![1];
    const css = page.text.match(/href="(\/static\/vendor\/leaflet\.[0-9a-f]{10}\.css)"/)![1];
    const mapJs = page.text.match(/src="(\/static\/mailbox\/map\.[0-9a-f]{10}\.js)"/)![1];
    for (const p of [js, css, mapJs]) {
      const r = await t.client().get(p);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await t.client().get(js)).text).toContain('Leaflet');
    expect(page.text).not.toMatch(/<script[^>]+src="https?:/); // no CDN
    expect(page.headers.get('content-security-policy')).toContain(
      "img-src 'self' data: blob: https://tiles.example.gov.vn",
    );
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    // the English form says it in English
    const en = await t.client().get('/mailbox/new?lang=en');
    expect(en.text).toContain('Use my location');
    expect(en.text).toContain('You did not allow the browser to use your location');
  });

  it('address search goes through the configured Nominatim and answers label, lat, lon', async () => {
    const ok = await t.client().json('/mailbox/geocode.json?q=' + encodeURIComponent('12 Lê Lợi'));
    expect(ok.status).toBe(200);
    expect(ok.body.results).toEqual([
      { label: '12 Lê Lợi, Phường Thuận Hóa, Huế, Việt Nam', lat: 16.4632, lon: 107.5881 },
    ]);
    expect(geo.hits.at(-1)).toMatch(/^\/search\?q=12\+L%C3%AA\+L%E1%BB%A3i&format=jsonv2&limit=5&accept-language=vi$/);
    expect(
      (await t.client().json('/mailbox/geocode.json?q=' + encodeURIComponent('không có đâu'))).body.results,
    ).toEqual([]);
    const short = await t.client().json('/mailbox/geocode.json?q=ab&lang=en');
    expect(short.status).toBe(422);
    expect(short.body.error.message).toBe('Type the address to find (3 to 200 characters).');
  });

  it('reads Photon answers too, and says so plainly when the geocoder is down', async () => {
    expect(
      parsePlaces({
        type: 'FeatureCollection',
        features: [
          {
            geometry: { coordinates: [107.59, 16.46] },
            properties: {
              name: 'Chợ Đông Ba',
              street: 'Trần Hưng Đạo',
              housenumber: '2',
              city: 'Huế',
              country: 'Việt Nam',
            },
          },
        ],
      }),
    ).toEqual([{ label: 'Chợ Đông Ba, 2 Trần Hưng Đạo, Huế, Việt Nam', lat: 16.46, lon: 107.59 }]);
    expect(geocoderRequest('https://photon.example.gov.vn/api/', 'Lê Lợi', 'en').href).toBe(
      'https://photon.example.gov.vn/api?q=L%C3%AA+L%E1%BB%A3i&limit=5&lang=en',
    );
    expect(geocoderRequest('https://geo.example.gov.vn/find?text={q}', 'Lê Lợi', 'vi').href).toBe(
      'https://geo.example.gov.vn/find?text=L%C3%AA%20L%E1%BB%A3i',
    );
    const r = await t.client().json('/mailbox/geocode.json?q=' + encodeURIComponent('máy chủ hỏng'));
    expect(r.status).toBe(503);
    expect(r.body.error.message).toBe('Tìm địa chỉ tạm thời không dùng được. Hãy kéo ghim trên bản đồ.');
  });

  it('a pinned public report shows a small static map of tiles around the pin; the map pages use the same tiles', async () => {
    const c = t.client({ ip: '192.0.2.82' });
    const r = await fileReport(c, {
      category: String(u.env),
      unit: String(u.phuXuan),
      title: 'Cây đổ chắn đường',
      description: 'Cây lớn đổ sau mưa bão.',
      lat: '16.4700',
      lon: '107.5800',
    });
    const h = t.client();
    await h.signIn('handler@map.test');
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]))!.id;
    const staffMap = await h.get('/staff/mailbox/map');
    expect(staffMap.status).toBe(200);
    expect(staffMap.text).toContain(`href="/staff/mailbox/${id}"`); // open, not yet public: staff see it
    expect(staffMap.text).toContain('id="mb-reports-map"');
    expect((await t.client().get('/mailbox/map')).text).not.toContain(r.code); // the public do not, yet
    expect((await h.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const pub = await t.client().get(`/mailbox/r/${r.code}`);
    expect(pub.text).toMatch(/<svg[^>]+role="img"[^>]+aria-label="Bản đồ nhỏ vị trí phản ánh tại Phường Phú Xuân"/);
    expect(pub.text).toMatch(/<image href="https:\/\/tiles\.example\.gov\.vn\/16\/\d+\/\d+\.png"/);
    expect(pub.text).toContain('© OpenStreetMap');
    const map = await t.client().get('/mailbox/map');
    expect(map.text).toContain(`href="/mailbox/r/${r.code}"`);
    expect(map.text).toContain('data-tiles="https://tiles.example.gov.vn/{z}/{x}/{y}.png"');
    // anonymous visitors cannot open the staff map
    const anon = await t.client().get('/staff/mailbox/map');
    expect([302, 303, 401, 403]).toContain(anon.status);
  });
});
