/** The JSON API: a member's running campaigns with their personal short links. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { actor, need } from '../../../http/guard.js';
import * as svc from '../service.js';

export function apiRoutes(app: Hono<AppEnv>): void {
  app.get('/api/v1/me/campaigns', need('network.member'), async (c) => {
    const deps = c.get('deps');
    const campaigns = await svc.memberCampaigns(deps, actor(c), deps.config.baseUrl);
    return c.json({
      campaigns: campaigns.map((x) => ({
        id: x.id,
        title: x.title,
        message: x.message,
        startsAt: new Date(x.starts_at).toISOString(),
        endsAt: new Date(x.ends_at).toISOString(),
        url: `${deps.config.baseUrl}/network/campaigns/${x.id}`,
        items: x.items.map((i) => ({
          id: i.id,
          kind: i.kind,
          title: i.title,
          url: i.publicUrl,
          link: i.link,
          share: i.share,
        })),
      })),
    });
  });
}
