import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  t.app.request(path, { headers: { 'x-test-ip': '203.0.113.50', ...headers } });
const bytes = async (r: Response) => new Uint8Array(await r.arrayBuffer());

describe('compression per Accept-Encoding', () => {
  it('a page asked with br, gzip comes back as brotli and decodes to the same HTML', async () => {
    const plain = await get('/mailbox');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const html = await plain.text();
    expect(html).toContain('<!DOCTYPE html>');

    const br = await get('/mailbox', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const body = await bytes(br);
    expect(Number(br.headers.get('content-length'))).toBe(body.byteLength);
    expect(body.byteLength).toBeLessThan(Buffer.byteLength(html) / 3);
    expect(brotliDecompressSync(body).toString('utf8')).toBe(html);
  });

  it('gzip only gives gzip, nothing gives the plain bytes', async () => {
    const html = await (await get('/')).text();
    const gz = await get('/', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await bytes(gz)).toString('utf8')).toBe(html);
    const none = await get('/', { 'accept-encoding': 'identity' });
    expect(none.headers.get('content-encoding')).toBeNull();
    expect(await none.text()).toBe(html);
    const refused = await get('/', { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers.get('content-encoding')).toBeNull();
  });

  it('a tiny JSON answer is sent as it is', async () => {
    const r = await get('/healthz', { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('HEAD is never compressed', async () => {
    const r = await t.app.request('/mailbox', { method: 'HEAD', headers: { 'accept-encoding': 'br, gzip' } });
    expect(r.headers.get('content-encoding')).toBeNull();
  });

  it('the ETag of a compressed page brings a 304 back, compressed or not', async () => {
    const first = await get('/mailbox', { 'accept-encoding': 'br, gzip' });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const again = await get('/mailbox', { 'accept-encoding': 'br, gzip', 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('content-encoding')).toBeNull();
    expect(await again.text()).toBe('');
    const gz = await get('/mailbox', { 'accept-encoding': 'gzip', 'if-none-match': etag! });
    expect(gz.status).toBe(304);
  });

  it('a route that compares its own ETag exactly (incident page) still answers 304 to the weak tag sent back', async () => {
    const list = await (await get('/incidents')).text();
    const href = list.match(/href="(\/incidents\/\d+)"/)?.[1];
    expect(href).toBeTruthy();
    const page = await get(href!, { 'accept-encoding': 'br' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-encoding')).toBe('br');
    const etag = page.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const again = await get(href!, { 'accept-encoding': 'br', 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('feeds are compressed', async () => {
    const r = await get('/feed.rss', { 'accept-encoding': 'br' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/xml/);
    expect(r.headers.get('content-encoding')).toBe('br');
  });
});
