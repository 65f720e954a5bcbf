/**
 * Per-app memory: caches, secrets read once, counters. One AppState is created for each app in
 * bootstrap.ts and carried in Deps, so two apps in one process (tests, a CLI command beside a
 * server) never share it. A module declares a slot once and reads it through the app's state:
 *
 *   const SETTINGS = slot('tipline.settings', () => new Map<string, Cached>());
 *   deps.state.get(SETTINGS).get(channel)
 */
export interface AppSlot<T> {
  readonly name: string;
  create(): T;
}

export const slot = <T>(name: string, create: () => T): AppSlot<T> => ({ name, create });

export class AppState {
  private readonly values = new Map<AppSlot<unknown>, unknown>();

  get<T>(s: AppSlot<T>): T {
    if (!this.values.has(s)) this.values.set(s, s.create());
    return this.values.get(s) as T;
  }

  /** Forgets every slot (tests that change settings behind the app's back). */
  clear(): void {
    this.values.clear();
  }
}
