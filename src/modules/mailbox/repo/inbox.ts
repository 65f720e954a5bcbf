/** SQL of the staff inbox: filtered, paged lists within a person's scope, read marks, the people and wards to filter by. */
import type { Db } from '../../../db/client.js';
import { scopeIsEmpty, type InboxScope } from '../service/access.js';
import { OPEN_STATUSES, type Status } from '../service/rules.js';

export interface InboxRow {
  id: number;
  code: string;
  title: string;
  status: Status;
  category_name: string;
  category_name_en: string;
  unit_full_name: string;
  unit_name_en: string | null;
  agency_name: string | null;
  agency_name_en: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
  deadline_at: Date | null;
  received_at: Date;
  has_draft: boolean;
  unread: boolean;
}

export type InboxStatus = 'open' | 'new' | 'approve' | 'overdue' | 'all' | Status;

export interface InboxQuery {
  scope: InboxScope;
  userId: number;
  status: InboxStatus;
  categoryId?: number;
  unitPath?: string;
  agencyId?: number;
  /** a person's id, or 'none' for nobody */
  assignee?: number | 'none';
  q?: string;
  limit: number;
  offset: number;
}

const OPEN = `r.status = ANY('{${OPEN_STATUSES.join(',')}}'::text[])`;

/** The scope: whole subtrees, and subtrees where only an agency's reports (its own, shared with it, or its opinion asked) count. */
const SCOPE = `(u.path <@ ANY($1::ltree[]) OR EXISTS (SELECT 1 FROM unnest($2::ltree[], $3::int[]) AS t(p, ag)
    WHERE u.path <@ t.p AND (r.agency_id = t.ag
      OR EXISTS (SELECT 1 FROM mailbox_report_shares s WHERE s.report_id = r.id AND s.agency_id = t.ag)
      OR EXISTS (SELECT 1 FROM mailbox_consultations k WHERE k.report_id = r.id AND k.agency_id = t.ag AND k.answered_at IS NULL))))`;

/** One page of the inbox, overdue first, then by deadline, with the total count. */
export async function inboxPage(db: Db, f: InboxQuery): Promise<{ rows: InboxRow[]; total: number }> {
  if (scopeIsEmpty(f.scope)) return { rows: [], total: 0 };
  const params: unknown[] = [
    f.scope.paths,
    f.scope.tied.map((x) => x.path),
    f.scope.tied.map((x) => x.agencyId),
    f.userId,
  ];
  const where = [SCOPE];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (f.status === 'open') where.push(OPEN);
  else if (f.status === 'new') where.push(`r.status = 'received'`);
  else if (f.status === 'approve') where.push(`r.answer_draft IS NOT NULL AND ${OPEN}`);
  else if (f.status === 'overdue') where.push(`${OPEN} AND r.deadline_at < now()`);
  else if (f.status !== 'all') add(`r.status = ?`, f.status);
  if (f.categoryId) add(`r.category_id = ?`, f.categoryId);
  if (f.unitPath) add(`u.path <@ ?::ltree`, f.unitPath);
  if (f.agencyId) add(`r.agency_id = ?`, f.agencyId);
  if (f.assignee === 'none') where.push(`r.assignee_id IS NULL`);
  else if (f.assignee) add(`r.assignee_id = ?`, f.assignee);
  if (f.q?.trim())
    add(`(r.code = upper(?) OR vn_fold(r.title || ' ' || r.description) LIKE '%' || vn_fold(?) || '%')`, f.q.trim());
  params.push(f.limit, f.offset);
  const rows = await db.query<InboxRow & { total_count: number }>(
    `SELECT r.id, r.code, r.title, r.status, c.name AS category_name, c.name_en AS category_name_en, u.full_name AS unit_full_name, u.name_en AS unit_name_en,
       a.name AS agency_name, a.name_en AS agency_name_en, r.assignee_id, us.name AS assignee_name, r.deadline_at, r.received_at,
       r.answer_draft IS NOT NULL AS has_draft, NOT EXISTS (SELECT 1 FROM mailbox_report_reads rr WHERE rr.report_id = r.id AND rr.user_id = $4) AS unread,
       count(*) OVER ()::int AS total_count
     FROM mailbox_reports r JOIN mailbox_categories c ON c.id = r.category_id JOIN units u ON u.id = r.unit_id
     LEFT JOIN agencies a ON a.id = r.agency_id LEFT JOIN users us ON us.id = r.assignee_id
     WHERE ${where.join(' AND ')}
     ORDER BY (${OPEN} AND r.deadline_at < now()) DESC, r.deadline_at NULLS LAST, r.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  let total = rows[0]?.total_count ?? 0;
  if (rows.length === 0 && f.offset > 0) {
    total = (await db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM mailbox_reports r JOIN units u ON u.id = r.unit_id WHERE ${where.join(' AND ')}`,
      params.slice(0, -2),
    ))!.n;
  }
  return { rows, total };
}

/** Handlers whose grants overlap the scope (above or within it): the people the inbox filters and assigns by. */
export const handlersInScope = (db: Db, paths: string[]) =>
  db.query<{ id: number; name: string }>(
    `SELECT DISTINCT us.id, us.name FROM role_grants g JOIN units u ON u.id = g.unit_id JOIN users us ON us.id = g.user_id
     WHERE g.role = 'handler' AND us.disabled_at IS NULL AND (u.path <@ ANY($1::ltree[]) OR u.path @> ANY($1::ltree[]))
     ORDER BY us.name, us.id`,
    [paths],
  );

export async function markRead(db: Db, userId: number, reportId: number, read: boolean): Promise<boolean> {
  const rows = read
    ? await db.query(
        `INSERT INTO mailbox_report_reads (user_id, report_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING report_id`,
        [userId, reportId],
      )
    : await db.query(`DELETE FROM mailbox_report_reads WHERE user_id = $1 AND report_id = $2 RETURNING report_id`, [
        userId,
        reportId,
      ]);
  return rows.length > 0;
}
