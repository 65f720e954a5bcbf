import { PRIVATE_NO_STORE } from '../../../http/private-by-default.js';
import type { Hono } from 'hono';
import { pageCtx, type AppEnv } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import * as repo from '../repo.js';
import { StatusPage } from '../views/status.js';

export function statusRoutes(app: Hono<AppEnv>): void {
  app.get('/tipline/s/:token', async (c) => {
    const token = c.req.param('token');
    if (!/^[\w-]{20,64}$/.test(token)) throw notFound();
    const db = c.get('deps').db;
    const cs = await repo.caseByToken(db, token);
    if (!cs) throw notFound();
    const messages = await repo.messagesOfCase(db, cs.id);
    c.header('cache-control', PRIVATE_NO_STORE);
    c.header('x-robots-tag', 'noindex');
    return c.html(<StatusPage ctx={pageCtx(c)} c={cs} messages={messages} />);
  });
}
