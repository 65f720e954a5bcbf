/**
 * The two forms of the signing keys page, read and checked field by field (every error at once, each beside its
 * field), then handed to rotation or leak marking, which check the rules that need the database.
 */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { ForbiddenError, type Principal } from '../../../platform/auth/permissions.js';
import { parseVnDateTime } from './forms.js';
import type { CrisisKey } from '../i18n.js';
import { invalid } from './common.js';
import { markKeyCompromised, mayManageKeys, rotateSigningKey } from './signing-keys.js';

type Form = Record<string, unknown>;
const text = (form: Form, name: string) => String(form[name] ?? '').trim();

/** A time the key is known or suspected to be leaked since: required, a real Vietnam time, not in the future. */
function leakTime(form: Form, name: string, errors: Record<string, CrisisKey>): Date | null {
  const raw = text(form, name);
  const at = raw ? parseVnDateTime(raw) : null;
  if (!raw) errors[name] = 'keys.sinceRequired';
  else if (!at) errors[name] = 'keys.sinceInvalid';
  else if (at.getTime() > Date.now()) errors[name] = 'keys.sinceFuture';
  return at;
}

async function mayManage(db: Db, principal: Principal): Promise<void> {
  if (!(await mayManageKeys(db, principal))) throw new ForbiddenError('crisis.keys');
}

/** The rotate form: reason, confirmation and, when the old key is leaked, since when. */
export async function rotateFromForm(
  deps: Pick<Deps, 'db' | 'state'>,
  principal: Principal,
  form: Form,
  ip: string | null,
) {
  await mayManage(deps.db, principal);
  const errors: Record<string, CrisisKey> = {};
  const reason = text(form, 'reason');
  if (reason.length < 3) errors.reason = 'keys.reasonRequired';
  else if (reason.length > 500) errors.reason = 'keys.reasonTooLong';
  const since = form.compromised === '1' ? leakTime(form, 'compromisedSince', errors) : null;
  if (form.confirm !== '1') errors.confirm = 'keys.confirmRequired';
  if (Object.keys(errors).length) throw invalid(errors);
  return rotateSigningKey(deps, principal, { reason, compromisedSince: since }, ip);
}

/** The leak form: which retired key, since when, why, and a confirmation. */
export async function markLeakFromForm(
  deps: Pick<Deps, 'db' | 'state'>,
  principal: Principal,
  form: Form,
  ip: string | null,
) {
  await mayManage(deps.db, principal);
  const errors: Record<string, CrisisKey> = {};
  const since = leakTime(form, 'leakSince', errors);
  if (text(form, 'leakReason').length < 3) errors.leakReason = 'keys.reasonRequired';
  if (form.leakConfirm !== '1') errors.leakConfirm = 'keys.leakConfirmRequired';
  if (Object.keys(errors).length) throw invalid(errors);
  return markKeyCompromised(
    deps,
    principal,
    { keyId: text(form, 'leakKey'), since: since!, reason: text(form, 'leakReason') },
    ip,
  );
}
