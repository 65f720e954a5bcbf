import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/platform/notify/channels.js';

export interface ReceivedHook {
  event: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  json: { event: string; data: Record<string, unknown>; sent_at: string };
  /** The HMAC and the timestamp checked out. */
  verified: boolean;
  answered: number;
}

/**
 * A webhook receiver the way a partner would write one: it checks `x-caunoi-signature`
 * (HMAC-SHA256 over "timestamp.body") and the timestamp's freshness, answers 401 when either is
 * wrong, and 500 for the first `failTimes` valid deliveries.
 */
export async function startWebhookReceiver(opts: { secret: string; failTimes?: number; toleranceSeconds?: number }) {
  const received: ReceivedHook[] = [];
  let failures = opts.failTimes ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const h = (n: string) => (typeof req.headers[n] === 'string' ? (req.headers[n] as string) : undefined);
      const verified = verifyWebhookSignature(
        opts.secret,
        h('x-caunoi-timestamp'),
        body,
        h('x-caunoi-signature'),
        opts.toleranceSeconds ?? 300,
      );
      let answered = 204;
      if (!verified) answered = 401;
      else if (failures > 0) {
        failures--;
        answered = 500;
      }
      let json: ReceivedHook['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = { event: '', data: {}, sent_at: '' };
      }
      received.push({
        event: h('x-caunoi-event'),
        timestamp: h('x-caunoi-timestamp'),
        signature: h('x-caunoi-signature'),
        body,
        json,
        verified,
        answered,
      });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/caunoi`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
