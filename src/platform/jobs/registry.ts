import type { ChannelDeliverer } from '../notify/notify.js';
import type { JobHandler, Schedule } from './queue.js';

/** What a module (or a platform part) runs in the background, returned by its `jobs(deps)`. */
export interface ModuleJobs {
  handlers?: Record<string, JobHandler>;
  schedules?: Schedule[];
  /** Delivery functions for notification channels the module brings (the tiplines). */
  deliverers?: Record<string, ChannelDeliverer>;
}

/**
 * One app's job handlers, schedules and channel deliverers, built in bootstrap.ts from the module list and carried in
 * Deps. Handlers close over that app's deps, so two apps in one process each run their own.
 */
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly scheduleMap = new Map<string, Schedule>();
  private readonly deliverers = new Map<string, ChannelDeliverer>();

  /** Adds a module's jobs; a job type, schedule or channel claimed twice is a wiring mistake and refused. */
  add(jobs: ModuleJobs | void, owner = 'test'): this {
    if (!jobs) return this;
    for (const [type, h] of Object.entries(jobs.handlers ?? {})) {
      if (this.handlers.has(type)) throw new Error(`job type ${type} registered twice (${owner})`);
      this.handlers.set(type, h);
    }
    for (const s of jobs.schedules ?? []) {
      if (this.scheduleMap.has(s.name)) throw new Error(`schedule ${s.name} registered twice (${owner})`);
      this.scheduleMap.set(s.name, s);
    }
    for (const [channel, d] of Object.entries(jobs.deliverers ?? {})) {
      if (this.deliverers.has(channel)) throw new Error(`channel ${channel} has two deliverers (${owner})`);
      this.deliverers.set(channel, d);
    }
    return this;
  }

  handler(type: string): JobHandler | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }

  schedules(): Schedule[] {
    return [...this.scheduleMap.values()];
  }

  deliverer(channel: string): ChannelDeliverer | undefined {
    return this.deliverers.get(channel);
  }
}

/** Several parts' jobs as one (a module whose jobs live in several files). */
export function mergeJobs(...parts: ModuleJobs[]): ModuleJobs {
  return {
    handlers: Object.assign({}, ...parts.map((p) => p.handlers ?? {})),
    schedules: parts.flatMap((p) => p.schedules ?? []),
    deliverers: Object.assign({}, ...parts.map((p) => p.deliverers ?? {})),
  };
}
