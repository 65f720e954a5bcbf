/** The public list of reports, kept a few seconds in this app's memory (deps.state). */
import type { Deps } from '../../../http/context.js';
import { invalidateHomePage } from '../../../http/routes/home.js';
import { slot } from '../../../platform/app-state.js';
import * as repo from '../repo.js';
import { maskList } from './public-text.js';

/**
 * Public lists change only when staff or residents act: a short in-memory cache per app (10 s, cleared by
 * every write in this process) keeps the public list fast; HTTP caches may keep it 60 s anyway. The generation
 * counter is shared by the process on purpose: a write through any app only makes the others read again.
 */
let generation = 0;
const listCacheTtlMs = 10_000;
type Listed = { rows: repo.ReportRow[]; total: number };
const PUBLIC_LISTS = slot('mailbox.publicLists', () => new Map<string, { at: number; gen: number; value: Listed }>());

export function publicChanged(): void {
  generation++;
  invalidateHomePage(); // the home page lists the latest answers
}

export async function publicList(
  deps: Pick<Deps, 'db' | 'state'>,
  f: repo.PublicFilter & { full?: boolean },
): Promise<Listed> {
  const m = deps.state.get(PUBLIC_LISTS);
  const key = JSON.stringify(f);
  const hit = m.get(key);
  if (hit && hit.gen === generation && Date.now() - hit.at < listCacheTtlMs) return hit.value;
  const value = await maskList(deps.db, await repo.listPublic(deps.db, f));
  if (m.size > 500) m.clear();
  m.set(key, { at: Date.now(), gen: generation, value });
  return value;
}
