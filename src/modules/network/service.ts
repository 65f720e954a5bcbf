/** The sharing network's rules: permissions, validation, fan-out, counting, training. One file per capability under service/. */
export * from './service/common.js';
export * from './service/members.js';
export * from './service/campaigns.js';
export * from './service/claims.js';
export * from './service/recognition.js';
export * from './service/training.js';
export * from './service/course-editor.js';
