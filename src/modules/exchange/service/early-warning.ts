/** Early warning between partners: who may read our open clusters, and what our staff see of theirs. */
import type { Db } from '../../../db/client.js';
import * as repo from '../repo.js';
import { requestSigningText, verifyDetached } from './keys.js';
import { CLUSTERS_PATH } from './publish.js';

const MAX_SKEW_MS = 5 * 60_000;

/**
 * A request for our open clusters must be signed by a partner we pinned and chose to share with, within five
 * minutes of its stated time: opt-in on our side (share) as on theirs (receive).
 */
export async function mayReadClusters(
  db: Db,
  h: { keyId: string | null; signature: string | null; date: string | null },
  now = Date.now(),
): Promise<boolean> {
  if (!h.keyId || !h.signature || !h.date || h.keyId.length > 100 || h.date.length > 40) return false;
  const at = new Date(h.date).getTime();
  if (Number.isNaN(at) || Math.abs(now - at) > MAX_SKEW_MS) return false;
  const partner = await repo.sharingPartnerByKey(db, h.keyId);
  return Boolean(
    partner && verifyDetached(partner.public_key_pem, requestSigningText(CLUSTERS_PATH, h.date), h.signature),
  );
}

export const warnings = (db: Db, limit = 200) => repo.listWarnings(db, limit);
