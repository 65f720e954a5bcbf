/** Recognition: a leader commends a member or a unit. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { inSubtree, type Principal } from '../../../platform/auth/permissions.js';
import { findUserByEmail } from '../../../platform/auth/repo.js';
import { common } from '../../../platform/i18n/common.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { nt } from '../i18n.js';
import * as repo from '../repo.js';
import { leaderScope, type Errors, type Outcome } from './common.js';
import { audit, unitInScope } from './internal.js';
import { parseId } from '../../../platform/ids.js';
import { AppError } from '../../../platform/errors.js';

export async function commend(
  db: Db,
  p: Principal,
  form: Record<string, string>,
  locale: Locale,
): Promise<Outcome<true>> {
  leaderScope(p, 'network.recognise');
  const t = nt.t(locale);
  const tc = common.t(locale);
  const values = { unit: form.unit ?? '', member: (form.member ?? '').trim(), reason: (form.reason ?? '').trim() };
  const errors: Errors = {};
  const unit = await unitInScope(db, p, 'network.recognise', parseId(values.unit));
  if (!unit) errors.unit = t('err.unitScope');
  if (!values.reason) errors.reason = tc('field.required');
  else if (values.reason.length > 500) errors.reason = tc('field.tooLong', { max: 500 });
  let userId: number | null = null;
  if (values.member && unit) {
    const u = await findUserByEmail(db, values.member);
    const membership = u ? (await repo.memberUnitsOf(db, u.id)).find((x) => inSubtree(x.path, unit.path)) : undefined;
    if (!u || !membership) errors.member = t('feed.notMember');
    else userId = u.id;
  }
  if (Object.keys(errors).length || !unit) return { ok: false, errors, values };
  await db.tx(async (tx) => {
    const id = await repo.insertCommendation(tx, {
      userId,
      unitId: unit.id,
      reason: values.reason,
      createdBy: p.userId,
    });
    await recordAudit(tx, audit(p, 'network.commend', 'network_commendation', id, unit.id, { userId }));
  });
  return { ok: true, value: true };
}

/** A member makes their own commendation public or private; someone else's is not found. */
export async function setCommendationVisibility(db: Db, p: Principal, id: number, isPublic: boolean): Promise<void> {
  if (!(await repo.setCommendationPublic(db, id, p.userId, isPublic)))
    throw new AppError({ status: 404, key: 'error.notFound' });
}
