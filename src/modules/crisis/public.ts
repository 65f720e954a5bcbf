/** What the crisis centre offers other modules (network campaigns). Implemented by the crisis module. */
import type { Db } from '../../db/client.js';
import { releasedSummaries } from './repo.js';

export interface ReleasedStatement {
  id: number;
  number: string;
  title: string;
  url: string;
  releasedAt: Date;
}

/** Released statements (newest first), optionally only the given ids; url is the public path. */
export async function releasedStatements(db: Db, opts: { ids?: number[]; limit?: number }): Promise<ReleasedStatement[]> {
  const rows = await releasedSummaries(db, opts.ids ?? null, Math.min(Math.max(opts.limit ?? 50, 1), 500));
  return rows.map((r) => ({ id: r.id, number: r.number, title: r.title, url: `/statements/${r.number}`, releasedAt: new Date(r.released_at) }));
}
