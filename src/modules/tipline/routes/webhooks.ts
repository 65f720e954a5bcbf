/**
 * The platforms' webhooks (contracts): POST /tipline/zalo, GET|POST /tipline/messenger, POST /tipline/telegram.
 * Verify, drop replays, queue, answer 200 at once. A missing or wrong signature: 401, logged without the body.
 */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { csrfExemptPaths } from '../../../http/middleware.js';
import { adapters } from '../service/channels/index.js';
import type { ChannelName } from '../service/channels/types.js';
import { takeIn } from '../service/inbound.js';
import { channelSettings } from '../service/settings.js';

/** Larger than any real event (Telegram and Meta send a few KB); a bigger body is refused before any work. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

function webhook(name: ChannelName) {
  return async (c: Ctx) => {
    const deps = c.get('deps');
    const cfg = await channelSettings(deps, name);
    if (!cfg.enabled) return c.json({ error: 'channel off' }, 404);
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > MAX_WEBHOOK_BYTES) return c.json({ error: 'too large' }, 413);
    const body = await c.req.text();
    if (Buffer.byteLength(body) > MAX_WEBHOOK_BYTES) return c.json({ error: 'too large' }, 413);
    if (!adapters[name].verify(cfg, { headers: c.req.raw.headers, body })) {
      deps.log.warn(
        { channel: name, ip: c.get('ip'), bytes: Buffer.byteLength(body), requestId: c.get('requestId') },
        'tipline webhook refused: bad signature',
      );
      return c.json({ error: 'bad signature' }, 401);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return c.json({ error: 'body is not JSON' }, 400);
    }
    await takeIn(deps, name, adapters[name].parse(json));
    return name === 'messenger' ? c.text('EVENT_RECEIVED', 200) : c.json({ ok: true }, 200);
  };
}

export function webhookRoutes(app: Hono<AppEnv>): void {
  for (const p of ['/tipline/zalo', '/tipline/messenger', '/tipline/telegram']) csrfExemptPaths.add(p);
  app.post('/tipline/telegram', webhook('telegram'));
  app.post('/tipline/zalo', webhook('zalo'));
  app.post('/tipline/messenger', webhook('messenger'));
  // Meta's subscription handshake: echo hub.challenge when hub.verify_token is ours
  app.get('/tipline/messenger', async (c) => {
    const cfg = await channelSettings(c.get('deps'), 'messenger');
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token') ?? '';
    const challenge = c.req.query('hub.challenge') ?? '';
    if (
      !cfg.enabled ||
      mode !== 'subscribe' ||
      !cfg.verifyToken ||
      token !== cfg.verifyToken ||
      !/^[\w-]{1,200}$/.test(challenge)
    )
      return c.text('Forbidden', 403);
    return c.text(challenge, 200);
  });
}
