import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp, TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser, realUnit } from '../helpers/factories.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe(`HTTP: CSRF, headers, limits, errors, health, metrics, OpenAPI (${testDbKind()})`, () => {
  let t: TestApp;
  let limited: TestApp;
  let closed = false;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    // the one account the CSRF cases sign in as
    await makeUser(t.db, { email: 'editor@http.test', role: 'editor', unit: await realUnit(t.db, '46') });
    limited = await testApp({ demo: false, env: { BODY_LIMIT_BYTES: '4096', RATE_LIMIT_WRITES_PER_MINUTE: '3' } });
    t.app.get('/test/boom', () => {
      throw new Error('secret detail at /srv/app/internal.ts:42');
    });
    t.app.get('/api/v1/test/boom', () => {
      throw new Error('secret detail at /srv/app/internal.ts:42');
    });
  });
  afterAll(async () => {
    await t?.close();
    if (!closed) await limited?.close();
  });

  describe('CSRF', () => {
    it('refuses an anonymous form without a token or with a wrong one, with a translated 403 page, and accepts the right one', async () => {
      const c = t.client();
      const page = await c.get('/forgot');
      expect(page.headers.getSetCookie().find((x) => x.startsWith('csrf='))).toMatch(/HttpOnly/i);
      const none = await c.request('/forgot', form({ email: 'a@example.org' }));
      expect(none.status).toBe(403);
      expect(none.text).toContain('Phiên biểu mẫu đã hết hạn. Vui lòng gửi lại.');
      const wrong = await c.request('/forgot', form({ email: 'a@example.org', _csrf: 'x'.repeat(24) }));
      expect(wrong.status).toBe(403);
      const ok = await c.post('/forgot', { email: 'a@example.org' });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('Nếu địa chỉ này có tài khoản');
      // a token from another browser is worthless
      const other = t.client();
      await other.get('/forgot');
      other.csrf = c.csrf;
      expect((await other.post('/forgot', { email: 'a@example.org' })).status).toBe(403);
    });

    it('refuses a staff form with the anonymous token and accepts the session’s token; English page too', async () => {
      const c = t.client({ ip: '203.0.113.50' });
      await c.get('/signin');
      const anonToken = c.csrf;
      await c.signIn('editor@http.test');
      expect(c.csrf).not.toBe(anonToken);
      const r = await c.request('/staff/tokens?lang=en', form({ name: 'x', scope: 'read', _csrf: anonToken }));
      expect(r.status).toBe(403);
      expect(r.text).toContain('This form has expired. Please send it again.');
      expect((await c.post('/staff/tokens', { name: 'ok', scope: 'read' })).status).toBe(200);
      // the header form works for scripts
      const h = await c.request('/staff/tokens', {
        method: 'POST',
        body: new URLSearchParams({ name: 'hdr', scope: 'read' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': c.csrf },
      });
      expect(h.status).toBe(200);
    });

    it('asks an API call that rides on a session cookie for the token, like a form', async () => {
      const c = t.client({ ip: '203.0.113.51' });
      await c.signIn('editor@http.test');
      const r = await c.json('/api/v1/no-such-thing', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('csrf');
      const ok = await c.json('/api/v1/no-such-thing', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
      });
      expect(ok.status).toBe(404);
    });

    it('does not ask API calls for a token', async () => {
      const c = new TestClient(t.app);
      const r = await c.json('/api/v1/no-such-thing', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    });

    it('sets no cookie on a public page a shared cache may keep, and one with a page that has a form', async () => {
      const c = t.client({ ip: '203.0.113.52' });
      const home = await c.get('/');
      expect(home.headers.get('cache-control')).toMatch(/public/);
      expect(home.headers.getSetCookie()).toEqual([]);
      const withForm = await c.get('/forgot');
      expect(withForm.headers.getSetCookie().find((x) => x.startsWith('csrf='))).toMatch(/HttpOnly/i);
      const sent = await c.post('/forgot', { email: 'a@example.org' });
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('Nếu địa chỉ này có tài khoản');
    });
  });

  it('sends the security headers on every page: strict CSP without inline script, nosniff, no framing', async () => {
    for (const p of ['/', '/signin', '/no-such-page']) {
      const r = await t.client().get(p);
      const csp = r.headers.get('content-security-policy')!;
      const scriptSrc = csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src'))!;
      expect(scriptSrc).toBe("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(r.headers.get('x-request-id')).toMatch(/^[\w-]{6,64}$/);
      // no inline script or handler on the page itself
      expect(r.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(r.text).not.toMatch(/\son(click|load|submit|change)=/i);
    }
    // HSTS follows BASE_URL (and a proxy's word only behind TRUST_PROXY): test/platform/secure-transport.test.ts
    const spoofed = await t.app.request('/', { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers.get('strict-transport-security')).toBeNull();
  });

  it('refuses a body over the limit with a translated 413', async () => {
    const c = limited.client({ ip: '203.0.113.60' });
    await c.get('/forgot');
    const big = await c.post('/forgot', { email: 'a@example.org', filler: 'x'.repeat(10_000) });
    expect(big.status).toBe(413);
    expect(big.text).toContain('Dữ liệu gửi lên quá lớn.');
    const api = await c.json('/api/v1/me?lang=en', {
      method: 'POST',
      body: JSON.stringify({ x: 'y'.repeat(10_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(api.status).toBe(413);
    expect(api.body.error).toEqual({ code: 'too_large', message: 'What you sent is too large.', fields: {} });
  });

  it('holds a rate limit across two app processes sharing one database', async () => {
    const second = createApp(limited.deps, modules);
    const a = new TestClient(limited.app, '203.0.113.77');
    const b = new TestClient(second, '203.0.113.77');
    await a.get('/signin');
    await b.get('/signin');
    const statuses: number[] = [];
    for (const c of [a, b, a, b])
      statuses.push((await c.post('/signin', { email: 'x@example.org', password: 'whatever1' })).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses[3]).toBe(429);
    const again = await a.post('/signin', { email: 'x@example.org', password: 'whatever1' });
    expect(again.status).toBe(429);
    expect(again.text).toMatch(/Bạn thao tác quá nhanh\. Vui lòng thử lại sau \d+ giây\./);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    // another address is not affected
    const other = new TestClient(second, '203.0.113.78');
    await other.get('/signin');
    expect((await other.post('/signin', { email: 'x@example.org', password: 'whatever1' })).status).toBe(401);
  });

  it('RATE_LIMIT_DISABLED=1 turns the limits off, and the server warns about it in its log', async () => {
    // the same database and limits as the limited app (3 a minute), with the switch on
    const off = createApp({ ...limited.deps, config: { ...limited.deps.config, RATE_LIMIT_DISABLED: true } }, modules);
    const c = new TestClient(off, '203.0.113.90');
    await c.get('/signin');
    for (let i = 0; i < 5; i++)
      expect((await c.post('/signin', { email: 'x@example.org', password: 'whatever1' })).status).toBe(401);
    // the real server: the warning comes right after the configuration is read
    const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-ratelimit-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RATE_LIMIT_DISABLED: '1',
      DATA_DIR: dir,
      DEMO: '0',
      PORT: '0',
      WORKER: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      BASE_URL: 'http://localhost:3999',
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no warning in time; output: ${out}`)), 60_000);
        const onData = (d: Buffer) => {
          out += d.toString();
          if (out.includes('RATE_LIMIT_DISABLED')) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', () => {
          clearTimeout(timer);
          if (out.includes('RATE_LIMIT_DISABLED')) resolve();
          else reject(new Error(`server exited without the warning: ${out}`));
        });
      });
      const line = JSON.parse(out.split('\n').find((l) => l.includes('RATE_LIMIT_DISABLED'))!);
      expect(line.level).toBe(40); // pino "warn"
      expect(line.msg).toContain('every rate limit is off');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000); // starts a real server: slow on a loaded machine

  it('shows an error page with the request id and never the exception or a stack trace', async () => {
    const r = await t.app.request('/test/boom', { headers: { 'x-request-id': 'req-abc-123' } });
    const html = await r.text();
    expect(r.status).toBe(500);
    expect(r.headers.get('x-request-id')).toBe('req-abc-123');
    expect(html).toContain('Mã yêu cầu: req-abc-123');
    expect(html).toContain('Hệ thống gặp sự cố.');
    expect(html).not.toContain('secret detail');
    expect(html).not.toMatch(/internal\.ts|\bat \w+ \(|Error:/);
    const generated = await t.app.request('/test/boom');
    const id = generated.headers.get('x-request-id')!;
    expect(await generated.text()).toContain(`Mã yêu cầu: ${id}`);
    const api = await t.app.request('/api/v1/test/boom?lang=en');
    expect(api.status).toBe(500);
    const body = await api.json();
    expect(body).toEqual({
      error: { code: 'internal', message: expect.stringContaining('The system ran into a problem'), fields: {} },
    });
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('logs the request id with the exception (stack in the log, not on the page)', async () => {
    const lines: Record<string, any>[] = [];
    const log = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const app = createApp({ ...t.deps, log }, modules);
    app.get('/test/boom2', () => {
      throw new Error('kaboom for the log');
    });
    const r = await app.request('/test/boom2', { headers: { 'x-request-id': 'req-log-456' } });
    expect(r.status).toBe(500);
    const err = lines.find((l) => l.msg === 'unhandled error')!;
    expect(err.requestId).toBe('req-log-456');
    expect(err.err.message).toBe('kaboom for the log');
    expect(err.err.stack).toContain('http.test.ts');
    expect(await r.text()).not.toContain('kaboom');
    await app.request('/healthz', { headers: { 'x-request-id': 'req-ok-789' } });
    expect(lines.some((l) => l.requestId === 'req-ok-789' && l.path === '/healthz' && l.status === 200)).toBe(true);
  });

  it('answers an unknown page with a translated 404 page, and an unknown API path with JSON', async () => {
    const c = t.client();
    const vi = await c.get('/khong-co-trang-nay');
    expect(vi.status).toBe(404);
    expect(vi.text).toContain('<h1>Không tìm thấy trang</h1>'); // the friendly page (test/platform/not-found.test.ts)
    expect(vi.text).toContain('<html lang="vi">');
    const en = await c.get('/khong-co-trang-nay?lang=en');
    expect(en.text).toContain('<h1>Page not found</h1>');
    const api = await c.json('/api/v1/nothing-here');
    expect(api.status).toBe(404);
    expect(api.body).toEqual({
      error: { code: 'not_found', message: 'Không tìm thấy trang bạn yêu cầu.', fields: {} },
    });
  });

  it('serves /healthz, /readyz and Prometheus /metrics', async () => {
    const c = t.client();
    expect(await c.json('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await c.json('/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    await c.get('/');
    const m = await t.client({ ip: '127.0.0.1' }).get('/metrics'); // loopback: no METRICS_TOKEN in tests
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toContain('text/plain');
    expect(m.text).toMatch(/^http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+$/m);
    expect(m.text).toMatch(/^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/"\} \d+$/m);
    // every metric says what it is, and Node's own figures come with it
    expect(m.text).toMatch(/^# HELP http_requests_total \S/m);
    expect(m.text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect(m.text).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+$/m);
    expect(m.text).toMatch(/^nodejs_heap_size_used_bytes \d+$/m);
    expect(m.text).toMatch(/^jobs_oldest_queued_age_seconds [\d.e+-]+$/m);
    expect(m.text).toMatch(/^# TYPE notifications_failed gauge$/m);
    expect(m.text).toMatch(/^process_resident_memory_bytes \d+$/m);
    // every line is empty, a comment or "name{labels} value"
    for (const line of m.text.trim().split('\n'))
      expect(line).toMatch(
        /^(|#.*|[a-zA-Z_:][\w:]*(\{[^}]*\})? -?[\d.e+-]+|[a-zA-Z_:][\w:]*(\{[^}]*\})? (NaN|\+Inf))$/,
      );
  });

  it('answers /readyz with 503 when the database is gone', async () => {
    const gone = limited; // the last test that uses it
    expect((await gone.app.request('/readyz')).status).toBe(200);
    await gone.close();
    closed = true;
    const r = await gone.app.request('/readyz');
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'unavailable' });
    expect((await gone.app.request('/healthz')).status).toBe(200);
  });

  it('describes the API in OpenAPI 3.1 with the platform paths, and every $ref resolves', async () => {
    const r = await t.client().json('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers[0].url).toBe('http://test.local');
    for (const p of ['/healthz', '/readyz', '/metrics', '/api/v1/me']) expect(Object.keys(doc.paths)).toContain(p);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message', 'fields']);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
    for (const [p, item] of Object.entries<Record<string, { responses?: Record<string, { description?: string }> }>>(
      doc.paths,
    )) {
      expect(p.startsWith('/')).toBe(true);
      for (const [m, op] of Object.entries(item)) {
        if (!methods.includes(m)) continue;
        expect(Object.keys(op.responses ?? {}).length, `${m} ${p} has responses`).toBeGreaterThan(0);
        for (const res of Object.values(op.responses!))
          expect(typeof res.description, `${m} ${p} response description`).toBe('string');
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]);
    for (const ref of refs) {
      const target = ref.split('/').reduce<any>((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, `#/${ref} resolves`).toBeDefined();
    }
  });
});
