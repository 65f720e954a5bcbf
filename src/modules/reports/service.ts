/**
 * Period reports: who may see which unit, which period, and the figures gathered from every module
 * through `AppModule.figures` (never from their tables). One file per capability under service/.
 */
export * from './service/figures.js';
export * from './service/requests.js';
