/**
 * The one guard for every request the server makes to an address someone typed (webhook gateways, web-push
 * endpoints, partner feeds): the server must never be usable to reach its own machine or network (SSRF, port scans).
 *
 * API (keep it small):
 *   assertOutboundAllowed(url, opts?) → Promise<URL>
 *       Save-time check. Parses the address, refuses a bad scheme (http(s) only; https only in production), user:pass@,
 *       and any host whose resolved addresses include a loopback, link-local, private (RFC 1918), CGNAT, ULA,
 *       multicast, reserved, IPv4-mapped IPv6 or unspecified address (0.0.0.0, ::, metadata 169.254.169.254 …).
 *   safeFetch(url, init?, opts?) → Promise<Response>
 *       Send-time request, shaped like fetch(): every hop is checked as above, the connection goes to the very address
 *       that was checked (no second DNS answer can slip in), redirects are followed by hand (at most opts.maxRedirects,
 *       default 5; `init.redirect: 'manual'` returns the 3xx instead) and each target is checked again.
 *   outboundOptions(config) → OutboundOptions   (from OUTBOUND_ALLOW_HOSTS and NODE_ENV; pass it to the two above)
 *   OutboundRefusedError — `code` is a key of `outboundText` (vi + en), e.g. 'outbound.private'.
 *
 * An operator lets a host through explicitly with OUTBOUND_ALLOW_HOSTS=host:port,host:port (e.g. an SMS gateway on the
 * office network, or a test receiver on 127.0.0.1:PORT); a listed host:port skips the address and https checks.
 * Without opts, the settings are read from process.env.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Readable } from 'node:stream';
import { defineCatalog } from '../i18n/index.js';

export interface OutboundOptions {
  /** `host:port` entries (lower-case host, IPv6 in brackets) that may be reached even on a private address or by http. */
  allowHosts?: readonly string[];
  /** Refuse http:// (production). */
  httpsOnly?: boolean;
  /** Redirects followed by safeFetch before giving up. */
  maxRedirects?: number;
  /** Whole request time limit when init.signal is not given. */
  timeoutMs?: number;
  /** Name resolution (tests replace it); default: the system resolver, every address. */
  resolve?: (host: string) => Promise<string[]>;
}

export type OutboundCode =
  | 'outbound.invalidUrl'
  | 'outbound.scheme'
  | 'outbound.httpsOnly'
  | 'outbound.credentials'
  | 'outbound.private'
  | 'outbound.unresolvable'
  | 'outbound.tooManyRedirects';

export const outboundText = defineCatalog(
  {
    'outbound.invalidUrl': 'Địa chỉ không hợp lệ.',
    'outbound.scheme': 'Địa chỉ phải bắt đầu bằng http:// hoặc https://.',
    'outbound.httpsOnly': 'Địa chỉ phải dùng https://.',
    'outbound.credentials': 'Địa chỉ không được chứa tên đăng nhập hay mật khẩu.',
    'outbound.private':
      'Không được gửi tới địa chỉ nội bộ (máy chủ này, mạng riêng hoặc mạng nội bộ). Nếu thật sự cần, người vận hành phải cho phép địa chỉ này trong cài đặt OUTBOUND_ALLOW_HOSTS.',
    'outbound.unresolvable': 'Không tìm thấy máy chủ của địa chỉ này.',
    'outbound.tooManyRedirects': 'Địa chỉ chuyển hướng quá nhiều lần.',
  },
  {
    'outbound.invalidUrl': 'This is not a valid address.',
    'outbound.scheme': 'The address must start with http:// or https://.',
    'outbound.httpsOnly': 'The address must use https://.',
    'outbound.credentials': 'The address must not contain a user name or password.',
    'outbound.private':
      'Internal addresses (this server, private or local networks) are refused. If this is really needed, the operator must allow the address in the OUTBOUND_ALLOW_HOSTS setting.',
    'outbound.unresolvable': 'The server of this address cannot be found.',
    'outbound.tooManyRedirects': 'The address redirects too many times.',
  },
);

export class OutboundRefusedError extends Error {
  constructor(
    readonly code: OutboundCode,
    readonly url: string,
    detail = '',
  ) {
    super(`${code}: ${detail || 'refused'} (${url.slice(0, 200)})`);
    this.name = 'OutboundRefusedError';
  }
}

/** Parses OUTBOUND_ALLOW_HOSTS ("host:port,host:port"); a bad entry is reported, not ignored. */
export function parseAllowHosts(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((entry) => {
      if (
        !/^(\[[0-9a-f:.]+\]|[a-z0-9._-]+):\d{1,5}$/.test(entry) ||
        Number(entry.slice(entry.lastIndexOf(':') + 1)) > 65535
      )
        throw new Error(`"${entry}" is not host:port (e.g. sms-gateway.local:8080, [fd00::5]:443)`);
      return entry;
    });
}

