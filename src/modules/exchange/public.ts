/** What the exchange offers other modules. Implemented by the exchange module. */
import type { Db } from '../../db/client.js';
import * as repo from './repo.js';

/** Open questions partners share with us (personal data removed), most recently asked first. */
export async function askedInNeighbouringProvinces(
  db: Db,
  limit = 20,
): Promise<{ text: string; size: number; firstSeen: Date; lastSeen: Date; partner: string }[]> {
  return (await repo.listWarnings(db, Math.max(1, Math.min(200, limit)))).map((r) => ({
    text: r.text,
    size: r.size,
    firstSeen: new Date(r.first_seen),
    lastSeen: new Date(r.last_seen),
    partner: r.source_name,
  }));
}
