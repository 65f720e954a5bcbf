import { existsSync, unlinkSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import http from 'node:http';
import type { Deps } from '../http/context.js';
import type { AppModule } from '../http/module.js';
import { runCommand } from './commands.js';

/**
 * PGlite allows one process per data directory, so while the server runs the CLI sends its command
 * here (a Unix socket only this OS user can open) and the server runs it on its own database.
 */
export async function startCliSocket(deps: Deps, modules: readonly AppModule[], socketPath: string): Promise<{ close(): Promise<void> }> {
  if (existsSync(socketPath)) unlinkSync(socketPath);
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      try {
        const { argv } = JSON.parse(body) as { argv: string[] };
        const code = await runCommand(deps, modules, argv, (line) => res.write(line + '\n'));
        res.end(`\u0000exit:${code}\n`);
      } catch (err) {
        res.end(`error: ${err instanceof Error ? err.message : String(err)}\n\u0000exit:1\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  await chmod(socketPath, 0o600);
  return { close: () => new Promise((resolve) => server.close(() => { try { unlinkSync(socketPath); } catch {} resolve(); })) };
}

/** Sends argv to a running server; resolves to the exit code, or null when no server listens. */
export function sendToServer(socketPath: string, argv: string[], out: (chunk: string) => void): Promise<number | null> {
  return new Promise((resolve) => {
    if (!existsSync(socketPath)) return resolve(null);
    const req = http.request({ socketPath, path: '/run', method: 'POST' }, (res) => {
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const all = tail + chunk;
        const idx = all.lastIndexOf('\n');
        const complete = idx >= 0 ? all.slice(0, idx + 1) : '';
        tail = idx >= 0 ? all.slice(idx + 1) : all;
        for (const line of complete.split('\n')) {
          if (!line) continue;
          const m = line.match(/^\u0000exit:(\d+)$/);
          if (m) resolve(Number(m[1]));
          else out(line + '\n');
        }
      });
      res.on('end', () => resolve(1));
    });
    req.on('error', () => resolve(null));
    req.end(JSON.stringify({ argv }));
  });
}