export function outboundOptions(config: {
  NODE_ENV: string;
  OUTBOUND_ALLOW_HOSTS?: string | readonly string[];
}): OutboundOptions {
  const allow = config.OUTBOUND_ALLOW_HOSTS;
  return {
    allowHosts: typeof allow === 'string' ? parseAllowHosts(allow) : (allow ?? []),
    httpsOnly: config.NODE_ENV === 'production',
  };
}

function envOptions(): OutboundOptions {
  return outboundOptions({
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    OUTBOUND_ALLOW_HOSTS: process.env.OUTBOUND_ALLOW_HOSTS,
  });
}

// Two lists: one BlockList holding IPv6 ranges also matches IPv4 addresses against ::ffff:0:0/96.
const blocked4 = new net.BlockList();
const blocked6 = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked4.addSubnet(a, p, 'ipv4');
for (const [a, p] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked6.addSubnet(a, p, 'ipv6');

/** True for every address that is not a public unicast address on the internet. */
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return blocked4.check(ip, 'ipv4');
  if (family === 6) return blocked6.check(ip, 'ipv6');
  return true;
}

const systemResolve = async (host: string): Promise<string[]> =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

interface Checked {
  url: URL;
  /** The address to connect to; null = a listed host, connect by name as usual. */
  address: string | null;
}

async function check(raw: string | URL, o: OutboundOptions): Promise<Checked> {
  const text = String(raw);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundRefusedError('outbound.invalidUrl', text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefusedError('outbound.scheme', text);
  if (url.username || url.password) throw new OutboundRefusedError('outbound.credentials', text);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if ((o.allowHosts ?? []).includes(`${url.hostname.toLowerCase()}:${port}`)) return { url, address: null };
  if (o.httpsOnly && url.protocol !== 'https:') throw new OutboundRefusedError('outbound.httpsOnly', text);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (o.resolve ?? systemResolve)(host);
    } catch {
      throw new OutboundRefusedError('outbound.unresolvable', text);
    }
    if (!addresses.length) throw new OutboundRefusedError('outbound.unresolvable', text);
  }
  // Every answer must be public: a name with one public and one private address could be made to connect to either.
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw new OutboundRefusedError('outbound.private', text, `${host} is ${bad}`);
  return { url, address: addresses[0]! };
}

/** Checks an address someone typed before it is saved. Resolves to the parsed URL; throws OutboundRefusedError. */
export async function assertOutboundAllowed(url: string | URL, opts: OutboundOptions = envOptions()): Promise<URL> {
  return (await check(url, opts)).url;
}

type Body = string | Uint8Array | URLSearchParams | null | undefined;
export interface SafeFetchInit {
  method?: string;
  headers?: HeadersInit;
  body?: Body;
  redirect?: 'follow' | 'manual';
  signal?: AbortSignal;
}

/** fetch() for addresses someone typed: see the top of this file. */
export async function safeFetch(
  url: string | URL,
  init: SafeFetchInit = {},
  opts: OutboundOptions = envOptions(),
): Promise<Response> {
  const signal = init.signal ?? AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  let method = (init.method ?? 'GET').toUpperCase();
  let body: Body = init.body;
  const headers = new Headers(init.headers);
  let target = String(url);
  const max = opts.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const checked = await check(target, opts);
    const res = await request(checked, method, headers, body, signal);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || res.status === 304 || !location || init.redirect === 'manual')
      return res;
    await res.arrayBuffer().catch(() => undefined);
    if (hop >= max) throw new OutboundRefusedError('outbound.tooManyRedirects', target);
    const next = new URL(location, checked.url);
    if (next.origin !== checked.url.origin) {
      headers.delete('authorization');
      headers.delete('cookie');
    }
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      headers.delete('content-type');
      headers.delete('content-length');
    }
    target = next.href;
  }
}

function request(c: Checked, method: string, headers: Headers, body: Body, signal: AbortSignal): Promise<Response> {
  const payload =
    body == null
      ? undefined
      : typeof body === 'string' || body instanceof URLSearchParams
        ? Buffer.from(String(body))
        : Buffer.from(body);
  if (body instanceof URLSearchParams && !headers.has('content-type'))
    headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
  const out: Record<string, string> = {};
  headers.forEach((v, k) => (out[k] = v));
  if (payload) out['content-length'] = String(payload.length);
  const family = c.address ? net.isIP(c.address) : 0;
  // Connect to the address that was checked, never to a second DNS answer (DNS rebinding); TLS still checks the name.
  const lookup = c.address
    ? (_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) =>
        o?.all ? cb(null, [{ address: c.address, family }]) : cb(null, c.address, family)
    : undefined;
  const mod = c.url.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const req = mod.request(c.url, { method, headers: out, signal, lookup: lookup as never, agent: false }, (res) => {
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (Array.isArray(v)) v.forEach((x) => h.append(k, x));
        else if (v !== undefined) h.set(k, v);
      }
      const status = res.statusCode ?? 502;
      const noBody = method === 'HEAD' || status === 204 || status === 304 || status < 200;
      if (noBody) res.resume();
      try {
        resolve(
          new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream), {
            status: status < 200 ? 502 : status,
            statusText: res.statusMessage,
            headers: h,
          }),
        );
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
    req.end(payload);
  });
}
