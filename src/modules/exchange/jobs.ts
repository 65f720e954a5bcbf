/** The scheduled pull: every five minutes, each active source whose time has come (30 minutes after a success, backing off after failures). */
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { registerJob, registerSchedule } from '../../platform/jobs/queue.js';
import { outboundFor, pullDue } from './service/index.js';

export const JOB_PULL = 'exchange.pull-due';

// handlers are process-wide; each database remembers the settings of the app that opened it (tests run two)
const configs = new WeakMap<Db, Config>();
let fallback: Config | null = null;

const everyFiveMinutes = (after: Date) => new Date(Math.floor(after.getTime() / 300_000) * 300_000 + 300_000);

export function registerExchangeJobs(db: Db, config: Config): void {
  configs.set(db, config);
  fallback = config;
  registerSchedule({ name: JOB_PULL, jobType: JOB_PULL, next: everyFiveMinutes });
  registerJob(JOB_PULL, async (_payload, { db: jobDb }) => {
    const cfg = configs.get(jobDb) ?? fallback;
    if (!cfg) return;
    await pullDue({ db: jobDb, outbound: outboundFor(cfg) });
  });
}
