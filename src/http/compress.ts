import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';

/** Below this, the headers cost more than the bytes saved. */
export const MIN_COMPRESS_BYTES = 1024;

const TEXTUAL =
  /^(text\/(html|css|javascript|plain|xml|csv|calendar)|application\/(javascript|json|xml|[a-z0-9.+-]*\+(json|xml))|image\/svg\+xml)\b/i;

export type Encoding = 'br' | 'gzip';

export const compressible = (contentType: string | null): boolean => Boolean(contentType && TEXTUAL.test(contentType));

/** br when the client takes it (q > 0), else gzip, else nothing. */
export function pickEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name.trim(), qp ? Number(qp.slice(2)) || 0 : 1);
  }
  const ok = (n: string) => (q.get(n) ?? q.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

/** Quality 4 for pages made per request (fast, close to gzip -9 in size); 11 for static files compressed once. */
export function encode(body: Uint8Array, enc: Encoding, once = false): Uint8Array<ArrayBuffer> {
  if (enc === 'br') {
    return brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: once ? 11 : 4,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
  }
  return gzipSync(body, { level: once ? 9 : 6 });
}

function addVary(h: Headers): void {
  const v = h.get('vary');
  if (!v) h.set('vary', 'Accept-Encoding');
  else if (!/accept-encoding|\*/i.test(v)) h.set('vary', `${v}, Accept-Encoding`);
}

/** Hono copies the old response's headers onto a new one; clearing first keeps the new headers as they are. */
function replace(c: Context, res: Response): void {
  c.res = undefined as unknown as Response;
  c.res = res;
}

const stripWeak = (t: string) => t.trim().replace(/^W\//, '');
const weakMatch = (etag: string, inm: string) =>
  inm === '*' || inm.split(',').some((t) => stripWeak(t) === stripWeak(etag));

/**
 * Compresses textual responses per Accept-Encoding. The ETag becomes weak when the bytes are encoded (the same
 * page, other bytes), and since browsers send that weak tag back, a weak match answers 304 here even when the
 * route itself compared strings exactly.
 */
export function compress(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (c.req.method === 'GET' && res.status === 304) {
      // the tag a 200 would have carried, so the browser keeps one tag for the page
      const tag = res.headers.get('etag');
      if (tag && pickEncoding(c.req.header('accept-encoding'))) res.headers.set('etag', `W/${stripWeak(tag)}`);
      return;
    }
    if (c.req.method !== 'GET' || res.status < 200 || res.status === 204 || res.status === 206 || res.status === 304)
      return;
    if (!compressible(res.headers.get('content-type')) || res.headers.has('content-encoding')) {
      if (res.headers.get('content-encoding')) addVary(res.headers);
      return;
    }
    addVary(res.headers);
    const enc = pickEncoding(c.req.header('accept-encoding'));
    if (!enc) return;
    const etag = res.headers.get('etag');
    const inm = c.req.header('if-none-match');
    if (etag && inm && res.status === 200 && weakMatch(etag, inm)) {
      await res.body?.cancel();
      const h = new Headers();
      for (const k of ['cache-control', 'vary', 'expires', 'content-location', 'date']) {
        const v = res.headers.get(k);
        if (v) h.set(k, v);
      }
      h.set('etag', `W/${stripWeak(etag)}`);
      replace(c, new Response(null, { status: 304, headers: h }));
      return;
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (length < MIN_COMPRESS_BYTES) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    if (body.byteLength < MIN_COMPRESS_BYTES) {
      replace(c, new Response(body, { status: res.status, headers }));
      return;
    }
    const out = encode(body, enc);
    headers.set('content-encoding', enc);
    headers.set('content-length', String(out.byteLength));
    if (etag) headers.set('etag', `W/${stripWeak(etag)}`);
    replace(c, new Response(out, { status: res.status, headers }));
  };
}
