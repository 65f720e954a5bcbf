import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredActions, type Role } from '../../src/platform/auth/permissions.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import {
  findUnit,
  findUnitByName,
  makeStaffSet,
  makeUser,
  STAFF_ROLES,
  type Account,
  type Unit,
} from '../helpers/factories.js';

/**
 * Route-level permission suite (issue 12): every state-changing route the app registers must have a rule here.
 * For each rule the suite sends the request as every role (admin, editor, reviewer, handler, member) inside the
 * target's unit and outside it (a sibling ward), and anonymously, and checks who is refused. A new route without a
 * rule fails the first test. One app, many requests.
 *
 * Refused: 401, 403, 404, or a redirect to the sign-in page. Allowed: anything else below 500.
 * `action` names the permission the route must enforce on the target's unit; the roles allowed come from the
 * permission registry (admin always). `body` makes the request valid, so a refusal cannot hide behind a 422.
 */

type Target = { path: string; unit: Unit; body?: Record<string, string> };
type Rule =
  /** No permission needed (residents, sign-in, one's own session): anonymous must not be refused. */
  | { public: true }
  /** Any signed-in account, on its own things. */
  | { signedIn: true; target?: (t: TestApp) => Promise<Target> }
  /** Staff with `action` on the target's unit; `also`: more requests on the same route that need another action. */
  | (StaffRule & { also?: StaffRule[] });
type StaffRule = {
  action: string;
  target: (t: TestApp) => Promise<Target>;
  strict?: boolean;
  /** the path names a child row that does not exist: an allowed role may get 404 */
  missingChild?: boolean;
  /** a route that answers a list of per-row results (bulk): a refused actor may get 200 if this snapshot does not change */
  unchanged?: (t: TestApp) => Promise<unknown>;
};

const ROUTE = (method: string, path: string) => `${method} ${path}`;

let t: TestApp;
let city: Unit, px: Unit, th: Unit;
let sets: Record<string, Record<(typeof STAFF_ROLES)[number], Account>>;
/** Accounts the user-management routes act on: never the actors, whose roles must not change mid-suite. */
let targets: Record<(typeof STAFF_ROLES)[number], Account>;

const unitOf = async (id: number | null) => (id == null ? city : findUnit(t.db, id));
/** The first row of `table` in Thuận Hoá (ward A), else anywhere. */
async function row(table: string, where = 'TRUE'): Promise<{ id: number; unit: Unit }> {
  const r = await t.db.one<{ id: number; unit_id: number }>(
    `SELECT x.id, x.unit_id FROM ${table} x WHERE ${where} ORDER BY (x.unit_id = $1) DESC, x.id LIMIT 1`,
    [th.id],
  );
  if (!r) throw new Error(`no row in ${table} where ${where}`);
  return { id: r.id, unit: await unitOf(r.unit_id) };
}
const at =
  (table: string, path: (id: number) => string, where?: string, body?: (u: Unit) => Record<string, string>) =>
  async (): Promise<Target> => {
    const r = await row(table, where);
    return { path: path(r.id), unit: r.unit, body: body?.(r.unit) };
  };
const onUnit =
  (path: string, body: (u: Unit) => Record<string, string>, pick: () => Unit = () => th) =>
  async (): Promise<Target> => ({ path, unit: pick(), body: body(pick()) });
const cityOnly =
  (path: string, body: Record<string, string> = {}) =>
  async (): Promise<Target> => ({ path, unit: city, body });

/** A step on a mailbox report (`POST /staff/mailbox/ID/NAME`): each checks its own action on the report's unit and agency. */
const step = (name: string, where = 'TRUE', body: Record<string, string> = {}) =>
  at(
    'mailbox_reports',
    (id) => `/staff/mailbox/${id}/${name}`,
    where,
    () => body,
  );
const OPEN = `x.status NOT IN ('closed','rejected','spam','merged','answered')`;

