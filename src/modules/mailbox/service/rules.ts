/** Pure rules of the mailbox: statuses and their transitions, routing. Unit-tested beside this file. */
import { inSubtree } from '../../../platform/auth/permissions.js';

export const STATUSES = [
  'received',
  'accepted',
  'rejected',
  'assigned',
  'in_progress',
  'answered',
  'closed',
  'reopened',
  'spam',
  'merged',
] as const;
export type Status = (typeof STATUSES)[number];

/** Still waiting for the government: these count towards the inbox and the overdue figures. */
export const OPEN_STATUSES: readonly Status[] = ['received', 'accepted', 'assigned', 'in_progress', 'reopened'];
/** Shown on public pages, feeds and Open311 (never received, rejected, spam or merged reports). */
export const PUBLIC_STATUSES: readonly Status[] = [
  'accepted',
  'assigned',
  'in_progress',
  'answered',
  'closed',
  'reopened',
];

const NEXT: Record<Status, readonly Status[]> = {
  received: ['accepted', 'assigned', 'rejected', 'spam', 'merged'],
  accepted: ['assigned', 'in_progress', 'answered', 'rejected', 'merged'],
  assigned: ['assigned', 'in_progress', 'answered', 'merged'],
  in_progress: ['assigned', 'in_progress', 'answered', 'merged'],
  reopened: ['assigned', 'in_progress', 'answered'],
  answered: ['closed', 'reopened'],
  closed: ['reopened'],
  rejected: [],
  spam: [],
  merged: [],
};

export function canTransition(from: Status, to: Status): boolean {
  return NEXT[from].includes(to);
}

export const isOpen = (s: Status) => OPEN_STATUSES.includes(s);
export const isPublic = (s: Status) => PUBLIC_STATUSES.includes(s);

/** Open311 knows two states. */
export const open311Status = (s: Status): 'open' | 'closed' => (isOpen(s) ? 'open' : 'closed');

export interface RouteRule {
  categoryId: number | null;
  unitPath: string;
  agencyId: number;
}

/**
 * The agency that gets a new report: among the rules whose unit contains the report's unit and whose
 * category matches (or is "any"), a rule for the category wins over "any", then the deepest unit.
 */
export function pickRoute(rules: readonly RouteRule[], categoryId: number, unitPath: string): number | null {
  const fits = rules.filter(
    (r) => (r.categoryId === null || r.categoryId === categoryId) && inSubtree(unitPath, r.unitPath),
  );
  fits.sort(
    (a, b) =>
      Number(b.categoryId !== null) - Number(a.categoryId !== null) ||
      b.unitPath.split('.').length - a.unitPath.split('.').length,
  );
  return fits[0]?.agencyId ?? null;
}
