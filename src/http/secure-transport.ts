import type { Context } from 'hono';
import type { Config } from '../config.js';
import type { AppEnv } from './context.js';

/**
 * Whether the browser reached us over HTTPS, for the cookies' Secure flag and HSTS: an https BASE_URL
 * says so for every request; otherwise the request's own scheme, or X-Forwarded-Proto only when the
 * proxy that sets it is trusted (TRUST_PROXY=1). A client's own header never decides.
 */
export function isSecureRequest(c: Context<AppEnv>): boolean {
  return secureTransport(
    c.get('deps').config,
    new URL(c.req.url).protocol === 'https:',
    c.req.header('x-forwarded-proto'),
  );
}

/** The same decision from its parts: the request's own scheme and its X-Forwarded-Proto header. */
export function secureTransport(
  config: Pick<Config, 'BASE_URL' | 'TRUST_PROXY'>,
  https: boolean,
  forwardedProto: string | undefined,
): boolean {
  if (config.BASE_URL?.startsWith('https://')) return true;
  if (https) return true;
  if (!config.TRUST_PROXY) return false;
  // The proxy appends its value; the last one is what the trusted proxy saw.
  const proto = forwardedProto
    ?.split(',')
    .map((p) => p.trim().toLowerCase())
    .pop();
  return proto === 'https';
}
