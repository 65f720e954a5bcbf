/**
 * The mailbox's rules: validation, creation, permissions, state transitions, audit, notifications.
 * One file per capability under service/; helpers they share live in service/internal.ts and are not re-exported.
 */
export * from './service/errors.js';
export * from './service/report-input.js';
export * from './service/private-links.js';
export * from './service/config-cache.js';
export * from './service/filing.js';
export * from './service/public-cache.js';
export * from './service/reading.js';
export * from './service/triage.js';
export * from './service/answers.js';
export * from './service/resident-actions.js';
export * from './service/photos.js';
export * from './service/deadline-jobs.js';
export * from './service/retention.js';
export * from './service/api-keys.js';
