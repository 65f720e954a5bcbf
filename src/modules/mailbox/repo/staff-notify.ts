/** SQL of staff notifications: who hears about a report, their choices, and the digest queue. */
import type { Db } from '../../../db/client.js';

export type NotifyMode = 'immediate' | 'digest' | 'off';

export interface Recipient {
  id: number;
  email: string;
  locale: string;
  mode: NotifyMode;
  push: boolean;
}

const RECIPIENT = `SELECT DISTINCT us.id, us.email, us.locale, COALESCE(p.mode, 'immediate') AS mode, COALESCE(p.push, true) AS push
  FROM users us LEFT JOIN mailbox_staff_prefs p ON p.user_id = us.id`;

/**
 * Handlers whose grant reaches the unit. `tiedOnly`: only those tied to `agencyId` (routing to an agency, an opinion
 * asked of it); otherwise the reception (tied to no agency) and those tied to the report's agency.
 */
export const handlersFor = (db: Db, unitPath: string, agencyId: number | null, tiedOnly: boolean) =>
  db.query<Recipient>(
    `${RECIPIENT} JOIN role_grants g ON g.user_id = us.id JOIN units u ON u.id = g.unit_id
     WHERE g.role = 'handler' AND $1::ltree <@ u.path AND us.disabled_at IS NULL
       AND (CASE WHEN $3::boolean THEN g.agency_id = $2 ELSE (g.agency_id IS NULL OR g.agency_id = $2) END)
     ORDER BY us.id`,
    [unitPath, agencyId, tiedOnly],
  );

export const recipientById = (db: Db, userId: number) =>
  db.query<Recipient>(`${RECIPIENT} WHERE us.id = $1 AND us.disabled_at IS NULL`, [userId]);

export const getPrefs = (db: Db, userId: number) =>
  db.one<{ mode: NotifyMode; push: boolean }>(`SELECT mode, push FROM mailbox_staff_prefs WHERE user_id = $1`, [
    userId,
  ]);

export async function savePrefs(db: Db, userId: number, mode: NotifyMode, push: boolean): Promise<void> {
  await db.query(
    `INSERT INTO mailbox_staff_prefs (user_id, mode, push) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET mode = EXCLUDED.mode, push = EXCLUDED.push, updated_at = now()`,
    [userId, mode, push],
  );
}

export async function queueDigest(db: Db, userId: number, reportId: number, kind: string): Promise<void> {
  await db.query(`INSERT INTO mailbox_staff_digest (user_id, report_id, kind) VALUES ($1, $2, $3)`, [
    userId,
    reportId,
    kind,
  ]);
}

export const digestUsers = (db: Db) =>
  db.query<{ user_id: number }>(
    `SELECT DISTINCT user_id FROM mailbox_staff_digest WHERE sent_at IS NULL ORDER BY user_id`,
  );

/** One person's waiting digest lines, locked so two runs never send them twice. */
export const digestItems = (db: Db, userId: number) =>
  db.query<{ id: number; kind: string; at: Date; report_id: number; code: string; title: string }>(
    `SELECT d.id, d.kind, d.at, d.report_id, r.code, r.title FROM mailbox_staff_digest d JOIN mailbox_reports r ON r.id = d.report_id
     WHERE d.user_id = $1 AND d.sent_at IS NULL ORDER BY d.at, d.id FOR UPDATE OF d`,
    [userId],
  );

export async function markDigestSent(db: Db, ids: number[]): Promise<void> {
  await db.query(`UPDATE mailbox_staff_digest SET sent_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
}
