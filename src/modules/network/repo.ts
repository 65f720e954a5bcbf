/** The sharing network's SQL, and only SQL. */
import type { Db } from '../../db/client.js';

// ---------- members, profiles, groups ----------

export interface MemberUnit {
  unit_id: number;
  path: string;
  full_name: string;
  name_en: string | null;
}

export const memberUnitsOf = (db: Db, userId: number) =>
  db.query<MemberUnit>(
    `SELECT g.unit_id, u.path::text AS path, u.full_name, u.name_en FROM role_grants g JOIN units u ON u.id = g.unit_id
     WHERE g.user_id = $1 AND g.role = 'member' ORDER BY g.id`,
    [userId],
  );

export interface MemberRow {
  user_id: number;
  name: string;
  email: string;
  phone: string | null;
  unit_id: number;
  unit_name: string;
  unit_name_en: string | null;
  joined_at: Date;
  groups: string | null;
  disabled: boolean;
}

const MEMBER_SELECT = `SELECT g.user_id, us.name, us.email, us.phone, g.unit_id, u.full_name AS unit_name, u.name_en AS unit_name_en, g.created_at AS joined_at,
    (us.disabled_at IS NOT NULL) AS disabled,
    (SELECT string_agg(ng.name, ', ' ORDER BY ng.name) FROM network_group_members gm JOIN network_groups ng ON ng.id = gm.group_id
      WHERE gm.user_id = g.user_id AND ng.unit_id = g.unit_id) AS groups
  FROM role_grants g JOIN units u ON u.id = g.unit_id JOIN users us ON us.id = g.user_id
  WHERE g.role = 'member' AND u.path <@ ANY($1::ltree[])`;

export async function listMembers(
  db: Db,
  paths: string[],
  q: string | null,
  limit: number,
  offset: number,
): Promise<{ rows: MemberRow[]; total: number }> {
  const filter = q
    ? ` AND (vn_fold(us.name) LIKE '%' || vn_fold($2) || '%' OR lower(us.email) LIKE '%' || lower($2) || '%')`
    : ` AND $2::text IS NULL`;
  const rows = await db.query<MemberRow>(`${MEMBER_SELECT}${filter} ORDER BY u.full_name, us.name LIMIT $3 OFFSET $4`, [
    paths,
    q,
    limit,
    offset,
  ]);
  const total = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM role_grants g JOIN units u ON u.id = g.unit_id JOIN users us ON us.id = g.user_id
     WHERE g.role = 'member' AND u.path <@ ANY($1::ltree[])${filter}`,
    [paths, q],
  );
  return { rows, total: total?.n ?? 0 };
}

export const findMembership = (db: Db, userId: number, unitId: number) =>
  db.one<{ unit_id: number; path: string }>(
    `SELECT g.unit_id, u.path::text AS path FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 AND g.unit_id = $2 AND g.role = 'member'`,
    [userId, unitId],
  );

export async function logMembership(
  db: Db,
  userId: number,
  unitId: number,
  event: 'joined' | 'left' | 'removed',
): Promise<void> {
  await db.query(`INSERT INTO network_membership_log (user_id, unit_id, event) VALUES ($1,$2,$3)`, [
    userId,
    unitId,
    event,
  ]);
}

export async function dropGroupMemberships(db: Db, userId: number, unitId: number): Promise<void> {
  await db.query(
    `DELETE FROM network_group_members WHERE user_id = $1 AND group_id IN (SELECT id FROM network_groups WHERE unit_id = $2)`,
    [userId, unitId],
  );
}

export interface Profile {
  notify_email: boolean;
  notify_push: boolean;
  notify_webhook: boolean;
}

export async function getProfile(db: Db, userId: number): Promise<Profile> {
  return (
    (await db.one<Profile>(
      `SELECT notify_email, notify_push, notify_webhook FROM network_profiles WHERE user_id = $1`,
      [userId],
    )) ?? { notify_email: true, notify_push: true, notify_webhook: false }
  );
}

export async function saveProfile(
  db: Db,
  userId: number,
  p: { name: string; phone: string | null } & Profile,
): Promise<void> {
  await db.query(`UPDATE users SET name = $2, phone = $3 WHERE id = $1`, [userId, p.name, p.phone]);
  await db.query(
    `INSERT INTO network_profiles (user_id, notify_email, notify_push, notify_webhook) VALUES ($1,$2,$3,$4)
     ON CONFLICT (user_id) DO UPDATE SET notify_email = $2, notify_push = $3, notify_webhook = $4, updated_at = now()`,
    [userId, p.notify_email, p.notify_push, p.notify_webhook],
  );
}

export interface GroupRow {
  id: number;
  unit_id: number;
  name: string;
  unit_name: string;
  unit_name_en: string | null;
  size: number;
}

export const groupsInPaths = (db: Db, paths: string[]) =>
  db.query<GroupRow>(
    `SELECT ng.id, ng.unit_id, ng.name, u.full_name AS unit_name, u.name_en AS unit_name_en,
       (SELECT count(*)::int FROM network_group_members gm WHERE gm.group_id = ng.id) AS size
     FROM network_groups ng JOIN units u ON u.id = ng.unit_id WHERE u.path <@ ANY($1::ltree[]) ORDER BY u.full_name, ng.name`,
    [paths],
  );

export const groupsOfUser = (db: Db, userId: number) =>
  db.query<GroupRow>(
    `SELECT ng.id, ng.unit_id, ng.name, u.full_name AS unit_name, u.name_en AS unit_name_en,
       (SELECT count(*)::int FROM network_group_members x WHERE x.group_id = ng.id) AS size
     FROM network_group_members gm JOIN network_groups ng ON ng.id = gm.group_id JOIN units u ON u.id = ng.unit_id
     WHERE gm.user_id = $1 ORDER BY ng.name`,
    [userId],
  );

export const findGroup = (db: Db, id: number) =>
  db.one<{ id: number; unit_id: number; name: string; path: string }>(
    `SELECT ng.id, ng.unit_id, ng.name, u.path::text AS path FROM network_groups ng JOIN units u ON u.id = ng.unit_id WHERE ng.id = $1`,
    [id],
  );

export const findGroupByName = (db: Db, unitId: number, name: string) =>
  db.one<{ id: number }>(`SELECT id FROM network_groups WHERE unit_id = $1 AND lower(name) = lower($2)`, [
    unitId,
    name.trim(),
  ]);

export async function insertGroup(db: Db, unitId: number, name: string): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO network_groups (unit_id, name) VALUES ($1, $2) ON CONFLICT (unit_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [unitId, name.trim()],
  );
  return row!.id;
}

export async function addToGroup(db: Db, groupId: number, userId: number): Promise<void> {
  await db.query(`INSERT INTO network_group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    groupId,
    userId,
  ]);
}

