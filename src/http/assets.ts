import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { projectRoot } from '../db/paths.js';
import type { AppEnv } from './context.js';
import { compressible, encode, MIN_COMPRESS_BYTES, pickEncoding, type Encoding } from './compress.js';

export const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** A hashed URL never changes meaning, so it is cached for a year; plain and stale URLs only briefly. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const SHORT = 'public, max-age=600';

/** Third-party files served as our own assets (`vendor/leaflet.js`): nothing is loaded from a CDN. */
export const VENDOR: Record<string, string> = {
  'leaflet.js': 'node_modules/leaflet/dist/leaflet.js',
  'leaflet.css': 'node_modules/leaflet/dist/leaflet.css',
};

/** `app.css` lives in src/web; `mailbox/mailbox.css` in src/modules/mailbox/assets. */
function fileOf(key: string): string {
  const [a, b] = key.split('/');
  if (a === 'vendor' && b !== undefined && VENDOR[b]) return path.join(projectRoot(), VENDOR[b]);
  return b === undefined
    ? path.join(projectRoot(), 'src/web', a)
    : path.join(projectRoot(), 'src/modules', a, 'assets', b);
}

export const contentHash = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 10);

/** `app.css` + hash → `app.<hash>.css`. */
export function hashedName(key: string, hash: string): string {
  const ext = path.extname(key);
  return `${key.slice(0, key.length - ext.length)}.${hash}${ext}`;
}

interface Asset {
  bytes: Buffer;
  hash: string;
  stamp: string;
  encoded: Partial<Record<Encoding, Uint8Array>>;
}

const assets = new Map<string, Asset>();

/** Read once (in production) or again whenever the file changed (development), compressed at first use. */
function load(key: string): Asset | null {
  const file = fileOf(key);
  const known = assets.get(key);
  if (known && process.env.NODE_ENV === 'production') return known;
  let stamp: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) return null;
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch {
    return null;
  }
  if (known && known.stamp === stamp) return known;
  const bytes = readFileSync(file);
  const asset = { bytes, hash: contentHash(bytes), stamp, encoded: {} };
  assets.set(key, asset);
  return asset;
}

/** The URL to put in pages: content-hashed, so browsers may keep it for a year. */
export function assetUrl(key: string): string {
  const a = load(key);
  return a ? `/static/${hashedName(key, a.hash)}` : `/static/${key}`;
}

const HASHED = /^(.+)\.([0-9a-f]{10})(\.[a-z0-9]+)$/;

export function assetRoutes(app: Hono<AppEnv>): void {
  app.get('/static/:mod{[a-z]+}/:file{[a-zA-Z0-9._-]+}', (c) => serve(c, c.req.param('mod'), c.req.param('file')));
  app.get('/static/:file{[a-zA-Z0-9._-]+}', (c) => serve(c, null, c.req.param('file')));
}

function serve(c: import('hono').Context<AppEnv>, mod: string | null, name: string): Response {
  const m = HASHED.exec(name);
  const base = m ? `${m[1]}${m[3]}` : name;
  const type = ASSET_TYPES[path.extname(base)];
  const key = mod ? `${mod}/${base}` : base;
  const asset = type && !base.startsWith('.') ? load(key) : null;
  if (!asset) return c.notFound() as Response;
  const headers: Record<string, string> = {
    'content-type': type,
    'cache-control': m && m[2] === asset.hash ? IMMUTABLE : SHORT,
    etag: `W/"${asset.hash}"`,
  };
  const inm = c.req.header('if-none-match');
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${asset.hash}"`))
    return c.body(null, 304, headers);
  if (!compressible(type) || asset.bytes.byteLength < MIN_COMPRESS_BYTES)
    return c.body(new Uint8Array(asset.bytes), 200, headers);
  headers.vary = 'Accept-Encoding';
  const enc = pickEncoding(c.req.header('accept-encoding'));
  if (!enc) return c.body(new Uint8Array(asset.bytes), 200, headers);
  const body = (asset.encoded[enc] ??= encode(asset.bytes, enc, true));
  return c.body(body as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-encoding': enc });
}
