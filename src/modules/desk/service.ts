/**
 * The desk's rules, one file per capability: pieces (items), review, publishing, policies and verdicts, residents'
 * claims, their handling and status page. Routes and other desk files import from here.
 */
export * from './service/claim-handling.js';
export * from './service/claim-status.js';
export * from './service/claims.js';
export * from './service/items.js';
export * from './service/policies.js';
export * from './service/publishing.js';
export * from './service/review.js';
export * from './service/shared.js';