// ---------- invitations and join requests ----------

export interface InviteRow {
  id: number;
  token: string;
  unit_id: number;
  group_id: number | null;
  expires_at: Date;
  revoked_at: Date | null;
  uses: number;
  unit_name: string;
  unit_name_en: string | null;
  path: string;
  group_name: string | null;
}

const INVITE_SELECT = `SELECT i.id, i.token, i.unit_id, i.group_id, i.expires_at, i.revoked_at, i.uses, u.full_name AS unit_name, u.name_en AS unit_name_en,
  u.path::text AS path, ng.name AS group_name FROM network_invites i JOIN units u ON u.id = i.unit_id LEFT JOIN network_groups ng ON ng.id = i.group_id`;

export async function insertInvite(
  db: Db,
  i: { token: string; unitId: number; groupId: number | null; createdBy: number; expiresAt: Date },
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO network_invites (token, unit_id, group_id, created_by, expires_at) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
    [i.token, i.unitId, i.groupId, i.createdBy, i.expiresAt],
  ))!.id;
}

export const findInviteByToken = (db: Db, token: string) =>
  db.one<InviteRow>(`${INVITE_SELECT} WHERE i.token = $1`, [token]);
export const findInvite = (db: Db, id: number) => db.one<InviteRow>(`${INVITE_SELECT} WHERE i.id = $1`, [id]);
export const invitesInPaths = (db: Db, paths: string[]) =>
  db.query<InviteRow>(
    `${INVITE_SELECT} WHERE u.path <@ ANY($1::ltree[]) AND i.revoked_at IS NULL AND i.expires_at > now() ORDER BY i.id DESC`,
    [paths],
  );

export async function revokeInvite(db: Db, id: number): Promise<void> {
  await db.query(`UPDATE network_invites SET revoked_at = now() WHERE id = $1`, [id]);
}

/**
 * A request made through the public form carries `verifyTokenHash` and waits for its address to be confirmed;
 * one without (the demo's seed) counts as confirmed.
 */
export async function insertJoinRequest(
  db: Db,
  r: {
    inviteId: number;
    unitId: number;
    groupId: number | null;
    email: string;
    name: string;
    phone: string | null;
    passwordHash: string | null;
    verifyTokenHash?: string | null;
  },
): Promise<number> {
  await db.query(`UPDATE network_invites SET uses = uses + 1 WHERE id = $1`, [r.inviteId]);
  const row = await db.one<{ id: number }>(
    `INSERT INTO network_join_requests (invite_id, unit_id, group_id, email, name, phone, password_hash, verify_token_hash, email_verified_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8::text, CASE WHEN $8::text IS NULL THEN now() END) RETURNING id`,
    [
      r.inviteId,
      r.unitId,
      r.groupId,
      r.email.toLowerCase(),
      r.name,
      r.phone,
      r.passwordHash,
      r.verifyTokenHash ?? null,
    ],
  );
  return row!.id;
}

/** An unconfirmed, undecided request by its confirmation link (valid for 7 days). */
export const joinRequestToConfirm = (db: Db, tokenHash: string) =>
  db.one<{ id: number; email: string; name: string; unit_id: number }>(
    `SELECT id, email, name, unit_id FROM network_join_requests
     WHERE verify_token_hash = $1 AND status = 'pending' AND email_verified_at IS NULL AND created_at > now() - interval '7 days'`,
    [tokenHash],
  );

export async function confirmJoinRequest(db: Db, id: number, passwordHash: string | null): Promise<boolean> {
  return (
    (
      await db.query(
        `UPDATE network_join_requests SET email_verified_at = now(), verify_token_hash = NULL, password_hash = $2
     WHERE id = $1 AND email_verified_at IS NULL AND status = 'pending' RETURNING id`,
        [id, passwordHash],
      )
    ).length > 0
  );
}

export const pendingRequestFor = (db: Db, unitId: number, email: string) =>
  db.one(
    `SELECT id FROM network_join_requests WHERE unit_id = $1 AND lower(email) = lower($2) AND status = 'pending'`,
    [unitId, email],
  );

export interface JoinRequestRow {
  id: number;
  email_verified_at: Date | null;
  unit_id: number;
  group_id: number | null;
  email: string;
  name: string;
  phone: string | null;
  password_hash: string | null;
  status: string;
  created_at: Date;
  unit_name: string;
  unit_name_en: string | null;
  path: string;
  group_name: string | null;
}

const JR_SELECT = `SELECT r.id, r.email_verified_at, r.unit_id, r.group_id, r.email, r.name, r.phone, r.password_hash, r.status, r.created_at, u.full_name AS unit_name, u.name_en AS unit_name_en,
  u.path::text AS path, ng.name AS group_name FROM network_join_requests r JOIN units u ON u.id = r.unit_id LEFT JOIN network_groups ng ON ng.id = r.group_id`;

export const pendingRequestsInPaths = (db: Db, paths: string[]) =>
  db.query<JoinRequestRow>(
    `${JR_SELECT} WHERE r.status = 'pending' AND r.email_verified_at IS NOT NULL AND u.path <@ ANY($1::ltree[]) ORDER BY r.id`,
    [paths],
  );
export const findJoinRequest = (db: Db, id: number) => db.one<JoinRequestRow>(`${JR_SELECT} WHERE r.id = $1`, [id]);

export async function decideJoinRequest(
  db: Db,
  id: number,
  status: 'approved' | 'rejected',
  by: number,
): Promise<boolean> {
  return (
    (
      await db.query(
        `UPDATE network_join_requests SET status = $2, decided_by = $3, decided_at = now(), password_hash = NULL WHERE id = $1 AND status = 'pending' RETURNING id`,
        [id, status, by],
      )
    ).length > 0
  );
}

