import type { Hono, MiddlewareHandler } from 'hono';
import { pageCtx, type AppEnv, type Ctx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { submit } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { actor, need, staff } from '../../../http/guard.js';
import { CHANNELS, type ChannelName } from '../service/channels/types.js';
import { messagingType } from '../service/channels/messenger.js';
import { tiplineText } from '../i18n.js';
import {
  channelSettingsForm,
  channelSettingsSchema,
  conversation,
  inbox,
  replySchema,
  saveSettings,
  staffReply,
} from '../service/staff.js';
import { ConversationPage, InboxPage, SettingsPage } from '../views/staff.js';

const windowClosed = (channel: ChannelName, last: Date | null) =>
  channel === 'messenger'
    ? !messagingType(last, true)
    : channel === 'zalo'
      ? !last || Date.now() - last.getTime() > 7 * 86_400_000
      : false;

/** A channel's settings: only the channels there are (anything else is not found, before the form is read). */
const knownChannel: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!CHANNELS.includes(c.req.param('name') as ChannelName)) throw notFound();
  await next();
};

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

  app.post(
    '/staff/tipline/settings/:name',
    need('tipline.settings'),
    knownChannel,
    submit(
      channelSettingsSchema,
      // refused: the page again, what was typed (never the secrets) and the message in that channel's form
      async (c, r) =>
        c.html(
          <SettingsPage
            ctx={pageCtx(c)}
            settings={await channelSettingsForm(c.get('deps'), staff(c))}
            posted={c.req.param('name') as ChannelName}
            {...r}
          />,
        ),
      async (c, settings) => {
        await saveSettings(c.get('deps'), actor(c), c.req.param('name') as ChannelName, settings);
        return c.redirect('/staff/tipline/settings?saved=1', 303);
      },
      { catalog: tiplineText },
    ),
  );

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

  app.post(
    '/staff/tipline/:id{[0-9]+}/reply',
    need('tipline.inbox'),
    submit(
      replySchema,
      (c, r) => show(c, r),
      async (c, { text }) => {
        const id = pathId(c);
        await staffReply(c.get('deps'), actor(c), id, text);
        return c.redirect(`/staff/tipline/${id}?sent=1`, 303);
      },
      { catalog: tiplineText },
    ),
  );
}
