import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, hashedName } from '../../src/http/assets.js';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  t.app.request(path, { headers: { 'x-test-ip': '203.0.113.51', ...headers } });

describe('content-hashed static assets', () => {
  it('the home page links a hashed stylesheet and script that are cached for a year, precompressed', async () => {
    const html = await (await get('/')).text();
    const css = html.match(/href="(\/static\/app\.([0-9a-f]{10})\.css)"/);
    const js = html.match(/src="(\/static\/app\.([0-9a-f]{10})\.js)"/);
    expect(css).toBeTruthy();
    expect(js).toBeTruthy();
    const source = readFileSync('src/web/app.css');
    expect(css![2]).toBe(contentHash(source));

    const r = await get(css![1], { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('content-type')).toMatch(/^text\/css/);
    expect(r.headers.get('content-encoding')).toBe('br');
    expect(r.headers.get('vary')).toMatch(/Accept-Encoding/);
    expect(brotliDecompressSync(new Uint8Array(await r.arrayBuffer())).equals(source)).toBe(true);

    const plain = await get(js![1]);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await plain.arrayBuffer()).equals(readFileSync('src/web/app.js'))).toBe(true);
  });

  it('the old unhashed URL and a stale hash still work, cached only briefly', async () => {
    const old = await get('/static/app.css');
    expect(old.status).toBe(200);
    expect(old.headers.get('cache-control')).toBe('public, max-age=600');
    const stale = await get('/static/app.0000000000.css');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('cache-control')).not.toContain('immutable');
    expect((await get('/static/nothing.css')).status).toBe(404);
  });

  it('an asset answers 304 to its ETag', async () => {
    const r = await get('/static/app.css');
    const again = await get('/static/app.css', { 'if-none-match': r.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('module assets go through the same helper: the mailbox page links a hashed mailbox stylesheet', async () => {
    const html = await (await get('/mailbox/new')).text();
    const href = html.match(/"(\/static\/mailbox\/mailbox\.[0-9a-f]{10}\.css)"/)?.[1];
    expect(href).toBeTruthy();
    const r = await get(href!);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toContain('immutable');
    expect((await get('/mailbox/assets/mailbox.css')).status).toBe(200); // the old URL keeps working
  });

  it('the hash changes when the content does', () => {
    const a = contentHash(Buffer.from('body{color:red}'));
    const b = contentHash(Buffer.from('body{color:blue}'));
    expect(a).not.toBe(b);
    expect(hashedName('app.css', a)).toBe(`app.${a}.css`);
    expect(hashedName('mailbox/mailbox.js', b)).toBe(`mailbox/mailbox.${b}.js`);
  });
});