// ---------- campaigns ----------

export interface CampaignRow {
  id: number;
  title: string;
  message: string;
  unit_id: number;
  starts_at: Date;
  ends_at: Date;
  status: string;
  audience: number;
  fanout_done_at: Date | null;
  created_at: Date;
  unit_path: string;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  cancelled_by_name: string | null;
}

const CAMPAIGN_SELECT = `SELECT c.id, c.title, c.message, c.unit_id, c.starts_at, c.ends_at, c.status, c.audience, c.fanout_done_at, c.created_at, u.path::text AS unit_path,
    c.cancelled_at, c.cancel_reason, (SELECT cu.name FROM users cu WHERE cu.id = c.cancelled_by) AS cancelled_by_name
  FROM network_campaigns c JOIN units u ON u.id = c.unit_id`;

export async function updateCampaign(
  db: Db,
  id: number,
  c: { title: string; message: string; endsAt: Date; by: number },
): Promise<boolean> {
  return (
    (
      await db.query(
        `UPDATE network_campaigns SET title = $2, message = $3, ends_at = $4, updated_at = now(), updated_by = $5 WHERE id = $1 AND status = 'launched' AND ends_at > now() RETURNING id`,
        [id, c.title, c.message, c.endsAt, c.by],
      )
    ).length > 0
  );
}

/** Cancels a campaign (its clicks and shares stay) and stops its notifications not yet delivered; returns how many were stopped, or null if it was already cancelled. */
export async function cancelCampaign(db: Db, id: number, by: number, reason: string): Promise<number | null> {
  const done = await db.query(
    `UPDATE network_campaigns SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3 WHERE id = $1 AND status <> 'cancelled' RETURNING id`,
    [id, by, reason],
  );
  if (!done.length) return null;
  const stopped = await db.query(
    `UPDATE notifications SET status = 'failed', last_error = 'network campaign cancelled' WHERE ref_type = 'network.campaign' AND ref_id = $1 AND status IN ('queued', 'retrying') RETURNING id`,
    [String(id)],
  );
  return stopped.length;
}

export interface ItemRow {
  id: number;
  campaign_id: number;
  position: number;
  kind: string;
  ref_id: number | null;
  title: string;
  url: string;
  caption: string | null;
}

export async function insertCampaign(
  db: Db,
  c: {
    title: string;
    message: string;
    unitId: number;
    createdBy: number;
    startsAt: Date;
    endsAt: Date;
    audience: number;
  },
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO network_campaigns (title, message, unit_id, created_by, starts_at, ends_at, audience) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [c.title, c.message, c.unitId, c.createdBy, c.startsAt, c.endsAt, c.audience],
  ))!.id;
}

export async function insertItems(
  db: Db,
  campaignId: number,
  items: { kind: string; refId: number | null; title: string; url: string; caption?: string | null }[],
): Promise<void> {
  await db.query(
    `INSERT INTO network_campaign_items (campaign_id, position, kind, ref_id, title, url, caption)
     SELECT $1, x.pos, x.kind, x.ref_id, x.title, x.url, x.caption FROM jsonb_to_recordset($2::jsonb) AS x(pos int, kind text, ref_id int, title text, url text, caption text)`,
    [
      campaignId,
      JSON.stringify(
        items.map((i, k) => ({
          pos: k + 1,
          kind: i.kind,
          ref_id: i.refId,
          title: i.title,
          url: i.url,
          caption: i.caption ?? null,
        })),
      ),
    ],
  );
}

export async function insertTargets(db: Db, campaignId: number, unitIds: number[], groupIds: number[]): Promise<void> {
  await db.query(
    `INSERT INTO network_campaign_targets (campaign_id, unit_id) SELECT $1, x FROM unnest($2::int[]) AS x`,
    [campaignId, unitIds],
  );
  await db.query(
    `INSERT INTO network_campaign_targets (campaign_id, group_id) SELECT $1, x FROM unnest($2::int[]) AS x`,
    [campaignId, groupIds],
  );
}

/**
 * The members a set of units (whole subtrees, $1) and groups ($2) reach, as (member, unit) pairs; a member with
 * two matching grants appears twice, which the callers fold (count DISTINCT, ON CONFLICT DO NOTHING).
 */
const AUDIENCE = `SELECT g.user_id, g.unit_id FROM role_grants g JOIN units mu ON mu.id = g.unit_id JOIN users us ON us.id = g.user_id
    WHERE g.role = 'member' AND us.disabled_at IS NULL AND mu.path <@ ANY(ARRAY(SELECT path FROM units WHERE id = ANY($1::int[])))
  UNION ALL
  SELECT g.user_id, g.unit_id FROM network_group_members gm JOIN network_groups ng ON ng.id = gm.group_id
    JOIN role_grants g ON g.user_id = gm.user_id AND g.unit_id = ng.unit_id AND g.role = 'member' JOIN users us ON us.id = g.user_id
    WHERE gm.group_id = ANY($2::int[]) AND us.disabled_at IS NULL`;

export async function audienceSize(db: Db, unitIds: number[], groupIds: number[]): Promise<number> {
  return (await db.one<{ n: number }>(`SELECT count(DISTINCT user_id)::int AS n FROM (${AUDIENCE}) a`, [
    unitIds,
    groupIds,
  ]))!.n;
}

/** Whether anyone at all is reached: constant time, for the request that launches a campaign. */
export async function audienceExists(db: Db, unitIds: number[], groupIds: number[]): Promise<boolean> {
  return (await db.one<{ x: boolean }>(`SELECT EXISTS (${AUDIENCE}) AS x`, [unitIds, groupIds]))!.x;
}

export const targetsOf = (db: Db, campaignId: number) =>
  db.query<{ unit_id: number | null; group_id: number | null; label: string; label_en: string | null }>(
    `SELECT t.unit_id, t.group_id, COALESCE(u.full_name, ng.name || ' — ' || gu.full_name) AS label, COALESCE(u.name_en, ng.name || ' — ' || gu.name_en) AS label_en
     FROM network_campaign_targets t LEFT JOIN units u ON u.id = t.unit_id LEFT JOIN network_groups ng ON ng.id = t.group_id LEFT JOIN units gu ON gu.id = ng.unit_id
     WHERE t.campaign_id = $1`,
    [campaignId],
  );

