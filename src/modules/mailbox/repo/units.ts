/** SQL of the unit lists the mailbox's staff pages choose from. */
import type { Db } from '../../../db/client.js';

export interface UnitChoice {
  id: number;
  code: string;
  full_name: string;
  name_en: string | null;
  path: string;
}

/** Every unit still in use, the top ones first. */
export const activeUnits = (db: Db) =>
  db.query<UnitChoice>(
    `SELECT id, code, full_name, name_en, path::text AS path FROM units WHERE retired_at IS NULL ORDER BY depth, full_name`,
  );