const rules: Record<string, Rule> = {
  // ---- platform ----
  [ROUTE('POST', '/signin')]: { public: true },
  [ROUTE('POST', '/signout')]: { public: true },
  [ROUTE('POST', '/signout-everywhere')]: { public: true },
  [ROUTE('POST', '/forgot')]: { public: true },
  [ROUTE('POST', '/reset/:token')]: { public: true },
  [ROUTE('POST', '/staff/tokens')]: { signedIn: true },
  [ROUTE('POST', '/staff/tokens/:id{[0-9]+}/revoke')]: { signedIn: true },
  [ROUTE('POST', '/staff/account/password')]: { signedIn: true },
  [ROUTE('POST', '/staff/users')]: {
    action: 'users.manage',
    target: onUnit('/staff/users', (u) => ({
      email: `new.${u.id}.${Math.random().toString(36).slice(2)}@test.local`,
      name: 'Người Mới',
      password: 'mat-khau-moi',
      locale: 'vi',
      role: 'editor',
      unitId: String(u.id),
    })),
  },
  [ROUTE('POST', '/staff/users/:id{[0-9]+}/grant')]: {
    action: 'users.manage',
    strict: true,
    target: async () => ({
      path: `/staff/users/${targets.member.id}/grant`,
      unit: th,
      body: { role: 'reviewer', unitId: String(th.id) },
    }),
  },
  [ROUTE('POST', '/staff/users/:id{[0-9]+}/revoke')]: {
    action: 'users.manage',
    target: async () => ({
      path: `/staff/users/${targets.handler.id}/revoke`,
      unit: th,
      body: { role: 'handler', unitId: String(th.id) },
    }),
  },
  [ROUTE('POST', '/staff/users/:id{[0-9]+}/invite')]: {
    action: 'users.manage',
    target: async () => ({ path: `/staff/users/${targets.editor.id}/invite`, unit: th }),
  },
  [ROUTE('POST', '/staff/users/:id{[0-9]+}/disable')]: {
    action: 'users.manage',
    target: async () => ({ path: `/staff/users/${targets.reviewer.id}/disable`, unit: th }),
  },
  [ROUTE('POST', '/staff/users/:id{[0-9]+}/enable')]: {
    action: 'users.manage',
    target: async () => ({ path: `/staff/users/${targets.reviewer.id}/enable`, unit: th }),
  },
  [ROUTE('POST', '/staff/users/:id{[0-9]+}/invite')]: {
    action: 'users.manage',
    target: async () => ({ path: `/staff/users/${targets.reviewer.id}/invite`, unit: th }),
  },
  // ---- mailbox ----
  [ROUTE('POST', '/mailbox/new')]: { public: true },
  [ROUTE('POST', '/mailbox/s/:token{[\\w-]{20,64}}/reply')]: { public: true },
  [ROUTE('POST', '/mailbox/s/:token{[\\w-]{20,64}}/rate')]: { public: true },
  [ROUTE('POST', '/mailbox/s/:token{[\\w-]{20,64}}/reopen')]: { public: true },
  [ROUTE('POST', '/mailbox/s/:token{[\\w-]{20,64}}/erase')]: { public: true },
  [ROUTE('POST', '/api/v1/mailbox/reports')]: { public: true },
  [ROUTE('POST', '/open311/v2/*')]: { public: true },
  // each step checks its own action on the report's unit (and agency): a note is for anyone who may read the report (reviewers too), questions and drafts for handlers, approval for reviewers
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/note')]: {
    action: 'mailbox.view',
    strict: true,
    target: step('note', 'TRUE', { body: 'ghi chú kiểm tra quyền' }),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/triage')]: {
    action: 'mailbox.triage',
    target: step('triage', 'TRUE', { action: 'accept', reason: '' }),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/edit')]: { action: 'mailbox.triage', target: step('edit') },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/route')]: { action: 'mailbox.triage', target: step('route') },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/share')]: { action: 'mailbox.triage', target: step('share') },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/merge')]: {
    action: 'mailbox.triage',
    target: step('merge', 'TRUE', { into: 'PA-1999-000001' }),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/start')]: { action: 'mailbox.answer', target: step('start', OPEN) },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/question')]: {
    action: 'mailbox.answer',
    strict: true,
    target: step('question', OPEN, { body: 'Xin cho biết số nhà cụ thể?' }),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/draft')]: {
    action: 'mailbox.answer',
    target: step('draft', `${OPEN} AND x.status <> 'received'`, { answer: 'Bản trả lời thử' }),
  },
  // with no draft the approval is refused (409) for those allowed: no report is answered mid-suite
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/approve')]: {
    action: 'mailbox.approve',
    target: step('approve', 'x.answer_draft IS NULL', { answer: '' }),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/return')]: {
    action: 'mailbox.approve',
    target: step('return', 'TRUE', { reason: 'Cần sửa lại' }),
  },
  // issue 15 practice: an opinion asked by the case's handlers; answered only by the consulted agency; assigning is triage
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/consult')]: {
    action: 'mailbox.answer',
    target: at(
      'mailbox_reports',
      (id) => `/staff/mailbox/${id}/consult`,
      `x.status NOT IN ('closed','rejected','spam','merged','answered')`,
      () => ({ consult_agency: '2', consult_question: 'Xin ý kiến kiểm tra quyền', consult_days: '3' }),
    ),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/consultations/:cid{[0-9]+}/answer')]: {
    action: 'mailbox.answer',
    missingChild: true,
    target: at(
      'mailbox_reports',
      (id) => `/staff/mailbox/${id}/consultations/999999/answer`,
      'TRUE',
      () => ({ consult_answer: 'Ý kiến' }),
    ),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/assign')]: {
    action: 'mailbox.triage',
    target: at(
      'mailbox_reports',
      (id) => `/staff/mailbox/${id}/assign`,
      'TRUE',
      () => ({ assignee: '' }),
    ),
  },
  // issue 15: redaction, publication, outcomes (handlers of the report), response templates (reviewers of the template's unit)
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/redact')]: {
    action: 'mailbox.triage',
    strict: true,
    target: at(
      'mailbox_reports',
      (id) => `/staff/mailbox/${id}/redact`,
      'TRUE',
      () => ({ passage: 'đoạn không có trong bài' }),
    ),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/redactions/:rid{[0-9]+}/remove')]: {
    action: 'mailbox.triage',
    strict: true,
    missingChild: true,
    target: at('mailbox_reports', (id) => `/staff/mailbox/${id}/redactions/999999/remove`),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/publication')]: {
    action: 'mailbox.triage',
    strict: true,
    target: at(
      'mailbox_reports',
      (id) => `/staff/mailbox/${id}/publication`,
      'TRUE',
      () => ({ not_public: '0' }),
    ),
  },
  [ROUTE('POST', '/staff/mailbox/:id{[0-9]+}/outcome')]: {
    action: 'mailbox.triage',
    target: at(
      'mailbox_reports',
      (id) => `/staff/mailbox/${id}/outcome`,
      `x.status = 'closed'`,
      () => ({ outcome: 'fixed', note: '' }),
    ),
  },
  [ROUTE('POST', '/staff/mailbox/templates/:id{[0-9]+|new}')]: {
    action: 'mailbox.templates',
    strict: true,
    target: at(
      'mailbox_templates',
      (id) => `/staff/mailbox/templates/${id}`,
      'TRUE',
      () => ({ name: 'Mẫu kiểm tra quyền', body: 'Phản ánh {code} đã được tiếp nhận.', active: 'on' }),
    ),
  },
  // the inbox's bulk actions check each report's scope in the service and answer row by row
  [ROUTE('POST', '/staff/mailbox/bulk')]: {
    action: 'mailbox.view',
    strict: true,
    target: async () => {
      const r = await row('mailbox_reports');
      return {
        path: '/staff/mailbox/bulk',
        unit: r.unit,
        body: { ids: String(r.id), bulk_action: 'read', bulk_assignee: '', bulk_agency: '', bulk_reason: '' },
      };
    },
    unchanged: async () => t.db.query(`SELECT user_id, report_id FROM mailbox_report_reads ORDER BY 1, 2`),
  },
  // one's own mailbox notification choice and browsers (any signed-in staff member)
  [ROUTE('POST', '/staff/mailbox/notifications')]: { signedIn: true },
  [ROUTE('POST', '/staff/mailbox/notifications/push')]: { signedIn: true },
  [ROUTE('POST', '/staff/mailbox/setup/agencies/:id{[0-9]+|new}')]: {
    action: 'mailbox.setup',
    target: cityOnly('/staff/mailbox/setup/agencies/new'),
  },
  [ROUTE('POST', '/staff/mailbox/setup/categories/:id{[0-9]+|new}')]: {
    action: 'mailbox.setup',
    target: cityOnly('/staff/mailbox/setup/categories/new'),
  },
  [ROUTE('POST', '/staff/mailbox/setup/routes')]: {
    action: 'mailbox.setup',
    target: cityOnly('/staff/mailbox/setup/routes'),
  },
  [ROUTE('POST', '/staff/mailbox/setup/routes/:id{[0-9]+}/delete')]: {
    action: 'mailbox.setup',
    target: cityOnly('/staff/mailbox/setup/routes/1/delete'),
  },
  [ROUTE('POST', '/staff/mailbox/setup/holidays')]: {
    action: 'mailbox.setup',
    target: cityOnly('/staff/mailbox/setup/holidays'),
  },
  [ROUTE('POST', '/staff/mailbox/setup/holidays/remove')]: {
    action: 'mailbox.setup',
    target: cityOnly('/staff/mailbox/setup/holidays/remove'),
  },
  [ROUTE('POST', '/staff/mailbox/setup/holidays/load')]: {
    action: 'mailbox.setup',
    target: cityOnly('/staff/mailbox/setup/holidays/load'),
  },
  [ROUTE('POST', '/staff/mailbox/setup/settings')]: {
    action: 'mailbox.setup',
    target: cityOnly('/staff/mailbox/setup/settings'),
  },
  // ---- desk ----
  [ROUTE('POST', '/claims/new')]: { public: true },
  [ROUTE('POST', '/api/v1/claims')]: { public: true },
  [ROUTE('POST', '/staff/desk/items')]: {
    action: 'desk.edit',
    target: onUnit('/staff/desk/items', (u) => ({
      kind: 'explainer',
      title: 'Bài kiểm tra quyền',
      summary: 'Tóm tắt',
      body: 'Nội dung',
      unitId: String(u.id),
      unit: String(u.id),
    })),
  },
  [ROUTE('POST', '/staff/desk/items/:id{[0-9]+}')]: {
    action: 'desk.edit',
    target: at('desk_items', (id) => `/staff/desk/items/${id}`),
  },
  [ROUTE('POST', '/staff/desk/items/:id{[0-9]+}/submit')]: {
    action: 'desk.edit',
    target: at('desk_items', (id) => `/staff/desk/items/${id}/submit`),
  },
  [ROUTE('POST', '/staff/desk/items/:id{[0-9]+}/approve')]: {
    action: 'desk.approve',
    target: at('desk_items', (id) => `/staff/desk/items/${id}/approve`),
  },
  [ROUTE('POST', '/staff/desk/items/:id{[0-9]+}/return')]: {
    action: 'desk.approve',
    target: at('desk_items', (id) => `/staff/desk/items/${id}/return`),
  },
  [ROUTE('POST', '/staff/desk/items/:id{[0-9]+}/publish')]: {
    action: 'desk.publish',
    target: at('desk_items', (id) => `/staff/desk/items/${id}/publish`),
  },
  [ROUTE('POST', '/staff/desk/items/:id{[0-9]+}/schedule')]: {
    action: 'desk.publish',
    target: at('desk_items', (id) => `/staff/desk/items/${id}/schedule`),
  },
  [ROUTE('POST', '/staff/desk/items/:id{[0-9]+}/unpublish')]: {
    action: 'desk.unpublish',
    target: at('desk_items', (id) => `/staff/desk/items/${id}/unpublish`),
  },
  [ROUTE('POST', '/staff/desk/clusters/:id{[0-9]+}')]: {
    action: 'desk.claims',
    target: async () => ({
      path: `/staff/desk/clusters/${(await t.db.one<{ id: number }>(`SELECT id FROM desk_clusters ORDER BY id LIMIT 1`))!.id}`,
      unit: city,
    }),
  },
  [ROUTE('POST', '/staff/desk/clusters/:id{[0-9]+}/merge')]: {
    action: 'desk.claims',
    target: async () => ({
      path: `/staff/desk/clusters/${(await t.db.one<{ id: number }>(`SELECT id FROM desk_clusters ORDER BY id LIMIT 1`))!.id}/merge`,
      unit: city,
    }),
  },
  [ROUTE('POST', '/staff/desk/clusters/:id{[0-9]+}/assign')]: {
    action: 'desk.claims',
    target: async () => ({
      path: `/staff/desk/clusters/${(await t.db.one<{ id: number }>(`SELECT id FROM desk_clusters ORDER BY id LIMIT 1`))!.id}/assign`,
      unit: city,
    }),
  },
  [ROUTE('POST', '/staff/desk/clusters/:id{[0-9]+}/reply')]: {
    action: 'desk.claims',
    target: async () => ({
      path: `/staff/desk/clusters/${(await t.db.one<{ id: number }>(`SELECT id FROM desk_clusters ORDER BY id LIMIT 1`))!.id}/reply`,
      unit: city,
    }),
  },
  [ROUTE('POST', '/staff/desk/policies/:slug{[a-z0-9-]+}')]: {
    action: 'desk.policies',
    target: cityOnly('/staff/desk/policies/corrections'),
  },
  // ---- network ----
  [ROUTE('POST', '/network/join/:token')]: { public: true },
  [ROUTE('POST', '/network/join/confirm/:secret')]: { public: true },
  [ROUTE('POST', '/network/campaigns/:id/items/:item/shared')]: { signedIn: true },
  [ROUTE('POST', '/network/claims')]: { signedIn: true },
  [ROUTE('POST', '/network/profile')]: { signedIn: true },
  [ROUTE('POST', '/network/leave')]: { signedIn: true },
  [ROUTE('POST', '/network/recognition/:id/visibility')]: { signedIn: true },
  [ROUTE('POST', '/network/training/:id/lessons/:n/done')]: { signedIn: true },
  [ROUTE('POST', '/network/training/:id/quiz')]: { signedIn: true },
  [ROUTE('POST', '/network/manage/invites')]: {
    action: 'network.lead',
    target: onUnit('/network/manage/invites', (u) => ({ unit: String(u.id), group: '', days: '7' })),
  },
  [ROUTE('POST', '/network/manage/invites/:id/revoke')]: {
    action: 'network.lead',
    target: at('network_invites', (id) => `/network/manage/invites/${id}/revoke`),
  },
  [ROUTE('POST', '/network/manage/requests/:id/approve')]: {
    action: 'network.lead',
    // a request of its own (confirmed address): approving it leaves the demo's pending one for the reject rule
    target: async () => {
      const r = await t.db.one<{ id: number }>(
        `INSERT INTO network_join_requests (unit_id, email, name, email_verified_at) VALUES ($1, $2, 'Người Thử', now()) RETURNING id`,
        [th.id, `approve.${Date.now()}@test.local`],
      );
      return { path: `/network/manage/requests/${r!.id}/approve`, unit: th };
    },
  },
  [ROUTE('POST', '/network/manage/requests/:id/reject')]: {
    action: 'network.lead',
    target: at('network_join_requests', (id) => `/network/manage/requests/${id}/reject`, `x.status = 'pending'`),
  },
  [ROUTE('POST', '/network/manage/members/:id/remove')]: {
    action: 'network.lead',
    target: async () => ({
      path: `/network/manage/members/${targets.member.id}/remove`,
      unit: th,
      body: { unit: String(th.id) },
    }),
  },
  [ROUTE('POST', '/network/manage/import')]: {
    action: 'network.lead',
    target: onUnit('/network/manage/import', (u) => ({
      unit: String(u.id),
      csv: `email,name\nimport.${u.id}@test.local,Nhập Thử`,
    })),
  },
  [ROUTE('POST', '/network/manage/groups')]: {
    action: 'network.lead',
    target: onUnit('/network/manage/groups', (u) => ({
      unit: String(u.id),
      name: `Nhóm ${Math.random().toString(36).slice(2, 6)}`,
    })),
  },
  [ROUTE('POST', '/network/manage/sessions')]: {
    action: 'network.train',
    target: onUnit('/network/manage/sessions', (u) => ({
      unit: String(u.id),
      held_on: '2026-11-20',
      place: 'Nhà văn hoá',
      topic: 'Tin giả',
      participants: `${u.code}: 5`,
    })),
  },
  [ROUTE('POST', '/network/manage/awards')]: {
    action: 'network.recognise',
    target: onUnit('/network/manage/awards', (u) => ({
      unit: String(u.id),
      recipient: 'Tổ truyền thông',
      award_type: 'merit',
      level: 'province',
      decision_number: '1/QĐ',
      decided_on: '2026-11-20',
    })),
  },
  [ROUTE('POST', '/network/reach')]: { signedIn: true },
  [ROUTE('POST', '/network/manage/recognition')]: {
    action: 'network.recognise',
    target: onUnit('/network/manage/recognition', (u) => ({
      unit: String(u.id),
      member: sets.th.member.email,
      reason: 'Chia sẻ đúng',
    })),
  },
  [ROUTE('POST', '/network/manage/campaigns')]: {
    action: 'network.campaign',
    target: onUnit('/network/manage/campaigns', (u) => ({
      unit: String(u.id),
      title: 'Chiến dịch kiểm tra',
      message: 'Nội dung',
    })),
  },
  [ROUTE('POST', '/network/manage/campaigns/:id/edit')]: {
    action: 'network.campaign',
    target: at('network_campaigns', (id) => `/network/manage/campaigns/${id}/edit`),
  },
  [ROUTE('POST', '/network/manage/campaigns/:id/cancel')]: {
    action: 'network.campaign',
    target: at('network_campaigns', (id) => `/network/manage/campaigns/${id}/cancel`),
  },
  [ROUTE('POST', '/network/manage/training/assign')]: {
    action: 'network.train',
    target: onUnit('/network/manage/training/assign', (u) => ({ unit: String(u.id) })),
  },
  [ROUTE('POST', '/network/manage/training/courses')]: {
    action: 'network.train',
    target: onUnit('/network/manage/training/courses', (u) => ({ unit: String(u.id), title: 'Khoá kiểm tra' })),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/lessons')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/lessons`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/lessons/:lesson')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/lessons/1`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/lessons/:lesson/up')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/lessons/1/up`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/lessons/:lesson/down')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/lessons/1/down`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/lessons/:lesson/remove')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/lessons/999999/remove`),
    missingChild: true,
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/questions')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/questions`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/questions/:question')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/questions/1`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/questions/:question/up')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/questions/1/up`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/questions/:question/down')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/questions/1/down`),
  },
  [ROUTE('POST', '/network/manage/training/courses/:id/questions/:question/remove')]: {
    action: 'network.train',
    target: at('network_courses', (id) => `/network/manage/training/courses/${id}/questions/999999/remove`),
    missingChild: true,
  },
  // ---- crisis ----
  [ROUTE('POST', '/verify')]: { public: true },
  [ROUTE('POST', '/api/v1/crisis/verify')]: { public: true },
  [ROUTE('POST', '/staff/crisis/keys/leak')]: { action: 'crisis.keys', target: cityOnly('/staff/crisis/keys/leak') },
  [ROUTE('POST', '/staff/crisis/keys/rotate')]: {
    action: 'crisis.keys',
    target: cityOnly('/staff/crisis/keys/rotate'),
  },
  [ROUTE('POST', '/staff/crisis/incidents')]: {
    action: 'crisis.manage',
    target: onUnit('/staff/crisis/incidents', (u) => ({
      unit: String(u.id),
      unitId: String(u.id),
      title: 'Sự cố kiểm tra',
      kind: 'flood',
      severity: 'moderate',
    })),
  },
  [ROUTE('POST', '/staff/crisis/incidents/:id{[0-9]+}/edit')]: {
    action: 'crisis.manage',
    target: at('crisis_incidents', (id) => `/staff/crisis/incidents/${id}/edit`),
  },
  [ROUTE('POST', '/staff/crisis/incidents/:id{[0-9]+}/status')]: {
    action: 'crisis.manage',
    target: at('crisis_incidents', (id) => `/staff/crisis/incidents/${id}/status`),
  },
  [ROUTE('POST', '/staff/crisis/incidents/:id{[0-9]+}/team')]: {
    action: 'crisis.manage',
    target: at('crisis_incidents', (id) => `/staff/crisis/incidents/${id}/team`),
  },
  [ROUTE('POST', '/staff/crisis/incidents/:id{[0-9]+}/factchecks')]: {
    action: 'crisis.manage',
    target: at('crisis_incidents', (id) => `/staff/crisis/incidents/${id}/factchecks`),
  },
  [ROUTE('POST', '/staff/crisis/statements')]: {
    action: 'crisis.draft',
    target: onUnit('/staff/crisis/statements', (u) => ({
      unit: String(u.id),
      unitId: String(u.id),
      title: 'Thông cáo kiểm tra',
      body: 'Nội dung',
    })),
  },
  [ROUTE('POST', '/staff/crisis/statements/:id{[0-9]+}/edit')]: {
    action: 'crisis.draft',
    target: at('crisis_statements', (id) => `/staff/crisis/statements/${id}/edit`),
  },
  [ROUTE('POST', '/staff/crisis/statements/:id{[0-9]+}/submit')]: {
    action: 'crisis.draft',
    target: at('crisis_statements', (id) => `/staff/crisis/statements/${id}/submit`),
  },
  [ROUTE('POST', '/staff/crisis/statements/:id{[0-9]+}/release')]: {
    action: 'crisis.approve',
    target: at('crisis_statements', (id) => `/staff/crisis/statements/${id}/release`),
  },
  [ROUTE('POST', '/staff/crisis/statements/:id{[0-9]+}/return')]: {
    action: 'crisis.approve',
    target: at('crisis_statements', (id) => `/staff/crisis/statements/${id}/return`),
  },
  [ROUTE('POST', '/staff/crisis/statements/:id{[0-9]+}/resend')]: {
    action: 'crisis.manage',
    target: at('crisis_statements', (id) => `/staff/crisis/statements/${id}/resend`),
  },
  [ROUTE('POST', '/staff/crisis/lists')]: {
    action: 'crisis.manage',
    target: onUnit('/staff/crisis/lists', (u) => ({
      unit: String(u.id),
      unitId: String(u.id),
      name: 'Danh sách kiểm tra',
    })),
  },
  [ROUTE('POST', '/staff/crisis/lists/:id{[0-9]+}/contacts')]: {
    action: 'crisis.manage',
    target: at('crisis_lists', (id) => `/staff/crisis/lists/${id}/contacts`),
  },
  [ROUTE('POST', '/staff/crisis/lists/:id{[0-9]+}/contacts/:cid{[0-9]+}/edit')]: {
    action: 'crisis.manage',
    target: at('crisis_lists', (id) => `/staff/crisis/lists/${id}/contacts/1/edit`),
  },
  [ROUTE('POST', '/staff/crisis/lists/:id{[0-9]+}/contacts/:cid{[0-9]+}/remove')]: {
    action: 'crisis.manage',
    target: at('crisis_lists', (id) => `/staff/crisis/lists/${id}/contacts/999999/remove`),
    missingChild: true,
  },
  [ROUTE('POST', '/staff/crisis/lists/:id{[0-9]+}/import')]: {
    action: 'crisis.manage',
    target: at('crisis_lists', (id) => `/staff/crisis/lists/${id}/import`),
  },
  // ---- exchange ----
  [ROUTE('POST', '/staff/exchange/partners/check')]: {
    action: 'exchange.manage',
    target: cityOnly('/staff/exchange/partners/check'),
  },
  [ROUTE('POST', '/staff/exchange/partners')]: {
    action: 'exchange.manage',
    target: cityOnly('/staff/exchange/partners'),
  },
  [ROUTE('POST', '/staff/exchange/unsigned')]: {
    action: 'exchange.manage',
    target: cityOnly('/staff/exchange/unsigned'),
  },
  [ROUTE('POST', '/staff/exchange/sources/:id/pull')]: {
    action: 'exchange.manage',
    target: cityOnly('/staff/exchange/sources/1/pull'),
  },
  [ROUTE('POST', '/staff/exchange/sources/:id/resume')]: {
    action: 'exchange.manage',
    target: cityOnly('/staff/exchange/sources/1/resume'),
  },
  [ROUTE('POST', '/staff/exchange/sources/:id/remove')]: {
    action: 'exchange.manage',
    target: cityOnly('/staff/exchange/sources/999999/remove'),
  },
  [ROUTE('POST', '/staff/exchange/sources/:id/sharing')]: {
    action: 'exchange.manage',
    target: cityOnly('/staff/exchange/sources/1/sharing'),
  },
  // ---- tipline ----
  [ROUTE('POST', '/tipline/telegram')]: { public: true },
  [ROUTE('POST', '/tipline/zalo')]: { public: true },
  [ROUTE('POST', '/tipline/messenger')]: { public: true },
  [ROUTE('POST', '/staff/tipline/settings/:name')]: {
    action: 'tipline.settings',
    target: cityOnly('/staff/tipline/settings/telegram'),
  },
  [ROUTE('POST', '/staff/tipline/:id{[0-9]+}/reply')]: {
    action: 'tipline.inbox',
    target: cityOnly('/staff/tipline/1/reply', { text: 'trả lời' }),
    missingChild: true,
  },
  // ---- reports ----
  [ROUTE('POST', '/staff/reports/runs')]: {
    action: 'reports.view',
    target: onUnit('/staff/reports/runs', (u) => ({ unit: u.code, from: '2020-01-01', to: '2026-01-01' })),
  },
  [ROUTE('POST', '/staff/reports/mail')]: {
    action: 'reports.view',
    target: onUnit('/staff/reports/mail', (u) => ({ unit: u.code, wants: '1' })),
  },
  [ROUTE('POST', '/api/v1/reports/runs')]: {
    action: 'reports.view',
    target: onUnit('/api/v1/reports/runs', (u) => ({ unit: u.code, from: '2020-01-01', to: '2026-01-01' })),
  },
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

