/** Conversations are purged with the mailbox's retention rule (mailbox.retentionDays after closure). */
import type { Db } from '../../../db/client.js';
import * as mailbox from '../../mailbox/public.js';
import * as repo from '../repo.js';

export async function purgeConversations(db: Db): Promise<{ messages: number; users: number }> {
  return repo.purge(db, await mailbox.retentionDays(db));
}