/** Step one of the fan-out: every member of the audience becomes a recipient (one statement). */
export async function insertRecipients(db: Db, campaignId: number): Promise<number> {
  const t = await targetsOf(db, campaignId);
  const unitIds = t.filter((x) => x.unit_id).map((x) => x.unit_id!);
  const groupIds = t.filter((x) => x.group_id).map((x) => x.group_id!);
  const rows = await db.query(
    `INSERT INTO network_recipients (campaign_id, user_id, unit_id) SELECT $3, a.user_id, a.unit_id FROM (${AUDIENCE}) a
     ON CONFLICT DO NOTHING RETURNING user_id`,
    [unitIds, groupIds, campaignId],
  );
  return rows.length;
}

/**
 * Step two, one batch: marks up to `limit` recipients notified and queues their messages (e-mail,
 * each push subscription, each subscribed webhook endpoint) and delivery jobs in one statement.
 */
export async function queueNotificationBatch(
  db: Db,
  campaignId: number,
  limit: number,
  vars: { title: string; message: string; url: string },
  after = 0,
): Promise<{ users: number; messages: number; last: number | null }> {
  const row = await db.one<{ users: number; messages: number; last: number | null }>(
    `WITH batch AS (
       SELECT user_id FROM network_recipients WHERE campaign_id = $1 AND notified_at IS NULL AND user_id > $6
       ORDER BY user_id LIMIT $2 FOR UPDATE SKIP LOCKED
     ), marked AS (
       UPDATE network_recipients r SET notified_at = now() FROM batch b WHERE r.campaign_id = $1 AND r.user_id = b.user_id RETURNING r.user_id
     ), who AS (
       SELECT us.id, us.email, us.name, us.phone, CASE WHEN us.locale = 'en' THEN 'en' ELSE 'vi' END AS locale,
              COALESCE(p.notify_email, true) AS e, COALESCE(p.notify_push, true) AS p, COALESCE(p.notify_webhook, false) AS w
       FROM marked m JOIN users us ON us.id = m.user_id LEFT JOIN network_profiles p ON p.user_id = us.id WHERE us.disabled_at IS NULL
     ), msgs AS (
       SELECT 'email' AS channel, who.email AS recipient, who.locale, who.name, who.phone FROM who WHERE who.e
       UNION ALL
       SELECT 'push', ps.id::text, who.locale, who.name, who.phone FROM who JOIN push_subscriptions ps ON ps.user_id = who.id WHERE who.p
       UNION ALL
       SELECT 'webhook', we.id::text, who.locale, who.name, who.phone FROM who CROSS JOIN webhook_endpoints we
         WHERE who.w AND we.active AND (cardinality(we.events) = 0 OR 'network.campaign' = ANY(we.events))
     ), n AS (
       INSERT INTO notifications (channel, recipient, template, locale, vars, ref_type, ref_id)
       SELECT channel, recipient, 'network.campaign', locale,
              jsonb_build_object('name', name, 'phone', COALESCE(phone, ''), 'title', $3::text, 'message', $4::text, 'url', $5::text), 'network.campaign', $1::text
       FROM msgs RETURNING id
     ), j AS (
       INSERT INTO jobs (type, payload, max_attempts) SELECT 'notify.deliver', jsonb_build_object('notificationId', id), 6 FROM n RETURNING 1
     )
     SELECT (SELECT count(*)::int FROM marked) AS users, (SELECT count(*)::int FROM j) AS messages, (SELECT max(user_id) FROM marked) AS last`,
    [campaignId, limit, vars.title, vars.message, vars.url, after],
  );
  return row ?? { users: 0, messages: 0, last: null };
}

export async function finishFanout(db: Db, campaignId: number): Promise<void> {
  await db.query(
    `UPDATE network_campaigns SET fanout_done_at = now(), audience = (SELECT count(*) FROM network_recipients WHERE campaign_id = $1) WHERE id = $1`,
    [campaignId],
  );
}

export const findCampaign = (db: Db, id: number) => db.one<CampaignRow>(`${CAMPAIGN_SELECT} WHERE c.id = $1`, [id]);
export const itemsOf = (db: Db, campaignId: number) =>
  db.query<ItemRow>(
    `SELECT id, campaign_id, position, kind, ref_id, title, url, caption FROM network_campaign_items WHERE campaign_id = $1 ORDER BY position`,
    [campaignId],
  );
export const itemsOfMany = (db: Db, campaignIds: number[]) =>
  db.query<ItemRow>(
    `SELECT id, campaign_id, position, kind, ref_id, title, url, caption FROM network_campaign_items WHERE campaign_id = ANY($1::int[]) ORDER BY campaign_id, position`,
    [campaignIds],
  );

export const campaignsInPaths = (db: Db, paths: string[]) =>
  db.query<CampaignRow & { clicks: number; shares: number }>(
    `${CAMPAIGN_SELECT.replace(
      'FROM network_campaigns c',
      `, (SELECT count(*)::int FROM network_clicks k WHERE k.campaign_id = c.id) AS clicks,
       (SELECT count(*)::int FROM network_shares s WHERE s.campaign_id = c.id) AS shares FROM network_campaigns c`,
    )}
     WHERE u.path <@ ANY($1::ltree[]) OR EXISTS (SELECT 1 FROM network_campaign_targets t JOIN units tu ON tu.id = t.unit_id WHERE t.campaign_id = c.id AND tu.path <@ ANY($1::ltree[]))
     ORDER BY c.starts_at DESC LIMIT 200`,
    [paths],
  );

/** Campaigns running now whose audience includes the member (targeting is read live, so late joiners see them too). */
export const activeCampaignsFor = (db: Db, userId: number) =>
  db.query<CampaignRow & { opened_at: Date | null }>(
    `${CAMPAIGN_SELECT.replace('FROM network_campaigns c', ', r.opened_at FROM network_campaigns c LEFT JOIN network_recipients r ON r.campaign_id = c.id AND r.user_id = $1')}
     WHERE c.status = 'launched' AND c.starts_at <= now() AND c.ends_at > now()
       AND EXISTS (SELECT 1 FROM network_campaign_targets t LEFT JOIN units tu ON tu.id = t.unit_id WHERE t.campaign_id = c.id AND (
         EXISTS (SELECT 1 FROM role_grants g JOIN units mu ON mu.id = g.unit_id WHERE g.user_id = $1 AND g.role = 'member' AND mu.path <@ tu.path)
         OR EXISTS (SELECT 1 FROM network_group_members gm WHERE gm.group_id = t.group_id AND gm.user_id = $1)))
     ORDER BY c.starts_at DESC`,
    [userId],
  );

