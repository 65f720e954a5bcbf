import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A browser's side of a push subscription: its P-256 key pair and auth secret, so a test can decrypt. */
export function makeBrowserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    subscription: (endpoint: string) => ({
      endpoint,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    }),
  };
}

/** Decrypts an `aes128gcm` web push body (RFC 8188 / RFC 8291) with the browser's keys. */
export function decryptPush(body: Buffer, keys: ReturnType<typeof makeBrowserKeys>): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const uaPublic = keys.ecdh.getPublicKey();
  const shared = keys.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('last record must end with the 0x02 delimiter');
  return padded.subarray(0, end).toString('utf8');
}

export interface VapidCheck {
  ok: boolean;
  reason?: string;
  header?: { typ?: string; alg?: string };
  claims?: { aud?: string; exp?: number; sub?: string };
  publicKey?: string;
}

/**
 * Checks a `vapid t=JWT, k=KEY` Authorization header the way a push service does: an ES256 JWT
 * signed by KEY (which must be the expected application server key), for this origin, expiring
 * within 24 hours, with a mailto: or https: subject.
 */
export function checkVapid(authorization: string | undefined, expectedKey: string, origin: string): VapidCheck {
  const m = authorization?.match(/^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/);
  if (!m) return { ok: false, reason: 'no vapid t=…, k=… header' };
  const [, jwt, k] = m;
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const fail = (reason: string): VapidCheck => ({ ok: false, reason, header, claims, publicKey: k });
  if (k !== expectedKey) return fail('k is not the application server key');
  if (header.alg !== 'ES256') return fail('alg is not ES256');
  if (claims.aud !== origin) return fail(`aud ${claims.aud} is not ${origin}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600 + 60)) return fail('exp not within 24 h');
  if (!/^(mailto:|https:)/.test(claims.sub ?? '')) return fail('sub is not mailto: or https:');
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const good = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  return good ? { ok: true, header, claims, publicKey: k } : fail('signature does not verify');
}

export interface PushRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  answered: number;
}

/** A local HTTP server playing the browser vendor's push service. `answer` picks each reply's status (default 201). */
export async function startPushService(opts: { answer?: (n: number, req: PushRequest) => number } = {}) {
  const requests: PushRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: PushRequest = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), answered: 201 };
      r.answered = opts.answer?.(requests.length, r) ?? 201;
      requests.push(r);
      res.writeHead(r.answered).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    endpoint: (id: string) => `${origin}/push/${id}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
