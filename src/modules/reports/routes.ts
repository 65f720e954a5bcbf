/** The old path, for module.ts until its working-tree edit (import from ./routes/index.js) is committed. */
export { reportRoutes } from './routes/index.js';
