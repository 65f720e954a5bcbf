import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { makeCityStaff } from '../helpers/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ demo: false });
  await makeCityStaff(t.db, 'nf');
});
afterAll(async () => {
  await t?.close();
});

const main = (html: string) => html.split('<main')[1]?.split('</main>')[0] ?? '';

describe('a friendly “page not found”', () => {
  it('says what may have happened and offers a search, the report-code lookup and the main links, without a request id', async () => {
    for (const path of ['/khong-co-trang-nay', '/desk/khong-co', '/factchecks/999999']) {
      const r = await t.client().get(path);
      expect(r.status).toBe(404);
      const m = main(r.text);
      expect(m).toContain('<h1>Không tìm thấy trang</h1>');
      expect(m).toContain('Có thể địa chỉ bị gõ sai');
      expect(m).toMatch(/<form method="get" action="\/search" role="search"/);
      expect(m).toMatch(/<form method="get" action="\/mailbox\/lookup"/);
      for (const href of ['/', '/mailbox', '/desk', '/incidents', '/verify']) expect(m).toContain(`href="${href}"`);
      expect(r.text).not.toContain('Đã có lỗi xảy ra');
      expect(r.text).not.toContain('Mã yêu cầu');
    }
    const en = await t.client().get('/no-such-page?lang=en');
    expect(en.status).toBe(404);
    expect(main(en.text)).toContain('<h1>Page not found</h1>');
    expect(main(en.text)).toContain('Look up a report by its code');
  });

  it('other errors keep their message and request id', async () => {
    const c = t.client();
    await c.signIn('reviewer@nf.test');
    const r = await c.get('/staff/users');
    expect(r.status).toBe(403);
    expect(main(r.text)).toContain('Đã có lỗi xảy ra (403)');
    expect(main(r.text)).toContain('Mã yêu cầu');
    expect(main(r.text)).not.toContain('Không tìm thấy trang');
  });
});

describe('the page frame shows residents no technical labels', () => {
  it('the footer links the open-data page instead of “API”; the open-data page lists the API, Open311, feeds, CAP and ClaimReview', async () => {
    const home = await t.client().get('/');
    const footer = home.text.split('<footer')[1] ?? '';
    expect(footer).toContain('href="/developers"');
    expect(footer).toContain('Dữ liệu mở cho nhà phát triển');
    expect(footer).not.toContain('>API<');
    const dev = await t.client().get('/developers');
    expect(dev.status).toBe(200);
    for (const s of [
      '/api/v1/openapi.json',
      '/open311/v2/discovery.json',
      '/feed.atom',
      '/alerts.atom',
      'CAP 1.2',
      'ClaimReview',
    ])
      expect(dev.text).toContain(s);
    expect((await t.client().get('/developers?lang=en')).text).toContain('<h1>Open data and API</h1>');
  });

  it('every public page carries a meta description', async () => {
    for (const path of [
      '/',
      '/privacy',
      '/desk',
      '/claims/new',
      '/mailbox',
      '/incidents',
      '/verify',
      '/developers',
      '/nope',
    ]) {
      const r = await t.client().get(path);
      expect(r.text, path).toMatch(/<meta name="description" content="[^"]{20,}"/);
    }
  });

  it('the English brand subtitle is in English (the default organisation name), or marked as Vietnamese', async () => {
    const en = await t.client().get('/?lang=en');
    expect(en.text).toContain('<span class="brand-org">Cầu Nối information portal</span>');
    const org = t.deps.config.ORG_NAME;
    t.deps.config.ORG_NAME = 'UBND tỉnh Quảng Trị';
    // signed in: a page rendered now, not one kept by the anonymous page caches
    const c = t.client();
    await c.signIn('reviewer@nf.test');
    try {
      expect((await c.get('/privacy?lang=en')).text).toContain(
        '<span class="brand-org" lang="vi">UBND tỉnh Quảng Trị</span>',
      );
      t.deps.config.ORG_NAME_EN = 'Quảng Trị Provincial People’s Committee';
      expect((await c.get('/privacy?lang=en')).text).toContain(
        '<span class="brand-org">Quảng Trị Provincial People’s Committee</span>',
      );
    } finally {
      t.deps.config.ORG_NAME = org;
      t.deps.config.ORG_NAME_EN = undefined;
    }
  });
});
