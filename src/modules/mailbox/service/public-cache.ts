/** The public list of reports, kept a few seconds in this app's memory (deps.state). */
import type { Deps } from '../../../http/context.js';
import { publicContentChanged } from '../../../platform/public-content.js';
import { type AppState, slot } from '../../../platform/app-state.js';
import * as repo from '../repo.js';
import { maskList } from './public-text.js';

/**
 * Public lists change only when staff or residents act: a short in-memory cache per app (10 s, cleared by
 * every write through the same app) keeps the public list fast; HTTP caches may keep it 60 s anyway. The
 * generation counter is the app's own: a write through another app (a CLI beside the server) shows within 10 s.
 */
const listCacheTtlMs = 10_000;
type Listed = { rows: repo.ReportRow[]; total: number };
const PUBLIC_LISTS = slot('mailbox.publicLists', () => ({
  generation: 0,
  lists: new Map<string, { at: number; gen: number; value: Listed }>(),
}));

export function publicChanged(state: AppState): void {
  state.get(PUBLIC_LISTS).generation++;
  publicContentChanged({ state }); // the home page lists the latest answers, and this app's stored pages go too
}

export async function publicList(
  deps: Pick<Deps, 'db' | 'state'>,
  f: repo.PublicFilter & { full?: boolean },
): Promise<Listed> {
  const cache = deps.state.get(PUBLIC_LISTS);
  const m = cache.lists;
  const key = JSON.stringify(f);
  const hit = m.get(key);
  const gen = cache.generation;
  if (hit && hit.gen === gen && Date.now() - hit.at < listCacheTtlMs) return hit.value;
  const value = await maskList(deps.db, await repo.listPublic(deps.db, f));
  if (m.size > 500) m.clear();
  m.set(key, { at: Date.now(), gen, value });
  return value;
}
