/**
 * The staff inbox: filters by category, ward, agency, assignee and status (a GET form, pages), and bulk actions on
 * selected reports — assign to a person, route to an agency, mark read or unread — each done and audited on its
 * own, with a result per report.
 */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, ForbiddenError, type Principal } from '../../../platform/auth/permissions.js';
import { listAgencies } from '../../../platform/units/repo.js';
import { inboxScopeOf, mayOnReport } from './access.js';
import * as irepo from '../repo/inbox.js';
import * as repo from '../repo.js';
import { STATUSES } from './rules.js';
import { MailboxError, PracticeError } from './errors.js';
import { route } from './triage.js';
import { assign } from './consult.js';

export const INBOX_PAGE_SIZE = 50;
export const INBOX_STATUSES = [
  'open',
  'new',
  'overdue',
  'approve',
  ...STATUSES.filter((s) => s !== 'received'),
  'received',
  'all',
] as const;

/** What was typed in the filter form, as typed. */
export interface InboxFilterForm {
  status: string;
  category: string;
  unit: string;
  agency: string;
  assignee: string;
  q: string;
  page: string;
}

export const FILTER_KEYS = ['status', 'category', 'unit', 'agency', 'assignee', 'q', 'page'] as const;

export function filterForm(get: (k: string) => string | undefined): InboxFilterForm {
  const v = (k: string) => (get(k) ?? '').slice(0, 100);
  return {
    status: v('status') || 'open',
    category: v('category'),
    unit: v('unit'),
    agency: v('agency'),
    assignee: v('assignee'),
    q: v('q'),
    page: v('page') || '1',
  };
}

export interface InboxOptions {
  categories: { id: number; name: string; name_en: string }[];
  /** the subtrees the ward filter offers (the person's reach, inside the installation's root unit) */
  reach: string[];
  agencies: { id: number; name: string; name_en: string | null }[];
  people: { id: number; name: string }[];
}

export interface InboxResult {
  rows: irepo.InboxRow[];
  total: number;
  page: number;
  pages: number;
  options: InboxOptions;
  /** field -> catalog key */
  errors: Record<string, string>;
}

const id = (s: string) => (/^\d{1,9}$/.test(s) ? Number(s) : null);

/** The inbox page's data; a filter value that makes no sense is named, and the list shows nothing rather than a guess. */
export async function inbox(db: Db, p: Principal, form: InboxFilterForm): Promise<InboxResult> {
  const scope = inboxScopeOf(p, 'mailbox.view');
  const reach = [...scope.paths, ...scope.tied.map((t) => t.path)];
  const unitId = form.unit ? id(form.unit) : null;
  const [categories, unit, agencies, people] = await Promise.all([
    repo.listCategories(db, false),
    unitId ? repo.leafUnitInRoot(db, unitId, reach) : Promise.resolve(undefined),
    listAgencies(db),
    reach.length ? irepo.handlersInScope(db, reach) : Promise.resolve([]),
  ]);
  const options = { categories, reach, agencies, people };
  const errors: Record<string, string> = {};
  const bad = (field: string) => (errors[field] = 'inbox.err.filter');
  if (!(INBOX_STATUSES as readonly string[]).includes(form.status)) bad('status');
  const categoryId = form.category ? id(form.category) : null;
  if (form.category && !categories.some((c) => c.id === categoryId)) bad('category');
  if (form.unit && !unit) bad('unit');
  const agencyId = form.agency ? id(form.agency) : null;
  if (form.agency && !agencies.some((a) => a.id === agencyId)) bad('agency');
  let assignee: number | 'none' | undefined;
  if (form.assignee === 'me') assignee = p.userId;
  else if (form.assignee === 'none') assignee = 'none';
  else if (form.assignee) {
    const who = id(form.assignee);
    if (who === null) bad('assignee');
    else assignee = who;
  }
  const page = id(form.page);
  if (!page || page < 1 || page > 10_000) bad('page');
  if (Object.keys(errors).length) return { rows: [], total: 0, page: 1, pages: 1, options, errors };
  const { rows, total } = await irepo.inboxPage(db, {
    scope,
    userId: p.userId,
    status: form.status as irepo.InboxStatus,
    categoryId: categoryId ?? undefined,
    unitPath: unit?.path,
    agencyId: agencyId ?? undefined,
    assignee,
    q: form.q,
    limit: INBOX_PAGE_SIZE,
    offset: (page! - 1) * INBOX_PAGE_SIZE,
  });
  return { rows, total, page: page!, pages: Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE)), options, errors };
}