export async function markOpened(db: Db, campaignId: number, userId: number, unitId: number): Promise<void> {
  await db.query(
    `INSERT INTO network_recipients (campaign_id, user_id, unit_id, opened_at) VALUES ($1,$2,$3, now())
     ON CONFLICT (campaign_id, user_id) DO UPDATE SET opened_at = COALESCE(network_recipients.opened_at, now())`,
    [campaignId, userId, unitId],
  );
}

export const sharesOf = (db: Db, campaignId: number, userId: number) =>
  db.query<{ item_id: number; channel: string }>(
    `SELECT item_id, channel FROM network_shares WHERE campaign_id = $1 AND user_id = $2`,
    [campaignId, userId],
  );

export async function insertShare(
  db: Db,
  s: { campaignId: number; itemId: number; userId: number; unitId: number; channel: string },
): Promise<boolean> {
  return (
    (
      await db.query(
        `INSERT INTO network_shares (campaign_id, item_id, user_id, unit_id, channel) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING RETURNING id`,
        [s.campaignId, s.itemId, s.userId, s.unitId, s.channel],
      )
    ).length > 0
  );
}

export interface LinkTarget {
  item_id: number;
  url: string;
  campaign_id: number;
  starts_at: Date;
  ends_at: Date;
  status: string;
  unit_id: number | null;
}

export const linkTarget = (db: Db, itemId: number, userId: number) =>
  db.one<LinkTarget>(
    `SELECT i.id AS item_id, i.url, i.campaign_id, c.starts_at, c.ends_at, c.status,
       COALESCE((SELECT r.unit_id FROM network_recipients r WHERE r.campaign_id = c.id AND r.user_id = $2),
                (SELECT g.unit_id FROM role_grants g WHERE g.user_id = $2 AND g.role = 'member' ORDER BY g.id LIMIT 1)) AS unit_id
     FROM network_campaign_items i JOIN network_campaigns c ON c.id = i.campaign_id WHERE i.id = $1`,
    [itemId, userId],
  );

/** Counts a click unless the same fingerprint was seen within the window, or the campaign was cancelled meanwhile (another process's cache may be up to 30 s old); one statement. */
export async function countClick(
  db: Db,
  fp: string,
  windowSeconds: number,
  k: { campaignId: number; itemId: number; userId: number; unitId: number },
): Promise<boolean> {
  const rows = await db.query(
    `WITH seen AS (
       INSERT INTO network_click_seen (fp, expires_at) VALUES ($1, now() + make_interval(secs => $2))
       ON CONFLICT (fp) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE network_click_seen.expires_at < now()
       RETURNING 1)
     INSERT INTO network_clicks (campaign_id, item_id, user_id, unit_id) SELECT $3, $4, $5, $6 FROM seen
     WHERE EXISTS (SELECT 1 FROM network_campaigns c WHERE c.id = $3 AND c.status = 'launched') RETURNING id`,
    [fp, windowSeconds, k.campaignId, k.itemId, k.userId, k.unitId],
  );
  return rows.length > 0;
}

export async function pruneSeen(db: Db): Promise<void> {
  await db.query(`DELETE FROM network_click_seen WHERE expires_at < now()`);
}

export interface UnitFigureRow {
  unit_id: number;
  unit_name: string;
  unit_name_en: string | null;
  reached: number;
  opened: number;
  shares: number;
  clicks: number;
}

export const campaignFiguresByUnit = (db: Db, campaignId: number, paths: string[]) =>
  db.query<UnitFigureRow>(
    `WITH r AS (SELECT unit_id, count(*)::int AS reached, count(opened_at)::int AS opened FROM network_recipients WHERE campaign_id = $1 GROUP BY unit_id),
          s AS (SELECT unit_id, count(*)::int AS shares FROM network_shares WHERE campaign_id = $1 GROUP BY unit_id),
          k AS (SELECT unit_id, count(*)::int AS clicks FROM network_clicks WHERE campaign_id = $1 GROUP BY unit_id),
          ids AS (SELECT unit_id FROM r UNION SELECT unit_id FROM s UNION SELECT unit_id FROM k)
     SELECT u.id AS unit_id, u.full_name AS unit_name, u.name_en AS unit_name_en, COALESCE(r.reached, 0) AS reached, COALESCE(r.opened, 0) AS opened,
            COALESCE(s.shares, 0) AS shares, COALESCE(k.clicks, 0) AS clicks
     FROM ids JOIN units u ON u.id = ids.unit_id LEFT JOIN r ON r.unit_id = ids.unit_id LEFT JOIN s ON s.unit_id = ids.unit_id LEFT JOIN k ON k.unit_id = ids.unit_id
     WHERE u.path <@ ANY($2::ltree[]) ORDER BY u.full_name`,
    [campaignId, paths],
  );

// ---------- recognition ----------

export interface CommendationRow {
  id: number;
  user_id: number | null;
  unit_id: number;
  reason: string;
  is_public: boolean;
  created_at: Date;
  user_name: string | null;
  unit_name: string;
  unit_name_en: string | null;
}

const COMM_SELECT = `SELECT k.id, k.user_id, k.unit_id, k.reason, k.is_public, k.created_at, us.name AS user_name, u.full_name AS unit_name, u.name_en AS unit_name_en
  FROM network_commendations k JOIN units u ON u.id = k.unit_id LEFT JOIN users us ON us.id = k.user_id`;

export async function insertCommendation(
  db: Db,
  k: { userId: number | null; unitId: number; reason: string; createdBy: number },
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO network_commendations (user_id, unit_id, reason, is_public, created_by) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
    [k.userId, k.unitId, k.reason, k.userId == null, k.createdBy],
  ))!.id;
}
export const commendationsOfUser = (db: Db, userId: number) =>
  db.query<CommendationRow>(`${COMM_SELECT} WHERE k.user_id = $1 ORDER BY k.id DESC`, [userId]);
