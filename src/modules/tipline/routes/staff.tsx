import type { Hono } from 'hono';
import { pageCtx, type AppEnv, type Ctx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { pathId } from '../../../http/params.js';
import { actor, need, staff } from '../../../http/guard.js';
import { CHANNELS, type ChannelName } from '../channels/types.js';
import { messagingType } from '../channels/messenger.js';
import { tiplineText } from '../i18n.js';
import {
  channelSettingsForm,
  conversation,
  inbox,
  saveSettings,
  staffReply,
  TiplineFormError,
} from '../service/staff.js';
import { ConversationPage, InboxPage, SettingsPage } from '../views/staff.js';

const windowClosed = (channel: ChannelName, last: Date | null) =>
  channel === 'messenger'
    ? !messagingType(last, true)
    : channel === 'zalo'
      ? !last || Date.now() - last.getTime() > 7 * 86_400_000
      : false;

export function staffRoutes(app: Hono<AppEnv>): void {
  app.get('/staff/tipline', need('tipline.inbox'), async (c) => {
    const p = staff(c);
    return c.html(<InboxPage ctx={pageCtx(c)} rows={await inbox(c.get('deps'), p)} />);
  });

  app.get('/staff/tipline/settings', need('tipline.settings'), async (c) => {
    const p = staff(c);
    const notice = c.req.query('saved') === '1' ? tiplineText.t(c.get('locale'))('settings.saved') : undefined;
    return c.html(
      <SettingsPage ctx={pageCtx(c)} settings={await channelSettingsForm(c.get('deps'), p)} notice={notice} />,
    );
  });

  app.post('/staff/tipline/settings/:name', need('tipline.settings'), async (c) => {
    const name = c.req.param('name') as ChannelName;
    if (!CHANNELS.includes(name)) throw notFound();
    const f = await c.req.parseBody();
    const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
    try {
      await saveSettings(c.get('deps'), actor(c), name, {
        enabled: str('enabled') === '1',
        token: str('token') || undefined,
        secret: str('secret') || undefined,
        verifyToken: str('verifyToken') || undefined,
        appId: str('appId') || undefined,
        apiBase: str('apiBase') || undefined,
      });
    } catch (err) {
      if (!(err instanceof TiplineFormError)) throw err;
      const t = tiplineText.t(c.get('locale'));
      c.status(422);
      return c.html(
        <SettingsPage
          ctx={pageCtx(c)}
          settings={await channelSettingsForm(c.get('deps'), staff(c))}
          errors={Object.fromEntries(Object.entries(err.errors).map(([k, v]) => [k, t(v as never)]))}
        />,
      );
    }
    return c.redirect('/staff/tipline/settings?saved=1', 303);
  });

  const show = async (
    c: Ctx,
    extra: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string } = {},
  ) => {
    const p = staff(c);
    const conv = await conversation(c.get('deps'), p, pathId(c));
    if (!conv) throw notFound();
    return c.html(
      <ConversationPage
        ctx={pageCtx(c)}
        {...conv}
        {...extra}
        windowClosed={windowClosed(conv.user.channel, conv.user.last_inbound_at)}
      />,
    );
  };

  app.get('/staff/tipline/:id{[0-9]+}', need('tipline.inbox'), async (c) =>
    show(c, { notice: c.req.query('sent') === '1' ? tiplineText.t(c.get('locale'))('inbox.sent') : undefined }),
  );

  app.post('/staff/tipline/:id{[0-9]+}/reply', need('tipline.inbox'), async (c) => {
    const id = pathId(c);
    const f = await c.req.parseBody();
    const text = typeof f.text === 'string' ? f.text : '';
    try {
      await staffReply(c.get('deps'), actor(c), id, text);
    } catch (err) {
      if (!(err instanceof TiplineFormError)) throw err;
      const t = tiplineText.t(c.get('locale'));
      c.status(422);
      return show(c, {
        values: { text },
        errors: Object.fromEntries(Object.entries(err.errors).map(([k, v]) => [k, t(v as never)])),
      });
    }
    return c.redirect(`/staff/tipline/${id}?sent=1`, 303);
  });
}
