/** Kept until index.tsx imports routes/index.ts in the committed tree. */
export { deskRoutes } from './routes/index.js';
