// The routes moved to routes/ (one file per audience); this name stays until index.ts imports routes/index.js.
export { mailboxRoutes } from './routes/index.js';
