/**
 * "What anonymous visitors see has changed": the signal the rendered-page cache (src/http/page-cache.ts) listens to.
 * A service calls publicContentChanged() right after a write that changes a public page commits (a fact-check
 * published or corrected, a crisis statement released, a report accepted or answered); every app's page cache then
 * renders its pages afresh on the next request.
 *
 * Only this counter is per process; the cached pages are per app. Two apps in one process (the tests) never share a
 * page; a change in one only makes the other render again. Another process (a separate job worker) cannot reach
 * this counter: there the cache's short TTL bounds how old a page can be.
 */
let version = 0;

export function publicContentChanged(): void {
  version++;
}

export function publicContentVersion(): number {
  return version;
}
