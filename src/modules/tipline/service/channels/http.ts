/**
 * Calls to the platforms' APIs and their file servers: through the platform's outbound guard (no private addresses
 * unless OUTBOUND_ALLOW_HOSTS lets a host through, as tests do for the local fakes), bounded in time and size.
 */
import { safeFetch, type OutboundOptions } from '../../../../platform/net/outbound.js';
import { ChannelError } from './types.js';

/** Each call takes its app's outbound options (the channel settings carry them: OUTBOUND_ALLOW_HOSTS, NODE_ENV). */
const fetch = (
  options: OutboundOptions,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; redirect?: string; signal?: AbortSignal },
) =>
  safeFetch(
    url,
    {
      method: init.method,
      headers: init.headers,
      body: init.body,
      redirect: init.redirect === 'manual' ? 'manual' : 'follow',
      signal: init.signal,
    },
    options,
  );

export const API_TIMEOUT_MS = 10_000;

/** One call to a platform's API that answers JSON: a network failure is a ChannelError, a body that is not JSON null. */
async function callJson(
  net: OutboundOptions,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<{ status: number; json: any }> {
  let res: Response;
  try {
    res = await fetch(net, url, { ...init, signal: AbortSignal.timeout(API_TIMEOUT_MS) });
  } catch (err) {
    throw new ChannelError('other', `network: ${(err as Error).message}`);
  }
  const text = await res.text();
  try {
    return { status: res.status, json: text ? JSON.parse(text) : null };
  } catch {
    return { status: res.status, json: null };
  }
}

export const postJson = (net: OutboundOptions, url: string, body: unknown, headers: Record<string, string> = {}) =>
  callJson(net, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** A GET that answers JSON (the Graph API's user profile). */
export const getJson = (net: OutboundOptions, url: string, headers: Record<string, string> = {}) =>
  callJson(net, url, { method: 'GET', headers });

export const postForm = (
  net: OutboundOptions,
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  callJson(net, url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });

export class TooLargeError extends Error {}

/** Downloads a file, refusing more than maxBytes without reading it all. */
export async function download(net: OutboundOptions, url: string, maxBytes: number): Promise<Buffer> {
  const res = await fetch(net, url, { redirect: 'follow', signal: AbortSignal.timeout(API_TIMEOUT_MS * 3) });
  if (!res.ok || !res.body) throw new ChannelError('other', `download answered ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body.cancel();
    throw new TooLargeError(String(declared));
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new TooLargeError(String(total));
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
