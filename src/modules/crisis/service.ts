/**
 * The crisis centre's rules: who may do what, state transitions, signing, alerts, distribution.
 * One file per capability under service/; helpers they share live in service/internal.ts and are not re-exported.
 */
export * from './service/common.js';
export * from './service/signing-keys.js';
export { forgetKeys } from './service/key-cache.js';
export * from './service/access.js';
export * from './service/page-cache.js';
export * from './service/incidents.js';
export * from './service/statements.js';
export * from './service/statement-links.js';
export * from './service/statement-release.js';
export * from './service/verification.js';
export { capOf, CLOSED_ALERT_KEEP_HOURS, type AlertData } from './service/cap-alerts.js';
export * from './service/distribution.js';
export * from './service/distribution-lists.js';
