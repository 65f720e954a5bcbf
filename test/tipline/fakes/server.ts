import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

export type FakeHandler = (
  req: FakeRequest,
) =>
  | { status: number; json?: unknown; bytes?: Buffer; type?: string }
  | Promise<{ status: number; json?: unknown; bytes?: Buffer; type?: string }>;

/** A local HTTP server answering like a platform's API (the shapes and error codes its documentation gives). */
export async function startFake(handler: FakeHandler) {
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any = null;
      try {
        json = body ? JSON.parse(body) : null;
      } catch {
        json = Object.fromEntries(new URLSearchParams(body));
      }
      const r: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
      };
      requests.push(r);
      const out = await handler(r);
      if (out.bytes)
        res
          .writeHead(out.status, {
            'content-type': out.type ?? 'application/octet-stream',
            'content-length': String(out.bytes.length),
          })
          .end(out.bytes);
      else res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.json ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
