/** Recognition: a leader commends a member or a unit. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { inSubtree, type Actor } from '../../../platform/auth/permissions.js';
import { findUserByEmail } from '../../../platform/auth/repo.js';
import * as repo from '../repo.js';
import { FormRefused, leaderScope } from './common.js';
import type { CommendInput } from './forms.js';
import { audit, unitInScope } from './internal.js';
import { parseId } from '../../../platform/ids.js';
import { AppError } from '../../../platform/errors.js';

export async function commend(db: Db, a: Actor, input: CommendInput): Promise<void> {
  leaderScope(a.principal, 'network.recognise');
  const unit = await unitInScope(db, a, 'network.recognise', parseId(input.unit));
  let userId: number | null = null;
  let memberKnown = true;
  if (input.member && unit) {
    const u = await findUserByEmail(db, input.member);
    const membership = u ? (await repo.memberUnitsOf(db, u.id)).find((x) => inSubtree(x.path, unit.path)) : undefined;
    memberKnown = Boolean(u && membership);
    userId = u?.id ?? null;
  }
  if (!unit || !memberKnown)
    throw new FormRefused({
      ...(unit ? {} : { unit: 'err.unitScope' }),
      ...(memberKnown ? {} : { member: 'feed.notMember' }),
    });
  await db.tx(async (tx) => {
    const id = await repo.insertCommendation(tx, {
      userId,
      unitId: unit.id,
      reason: input.reason,
      createdBy: a.principal.userId,
    });
    await recordAudit(tx, audit(a, 'network.commend', 'network_commendation', id, unit.id, { userId }));
  });
}

/** A member makes their own commendation public or private; someone else's is not found. */
export async function setCommendationVisibility(db: Db, a: Actor, id: number, isPublic: boolean): Promise<void> {
  if (!(await repo.setCommendationPublic(db, id, a.principal.userId, isPublic)))
    throw new AppError({ status: 404, key: 'error.notFound' });
}
