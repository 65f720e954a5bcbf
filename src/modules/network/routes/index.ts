/** Every route of the network module, by audience. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { apiRoutes } from './api.js';
import { memberRoutes } from './member.js';
import { publicRoutes } from './public.js';
import { staffCampaignRoutes } from './staff-campaigns.js';
import { staffCourseRoutes } from './staff-courses.js';
import { staffMemberRoutes } from './staff-members.js';
import { practiceRoutes } from './staff-practice.js';

export function networkRoutes(app: Hono<AppEnv>): void {
  publicRoutes(app);
  memberRoutes(app);
  staffMemberRoutes(app);
  practiceRoutes(app); // in-person training sessions, awards (leaders) and groups' reach (members)
  staffCampaignRoutes(app);
  staffCourseRoutes(app);
  apiRoutes(app);
}
