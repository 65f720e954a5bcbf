import webpush from 'web-push';
import type { Db } from '../../db/client.js';

/** Web push needs one VAPID key pair per installation: made on first start, kept in settings. */
export async function getOrCreateVapidKeys(db: Db): Promise<{ publicKey: string; privateKey: string }> {
  const row = await db.one<{ value: { publicKey: string; privateKey: string } }>(
    `SELECT value FROM settings WHERE key = 'vapid'`,
  );
  if (row) return row.value;
  const keys = webpush.generateVAPIDKeys();
  await db.query(`INSERT INTO settings (key, value) VALUES ('vapid', $1) ON CONFLICT (key) DO NOTHING`, [
    JSON.stringify(keys),
  ]);
  return (await db.one<{ value: { publicKey: string; privateKey: string } }>(
    `SELECT value FROM settings WHERE key = 'vapid'`,
  ))!.value;
}
