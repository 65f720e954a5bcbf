import type { Hono } from 'hono';
import { boot } from '../../src/bootstrap.js';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { createApp } from '../../src/http/app.js';
import type { AppEnv, Deps } from '../../src/http/context.js';
import { createLogger } from '../../src/log.js';
import { modules } from '../../src/modules/index.js';
import { MemoryBlobStore } from '../../src/platform/files/store.js';
import { Worker } from '../../src/platform/jobs/queue.js';
import { testConfig } from './config.js';
import { testDb } from './db.js';

export interface TestApp {
  app: Hono<AppEnv>;
  deps: Deps;
  db: Db;
  blobs: MemoryBlobStore;
  /** Runs every due job now. */
  drainJobs(): Promise<number>;
  client(opts?: { ip?: string }): TestClient;
  /** Adds the host:port of each URL to this app's OUTBOUND_ALLOW_HOSTS (a local fake webhook or push service). */
  allowOutbound(...urls: string[]): void;
  close(): Promise<void>;
}

/**
 * The whole platform on a fresh database, as `npm start` builds it, with the demo data loaded
 * (unless demo: false) from the run's snapshot (test/global-setup.ts). Requests go through app.request, so no port is opened.
 */
export async function testApp(opts: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const db = await testDb({ demo: opts.demo !== false });
  const config: Config = testConfig(opts.env);
  const blobs = new MemoryBlobStore();
  const deps = await boot({ config, log: createLogger('silent'), modules, db, blobs });
  const app = createApp(deps, modules);
  const worker = new Worker(db, deps.jobs, { concurrency: 8 });
  return {
    app,
    deps,
    db,
    blobs,
    drainJobs: () => worker.drain(),
    client: (o) => new TestClient(app, o?.ip),
    allowOutbound: (...urls) => {
      const hosts = urls.map((u) => {
        const x = new URL(u);
        return `${x.hostname}:${x.port || (x.protocol === 'https:' ? '443' : '80')}`;
      });
      config.OUTBOUND_ALLOW_HOSTS = [config.OUTBOUND_ALLOW_HOSTS, ...hosts].filter(Boolean).join(',');
    },
    close: () => db.close(),
  };
}

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A cookie-keeping client that fills in each form's CSRF token the way a browser would. */
export class TestClient {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly ip = '203.0.113.9',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    headers.set('x-test-ip', this.ip);
    const res = await this.app.request(path, { ...init, headers });
    this.remember(res);
    const text = await res.text();
    const token = text.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path: string, headers?: Record<string, string>): Promise<Page> {
    return this.request(path, { headers });
  }

  /** Posts a form with the CSRF token of the last page seen (fetching `path` first if none). */
  async post(
    path: string,
    form: Record<string, string | string[] | Blob>,
    opts: { multipart?: boolean } = {},
  ): Promise<Page> {
    if (!this.csrf) await this.get(path);
    if (opts.multipart || Object.values(form).some((v) => v instanceof Blob)) {
      const fd = new FormData();
      fd.set('_csrf', this.csrf);
      for (const [k, v] of Object.entries(form)) {
        if (Array.isArray(v)) v.forEach((x) => fd.append(k, x));
        else if (v instanceof Blob) fd.append(k, v, (v as File).name ?? 'upload.bin');
        else fd.set(k, v);
      }
      return this.request(path, { method: 'POST', body: fd });
    }
    const body = new URLSearchParams();
    body.set('_csrf', this.csrf);
    for (const [k, v] of Object.entries(form)) {
      if (Array.isArray(v)) v.forEach((x) => body.append(k, x));
      else body.set(k, String(v));
    }
    return this.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async json<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await this.request(path, init);
    return {
      status: res.status,
      body: res.text ? (JSON.parse(res.text) as T) : (undefined as T),
      headers: res.headers,
    };
  }

  async signIn(email: string, password = 'demo1234'): Promise<Page> {
    await this.get('/signin');
    const page = await this.post('/signin', { email, password });
    if (page.status !== 303) throw new Error(`sign-in as ${email} failed: ${page.status}`);
    await this.get('/staff');
    return page;
  }
}
