/** Two installations in one test process, each behind a real loopback HTTP server that can misbehave on demand. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp } from '../helpers/app.js';

/** normal; tamper: one word of the body changed after signing; oversize: a 9 MB page; redirect: to another host; other: a handler of the test's own. */
export type Mode = 'normal' | 'tamper' | 'oversize' | 'redirect' | ((req: Request, app: TestApp) => Promise<Response>);

export interface Peer {
  name: string;
  t: TestApp;
  url: string;
  hostPort: string;
  mode: Mode;
  tamper: [string, string];
  /** Stops answering (the port is closed) / answers again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  cli(...argv: string[]): Promise<{ code: number; out: string; lines: string[] }>;
  close(): Promise<void>;
}

interface Listening {
  server: http.Server;
  port: number;
}

async function listen(handler: http.RequestListener, port = 0): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

const closeServer = (s: http.Server) =>
  new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });

/** A static server for pages of other publishers (unsigned ClaimReview sources). */
export async function staticServer(
  pages: Map<string, { status?: number; type: string; body: string }>,
): Promise<{ url: string; hostPort: string; close(): Promise<void> }> {
  const l = await listen((req, res) => {
    const p = pages.get(req.url ?? '/');
    if (!p) return res.writeHead(404).end('not found');
    res.writeHead(p.status ?? 200, { 'content-type': p.type }).end(p.body);
  });
  return { url: `http://127.0.0.1:${l.port}`, hostPort: `127.0.0.1:${l.port}`, close: () => closeServer(l.server) };
}

/**
 * Opens the servers first (their ports go into every installation's OUTBOUND_ALLOW_HOSTS), then the apps
 * (demo: false for installations without the demo's data).
 */
export async function installations(
  specs: { name: string; baseUrl: string }[],
  extraAllow: string[] = [],
  opts: { demo?: boolean } = {},
): Promise<Peer[]> {
  const peers: Peer[] = [];
  const listening: Listening[] = [];
  for (let i = 0; i < specs.length; i++) {
    const idx = i;
    const handler = async (req: Request): Promise<Response> => {
      const p = peers[idx];
      const mode = p.mode;
      if (typeof mode === 'function') return mode(req, p.t);
      if (mode === 'redirect')
        return new Response(null, {
          status: 302,
          headers: { location: `http://127.0.0.2:${new URL(req.url).port}${new URL(req.url).pathname}` },
        });
      const res = await p.t.app.fetch(req);
      if (mode === 'normal' || !new URL(req.url).pathname.startsWith('/exchange/v1/')) return res;
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      if (mode === 'oversize')
        return new Response(`{"@type":"DataFeed","pad":"${'x'.repeat(9 * 1024 * 1024)}"}`, { status: 200, headers });
      const body = (await res.text()).replace(p.tamper[0], p.tamper[1]);
      return new Response(body, { status: res.status, headers });
    };
    listening.push(await listen(getRequestListener(handler) as unknown as http.RequestListener));
  }
  const allow = [...listening.map((l) => `127.0.0.1:${l.port}`), ...extraAllow].join(',');
  for (let i = 0; i < specs.length; i++) {
    const t = await testApp({
      demo: opts.demo,
      env: { ORG_NAME: specs[i].name, BASE_URL: specs[i].baseUrl, OUTBOUND_ALLOW_HOSTS: allow },
    });
    const l = listening[i];
    const handlerOf = l.server.listeners('request')[0] as http.RequestListener;
    peers.push({
      name: specs[i].name,
      t,
      url: `http://127.0.0.1:${l.port}`,
      hostPort: `127.0.0.1:${l.port}`,
      mode: 'normal',
      tamper: ['', ''],
      down: () => closeServer(l.server),
      async up() {
        const again = await listen(handlerOf, l.port);
        l.server = again.server;
      },
      async cli(...argv) {
        const lines: string[] = [];
        const code = await runCommand(t.deps, modules, argv, (x) => lines.push(x));
        return { code, out: lines.join('\n'), lines };
      },
      async close() {
        if (l.server.listening) await closeServer(l.server);
        await t.close();
      },
    });
  }
  return peers;
}

/** Page text without tags, whitespace collapsed: what a reader sees. */
export const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
