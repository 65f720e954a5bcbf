import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyPgDatabase, testDbKind } from '../helpers/db.js';

/**
 * SIGTERM on the real server: it stops taking connections, lets a request whose body is still
 * arriving complete, lets a running job finish and be marked done, then exits 0 and removes its pid file.
 */
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'caunoi-shutdown-'));
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  PORT: '0',
  HOST: '127.0.0.1',
  DEMO: '1',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  DATABASE_URL: '',
  BASE_URL: '',
};
let server: ChildProcess | undefined;
const onPg = testDbKind() === 'pg';
let dropDb = async () => {};

// On the PostgreSQL run the server uses a fresh database there (no pid file, no socket: the CLI connects itself).
beforeAll(async () => {
  if (!onPg) return;
  const created = await emptyPgDatabase('caunoi_stop');
  env.DATABASE_URL = created.url;
  dropDb = created.drop;
});

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

afterAll(async () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  await dropDb();
});

describe(`graceful shutdown (${onPg ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('SIGTERM finishes the request in flight and the running job, then exits 0', { timeout: 300_000 }, async () => {
    let out = '';
    server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve));
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = out.match(/is running at (http:\/\/localhost:\d+)/);
        if (m) {
          clearInterval(timer);
          resolve(m[1]);
        } else if (server!.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(out));
        }
      }, 50);
    });
    const port = Number(new URL(base).port);
    expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(!onPg);

    // A job that takes a while, queued through the CLI socket; wait until the worker has it.
    const q = await cli(['enqueue-job', 'ops.delay', '--payload', '{"ms":12000}']);
    const jobId = q.out.match(/queued job (\d+)/)?.[1];
    expect(jobId, q.out).toBeTruthy();
    // (On PostgreSQL the test looks at the table itself: quicker than a CLI process per look.)
    const status = async () => {
      if (!onPg) return (await cli(['jobs', jobId!])).out;
      const c = new pg.Client({ connectionString: env.DATABASE_URL });
      await c.connect();
      const r = await c.query(`SELECT status FROM jobs WHERE id = $1`, [Number(jobId)]);
      await c.end();
      return `job ${jobId} ops.delay: ${r.rows[0]?.status}`;
    };
    for (let i = 0; i < 150; i++) {
      if ((await status()).includes(': running')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await status()).toContain(`job ${jobId} ops.delay: running`);

    // A sign-in whose body is still arriving when SIGTERM comes.
    const page = await fetch(`${base}/signin`);
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1];
    const body = new URLSearchParams({ _csrf: csrf, email: 'admin@demo.local', password: 'demo1234' }).toString();
    const sock = net.connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    let response = '';
    sock.on('data', (d) => (response += d));
    const closed = new Promise((r) => sock.once('close', r));
    sock.write(
      `POST /signin HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: ${cookie}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    sock.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));

    const termAt = Date.now();
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    // No new connections once SIGTERM has arrived…
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    expect(server.exitCode).toBeNull();
    // …but the one in flight completes.
    sock.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 303/);
    expect(response).toMatch(/\r\nlocation: \/staff/i);

    const code = await exited;
    expect(code).toBe(0);
    expect(Date.now() - termAt).toBeGreaterThan(2000); // it waited for the job
    expect(out).toContain('stopped.');
    expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'cli.sock'))).toBe(false);

    // With the server gone the CLI opens the database itself: the job was finished, not abandoned.
    // (On PostgreSQL the CLI always connects itself.)
    const after = await cli(['jobs', jobId!]);
    expect(after.out).toContain(`job ${jobId} ops.delay: done after 1 attempt(s)`);
    expect(after.code).toBe(0);
  });
});