beforeAll(async () => {
  t = await testApp({ env: { RATE_LIMIT_DISABLED: '1' } });
  city = await findUnitByName(t.db, 'Thành phố Huế');
  px = await findUnitByName(t.db, 'Phường Phú Xuân');
  th = await findUnitByName(t.db, 'Phường Thuận Hoá');
  sets = {
    city: await makeStaffSet(t.db, city, 'city'),
    px: await makeStaffSet(t.db, px, 'px'),
    th: await makeStaffSet(t.db, th, 'th'),
  };
  targets = await makeStaffSet(t.db, th, 'th-target');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** A client per account, signed in once. */
const clients = new Map<string, TestClient>();
let ipNo = 1;
async function clientFor(a: Account | null): Promise<TestClient> {
  const key = a?.email ?? 'anonymous';
  let c = clients.get(key);
  if (!c) {
    c = t.client({ ip: `198.18.0.${ipNo++}` });
    if (a) {
      await c.get('/signin');
      const r = await c.post('/signin', { email: a.email, password: 'demo1234' });
      if (r.status !== 303) throw new Error(`sign-in ${a.email}: ${r.status}`);
      await c.get('/staff/account'); // the session's CSRF token, as a browser would have it
      if (!c.csrf) throw new Error(`no CSRF token for ${a.email}`);
    } else await c.get('/signin');
    clients.set(key, c);
  }
  return c;
}

const refused = (status: number, location: string | null) =>
  status === 401 || status === 403 || status === 404 || (status === 303 && !!location?.startsWith('/signin'));

/** Inside: the target's own ward's set (the city's for anything else); outside: a sibling ward's. */
function actorsFor(unit: Unit) {
  const inside = unit.id === px.id ? sets.px : unit.id === th.id ? sets.th : sets.city;
  const outside = unit.id === th.id ? sets.px : sets.th;
  return { inside, outside };
}

async function send(c: TestClient, path: string, body: Record<string, string> = {}) {
  if (path.startsWith('/api/')) {
    return c.request(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    });
  }
  return c.post(path, body);
}

/** Sends the rule's request as anonymous, every role outside the unit, the roles refused inside, and one allowed role inside. */
async function check(key: string, rule: StaffRule, problems: string[], noFixture: string[]): Promise<void> {
  const target = await rule.target(t).catch((err: Error) => (noFixture.push(`${key}: ${err.message}`), null));
  if (!target) return;
  const allowedRoles = new Set<Role>(['admin', ...(registeredActions().get(rule.action) ?? [])]);
  const { inside, outside } = actorsFor(target.unit);
  const tries: { who: string; account: Account | null; allowed: boolean }[] = [
    { who: 'anonymous', account: null, allowed: false },
    ...STAFF_ROLES.map((role) => ({ who: `${role} outside`, account: outside[role], allowed: false })),
    ...STAFF_ROLES.filter((role) => !allowedRoles.has(role)).map((role) => ({
      who: `${role} inside`,
      account: inside[role],
      allowed: false,
    })),
    // one allowed role last (the state may change): the least powerful one that should pass
    ...[...STAFF_ROLES]
      .reverse()
      .filter((role) => allowedRoles.has(role))
      .slice(0, 1)
      .map((role) => ({ who: `${role} inside`, account: inside[role], allowed: true })),
  ];
  for (const x of tries) {
    const c = await clientFor(x.account);
    const before = !x.allowed && rule.unchanged ? JSON.stringify(await rule.unchanged(t)) : null;
    const r = await send(c, target.path, target.body);
    if (before !== null && r.status === 200 && JSON.stringify(await rule.unchanged!(t)) === before) continue;
    const what = `${key} (${target.path}, ${rule.action}), unit ${target.unit.name}`;
    if (r.status >= 500) problems.push(`${r.status} for ${x.who} on ${what}`);
    else if (x.allowed && refused(r.status, r.location) && !(r.status === 404 && rule.missingChild))
      problems.push(`${x.who} refused (${r.status}) on ${what}`);
    else if (!x.allowed && !refused(r.status, r.location) && !(r.status === 422 && !rule.strict))
      problems.push(`${x.who} NOT refused (${r.status}) on ${what}`);
  }
}

describe(`route-level permissions (${testDbKind()})`, () => {
  it('every state-changing route the app registers has a rule in the table', () => {
    const registered = [
      ...new Set(t.app.routes.filter((r) => STATE_CHANGING.has(r.method)).map((r) => ROUTE(r.method, r.path))),
    ];
    const missing = registered.filter((k) => !(k in rules));
    expect(missing, 'add a rule for each new route to test/platform/permission-suite.test.ts').toEqual([]);
    // rules for routes not (or no longer) registered are only reported: a module may be switched off
    const stale = Object.keys(rules).filter((k) => !registered.includes(k));
    if (stale.length) console.log(`rules without a route: ${stale.join(', ')}`);
    for (const [k, r] of Object.entries(rules))
      if ('action' in r && registered.includes(k)) expect(registeredActions().has(r.action), r.action).toBe(true);
  });

  it('each role inside and outside the unit, and anonymous, gets the expected answer on every route', async () => {
    const problems: string[] = [];
    const noFixture: string[] = [];
    const registered = new Set(t.app.routes.map((r) => ROUTE(r.method, r.path)));
    for (const [key, rule] of Object.entries(rules)) {
      if (!registered.has(key)) continue;
      if ('public' in rule) continue; // resident routes: the hostile-input sweep and each module's tests cover them
      if ('signedIn' in rule) {
        if (!rule.target) continue;
        const target = await rule.target(t).catch(() => null);
        if (!target) continue;
        const r = await send(await clientFor(null), target.path, target.body);
        if (!refused(r.status, r.location)) problems.push(`anonymous got ${r.status} on ${key}`);
        continue;
      }
      for (const one of [rule, ...(rule.also ?? [])]) await check(key, one, problems, noFixture);
    }
    if (noFixture.length) console.log(`no fixture for:\n${noFixture.join('\n')}`);
    expect(noFixture).toEqual([]);
    expect(problems).toEqual([]);
  }, 240_000);

  it('own versus someone else’s: a token, a commendation', async () => {
    const owner = await clientFor(sets.th.editor);
    await owner.get('/staff/tokens');
    await owner.post('/staff/tokens', { name: 'của tôi', scope: 'read' });
    const id = (await t.db.one<{ id: number }>(`SELECT id FROM api_tokens WHERE name = 'của tôi'`))!.id;
    const other = await clientFor(sets.th.admin);
    await other.get('/staff/tokens');
    await other.post(`/staff/tokens/${id}/revoke`, {});
    expect(
      (await t.db.one<{ revoked_at: Date | null }>(`SELECT revoked_at FROM api_tokens WHERE id = $1`, [id]))!
        .revoked_at,
    ).toBeNull();
    const c = await t.db.one<{ id: number; user_id: number }>(
      `SELECT id, user_id FROM network_commendations ORDER BY id LIMIT 1`,
    );
    if (c) {
      const stranger = await clientFor(sets.px.member);
      await stranger.get('/network');
      const before = await t.db.one(`SELECT * FROM network_commendations WHERE id = $1`, [c.id]);
      await stranger.post(`/network/recognition/${c.id}/visibility`, { public: '1' });
      expect(await t.db.one(`SELECT * FROM network_commendations WHERE id = $1`, [c.id])).toEqual(before);
    }
  });

  it('an account with no role left belongs to no ward: only an administrator of the top unit switches it off or on', async () => {
    // someone who left: the city revoked every role and switched the account off
    const gone = await makeUser(t.db, {
      email: 'da-nghi-viec@th.test',
      name: 'Đã nghỉ việc',
      role: 'editor',
      unit: th,
    });
    const cityAdmin = await clientFor(sets.city.admin);
    await cityAdmin.get(`/staff/users/${gone}`);
    expect(
      (await cityAdmin.post(`/staff/users/${gone}/revoke`, { role: 'editor', unitId: String(th.id) })).status,
    ).toBe(303);
    expect((await cityAdmin.post(`/staff/users/${gone}/disable`, {})).status).toBe(303);
    const disabled = async () =>
      (await t.db.one<{ d: Date | null }>(`SELECT disabled_at AS d FROM users WHERE id = $1`, [gone]))!.d !== null;
    expect(await disabled()).toBe(true);
    // a ward's administrator cannot switch it back on (and then grant it a role in the ward)
    const wardAdmin = await clientFor(sets.th.admin);
    await wardAdmin.get('/staff/users');
    const on = await wardAdmin.post(`/staff/users/${gone}/enable`, {});
    expect(on.status).toBe(422);
    expect(on.text).toContain('Bạn không có quyền thực hiện thao tác này.');
    expect(await disabled()).toBe(true);
    // nor switch off someone else's account that has no role yet
    const fresh = await makeUser(t.db, { email: 'chua-co-vai-tro@th.test', name: 'Chưa có vai trò' });
    expect((await wardAdmin.post(`/staff/users/${fresh}/disable`, {})).status).toBe(422);
    expect(
      (await t.db.one<{ d: Date | null }>(`SELECT disabled_at AS d FROM users WHERE id = $1`, [fresh]))!.d,
    ).toBeNull();
    // the city's administrator can
    expect((await cityAdmin.post(`/staff/users/${gone}/enable`, {})).status).toBe(303);
    expect(await disabled()).toBe(false);
  });
});
