import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DEMO).toBe(true);
    expect(c.DEMO_PASSWORD).toBe('demo1234');
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.cliSocket).toBe(path.join(path.resolve('./data'), 'cli.sock'));
    expect(c.baseUrl).toBe('http://localhost:3000');
  });

  it('reads values and turns them into the right types', () => {
    const c = loadConfig({
      PORT: '8080',
      DEMO: '0',
      WORKER: 'off',
      RATE_LIMIT_PER_MINUTE: '600',
      BASE_URL: 'https://hue.example.vn/',
      DATABASE_URL: 'postgres://u@h/db',
    });
    expect(c).toMatchObject({
      PORT: 8080,
      DEMO: false,
      WORKER: false,
      RATE_LIMIT_PER_MINUTE: 600,
      baseUrl: 'https://hue.example.vn',
      DATABASE_URL: 'postgres://u@h/db',
    });
  });

  it('keeps a demo’s mail in DATA_DIR/outbox when no SMTP server is set, and sends it when one is', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/cn' }).mailOutbox).toBe('/tmp/cn/outbox');
    expect(loadConfig({ DATA_DIR: '/tmp/cn', SMTP_URL: 'smtp://mail.example.vn:587' }).mailOutbox).toBeNull();
    expect(loadConfig({ DATA_DIR: '/tmp/cn', DEMO: '0' }).mailOutbox).toBeNull();
    expect(loadConfig({ DATA_DIR: '/tmp/cn', MAIL_OUTBOX: 'off' }).mailOutbox).toBeNull();
    expect(loadConfig({ DEMO: '0', MAIL_OUTBOX: '/srv/mail' }).mailOutbox).toBe('/srv/mail');
  });

  it('loads the demo for a plain start, but not for a production one unless DEMO=1 says so, and then warns loudly', () => {
    expect(loadConfig({})).toMatchObject({ DEMO: true, demoWarning: null });
    expect(loadConfig({ BASE_URL: 'http://localhost:3000' })).toMatchObject({ DEMO: true, demoWarning: null });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ DEMO: false, demoWarning: null });
    expect(loadConfig({ BASE_URL: 'https://gopy.hue.gov.vn' })).toMatchObject({ DEMO: false, demoWarning: null });
    // No demo: no demo outbox either (mail is sent, or said to be unsendable).
    expect(loadConfig({ NODE_ENV: 'production', DATA_DIR: '/tmp/cn' }).mailOutbox).toBeNull();
    const explicit = loadConfig({ NODE_ENV: 'production', DEMO: '1' });
    expect(explicit.DEMO).toBe(true);
    expect(explicit.demoWarning).toContain('WARNING: DEMO=1 on a production installation (NODE_ENV=production)');
    // about the demo itself: the warning names the demo's published sign-in
    expect(explicit.demoWarning).toContain('admin@demo.local');
    expect(loadConfig({ BASE_URL: 'https://gopy.hue.gov.vn', DEMO: 'yes' }).demoWarning).toContain(
      'BASE_URL is https://gopy.hue.gov.vn',
    );
    expect(loadConfig({ NODE_ENV: 'production', DEMO: '0' })).toMatchObject({ DEMO: false, demoWarning: null });
    expect(loadConfig({ DEMO: '1' })).toMatchObject({ DEMO: true, demoWarning: null });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DEMO: '' })).toMatchObject({ PORT: 3000, DEMO: true });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'whole number'],
    [{ PORT: '70000' }, 'PORT', 'from 0 to 65535'],
    [{ PORT: '80.5' }, 'PORT', 'whole number'],
    [{ DEMO: 'maybe' }, 'DEMO', 'must be 1 or 0'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL', 'postgres://'],
    [{ BASE_URL: 'hue.example.vn' }, 'BASE_URL', 'http'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'one of'],
    [{ DEMO_PASSWORD: 'short' }, 'DEMO_PASSWORD', 'at least 8'],
    [{ SMTP_URL: 'mail.example.vn' }, 'SMTP_URL', 'smtp://'],
    [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY', 'from 1 to 64'],
    [{ VAPID_PUBLIC_KEY: 'abc' }, 'VAPID_PRIVATE_KEY', 'both'],
  ])('rejects %j naming %s', (env, variable, hint) => {
    const err = errorOf(env as Record<string, string>);
    expect(err.variables).toEqual([variable]);
    expect(err.message).toContain(`${variable}:`);
    expect(err.message).toContain(hint);
  });

  it('names every bad variable at once', () => {
    const err = errorOf({ PORT: 'x', DEMO: 'y' });
    expect(err.variables.sort()).toEqual(['DEMO', 'PORT']);
  });

  it('`npm start` with a bad value stops at once, non-zero, naming the variable', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'caunoi-config-'));
    const child = spawn('npm', ['start', '--silent'], {
      env: { ...process.env, PORT: 'abc', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(out).toContain('PORT: must be a whole number from 0 to 65535 (got "abc")');
    expect(out).not.toContain('is running at');
  });
});
