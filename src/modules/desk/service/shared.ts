/** What every desk service shares: the one error, a piece's public path, the audit line. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import { AppError } from '../../../platform/errors.js';
import { dt, type DeskKey } from '../i18n.js';
import type { Kind } from '../repo.js';

/** A rule was broken; `fields` name the form fields with catalog keys. */
export class DeskError extends AppError {
  constructor(override readonly fields: Record<string, DeskKey>) {
    super({ status: 422, key: Object.values(fields)[0] ?? 'error.validation', fields, catalog: dt });
  }
}

const PATH: Record<Kind, string> = { article: 'articles', video: 'videos', factcheck: 'factchecks' };
export const itemPath = (i: { id: number; kind: Kind; slug: string }) => `/${PATH[i.kind]}/${i.id}-${i.slug}`;

export async function audit(
  db: Db,
  a: Actor | null,
  action: string,
  entityType: string,
  entityId: number | string,
  data: Record<string, unknown> = {},
) {
  await recordAudit(db, {
    actorId: a?.principal.userId ?? null,
    actorLabel: a?.principal.email ?? 'system',
    action,
    entityType,
    entityId,
    ip: a?.ip ?? null,
    data,
  });
}
