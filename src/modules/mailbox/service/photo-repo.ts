/** SQL of the photo sizes. */
import type { Db } from '../../../db/client.js';

/** A stored file's key and content hash (the ETag of its sizes). */
export const photoFile = (db: Db, id: string) =>
  db.one<{ storage_key: string; sha256: string | null; mime: string }>(
    `SELECT storage_key, sha256, mime FROM files WHERE id = $1`,
    [id],
  );