export const publicCommendations = (db: Db) =>
  db.query<CommendationRow>(`${COMM_SELECT} WHERE k.is_public ORDER BY k.id DESC LIMIT 100`);
export const commendationsInPaths = (db: Db, paths: string[]) =>
  db.query<CommendationRow>(`${COMM_SELECT} WHERE u.path <@ ANY($1::ltree[]) ORDER BY k.id DESC LIMIT 100`, [paths]);
export async function setCommendationPublic(db: Db, id: number, userId: number, isPublic: boolean): Promise<boolean> {
  return (
    (
      await db.query(`UPDATE network_commendations SET is_public = $3 WHERE id = $1 AND user_id = $2 RETURNING id`, [
        id,
        userId,
        isPublic,
      ])
    ).length > 0
  );
}

// ---------- training ----------

export interface CourseRow {
  id: number;
  slug: string;
  title: string;
  summary: string;
  pass_mark: number;
  lessons: number;
  questions: number;
}
export interface LessonRow {
  id: number;
  course_id: number;
  position: number;
  title: string;
  body: string;
  video_url: string | null;
  transcript: string | null;
}
export interface QuestionRow {
  id: number;
  course_id: number;
  position: number;
  kind: 'single' | 'multiple' | 'truefalse';
  prompt: string;
  options: string[];
  correct: number[];
  explanation: string | null;
}

const COURSE_SELECT = `SELECT c.id, c.slug, c.title, c.summary, c.pass_mark,
  (SELECT count(*)::int FROM network_lessons l WHERE l.course_id = c.id) AS lessons,
  (SELECT count(*)::int FROM network_questions q WHERE q.course_id = c.id) AS questions FROM network_courses c`;

export const listCourses = (db: Db) => db.query<CourseRow>(`${COURSE_SELECT} ORDER BY c.id`);
export const findCourse = (db: Db, id: number) => db.one<CourseRow>(`${COURSE_SELECT} WHERE c.id = $1`, [id]);
export const lessonsOf = (db: Db, courseId: number) =>
  db.query<LessonRow>(`SELECT * FROM network_lessons WHERE course_id = $1 ORDER BY position`, [courseId]);
export const questionsOf = (db: Db, courseId: number) =>
  db.query<QuestionRow>(`SELECT * FROM network_questions WHERE course_id = $1 ORDER BY position`, [courseId]);

export interface CourseInput {
  slug: string;
  title: string;
  summary: string;
  passMark: number;
  lessons: { title: string; body: string; videoUrl?: string | null; transcript?: string | null }[];
  questions: {
    kind: QuestionRow['kind'];
    prompt: string;
    options: string[];
    correct: number[];
    explanation?: string | null;
  }[];
}

export async function upsertCourse(db: Db, c: CourseInput): Promise<number> {
  const id = (await db.one<{ id: number }>(
    `INSERT INTO network_courses (slug, title, summary, pass_mark) VALUES ($1,$2,$3,$4)
     ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, summary = EXCLUDED.summary, pass_mark = EXCLUDED.pass_mark RETURNING id`,
    [c.slug, c.title, c.summary, c.passMark],
  ))!.id;
  await db.query(`DELETE FROM network_questions WHERE course_id = $1`, [id]);
  await db.query(`DELETE FROM network_lessons WHERE course_id = $1 AND position > $2`, [id, c.lessons.length]);
  for (const [i, l] of c.lessons.entries()) {
    await db.query(
      `INSERT INTO network_lessons (course_id, position, title, body, video_url, transcript) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (course_id, position) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, video_url = EXCLUDED.video_url, transcript = EXCLUDED.transcript`,
      [id, i + 1, l.title, l.body, l.videoUrl ?? null, l.transcript ?? null],
    );
  }
  for (const [i, q] of c.questions.entries()) {
    await db.query(
      `INSERT INTO network_questions (course_id, position, kind, prompt, options, correct, explanation) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [id, i + 1, q.kind, q.prompt, JSON.stringify(q.options), JSON.stringify(q.correct), q.explanation ?? null],
    );
  }
  return id;
}

// ---------- the course editor ----------

export interface CourseMeta {
  id: number;
  title: string;
  summary: string;
  pass_mark: number;
  unit_id: number | null;
  unit_path: string;
  updated_at: Date;
  certificates: number;
}

/** A course with the unit that owns it (a course without one belongs to the top unit) and how many certificates it has issued. */
export const courseMeta = (db: Db, id: number) =>
  db.one<CourseMeta>(
    `SELECT c.id, c.title, c.summary, c.pass_mark, c.unit_id, c.updated_at,
       COALESCE(u.path, (SELECT path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1))::text AS unit_path,
       (SELECT count(*)::int FROM network_certificates k WHERE k.course_id = c.id) AS certificates
     FROM network_courses c LEFT JOIN units u ON u.id = c.unit_id WHERE c.id = $1`,
    [id],
  );

export async function slugTaken(db: Db, slug: string): Promise<boolean> {
  return !!(await db.one(`SELECT 1 FROM network_courses WHERE slug = $1`, [slug]));
}

export async function insertCourse(
  db: Db,
  c: { slug: string; title: string; summary: string; passMark: number; unitId: number; by: number },
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO network_courses (slug, title, summary, pass_mark, unit_id, created_by, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$6) RETURNING id`,
    [c.slug, c.title, c.summary, c.passMark, c.unitId, c.by],
  ))!.id;
}

export async function updateCourse(
  db: Db,
  id: number,
  c: { title: string; summary: string; passMark: number; by: number },
): Promise<void> {
  await db.query(
    `UPDATE network_courses SET title = $2, summary = $3, pass_mark = $4, updated_at = now(), updated_by = $5 WHERE id = $1`,
    [id, c.title, c.summary, c.passMark, c.by],
  );
}

export async function touchCourse(db: Db, id: number, by: number): Promise<void> {
  await db.query(`UPDATE network_courses SET updated_at = now(), updated_by = $2 WHERE id = $1`, [id, by]);
}

export interface LessonInput {
  title: string;
  body: string;
  videoUrl: string | null;
  transcript: string | null;
}

