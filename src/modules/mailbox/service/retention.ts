/** Retention: contact details purged after the retention period, answered reports closed after the reopen window. */
import type { Deps } from '../../../http/context.js';
import * as repo from '../repo.js';
import { settings } from './config-cache.js';
import { eraseContact } from './internal.js';
import { publicChanged } from './public-cache.js';

export async function runRetention(deps: Pick<Deps, 'db' | 'state'>): Promise<{ purged: number; closed: number }> {
  const db = deps.db;
  publicChanged(deps.state);
  const days = await settings.retentionDays(db);
  let purged = 0;
  for (const { id } of await repo.dueForPurge(db, days)) {
    await db.tx((tx) => eraseContact(tx, id, 'purged'));
    purged++;
  }
  const reopenDays = await settings.reopenDays(db);
  let closed = 0;
  for (const { id } of await repo.dueForAutoClose(db, reopenDays)) {
    await db.tx(async (tx) => {
      await repo.updateReport(tx, id, { status: 'closed', closed_at: new Date() });
      await repo.insertEvent(tx, { reportId: id, kind: 'closed', visibility: 'public', actorLabel: 'system' });
    });
    closed++;
  }
  return { purged, closed };
}