// ---------- bulk actions ----------

export type BulkAction = 'assign' | 'route' | 'read' | 'unread';
export const BULK_ACTIONS: readonly BulkAction[] = ['assign', 'route', 'read', 'unread'];
export const BULK_MAX = 100;

export interface BulkForm {
  ids: string[];
  action: string;
  assignee: string;
  agency: string;
  reason: string;
}

export interface BulkRow {
  id: number;
  code: string;
  ok: boolean;
  /** why not: a catalog key (practice or mailbox catalog) and its values */
  key?: string;
  vars?: Record<string, string | number>;
}

/** Checks the form as a whole (422 with the field); then each report is acted on in its own transaction. */
export async function bulk(deps: Pick<Deps, 'db' | 'config' | 'state'>, a: Actor, form: BulkForm): Promise<BulkRow[]> {
  const p = a.principal;
  const ids = [...new Set(form.ids.filter((x) => /^\d{1,9}$/.test(x)).map(Number))];
  if (ids.length === 0 || ids.length > BULK_MAX || ids.length !== form.ids.length)
    throw new PracticeError(422, 'inbox.err.none', 'ids');
  if (!BULK_ACTIONS.includes(form.action as BulkAction))
    throw new PracticeError(422, 'inbox.err.action', 'bulk_action');
  const action = form.action as BulkAction;
  if (action === 'assign' && !id(form.assignee)) throw new PracticeError(422, 'inbox.err.person', 'bulk_assignee');
  if (action === 'route' && !id(form.agency)) throw new PracticeError(422, 'inbox.err.agency', 'bulk_agency');
  // the inbox lists only reports this person may see: a form naming another is forged, and refused whole
  const codes = new Map<number, string>();
  for (const reportId of ids) {
    const r = await repo.reportById(deps.db, reportId);
    if (
      !r ||
      !mayOnReport(p, 'mailbox.view', { ...r, shared_agency_ids: await repo.sharedAgencyIds(deps.db, r.id, true) })
    )
      throw new PracticeError(404, 'inbox.err.notFound');
    codes.set(reportId, r.code);
  }
  const out: BulkRow[] = [];
  for (const reportId of ids) {
    const code = codes.get(reportId)!;
    try {
      if (action === 'assign') await assign(deps, a, reportId, form.assignee);
      else if (action === 'route') await route(deps, a, reportId, id(form.agency), form.reason.trim() || null);
      else await markRead(deps.db, a, reportId, action === 'read');
      out.push({ id: reportId, code, ok: true });
    } catch (err) {
      if (err instanceof PracticeError || err instanceof MailboxError)
        out.push({ id: reportId, code, ok: false, key: err.key, vars: err.vars });
      else if (err instanceof ForbiddenError) out.push({ id: reportId, code, ok: false, key: 'inbox.err.notFound' });
      else throw err;
    }
  }
  return out;
}

/** Marks a report read or unread for this person, as asked (audited), or as seen when its page is opened (not audited). */
export async function markRead(db: Db, a: Actor, reportId: number, read: boolean): Promise<void> {
  const { principal: p, ip } = a;
  await db.tx(async (tx) => {
    const r = await repo.reportById(tx, reportId);
    if (!r || !mayOnReport(p, 'mailbox.view', { ...r, shared_agency_ids: await repo.sharedAgencyIds(tx, r.id, true) }))
      throw new PracticeError(404, 'inbox.err.notFound');
    await irepo.markRead(tx, p.userId, r.id, read);
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: read ? 'mailbox.mark-read' : 'mailbox.mark-unread',
      entityType: 'mailbox.report',
      entityId: r.code,
      unitId: r.unit_id,
      ip,
    });
  });
}

/** Opening a case marks it read for that person. */
export const markSeen = (db: Db, userId: number, reportId: number) => irepo.markRead(db, userId, reportId, true);