export async function insertLesson(
  db: Db,
  courseId: number,
  l: LessonInput,
): Promise<{ id: number; position: number }> {
  return (await db.one<{ id: number; position: number }>(
    `INSERT INTO network_lessons (course_id, position, title, body, video_url, transcript)
     VALUES ($1, (SELECT COALESCE(max(position), 0) + 1 FROM network_lessons WHERE course_id = $1), $2, $3, $4, $5) RETURNING id, position`,
    [courseId, l.title, l.body, l.videoUrl, l.transcript],
  ))!;
}

export async function updateLesson(db: Db, id: number, l: LessonInput): Promise<void> {
  await db.query(`UPDATE network_lessons SET title = $2, body = $3, video_url = $4, transcript = $5 WHERE id = $1`, [
    id,
    l.title,
    l.body,
    l.videoUrl,
    l.transcript,
  ]);
}

export const findLesson = (db: Db, courseId: number, id: number) =>
  db.one<LessonRow>(`SELECT * FROM network_lessons WHERE course_id = $1 AND id = $2`, [courseId, id]);

/** Lessons and questions are numbered 1, 2, 3… within their course. */
type Numbered = 'network_lessons' | 'network_questions';

/**
 * Swaps a row with its neighbour above (-1) or below (+1); false when there is none. The row goes through
 * position 0 on the way, as (course_id, position) is unique for lessons.
 */
async function swapWithNeighbour(
  db: Db,
  table: Numbered,
  courseId: number,
  row: { id: number; position: number },
  dir: -1 | 1,
): Promise<boolean> {
  const other = await db.one<{ id: number }>(`SELECT id FROM ${table} WHERE course_id = $1 AND position = $2`, [
    courseId,
    row.position + dir,
  ]);
  if (!other) return false;
  await db.query(`UPDATE ${table} SET position = 0 WHERE id = $1`, [row.id]);
  await db.query(`UPDATE ${table} SET position = $2 WHERE id = $1`, [other.id, row.position]);
  await db.query(`UPDATE ${table} SET position = $2 WHERE id = $1`, [row.id, row.position + dir]);
  return true;
}

/** Deletes a row and closes the gap in the numbering (through negative positions, so a unique numbering holds at every step). */
async function deleteNumbered(db: Db, table: Numbered, courseId: number, id: number): Promise<boolean> {
  const gone = await db.one<{ position: number }>(
    `DELETE FROM ${table} WHERE course_id = $1 AND id = $2 RETURNING position`,
    [courseId, id],
  );
  if (!gone) return false;
  await db.query(`UPDATE ${table} SET position = -position WHERE course_id = $1 AND position > $2`, [
    courseId,
    gone.position,
  ]);
  await db.query(`UPDATE ${table} SET position = -position - 1 WHERE course_id = $1 AND position < 0`, [courseId]);
  return true;
}

export const moveLesson = (db: Db, courseId: number, lesson: { id: number; position: number }, dir: -1 | 1) =>
  swapWithNeighbour(db, 'network_lessons', courseId, lesson, dir);

/** Removes a lesson (members' progress on it goes with it) and closes the gap in the numbering. */
export const deleteLesson = (db: Db, courseId: number, id: number) =>
  deleteNumbered(db, 'network_lessons', courseId, id);

export interface QuestionInput {
  kind: QuestionRow['kind'];
  prompt: string;
  options: string[];
  correct: number[];
  explanation: string | null;
}

export async function insertQuestion(
  db: Db,
  courseId: number,
  q: QuestionInput,
): Promise<{ id: number; position: number }> {
  return (await db.one<{ id: number; position: number }>(
    `INSERT INTO network_questions (course_id, position, kind, prompt, options, correct, explanation)
     VALUES ($1, (SELECT COALESCE(max(position), 0) + 1 FROM network_questions WHERE course_id = $1), $2, $3, $4, $5, $6) RETURNING id, position`,
    [courseId, q.kind, q.prompt, JSON.stringify(q.options), JSON.stringify(q.correct), q.explanation],
  ))!;
}

export async function updateQuestion(db: Db, id: number, q: QuestionInput): Promise<void> {
  await db.query(
    `UPDATE network_questions SET kind = $2, prompt = $3, options = $4, correct = $5, explanation = $6 WHERE id = $1`,
    [id, q.kind, q.prompt, JSON.stringify(q.options), JSON.stringify(q.correct), q.explanation],
  );
}

export const findQuestion = (db: Db, courseId: number, id: number) =>
  db.one<QuestionRow>(`SELECT * FROM network_questions WHERE course_id = $1 AND id = $2`, [courseId, id]);

export const moveQuestion = (db: Db, courseId: number, question: { id: number; position: number }, dir: -1 | 1) =>
  swapWithNeighbour(db, 'network_questions', courseId, question, dir);

export const deleteQuestion = (db: Db, courseId: number, id: number) =>
  deleteNumbered(db, 'network_questions', courseId, id);

