/** Per-installation secrets: random, made on first use, kept in `settings` so every app process shares them. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { type AppState, slot } from './app-state.js';

const SECRETS = slot('platform.secrets', () => new Map<string, string>());

/**
 * The secret stored under `key` in settings (e.g. 'mailbox.secret'), created if missing. `db` may be a
 * transaction: a secret this call had to create is not remembered until a later call reads it back, so a
 * rolled-back creation never leaves this app holding a secret the database does not have.
 */
export async function installationSecret(deps: { db: Db; state: AppState }, key: string): Promise<string> {
  const known = deps.state.get(SECRETS);
  const cached = known.get(key);
  if (cached) return cached;
  const row = await deps.db.one<{ value: string }>(`SELECT value FROM settings WHERE key = $1`, [key]);
  if (row) {
    known.set(key, row.value);
    return row.value;
  }
  await deps.db.query(`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [
    key,
    JSON.stringify(randomBytes(32).toString('hex')),
  ]);
  const made = await deps.db.one<{ value: string }>(`SELECT value FROM settings WHERE key = $1`, [key]);
  return made!.value;
}
