/** Open311 API keys: made once (shown once), stored hashed, checked on every call. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import * as repo from '../repo.js';
import { sha256 } from './private-links.js';

export async function createApiKey(db: Db, name: string, actorLabel: string): Promise<string> {
  const key = `o311_${randomBytes(20).toString('base64url')}`;
  const id = await repo.insertApiKey(db, name.slice(0, 100), sha256(key), key.slice(0, 9));
  await recordAudit(db, {
    actorLabel,
    action: 'mailbox.api-key.create',
    entityType: 'mailbox.api_key',
    entityId: id,
    data: { name },
  });
  return key;
}

export async function checkApiKey(
  db: Db,
  key: string | undefined | null,
): Promise<{ id: number; name: string } | null> {
  if (!key) return null;
  const row = await repo.findApiKey(db, sha256(key));
  if (row) await repo.touchApiKey(db, row.id);
  return row ?? null;
}
