import { existsSync } from 'node:fs';
import http from 'node:http';

/**
 * The CLI's side of the command socket, kept free of heavy imports so that a command handed to a
 * running server starts in a fraction of a second.
 */
export function sendToServer(socketPath: string, argv: string[], out: (chunk: string) => void): Promise<number | null> {
  return new Promise((resolve) => {
    if (!existsSync(socketPath)) return resolve(null);
    const req = http.request({ socketPath, path: '/run', method: 'POST' }, (res) => {
      let tail = '';
      let code: number | null = null;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const all = tail + chunk;
        const idx = all.lastIndexOf('\n');
        const complete = idx >= 0 ? all.slice(0, idx + 1) : '';
        tail = idx >= 0 ? all.slice(idx + 1) : all;
        for (const line of complete.split('\n')) {
          if (!line) continue;
          const m = line.match(/^\u0000exit:(\d+)$/);
          if (m) code = Number(m[1]);
          else out(line + '\n');
        }
      });
      res.on('end', () => {
        if (tail) out(tail);
        resolve(code ?? 1);
      });
    });
    req.on('error', () => resolve(null));
    req.end(JSON.stringify({ argv }));
  });
}
