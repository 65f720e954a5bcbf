/** The tipline's SQL, and only SQL. */
import type { Db } from '../../db/client.js';
import type { ChannelName } from './service/channels/types.js';

export interface UserRow {
  id: number;
  channel: ChannelName;
  user_hash: string;
  address: string | null;
  locale: 'vi' | 'en';
  state: ConversationState;
  email: string | null;
  phone: string | null;
  consent_at: Date | null;
  blocked_at: Date | null;
  last_inbound_at: Date | null;
  created_at: Date;
}

export interface ConversationState {
  step?: string;
  langFixed?: boolean;
  claim?: { text: string };
  report?: {
    category?: number;
    unit?: number;
    description?: string;
    photos?: string[];
    lat?: number | null;
    lon?: number | null;
  };
  choices?: number[];
}

export interface CaseRow {
  id: number;
  user_id: number | null;
  channel: ChannelName;
  kind: 'check' | 'report' | 'follow';
  code: string | null;
  token: string;
  status: 'open' | 'answered' | 'closed';
  instant: boolean;
  last_seen: string | null;
  unit_id: number | null;
  created_at: Date;
  answered_at: Date | null;
}

// ---------- settings ----------

export async function getSetting<T>(db: Db, key: string): Promise<T | undefined> {
  return (await db.one<{ value: T }>(`SELECT value FROM settings WHERE key = $1`, [key]))?.value;
}

export async function setSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [key, JSON.stringify(value)],
  );
}

// ---------- events and users ----------

