import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.js';
import { HttpError } from './errors.js';

const bad = () => new HttpError(400, 'bad_input', 'error.badInput');

/** A %-escape of a control character: in a path any, in a query any but tab, line feed and carriage return. */
const PATH_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const QUERY_CONTROL = /%(?:0[0-8bcef]|1[0-9a-f]|7f)/i;
const RAW_CONTROL = /[\x00-\x1f\x7f]/;

function decodes(s: string): boolean {
  try {
    decodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * Input no page can use, refused once for every route before it reaches one: a NUL byte anywhere (PostgreSQL
 * cannot store it in text), a control character or a broken %-escape in the address, a multipart body that
 * cannot be parsed. The answer is a translated 400 (413 for a body over the limit), never a server error.
 */
export function hostileInput(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.url;
    const q = raw.indexOf('?');
    const path = new URL(raw).pathname;
    const query = q >= 0 ? raw.slice(q + 1).replace(/#.*$/, '') : '';
    if (RAW_CONTROL.test(raw) || PATH_CONTROL.test(path) || !decodes(path)) throw bad();
    if (query && (QUERY_CONTROL.test(query) || query.split(/[&=]/).some((part) => !decodes(part.replace(/\+/g, ' ')))))
      throw bad();
    const m = c.req.method;
    if (m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS' && c.req.raw.body) {
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      try {
        if (type.includes('json')) {
          const text = await c.req.text();
          if (text.includes('\0') || /\\u0000/i.test(text)) throw bad();
        } else if (type.startsWith('application/x-www-form-urlencoded')) {
          const text = await c.req.text();
          if (text.includes('\0') || /%00/i.test(text)) throw bad();
        } else if (type.startsWith('multipart/form-data')) {
          let body: Record<string, unknown>;
          try {
            body = await c.req.parseBody({ all: true });
          } catch (err) {
            if ((err as Error)?.name === 'BodyLimitError') throw err;
            throw new HttpError(400, 'bad_body', 'error.badBody');
          }
          for (const v of Object.values(body).flat()) {
            if (typeof v === 'string' ? v.includes('\0') : v instanceof File && v.name.includes('\0')) throw bad();
          }
        }
      } catch (err) {
        if ((err as Error)?.name === 'BodyLimitError') throw new HttpError(413, 'too_large', 'error.tooLarge');
        throw err;
      }
    }
    return next();
  };
}
