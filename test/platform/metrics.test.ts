import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { isLoopback } from '../../src/http/metrics.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';

const TOKEN = 'metrics-token-0123456789abcdef';

let open: TestApp;
let locked: TestApp;
let proxied: TestApp;

beforeAll(async () => {
  [open, locked, proxied] = await Promise.all([
    testApp({ demo: false }),
    testApp({ demo: false, env: { METRICS_TOKEN: TOKEN } }),
    testApp({ demo: false, env: { TRUST_PROXY: '1' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([open?.close(), locked?.close(), proxied?.close()]);
});

describe(`/metrics without METRICS_TOKEN: loopback only (${testDbKind()})`, () => {
  it('answers requests from loopback addresses', async () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      const r = await open.client({ ip }).get('/metrics');
      expect(r.status, ip).toBe(200);
      expect(r.text).toMatch(/^process_resident_memory_bytes \d+$/m);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses every other address with 403 and no figures', async () => {
    for (const ip of ['203.0.113.9', '10.0.0.5', '192.168.1.20', '::ffff:203.0.113.9', '2001:db8::1', '128.0.0.1']) {
      const r = await open.client({ ip }).get('/metrics');
      expect(r.status, ip).toBe(403);
      expect(r.text).not.toContain('process_resident_memory_bytes');
    }
    const en = await open.client().get('/metrics?lang=en');
    expect(en.text).toBe('You are not allowed to do this.');
  });

  it('refuses a request that came through a reverse proxy on the same machine', async () => {
    const c = open.client({ ip: '127.0.0.1' });
    expect((await c.get('/metrics', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(403);
    expect((await c.get('/metrics', { forwarded: 'for=198.51.100.7' })).status).toBe(403);
    expect((await c.get('/metrics', { 'x-real-ip': '198.51.100.7' })).status).toBe(403);
  });

  it('with TRUST_PROXY the address the proxy saw decides', async () => {
    const c = proxied.client({ ip: '127.0.0.1' });
    expect((await c.get('/metrics', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(403);
    expect((await c.get('/metrics', { 'x-forwarded-for': '198.51.100.7, 127.0.0.1' })).status).toBe(200);
    expect((await c.get('/metrics')).status).toBe(200);
  });

  it('a bearer token means nothing when none is configured', async () => {
    const r = await open.client().get('/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(403);
  });

  it('two apps in one process keep their own figures', async () => {
    await open.client().get('/healthz?only-open');
    await open.client().get('/healthz');
    const route = /^http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)$/m;
    const inOpen = Number(route.exec((await open.client({ ip: '127.0.0.1' }).get('/metrics')).text)?.[1] ?? 0);
    const inProxied = Number(route.exec((await proxied.client({ ip: '127.0.0.1' }).get('/metrics')).text)?.[1] ?? 0);
    expect(inOpen).toBeGreaterThanOrEqual(2);
    expect(inProxied).toBe(0);
  });

  it('a real server: the socket address decides, not a header', async () => {
    const { createApp } = await import('../../src/http/app.js');
    const { modules } = await import('../../src/modules/index.js');
    const app = createApp(open.deps, modules);
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '0.0.0.0' }, () => resolve(s as Server)) as Server;
    });
    try {
      const port = (server.address() as AddressInfo).port;
      const local = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(local.status).toBe(200);
      expect(await local.text()).toMatch(/^http_requests_total\{/m);
      // x-test-ip is only for in-process tests: a real connection cannot claim another address with it.
      const spoofed = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { 'x-test-ip': '203.0.113.9' } });
      expect(spoofed.status).toBe(200);
      const external = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal);
      if (external) {
        // From this machine's own non-loopback address: not loopback, so refused.
        const r = await fetch(`http://${external.address}:${port}/metrics`);
        expect(r.status).toBe(403);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe(`/metrics with METRICS_TOKEN: bearer token (${testDbKind()})`, () => {
  it('answers the right token from any address', async () => {
    const r = await locked.client({ ip: '203.0.113.9' }).get('/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect((await locked.client().get('/metrics', { authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it('answers 401 with a Bearer challenge without the token, with a wrong one, and from loopback too', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: 'Bearer ' },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const headers of cases) {
      for (const ip of ['203.0.113.9', '127.0.0.1']) {
        const r = await locked.client({ ip }).get('/metrics', headers);
        expect(r.status, `${ip} ${JSON.stringify(headers)}`).toBe(401);
        expect(r.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
        expect(r.text).not.toContain('process_resident_memory_bytes');
      }
    }
    expect((await locked.client().get('/metrics')).text).toBe('Cần đăng nhập hoặc mã truy cập hợp lệ.');
  });

  it('the other system routes stay open', async () => {
    expect((await locked.client().get('/healthz')).status).toBe(200);
    expect((await locked.client().get('/readyz')).status).toBe(200);
  });
});

describe('METRICS_TOKEN in the configuration', () => {
  it('a short token stops the start with a message naming the variable', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).METRICS_TOKEN).toBe(TOKEN);
    expect(loadConfig({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.255.0.1', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'].every(isLoopback)).toBe(true);
    expect(
      ['128.0.0.1', '10.127.0.0', '::ffff:10.0.0.1', '::2', 'local', 'unknown', '1127.0.0.1'].some(isLoopback),
    ).toBe(false);
  });
});
