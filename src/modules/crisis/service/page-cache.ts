/** The cached public incident pages (per incident and locale), and their invalidation after a change commits. */
import type { Deps } from '../../../http/context.js';
import { publicContentChanged } from '../../../platform/public-content.js';
import { slot } from '../../../platform/app-state.js';
import type { Locale } from '../../../platform/i18n/index.js';
import * as repo from '../repo.js';
import { bumpListVersion } from './internal.js';

interface CacheEntry {
  version: number;
  etag: string;
  body: string;
  checkedAt: number;
  /** The change count when the entry was last checked against the database. */
  seen: number;
}
/** This app's rendered pages, per incident and locale. */
const PAGES = slot('crisis.incident-pages', () => new Map<string, CacheEntry>());
const CHECK_MS = 1000;

/**
 * Incidents this app changed, with a running count: an entry older than the incident's last change is rendered again
 * at once instead of waiting out CHECK_MS. Per app, so a change in one app never makes another render again.
 */
const CHANGES = slot('crisis.incident-changes', () => ({ at: new Map<number, number>(), count: 0 }));

/** Has the cached page's incident changed since the entry was last checked (a change in this app)? */
const stale = (deps: Pick<Deps, 'state'>, id: number, e: CacheEntry) =>
  (deps.state.get(CHANGES).at.get(id) ?? 0) > e.seen;

/** Marks an incident's cached public pages stale, and drops the home page's banner: called right after a change commits. */
export function invalidateIncident(deps: Pick<Deps, 'state'>, id: number): void {
  const changes = deps.state.get(CHANGES);
  changes.at.set(id, ++changes.count);
  bumpListVersion(deps);
  publicContentChanged(deps);
}

/**
 * The cached page for an incident in a locale, re-checking the stored version at most once a second
 * (other processes' and apps' changes); this app's changes invalidate at once.
 */
export async function cachedIncidentPage(
  deps: Pick<Deps, 'db' | 'state'>,
  id: number,
  locale: Locale,
  render: (version: number) => Promise<string | null>,
): Promise<CacheEntry | null> {
  const pages = deps.state.get(PAGES);
  const key = `${id}:${locale}`;
  // an entry older than a change in this app is rendered again, as if it had been dropped
  const hit = pages.get(key);
  const fresh = hit && !stale(deps, id, hit) ? hit : null;
  const now = Date.now();
  if (fresh && now - fresh.checkedAt < CHECK_MS) return fresh;
  const seen = deps.state.get(CHANGES).count;
  const version = await repo.incidentVersion(deps.db, id);
  if (version === null) return null;
  if (fresh && fresh.version === version) {
    fresh.checkedAt = now;
    fresh.seen = seen;
    return fresh;
  }
  const body = await render(version);
  if (body === null) return null;
  const entry = { version, etag: `W/"inc-${id}-v${version}-${locale}"`, body, checkedAt: now, seen };
  pages.set(key, entry);
  return entry;
}

export { currentListVersion } from './internal.js';

/** The incident's current version for the page script: from a fresh cache entry, else one cheap query. */
export async function incidentVersionNow(
  deps: Pick<Deps, 'db' | 'state'>,
  id: number,
  locale: Locale,
): Promise<number | null> {
  const hit = deps.state.get(PAGES).get(`${id}:${locale}`);
  if (hit && Date.now() - hit.checkedAt < CHECK_MS && !stale(deps, id, hit)) return hit.version;
  return repo.incidentVersion(deps.db, id);
}
