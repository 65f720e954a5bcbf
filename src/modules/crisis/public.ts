/** What the crisis centre offers other modules (network campaigns). Implemented by the crisis module. */
import type { Db } from '../../db/client.js';

export interface ReleasedStatement {
  id: number;
  number: string;
  title: string;
  url: string;
  releasedAt: Date;
}

export async function releasedStatements(_db: Db, _opts: { ids?: number[]; limit?: number }): Promise<ReleasedStatement[]> {
  return [];
}
