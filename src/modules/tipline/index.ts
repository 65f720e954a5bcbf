import type { AppModule } from '../../http/module.js';
import { mergeJobs } from '../../platform/jobs/registry.js';
import type { ChannelName, Inbound } from './service/channels/types.js';
import { tiplineText } from './i18n.js';
import { tiplineActions } from './permissions.js';
import { staffRoutes } from './routes/staff.js';
import { statusRoutes } from './routes/status.js';
import { webhookRoutes } from './routes/webhooks.js';
import { tiplineFigures } from './service/figures.js';
import { INBOUND_JOB, runInbound } from './service/inbound.js';
import { refreshZaloIfDue, tiplineDelivery, tiplineTemplates } from './service/outbound.js';
import { purgeConversations } from './service/privacy.js';
import { WATCH_JOB, watchCases } from './service/watch.js';

const everyMinute = (after: Date) => new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
const every30Minutes = (after: Date) => new Date(Math.floor(after.getTime() / 1_800_000) * 1_800_000 + 1_800_000);
const nightly = (after: Date) => {
  const d = new Date(after);
  d.setUTCHours(20, 30, 0, 0); // 03:30 in Vietnam
  if (d <= after) d.setUTCDate(d.getUTCDate() + 1);
  return d;
};

/** tipline: the mailbox and the "is this true?" desk inside Zalo, Facebook Messenger and Telegram. */
export const tiplineModule: AppModule = {
  name: 'tipline',
  routes(app) {
    webhookRoutes(app);
    statusRoutes(app);
    staffRoutes(app);
  },
  jobs(deps) {
    return mergeJobs(tiplineDelivery(deps), {
      handlers: {
        [INBOUND_JOB]: async ({ channel, ev, pendingId }: { channel: ChannelName; ev: Inbound; pendingId?: number }) =>
          runInbound(deps, channel, ev, pendingId),
        [WATCH_JOB]: async () => void (await watchCases(deps)),
        'tipline.zalo-refresh': async () => void (await refreshZaloIfDue(deps)),
        'tipline.purge': async () => void (await purgeConversations(deps.db)),
      },
      schedules: [
        { name: WATCH_JOB, jobType: WATCH_JOB, next: everyMinute },
        { name: 'tipline.zalo-refresh', jobType: 'tipline.zalo-refresh', next: every30Minutes },
        { name: 'tipline.purge', jobType: 'tipline.purge', next: nightly },
      ],
    });
  },
  actions: tiplineActions,
  templates: tiplineTemplates,
  staffMenu: [
    {
      href: '/staff/tipline',
      label: { vi: tiplineText.vi['nav.staff'], en: tiplineText.en['nav.staff'] },
      action: 'tipline.inbox',
    },
  ],
  figures: async (db, q) => ({ tipline: await tiplineFigures(db, q) }),
};
