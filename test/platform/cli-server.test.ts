import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyPgDatabase, testDbKind } from '../helpers/db.js';

/**
 * The real server (`src/main.ts` in a child process, PGlite in a temp DATA_DIR, demo data) and the real
 * CLI (`src/cli.ts`) in other processes: every command reaches the server's database through its socket.
 */
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'caunoi-cli-'));
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
}; // (vitest sets BASE_URL=/)
let server: ChildProcess;
// On the PostgreSQL run the server and the CLI share a fresh database there (the CLI connects itself, no socket).
const onPg = testDbKind() === 'pg';
let dropDb = async () => {};
let base = '';
let serverOut = '';

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), ...args], {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  if (onPg) {
    const created = await emptyPgDatabase('caunoi_cli');
    env.DATABASE_URL = created.url;
    dropDb = created.drop;
  }
  server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${serverOut}`)), 200_000);
    const onData = (d: Buffer) => {
      serverOut += d;
      const m = serverOut.match(/is running at (http:\/\/localhost:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', (d) => (serverOut += d));
    server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${serverOut}`)));
  });
}, 240_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  await dropDb();
});

// Each CLI call is a fresh Node process (a second or two; many more on a busy machine): generous timeouts.
describe(`the CLI while the server runs (${onPg ? 'PostgreSQL' : 'embedded PGlite, through the socket'})`, {
  timeout: 180_000,
}, () => {
  it('prints the real address and the demo logins, and holds the pid file and the socket', async () => {
    expect(base).not.toMatch(/:0$/);
    expect(serverOut).toContain('admin@demo.local');
    expect(serverOut).toContain('member@demo.local');
    // NODE_ENV=production with DEMO=1: the demo is loaded, and said loudly.
    expect(serverOut).toContain('WARNING: DEMO=1 on a production installation (NODE_ENV=production)');
    // A production start on PGlite says what the embedded database guarantees (and PostgreSQL needs no such line).
    if (onPg) expect(serverOut).not.toContain('Durability:');
    else
      expect(serverOut).toContain(
        'Durability: the embedded database (PGlite) never calls fsync. A crashed or killed server loses nothing it has confirmed, but a power cut or an operating-system crash can lose the last committed reports',
      );
    expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(!onPg);
    if (!onPg) expect(statSync(path.join(dataDir, 'cli.sock')).mode & 0o777).toBe(0o600);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
  });

  it('serves the staff pages on its first start, the reports too (as a browser signs in)', async () => {
    const jar = new Map<string, string>();
    const keep = (res: Response) => {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
      return res;
    };
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const form = await keep(await fetch(`${base}/signin`)).text();
    const csrf = form.match(/name="_csrf" value="([^"]+)"/)![1];
    const signedIn = keep(
      await fetch(`${base}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, email: 'admin@demo.local', password: 'demo1234' }),
      }),
    );
    expect(signedIn.status).toBe(303);
    for (const page of ['/staff', '/staff/reports', '/staff/mailbox']) {
      const res = await fetch(`${base}${page}`, { headers: { cookie: cookie() }, redirect: 'manual' });
      expect([page, res.status]).toEqual([page, 200]);
    }
  });

  it('create-admin and create-token work through the socket, and the token opens the API', async () => {
    const a = await cli([
      'create-admin',
      '--email',
      'chanh.vp@hue.gov.vn',
      '--password',
      'mật-khẩu-dài-12',
      '--name',
      'Chánh Văn phòng',
    ]);
    expect(a.out).toContain('created admin chanh.vp@hue.gov.vn');
    expect(a.code).toBe(0);
    const again = await cli(['create-admin', '--email', 'chanh.vp@hue.gov.vn', '--password', 'mật-khẩu-dài-12']);
    expect(again.code).toBe(1);
    expect(again.out).toContain('already exists');

    const tok = await cli(['create-token', '--email', 'chanh.vp@hue.gov.vn', '--name', 'báo cáo tuần']);
    expect(tok.code).toBe(0);
    const token = tok.out.trim().split('\n').pop()!;
    expect(token.length).toBeGreaterThan(20);
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(JSON.stringify(await me.json())).toContain('chanh.vp@hue.gov.vn');
    const nobody = await fetch(`${base}/api/v1/me`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(nobody.status).toBe(401);
  });

  it('import-units loads a file given by a relative path, twice with the same result', async () => {
    const csv = path.join(dataDir, 'import', 'units.csv');
    mkdirSync(path.dirname(csv), { recursive: true });
    writeFileSync(
      csv,
      'code,name,type,parent_code,full_name\n46,Huế,municipality,,Thành phố Huế\n19753,Phú Xuân,ward,46,Phường Phú Xuân\n99001,Thôn Một,village,19753,\n',
    );
    const rel = path.relative(root, csv);
    const first = await cli(['import-units', rel, '--root', '46', '--dry-run']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      /dry run, nothing written: 3 units in the file: 1 added, \d+ updated, 5 retired, \d+ unchanged/,
    );
    const real = await cli(['import-units', rel, '--root', '46']);
    expect(real.out).toMatch(/3 units in the file: 1 added, \d+ updated, 5 retired/);
    const again = await cli(['import-units', rel, '--root', '46']);
    expect(again.out).toMatch(/3 units in the file: 0 added, 0 updated, 0 retired, 3 unchanged/);
  });

  it('verify-audit checks the chain the commands above extended', async () => {
    const r = await cli(['verify-audit']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/audit log intact: \d+ entries/);
  });

  it('backup and restore run inside the server; the API sees the restored data at once', async () => {
    const file = path.join(dataDir, 'backups', 'before.jsonl.gz');
    const b = await cli(['backup', file]);
    expect(b.code).toBe(0);
    expect(b.out).toContain(`backup written to ${file}`);
    await cli(['create-admin', '--email', 'sau.backup@hue.gov.vn', '--password', 'mật-khẩu-dài-12']);
    const r = await cli(['restore', file, '--yes']);
    expect(r.out).toMatch(new RegExp(`restored \\d+ rows into \\d+ tables from a ${onPg ? 'pg' : 'pglite'} backup`));
    expect(r.code).toBe(0);
    // The account made after the backup is gone; the one made before it is there.
    const gone = await cli(['create-token', '--email', 'sau.backup@hue.gov.vn', '--name', 'x']);
    expect(gone.out).toContain('no account with sau.backup@hue.gov.vn');
    const kept = await cli(['create-token', '--email', 'chanh.vp@hue.gov.vn', '--name', 'y']);
    expect(kept.code).toBe(0);
  });

  it('unknown commands list what exists', async () => {
    const r = await cli(['no-such-command']);
    expect(r.code).toBe(2);
    for (const c of ['create-admin', 'create-token', 'import-units', 'verify-audit', 'backup', 'restore', 'migrate'])
      expect(r.out).toContain(c);
  });
});

describe.skipIf(onPg)('the CLI when it cannot reach the server (embedded database only)', () => {
  it('says what to do when the pid file names a live process but the socket is gone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-stale-'));
    writeFileSync(path.join(dir, 'server.pid'), `${process.pid}\n`); // this test runner: alive, and no socket
    const r = await cli(['verify-audit'], { DATA_DIR: dir });
    expect(r.code).toBe(75);
    expect(r.out).toContain(`The server (pid ${process.pid}) holds the embedded database`);
    expect(r.out).toContain('Restart the server');
    expect(existsSync(path.join(dir, 'pg'))).toBe(false); // it did not open the database beside the server
  });

  it('stops, naming the directory it looked at, when there is no server and no database there; --init sets one up', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-nodb-'));
    const r = await cli(['create-admin', '--email', 'a@hue.gov.vn', '--password', 'mật-khẩu-dài-12'], {
      DATA_DIR: dir,
    });
    expect(r.out).toContain(
      `Stopped: no server is running for ${dir} and there is no database in ${path.join(dir, 'pg')}`,
    );
    expect(r.out).toContain('--init');
    expect(r.out).not.toContain('created admin');
    expect(r.code).toBe(66);
    expect(existsSync(path.join(dir, 'pg'))).toBe(false);
    // The list of commands needs no database.
    const list = await cli([], { DATA_DIR: dir });
    expect(list.code).toBe(0);
    expect(list.out).toContain('create-admin');
    const first = await cli(['verify-audit', '--init'], { DATA_DIR: dir });
    expect(first.out).toContain('audit log intact: 0 entries');
    expect(first.code).toBe(0);
    expect(existsSync(path.join(dir, 'pg', 'PG_VERSION'))).toBe(true); // from now on no --init is needed
  }, 180_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('the CLI on a PostgreSQL database without Cầu Nối tables', () => {
  it('stops and names the database, unless given --init', async () => {
    const empty = await emptyPgDatabase('caunoi_noinit');
    try {
      const name = new URL(empty.url).pathname.slice(1);
      const r = await cli(['verify-audit'], { DATABASE_URL: empty.url });
      expect(r.out).toContain(`Stopped: the PostgreSQL database ${name} on 127.0.0.1`);
      expect(r.out).toContain('holds no Cầu Nối tables');
      expect(r.code).toBe(66);
      const first = await cli(['verify-audit', '--init'], { DATABASE_URL: empty.url });
      expect(first.out).toContain('audit log intact: 0 entries');
      expect(first.code).toBe(0);
    } finally {
      await empty.drop();
    }
  }, 180_000);
});
