import type { AppModule } from '../../http/module.js';
import { pageCtx } from '../../http/context.js';
import { can } from '../../platform/auth/permissions.js';
import { mergeJobs } from '../../platform/jobs/registry.js';
import { overdueTemplates } from './service/resident-sms.js';
import { staffNotifyJobs } from './service/staff-notify.js';
import { staffTemplates } from './views/practice-i18n.js';
import { mailboxCli } from './cli.js';
import { outcomeFigures } from './service/outcomes.js';
import { seedMailboxDemo } from './demo/index.js';
import { templates } from './i18n.js';
import { openapi } from './routes/openapi.js';
import { mailboxActions } from './permissions.js';
import * as repo from './repo.js';
import { mailboxRoutes } from './routes/index.js';
import * as svc from './service.js';
import { HomeSection } from './views/public.js';
import { StaffSection } from './views/staff.js';

const HOUR = 3600_000;
/** Next top of the hour after `after`. */
const hourly = (after: Date) => new Date(Math.floor(after.getTime() / HOUR) * HOUR + HOUR);
/** Next 02:00 in Vietnam (19:00 UTC) after `after`. */
const nightly = (after: Date) => {
  const d = new Date(after);
  d.setUTCHours(19, 0, 0, 0);
  if (d.getTime() <= after.getTime()) d.setTime(d.getTime() + 24 * HOUR);
  return d;
};

/** mailbox: citizen reports, routing, deadlines, public answers, Open311. */
export const mailboxModule: AppModule = {
  name: 'mailbox',
  routes: mailboxRoutes,
  jobs(deps) {
    return mergeJobs(staffNotifyJobs(deps), {
      handlers: {
        'mailbox.deadlines': async () => {
          await svc.runReminders(deps);
          await svc.runEscalations(deps);
        },
        'mailbox.retention': async () => void (await svc.runRetention(deps)),
        [svc.PHOTO_JOB]: async (p: { fileId: string }, { job }) => {
          try {
            await svc.cleanPhoto(deps, p.fileId);
          } catch (err) {
            if (job.attempts >= job.max_attempts) await svc.abandonPhoto(deps, p.fileId).catch(() => undefined);
            throw err;
          }
        },
        [svc.ORPHAN_JOB]: async () => void (await svc.deleteOrphanUploads(deps)),
      },
      schedules: [
        { name: svc.ORPHAN_JOB, jobType: svc.ORPHAN_JOB, next: hourly },
        { name: 'mailbox.deadlines', jobType: 'mailbox.deadlines', next: hourly },
        { name: 'mailbox.retention', jobType: 'mailbox.retention', next: nightly },
      ],
    });
  },
  actions: mailboxActions,
  templates: { ...templates, ...staffTemplates, ...overdueTemplates },
  seedDemo: seedMailboxDemo,
  staffMenu: [
    { href: '/staff/mailbox', label: { vi: 'Hộp thư phản ánh', en: 'Report inbox' }, action: 'mailbox.view' },
    {
      href: '/staff/mailbox/dashboard',
      label: { vi: 'Thống kê phản ánh', en: 'Report figures' },
      action: 'mailbox.dashboard',
    },
    {
      href: '/staff/mailbox/templates',
      label: { vi: 'Mẫu trả lời', en: 'Response templates' },
      action: 'mailbox.templates',
    },
    { href: '/staff/mailbox/map', label: { vi: 'Bản đồ phản ánh', en: 'Report map' }, action: 'mailbox.view' },
    { href: '/staff/mailbox/setup', label: { vi: 'Thiết lập hộp thư', en: 'Mailbox set-up' }, action: 'mailbox.setup' },
    {
      href: '/staff/mailbox/notifications',
      label: { vi: 'Thông báo hộp thư', en: 'Mailbox notifications' },
      action: 'mailbox.view',
    },
  ],
  publicNav: [{ href: '/mailbox', label: { vi: 'Hộp thư kết nối', en: 'Citizen mailbox' } }],
  async homeSection(c) {
    const { rows } = await svc.publicList(c.get('deps'), { status: 'answered', limit: 5, offset: 0 });
    return HomeSection({ ctx: pageCtx(c), rows });
  },
  async staffSection(c) {
    const p = c.get('principal');
    if (!p || !can(p, 'mailbox.view')) return null;
    const counts = await repo.inboxCounts(c.get('deps').db, svc.inboxScope(p));
    return StaffSection({ ctx: pageCtx(c), counts });
  },
  openapi,
  cli: mailboxCli,
  async figures(db, q) {
    return { mailbox: { ...(await repo.figures(db, q)), ...(await outcomeFigures(db, q)) } };
  },
};
