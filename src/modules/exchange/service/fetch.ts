/**
 * Every request the exchange makes goes through the platform's outbound guard (no loopback or private address
 * unless listed in OUTBOUND_ALLOW_HOSTS, checked again on every hop). On top of it: a redirect to another host is
 * refused (a partner's feed moves only when its admin re-adds it), and a body larger than the limit is refused
 * while it is read, not after.
 */
import { OutboundRefusedError, safeFetch, type OutboundOptions } from '../../../platform/net/outbound.js';

export type Problem =
  | 'down'
  | 'status'
  | 'private'
  | 'redirect'
  | 'oversized'
  | 'notJson'
  | 'malformed'
  | 'unsigned'
  | 'badSignature'
  | 'keyChanged';

/** Problems an admin must look at before the source is pulled again; the others are retried with back-off. */
export const PAUSING: ReadonlySet<Problem> = new Set([
  'private',
  'redirect',
  'oversized',
  'malformed',
  'unsigned',
  'badSignature',
  'keyChanged',
]);

export class PullProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly detail: string,
  ) {
    super(`${problem}: ${detail}`);
  }
}

export const MAX_PAGE_BYTES = 8 * 1024 * 1024;

export interface Fetched {
  status: number;
  headers: Headers;
  body: string;
  url: string;
}

async function readCapped(res: Response, max: number, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new PullProblem('oversized', `${declared} bytes at ${url} (limit ${max})`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      await reader.cancel().catch(() => undefined);
      throw new PullProblem('oversized', `more than ${max} bytes at ${url}`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GET with the guard; same-host redirects followed (at most 3), any other refused. */
export async function guardedGet(
  url: string,
  opts: { outbound: OutboundOptions; headers?: Record<string, string>; maxBytes?: number },
): Promise<Fetched> {
  let target = url;
  const origin = new URL(url).origin;
  for (let hop = 0; hop < 4; hop++) {
    let res: Response;
    try {
      res = await safeFetch(
        target,
        {
          headers: {
            accept: 'application/json, application/ld+json, text/html;q=0.8',
            'user-agent': 'CauNoi-exchange/1',
            ...opts.headers,
          },
          redirect: 'manual',
        },
        { timeoutMs: 20_000, ...opts.outbound },
      );
    } catch (e) {
      if (e instanceof OutboundRefusedError) throw new PullProblem('private', `${e.code} ${target}`);
      throw new PullProblem('down', `${target}: ${(e as Error).message ?? e}`.slice(0, 300));
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && location) {
      await res.body?.cancel().catch(() => undefined);
      let next: URL;
      try {
        next = new URL(location, target);
      } catch {
        throw new PullProblem('redirect', `${target} → ${location.slice(0, 200)}`);
      }
      if (next.origin !== origin) throw new PullProblem('redirect', `${target} → ${next.href.slice(0, 200)}`);
      target = next.href;
      continue;
    }
    const body = res.status === 304 ? '' : await readCapped(res, opts.maxBytes ?? MAX_PAGE_BYTES, target);
    return { status: res.status, headers: res.headers, body, url: target };
  }
  throw new PullProblem('redirect', `too many redirects from ${url}`);
}

export function parseJson(f: Fetched): unknown {
  try {
    return JSON.parse(f.body);
  } catch {
    throw new PullProblem('notJson', `${f.url} is not JSON`);
  }
}
