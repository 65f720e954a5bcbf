/** The scheduled pull: every five minutes, each active source whose time has come (30 minutes after a success, backing off after failures). */
import type { Deps } from '../../http/context.js';
import type { ModuleJobs } from '../../platform/jobs/registry.js';
import { outboundFor, pullDue } from './service/index.js';

export const JOB_PULL = 'exchange.pull-due';

const everyFiveMinutes = (after: Date) => new Date(Math.floor(after.getTime() / 300_000) * 300_000 + 300_000);

/** The pull job of one app, with that app's database and outbound settings. */
export function exchangeJobs(deps: Pick<Deps, 'db' | 'config'>): ModuleJobs {
  return {
    handlers: { [JOB_PULL]: async () => void (await pullDue({ db: deps.db, outbound: outboundFor(deps.config) })) },
    schedules: [{ name: JOB_PULL, jobType: JOB_PULL, next: everyFiveMinutes }],
  };
}