/** True when the event is new; false for a replay. */
export async function claimEvent(db: Db, channel: ChannelName, eventId: string): Promise<boolean> {
  const r = await db.one(
    `INSERT INTO tipline_events (channel, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
    [channel, eventId.slice(0, 200)],
  );
  return Boolean(r);
}

export async function addPending(db: Db, channel: ChannelName, hash: string, event: unknown): Promise<number> {
  return Number(
    (await db.one<{ id: number }>(
      `INSERT INTO tipline_pending (channel, user_hash, event) VALUES ($1, $2, $3) RETURNING id`,
      [channel, hash, JSON.stringify(event)],
    ))!.id,
  );
}

/** The person's events not handled yet, oldest first (call with the person's row locked). */
export const pendingOf = (db: Db, channel: ChannelName, hash: string) =>
  db.query<{ id: number; event: unknown }>(
    `SELECT id, event FROM tipline_pending WHERE channel = $1 AND user_hash = $2 ORDER BY id`,
    [channel, hash],
  );

export async function deletePending(db: Db, ids: number[]): Promise<void> {
  await db.query(`DELETE FROM tipline_pending WHERE id = ANY($1::bigint[])`, [ids]);
}

export async function upsertUser(db: Db, channel: ChannelName, hash: string, address: string): Promise<UserRow> {
  return (await db.one<UserRow>(
    `INSERT INTO tipline_users (channel, user_hash, address, last_inbound_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (channel, user_hash) DO UPDATE SET address = EXCLUDED.address, last_inbound_at = now(), blocked_at = NULL, updated_at = now()
     RETURNING *`,
    [channel, hash, address],
  ))!;
}

export const lockUser = (db: Db, id: number) =>
  db.one<UserRow>(`SELECT * FROM tipline_users WHERE id = $1 FOR UPDATE`, [id]);
export const getUser = (db: Db, id: number) => db.one<UserRow>(`SELECT * FROM tipline_users WHERE id = $1`, [id]);
export const userByHash = (db: Db, channel: ChannelName, hash: string) =>
  db.one<UserRow>(`SELECT * FROM tipline_users WHERE channel = $1 AND user_hash = $2`, [channel, hash]);

export async function updateUser(
  db: Db,
  id: number,
  f: {
    state?: ConversationState;
    locale?: string;
    email?: string | null;
    phone?: string | null;
    consent?: boolean;
    blocked?: boolean;
    address?: null;
  },
): Promise<void> {
  await db.query(
    `UPDATE tipline_users SET
       state = COALESCE($2::jsonb, state), locale = COALESCE($3, locale),
       email = CASE WHEN $4::boolean THEN $5 ELSE email END, phone = CASE WHEN $6::boolean THEN $7 ELSE phone END,
       consent_at = CASE WHEN $8::boolean THEN now() ELSE consent_at END,
       blocked_at = CASE WHEN $9::boolean THEN now() ELSE blocked_at END,
       address = CASE WHEN $10::boolean THEN NULL ELSE address END,
       updated_at = now()
     WHERE id = $1`,
    [
      id,
      f.state ? JSON.stringify(f.state) : null,
      f.locale ?? null,
      f.email !== undefined,
      f.email ?? null,
      f.phone !== undefined,
      f.phone ?? null,
      Boolean(f.consent),
      Boolean(f.blocked),
      f.address === null,
    ],
  );
}

export async function deleteUser(db: Db, id: number): Promise<void> {
  await db.query(
    `UPDATE tipline_cases SET user_id = NULL, status = CASE WHEN status = 'open' THEN 'closed' ELSE status END, closed_at = COALESCE(closed_at, now()) WHERE user_id = $1`,
    [id],
  );
  await db.query(`DELETE FROM tipline_users WHERE id = $1`, [id]);
}

// ---------- messages ----------

export async function insertMessage(
  db: Db,
  m: {
    userId: number;
    direction: 'in' | 'out';
    kind: string;
    body: string;
    caseId?: number | null;
    staffUserId?: number | null;
  },
): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO tipline_messages (user_id, direction, kind, body, case_id, staff_user_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [m.userId, m.direction, m.kind, m.body.slice(0, 8000), m.caseId ?? null, m.staffUserId ?? null],
  );
  return Number(r!.id);
}

export async function setMessageNotification(db: Db, id: number, notificationId: number): Promise<void> {
  await db.query(`UPDATE tipline_messages SET notification_id = $2 WHERE id = $1`, [id, notificationId]);
}

export interface MessageRow {
  id: number;
  direction: 'in' | 'out';
  kind: string;
  body: string;
  case_id: number | null;
  staff_name: string | null;
  created_at: Date;
  delivery: string | null;
  delivery_error: string | null;
}

const MESSAGE_SELECT = `SELECT m.id, m.direction, m.kind, m.body, m.case_id, u.name AS staff_name, m.created_at, n.status AS delivery, n.last_error AS delivery_error
  FROM tipline_messages m LEFT JOIN users u ON u.id = m.staff_user_id LEFT JOIN notifications n ON n.id = m.notification_id`;

export const messagesOfUser = (db: Db, userId: number, limit = 200) =>
  db.query<MessageRow>(
    `SELECT * FROM (${MESSAGE_SELECT} WHERE m.user_id = $1 ORDER BY m.id DESC LIMIT $2) x ORDER BY id`,
    [userId, limit],
  );
export const messagesOfCase = (db: Db, caseId: number) =>
  db.query<MessageRow>(`${MESSAGE_SELECT} WHERE m.case_id = $1 AND m.direction = 'out' ORDER BY m.id`, [caseId]);

// ---------- cases ----------

export async function insertCase(
  db: Db,
  c: {
    userId: number;
    channel: ChannelName;
    kind: CaseRow['kind'];
    code: string | null;
    token: string;
    status?: CaseRow['status'];
    instant?: boolean;
    lastSeen?: string | null;
    unitId?: number | null;
  },
): Promise<CaseRow> {
  return (await db.one<CaseRow>(
    `INSERT INTO tipline_cases (user_id, channel, kind, code, token, status, instant, last_seen, unit_id, answered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $6 = 'answered' THEN now() END) RETURNING *`,
    [
      c.userId,
      c.channel,
      c.kind,
      c.code,
      c.token,
      c.status ?? 'open',
      c.instant ?? false,
      c.lastSeen ?? null,
      c.unitId ?? null,
    ],
  ))!;
}

export const openCases = (db: Db, limit: number) =>
  db.query<CaseRow>(
    `SELECT * FROM tipline_cases WHERE status = 'open' AND user_id IS NOT NULL AND code IS NOT NULL ORDER BY id LIMIT $1`,
    [limit],
  );

export async function updateCase(
  db: Db,
  id: number,
  f: { status?: CaseRow['status']; lastSeen?: string },
): Promise<void> {
  await db.query(
    `UPDATE tipline_cases SET status = COALESCE($2, status), last_seen = COALESCE($3, last_seen),
       answered_at = CASE WHEN $2 = 'answered' AND answered_at IS NULL THEN now() ELSE answered_at END,
       closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END
     WHERE id = $1`,
    [id, f.status ?? null, f.lastSeen ?? null],
  );
}

export const casesOfUser = (db: Db, userId: number) =>
  db.query<CaseRow>(`SELECT * FROM tipline_cases WHERE user_id = $1 ORDER BY id`, [userId]);
export const caseByToken = (db: Db, token: string) =>
  db.one<CaseRow>(`SELECT * FROM tipline_cases WHERE token = $1`, [token]);
export const openCaseWithCode = (db: Db, userId: number, code: string) =>
  db.one<CaseRow>(`SELECT * FROM tipline_cases WHERE user_id = $1 AND code = $2 AND status = 'open'`, [userId, code]);

export async function closeCasesOfUser(db: Db, userId: number): Promise<void> {
  await db.query(
    `UPDATE tipline_cases SET status = 'closed', closed_at = now() WHERE user_id = $1 AND status = 'open'`,
    [userId],
  );
}

// ---------- subscriptions ----------

export async function subscribe(db: Db, userId: number, unitId: number): Promise<void> {
  await db.query(`INSERT INTO tipline_subscriptions (user_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    userId,
    unitId,
  ]);
}

export async function unsubscribe(db: Db, userId: number, unitId: number | null): Promise<number> {
  const rows = await db.query(
    `DELETE FROM tipline_subscriptions WHERE user_id = $1 AND ($2::int IS NULL OR unit_id = $2) RETURNING unit_id`,
    [userId, unitId],
  );
  return rows.length;
}

export const subscriptionsOf = (db: Db, userId: number) =>
  db.query<{ unit_id: number; name: string }>(
    `SELECT s.unit_id, u.full_name AS name FROM tipline_subscriptions s JOIN units u ON u.id = s.unit_id WHERE s.user_id = $1 ORDER BY u.full_name`,
    [userId],
  );

/** Subscribers whose ward lies within any of the given unit subtrees (a statement for the city reaches every ward). */
export const subscribersOfPaths = (db: Db, paths: string[]) =>
  db.query<{ user_id: number; locale: 'vi' | 'en' }>(
    `SELECT DISTINCT s.user_id, t.locale FROM tipline_subscriptions s JOIN units u ON u.id = s.unit_id JOIN tipline_users t ON t.id = s.user_id
     WHERE u.path <@ ANY($1::ltree[]) AND t.address IS NOT NULL ORDER BY s.user_id`,
    [paths],
  );

// ---------- staff inbox ----------

export interface InboxRow {
  id: number;
  channel: ChannelName;
  locale: string;
  last_inbound_at: Date | null;
  last_body: string | null;
  last_at: Date | null;
  codes: string[] | null;
}

export const inbox = (db: Db, limit: number) =>
  db.query<InboxRow>(
    `SELECT t.id, t.channel, t.locale, t.last_inbound_at, lm.body AS last_body, lm.created_at AS last_at,
       (SELECT array_agg(c.code ORDER BY c.id) FROM tipline_cases c WHERE c.user_id = t.id AND c.code IS NOT NULL) AS codes
     FROM tipline_users t
     JOIN LATERAL (SELECT body, created_at FROM tipline_messages m WHERE m.user_id = t.id ORDER BY m.id DESC LIMIT 1) lm ON true
     ORDER BY lm.created_at DESC LIMIT $1`,
    [limit],
  );

// ---------- privacy ----------

export async function counts(db: Db, userId: number): Promise<{ messages: number; subs: number }> {
  const r = await db.one<{ messages: number; subs: number }>(
    `SELECT (SELECT count(*)::int FROM tipline_messages WHERE user_id = $1) AS messages, (SELECT count(*)::int FROM tipline_subscriptions WHERE user_id = $1) AS subs`,
    [userId],
  );
  return r!;
}

/**
 * Purges with the mailbox retention: messages older than `days`, users with nothing open, no subscription and no
 * message left, and replay ids older than a week.
 */
export async function purge(db: Db, days: number): Promise<{ messages: number; users: number }> {
  const messages = await db.query(
    `DELETE FROM tipline_messages WHERE created_at < now() - make_interval(days => $1) RETURNING 1`,
    [days],
  );
  await db.query(
    `UPDATE tipline_cases SET user_id = NULL WHERE user_id IS NOT NULL AND status <> 'open' AND COALESCE(closed_at, answered_at, created_at) < now() - make_interval(days => $1)`,
    [days],
  );
  const users = await db.query(
    `DELETE FROM tipline_users t WHERE t.updated_at < now() - make_interval(days => $1)
       AND NOT EXISTS (SELECT 1 FROM tipline_cases c WHERE c.user_id = t.id)
       AND NOT EXISTS (SELECT 1 FROM tipline_subscriptions s WHERE s.user_id = t.id)
       AND NOT EXISTS (SELECT 1 FROM tipline_messages m WHERE m.user_id = t.id) RETURNING 1`,
    [days],
  );
  await db.query(`DELETE FROM tipline_events WHERE received_at < now() - interval '7 days'`);
  return { messages: messages.length, users: users.length };
}

// ---------- figures ----------

export async function questionFigures(
  db: Db,
  from: Date,
  to: Date,
  unitPath: string,
): Promise<{ channel: string; received: number; instant: number; later: number; median_hours: number | null }[]> {
  return db.query(
    `SELECT c.channel, count(*)::int AS received, count(*) FILTER (WHERE c.instant)::int AS instant,
       count(*) FILTER (WHERE NOT c.instant AND c.answered_at IS NOT NULL)::int AS later,
       (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.answered_at - c.created_at) / 3600) FILTER (WHERE NOT c.instant AND c.answered_at IS NOT NULL))::float8 AS median_hours
     FROM tipline_cases c LEFT JOIN units u ON u.id = c.unit_id
     WHERE c.kind = 'check' AND c.created_at >= $1 AND c.created_at < $2 AND (u.path IS NULL OR u.path <@ $3::ltree)
     GROUP BY c.channel ORDER BY c.channel`,
    [from, to, unitPath],
  );
}

export const subscribersPerUnit = (db: Db, unitPath: string) =>
  db.query<{ unit_id: number; name: string; n: number }>(
    `SELECT u.id AS unit_id, u.full_name AS name, count(*)::int AS n FROM tipline_subscriptions s JOIN units u ON u.id = s.unit_id
     WHERE u.path <@ $1::ltree GROUP BY u.id, u.full_name ORDER BY u.full_name`,
    [unitPath],
  );

export async function medianHours(db: Db, from: Date, to: Date, unitPath: string): Promise<number | null> {
  const r = await db.one<{ h: number | null }>(
    `SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.answered_at - c.created_at) / 3600))::float8 AS h
     FROM tipline_cases c LEFT JOIN units u ON u.id = c.unit_id
     WHERE c.kind = 'check' AND NOT c.instant AND c.answered_at IS NOT NULL AND c.created_at >= $1 AND c.created_at < $2 AND (u.path IS NULL OR u.path <@ $3::ltree)`,
    [from, to, unitPath],
  );
  return r?.h ?? null;
}

// ---------- deliveries in order (the platform's notifications of channel 'tipline') ----------

export const undeliveredBefore = (db: Db, recipient: string, id: number) =>
  db.query<{
    id: number;
    recipient: string;
    template: string;
    locale: 'vi' | 'en';
    vars: Record<string, string | number>;
  }>(
    `SELECT id, recipient, template, locale, vars FROM notifications WHERE channel = 'tipline' AND recipient = $1 AND id < $2 AND status IN ('queued', 'retrying') ORDER BY id`,
    [recipient, id],
  );

export async function markNotification(
  db: Db,
  id: number,
  status: 'sent' | 'failed',
  error: string | null,
): Promise<void> {
  await db.query(
    `UPDATE notifications SET status = $2, attempts = attempts + 1, last_error = $3, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END WHERE id = $1`,
    [id, status, error],
  );
}

export const notificationState = (db: Db, id: number) =>
  db.one<{ status: string; last_error: string | null }>(`SELECT status, last_error FROM notifications WHERE id = $1`, [
    id,
  ]);
