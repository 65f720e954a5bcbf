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
export async function startCliSocket(
  deps: Deps,
  modules: readonly AppModule[],
  socketPath: string,
): Promise<{ close(): Promise<void> }> {
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
  return {
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          try {
            unlinkSync(socketPath);
          } catch {}
          resolve();
        }),
      ),
  };
}

/** Sends argv to a running server; resolves to the exit code, or null when no server listens. */
export { sendToServer } from './client.js';
