/** The cached public incident pages (per incident and locale), and their invalidation after a change commits. */
import type { Db } from '../../../db/client.js';
import { invalidateHomePage } from '../../../http/routes/home.js';
import type { Locale } from '../../../platform/i18n/index.js';
import * as repo from '../repo.js';
import { bumpListVersion } from './internal.js';

interface CacheEntry {
  version: number;
  etag: string;
  body: string;
  checkedAt: number;
}
const pageCache = new Map<string, CacheEntry>();
const CHECK_MS = 1000;

/** Drops the cached public pages of an incident, and the home page's banner: called right after a change commits. */
export function invalidateIncident(id: number): void {
  for (const k of pageCache.keys()) if (k.startsWith(`${id}:`)) pageCache.delete(k);
  bumpListVersion();
  invalidateHomePage();
}

/**
 * The cached page for an incident in a locale, re-checking the stored version at most once a second
 * (other processes' changes); changes in this process invalidate at once.
 */
export async function cachedIncidentPage(
  db: Db,
  id: number,
  locale: Locale,
  render: (version: number) => Promise<string | null>,
): Promise<CacheEntry | null> {
  const key = `${id}:${locale}`;
  const hit = pageCache.get(key);
  const now = Date.now();
  if (hit && now - hit.checkedAt < CHECK_MS) return hit;
  const version = await repo.incidentVersion(db, id);
  if (version === null) return null;
  if (hit && hit.version === version) {
    hit.checkedAt = now;
    return hit;
  }
  const body = await render(version);
  if (body === null) return null;
  const entry = { version, etag: `W/"inc-${id}-v${version}-${locale}"`, body, checkedAt: now };
  pageCache.set(key, entry);
  return entry;
}

export { currentListVersion } from './internal.js';

/** The incident's current version for the page script: from a fresh cache entry, else one cheap query. */
export async function incidentVersionNow(db: Db, id: number, locale: Locale): Promise<number | null> {
  const hit = pageCache.get(`${id}:${locale}`);
  if (hit && Date.now() - hit.checkedAt < CHECK_MS) return hit.version;
  return repo.incidentVersion(db, id);
}
