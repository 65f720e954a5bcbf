/** Claims from members: a member sends something they saw to the desk for checking. */
import type { Deps } from '../../../http/context.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import { common } from '../../../platform/i18n/common.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { submitClaim, type SubmittedClaim } from '../../desk/public.js';
import { requireMember, type Errors, type Outcome } from './common.js';

export async function sendClaim(
  deps: Deps,
  a: Actor,
  form: Record<string, string>,
  locale: Locale,
): Promise<Outcome<SubmittedClaim> & { unavailable?: boolean }> {
  const m = requireMember(a.principal);
  const tc = common.t(locale);
  const values = {
    text: (form.text ?? '').trim(),
    link: (form.link ?? '').trim(),
    seenWhere: (form.seenWhere ?? '').trim(),
  };
  const errors: Errors = {};
  if (values.text.length < 5) errors.text = values.text ? tc('field.tooShort', { min: 5 }) : tc('field.required');
  else if (values.text.length > 2000) errors.text = tc('field.tooLong', { max: 2000 });
  if (values.link && !/^https?:\/\/\S+$/i.test(values.link)) errors.link = tc('field.invalidUrl');
  if (values.seenWhere.length > 200) errors.seenWhere = tc('field.tooLong', { max: 200 });
  if (Object.keys(errors).length) return { ok: false, errors, values };
  try {
    const r = await submitClaim(deps, {
      text: values.text,
      link: values.link || null,
      seenWhere: values.seenWhere || null,
      unitId: m.unitId,
      memberUserId: a.principal.userId,
      source: 'member',
    });
    return { ok: true, value: r };
  } catch (err) {
    if (err instanceof Error && /not implemented/i.test(err.message))
      return { ok: false, errors: {}, values, unavailable: true };
    throw err;
  }
}
