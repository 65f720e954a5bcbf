import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../helpers/config.js';
import {
  assertOutboundAllowed,
  isPrivateAddress,
  OutboundRefusedError,
  outboundOptions,
  outboundText,
  parseAllowHosts,
  safeFetch,
} from '../../src/platform/net/outbound.js';

/** A local server that answers 200 "hello" on /ok, and redirects /to?u=URL there. */
let server: http.Server;
let base = '';
let hits: string[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const u = new URL(req.url!, 'http://x');
    if (u.pathname === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (u.pathname === '/to')
      res.writeHead(Number(u.searchParams.get('s') ?? 302), { location: u.searchParams.get('u')! }).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${req.method}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'allowed';
  } catch (e) {
    return e instanceof OutboundRefusedError ? e.code : `other: ${String(e)}`;
  }
};

describe('outbound guard', () => {
  it('classifies loopback, private, link-local, CGNAT, ULA, mapped and unspecified addresses as private', () => {
    for (const ip of [
      '127.0.0.1',
      '127.9.9.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::5',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:8.8.8.8',
      '224.0.0.1',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111'])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('refuses loopback, metadata, private and odd spellings of them before any connection', async () => {
    hits = [];
    for (const u of [
      `http://${base}/ok`,
      'http://localhost:80/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[::1]:8080/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0:22/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://100.100.1.1/',
    ])
      expect(await code(safeFetch(u, {}, {})), u).toBe('outbound.private');
    expect(hits).toEqual([]);
  });

  it('refuses a DNS name that resolves to 127.0.0.1 (and one with any private answer among public ones)', async () => {
    const resolve = async (h: string) =>
      h === 'evil.example' ? ['127.0.0.1'] : h === 'mixed.example' ? ['93.184.216.34', '10.0.0.7'] : ['93.184.216.34'];
    expect(await code(assertOutboundAllowed('https://evil.example/hook', { resolve }))).toBe('outbound.private');
    expect(await code(assertOutboundAllowed('https://mixed.example/hook', { resolve }))).toBe('outbound.private');
    expect(await code(assertOutboundAllowed('https://good.example/hook', { resolve }))).toBe('allowed');
    // The real resolver: localhost is 127.0.0.1 on every machine.
    expect(await code(assertOutboundAllowed('http://localhost:9/'))).toBe('outbound.private');
  });

  it('lets an allow-listed loopback host:port through, and only that port', async () => {
    const opts = outboundOptions(testConfig({ OUTBOUND_ALLOW_HOSTS: `${base}, other.local:8080` }));
    expect(opts.allowHosts).toEqual([base, 'other.local:8080']);
    const res = await safeFetch(`http://${base}/ok`, { method: 'POST', body: 'x' }, opts);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello POST');
    expect(await code(safeFetch('http://127.0.0.1:1/ok', {}, opts))).toBe('outbound.private');
  });

  it('checks every redirect hop: an allowed host redirecting to a private one is refused, the private one never reached', async () => {
    const opts = { allowHosts: [base] };
    hits = [];
    expect(
      await code(safeFetch(`http://${base}/to?u=${encodeURIComponent('http://169.254.169.254/latest/')}`, {}, opts)),
    ).toBe('outbound.private');
    expect(await code(safeFetch(`http://${base}/to?u=${encodeURIComponent('http://localhost:6379/')}`, {}, opts))).toBe(
      'outbound.private',
    );
    expect(hits).toHaveLength(2);
    // A redirect within the allowed host is followed (303 turns POST into GET); a loop ends with a typed error.
    const ok = await safeFetch(`http://${base}/to?s=303&u=/ok`, { method: 'POST', body: 'x' }, opts);
    expect([ok.status, await ok.text()]).toEqual([200, 'hello GET']);
    expect(await code(safeFetch(`http://${base}/loop`, {}, { ...opts, maxRedirects: 3 }))).toBe(
      'outbound.tooManyRedirects',
    );
    const manual = await safeFetch(`http://${base}/to?u=/ok`, { redirect: 'manual' }, opts);
    expect(manual.status).toBe(302);
  });

  it('https only in production, unless listed; no other schemes, no credentials', async () => {
    const prod = outboundOptions(testConfig({ NODE_ENV: 'production' }));
    const resolve = async () => ['93.184.216.34'];
    expect(await code(assertOutboundAllowed('http://partner.example/hook', { ...prod, resolve }))).toBe(
      'outbound.httpsOnly',
    );
    expect(await code(assertOutboundAllowed('https://partner.example/hook', { ...prod, resolve }))).toBe('allowed');
    expect(await code(assertOutboundAllowed(`http://${base}/ok`, { ...prod, allowHosts: [base] }))).toBe('allowed');
    expect(await code(assertOutboundAllowed('ftp://partner.example/', { resolve }))).toBe('outbound.scheme');
    expect(await code(assertOutboundAllowed('file:///etc/passwd', { resolve }))).toBe('outbound.scheme');
    expect(await code(assertOutboundAllowed('https://u:p@partner.example/', { resolve }))).toBe('outbound.credentials');
    expect(await code(assertOutboundAllowed('not a url', { resolve }))).toBe('outbound.invalidUrl');
    expect(await code(assertOutboundAllowed('https://no-such-host.invalid/'))).toBe('outbound.unresolvable');
  });

  it('every code has a message in both languages; a bad OUTBOUND_ALLOW_HOSTS stops the start', () => {
    for (const k of Object.keys(outboundText.vi) as (keyof typeof outboundText.vi)[]) {
      expect(outboundText.t('vi')(k)).not.toBe(k);
      expect(outboundText.t('en')(k)).not.toBe(k);
    }
    expect(() => testConfig({ OUTBOUND_ALLOW_HOSTS: 'just-a-host' })).toThrow(/OUTBOUND_ALLOW_HOSTS/);
    expect(() => parseAllowHosts('a:99999')).toThrow();
    expect(parseAllowHosts('[FD00::5]:443')).toEqual(['[fd00::5]:443']);
  });
});
