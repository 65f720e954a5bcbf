/** Settings, holidays and routing rules, read through this app's memory (deps.state), never a process-wide cache. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { type AppState, slot } from '../../../platform/app-state.js';
import * as repo from '../repo.js';

export async function holidaySet(db: Db): Promise<Set<string>> {
  return new Set(await repo.listHolidays(db));
}

export const settings = {
  reopenDays: (db: Db) => repo.getSetting(db, 'mailbox.reopenDays', 30),
  retentionDays: (db: Db) => repo.getSetting(db, 'mailbox.retentionDays', 365),
};
const CONFIG_TTL_MS = 30_000;
type RoutingConfig = {
  at: number;
  version: number;
  holidays: Set<string>;
  rules: Awaited<ReturnType<typeof repo.listRoutingRules>>;
};
/** The app's copy, and its version: bumped by a set-up change made through this app, which then reads it again. */
const CONFIG = slot('mailbox.config', () => ({ value: null as RoutingConfig | null, version: 0 }));

/** Holidays and routing rules change rarely: read them at most every 30 s per app. */
export async function deadlineAndRouting(deps: Pick<Deps, 'db' | 'state'>): Promise<RoutingConfig> {
  const cache = deps.state.get(CONFIG);
  const hit = cache.value;
  if (hit && hit.version === cache.version && Date.now() - hit.at < CONFIG_TTL_MS) return hit;
  const v = cache.version;
  const [holidays, rules] = await Promise.all([holidaySet(deps.db), repo.listRoutingRules(deps.db)]);
  cache.value = { at: Date.now(), version: v, holidays, rules };
  return cache.value;
}

/** After a change to holidays or routing rules through this app: it reads them again at once (another app within 30 s). */
export function forgetCachedConfig(state: AppState): void {
  state.get(CONFIG).version++;
}
