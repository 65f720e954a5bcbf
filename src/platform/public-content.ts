/**
 * "What anonymous visitors see has changed": the signal the rendered-page cache (src/http/page-cache.ts) and the home
 * page listen to. A service calls publicContentChanged(deps) right after a write that changes a public page commits
 * (a fact-check published or corrected, a crisis statement released, a report accepted or answered); that app's
 * cached pages are then rendered afresh on the next request, and another app in the same process (the tests) keeps
 * its own. Another process (a separate job worker) cannot reach it: there the cache's short TTL bounds how old a page
 * can be.
 */
import { type AppState, slot } from './app-state.js';

/** An app, as far as its public content is concerned (Deps has it). */
export interface WithState {
  state: AppState;
}

/**
 * The version of an app's public content: a page stored under one is current while the app still answers the same
 * object. A new object at each change, and for a fresh app state (AppState.clear()), so no older page is taken back.
 */
export type ContentVersion = object;

const VERSION = slot('platform.public-content', () => ({ current: {} as ContentVersion }));

export function publicContentChanged(app: WithState): void {
  app.state.get(VERSION).current = {};
}

export function publicContentVersion(app: WithState): ContentVersion {
  return app.state.get(VERSION).current;
}