export async function insertAssignment(
  db: Db,
  a: { courseId: number; unitId: number | null; groupId: number | null; dueDate: string; by: number },
): Promise<number> {
  return (await db.one<{ id: number }>(
    `INSERT INTO network_assignments (course_id, unit_id, group_id, due_date, assigned_by) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
    [a.courseId, a.unitId, a.groupId, a.dueDate, a.by],
  ))!.id;
}

/** Members (m) and the courses assigned to each (pairs), for the training pages and figures; %FILTER% picks the members. */
export const MEMBER_PAIRS = `m AS (
    SELECT DISTINCT ON (g.user_id) g.user_id, g.unit_id, mu.path FROM role_grants g JOIN units mu ON mu.id = g.unit_id
    WHERE g.role = 'member' AND %FILTER% ORDER BY g.user_id, g.id
  ), pairs AS (
    SELECT m.user_id, m.unit_id, a.course_id, min(a.due_date) AS due_date, min(a.created_at) AS assigned_at
    FROM m JOIN network_assignments a ON
      (a.unit_id IS NOT NULL AND m.path <@ (SELECT path FROM units WHERE id = a.unit_id))
      OR (a.group_id IS NOT NULL AND EXISTS (SELECT 1 FROM network_group_members gm WHERE gm.group_id = a.group_id AND gm.user_id = m.user_id))
    GROUP BY m.user_id, m.unit_id, a.course_id
  )`;

export interface AssignedCourse extends CourseRow {
  due_date: string;
  done_lessons: number;
  passed_at: Date | null;
  certificate: string | null;
  best_score: number | null;
}

export const assignedCoursesFor = (db: Db, userId: number) =>
  db.query<AssignedCourse>(
    `WITH ${MEMBER_PAIRS.replace('%FILTER%', 'g.user_id = $1')}
     SELECT c.*, p.due_date::text AS due_date,
       (SELECT count(*)::int FROM network_lesson_progress lp JOIN network_lessons l ON l.id = lp.lesson_id WHERE lp.user_id = $1 AND l.course_id = c.id) AS done_lessons,
       cert.issued_at AS passed_at, cert.code AS certificate,
       (SELECT max(score) FROM network_quiz_attempts qa WHERE qa.user_id = $1 AND qa.course_id = c.id) AS best_score
     FROM pairs p JOIN (${COURSE_SELECT}) c ON c.id = p.course_id
     LEFT JOIN network_certificates cert ON cert.user_id = $1 AND cert.course_id = c.id
     ORDER BY p.due_date, c.id`,
    [userId],
  );

export interface CompletionRow {
  user_id: number;
  unit_id: number;
  course_id: number;
  due_date: string;
  passed_at: Date | null;
  name: string;
  unit_name: string;
  unit_name_en: string | null;
  course_title: string;
}

export const completionInPaths = (db: Db, paths: string[]) =>
  db.query<CompletionRow>(
    `WITH ${MEMBER_PAIRS.replace('%FILTER%', 'mu.path <@ ANY($1::ltree[])')}
     SELECT p.user_id, p.unit_id, p.course_id, p.due_date::text AS due_date, cert.issued_at AS passed_at, us.name, u.full_name AS unit_name, u.name_en AS unit_name_en, c.title AS course_title
     FROM pairs p JOIN users us ON us.id = p.user_id JOIN units u ON u.id = p.unit_id JOIN network_courses c ON c.id = p.course_id
     LEFT JOIN network_certificates cert ON cert.user_id = p.user_id AND cert.course_id = p.course_id
     ORDER BY u.full_name, us.name, c.id`,
    [paths],
  );

export const doneLessons = (db: Db, userId: number, courseId: number) =>
  db.query<{ lesson_id: number }>(
    `SELECT lp.lesson_id FROM network_lesson_progress lp JOIN network_lessons l ON l.id = lp.lesson_id WHERE lp.user_id = $1 AND l.course_id = $2`,
    [userId, courseId],
  );

export async function completeLesson(db: Db, userId: number, lessonId: number): Promise<void> {
  await db.query(`INSERT INTO network_lesson_progress (user_id, lesson_id) VALUES ($1,$2) ON CONFLICT DO NOTHING`, [
    userId,
    lessonId,
  ]);
}

export async function insertAttempt(
  db: Db,
  userId: number,
  courseId: number,
  score: number,
  passed: boolean,
): Promise<void> {
  await db.query(`INSERT INTO network_quiz_attempts (user_id, course_id, score, passed) VALUES ($1,$2,$3,$4)`, [
    userId,
    courseId,
    score,
    passed,
  ]);
}

export async function issueCertificate(
  db: Db,
  code: string,
  userId: number,
  courseId: number,
  score: number,
): Promise<string> {
  const row = await db.one<{ code: string }>(
    `INSERT INTO network_certificates (code, user_id, course_id, score, course_title) VALUES ($1,$2,$3,$4, (SELECT title FROM network_courses WHERE id = $3))
     ON CONFLICT (user_id, course_id) DO UPDATE SET score = GREATEST(network_certificates.score, EXCLUDED.score) RETURNING code`,
    [code, userId, courseId, score],
  );
  return row!.code;
}

export const findCertificate = (db: Db, code: string) =>
  db.one<{ code: string; name: string; course_title: string; issued_at: Date; score: number; pass_mark: number }>(
    `SELECT k.code, us.name, COALESCE(k.course_title, c.title) AS course_title, k.issued_at, k.score, c.pass_mark FROM network_certificates k
     JOIN users us ON us.id = k.user_id JOIN network_courses c ON c.id = k.course_id WHERE k.code = $1`,
    [code],
  );

/** Active network members of the units in the given subtrees (for other modules). */
export const membersOfPaths = (db: Db, paths: string[]) =>
  db.query<{ user_id: number; name: string; email: string; unit_id: number }>(
    `SELECT DISTINCT ON (g.user_id) g.user_id, us.name, us.email, g.unit_id FROM role_grants g JOIN units u ON u.id = g.unit_id JOIN users us ON us.id = g.user_id
     WHERE g.role = 'member' AND us.disabled_at IS NULL AND u.path <@ ANY($1::ltree[]) ORDER BY g.user_id, g.id`,
    [paths],
  );

export const unitsInPaths = (db: Db, paths: string[]) =>
  db.query<{ id: number; full_name: string; name_en: string | null; path: string; depth: number }>(
    `SELECT id, full_name, name_en, path::text AS path, depth FROM units WHERE path <@ ANY($1::ltree[]) AND retired_at IS NULL ORDER BY depth, full_name`,
    [paths],
  );

// ---------- member import jobs (their progress lives in the job's own row) ----------

export async function saveImportProgress(db: Db, jobId: number, progress: unknown): Promise<void> {
  await db.query(
    `UPDATE jobs SET payload = payload || jsonb_build_object('progress', $2::jsonb) WHERE id = $1 AND type = 'network.import'`,
    [jobId, JSON.stringify(progress)],
  );
}

export interface ImportJobRow {
  id: number;
  status: string;
  payload: {
    userId: number;
    unitId: number;
    unitPath: string;
    progress?: { next: number; total: number; rows: { line: number; email: string; ok: boolean; message: string }[] };
  };
}

/** An import job without its file. */
export async function findImportJob(db: Db, jobId: number): Promise<ImportJobRow | undefined> {
  return db.one<ImportJobRow>(
    `SELECT id, status, payload - 'csv' AS payload FROM jobs WHERE id = $1 AND type = 'network.import'`,
    [jobId],
  );
}
