/** What the network's route files share: the notice after a redirect, path parameters, public caching. */
import type { Ctx } from '../../../http/context.js';
import { pathId } from '../../../http/params.js';
import { type NetKey, nt } from '../i18n.js';

export const param = (c: Ctx, name: string): string => c.req.param(name) ?? '';
export const id = (c: Ctx, name: string) => pathId(c, name);
export const nt$ = (c: Ctx) => nt.t(c.get('locale'));

/** Public pages may be cached by anyone, unless a signed-in header is on them. */
export const publicCache = (c: Ctx, seconds: number) => {
  c.header('cache-control', c.get('principal') ? 'private, no-cache' : `public, max-age=${seconds}`);
  c.header('vary', 'Cookie');
};

const NOTICES: Record<string, NetKey> = {
  shared: 'camp.sharedThanks',
  removed: 'mgr.removed',
  approved: 'mgr.approved',
  rejected: 'mgr.rejected',
  group: 'mgr.groupCreated',
  commended: 'rec.given',
  campaign: 'cm.created',
  assigned: 'tr.assigned',
  left: 'profile.left',
  course: 'ce.created',
  courseSaved: 'ce.saved',
  lesson: 'ce.lessonSaved',
  question: 'ce.questionSaved',
  lessonRemoved: 'ce.lessonRemoved',
  questionRemoved: 'ce.questionRemoved',
  moved: 'ce.moved',
  campaignSaved: 'cm.saved',
  cancelled: 'cm.cancelled',
};

/** The confirmation named by `?ok=` after a redirect. */
export const notice = (c: Ctx): string | undefined => {
  const k = NOTICES[c.req.query('ok') ?? ''];
  return k
    ? nt$(c)(k, { name: c.req.query('name') ?? '', n: c.req.query('n') ?? '', unit: c.req.query('name') ?? '' })
    : undefined;
};
