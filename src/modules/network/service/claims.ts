/** Claims from members: a member sends something they saw to the desk for checking. */
import type { Deps } from '../../../http/context.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import { submitClaim, type SubmittedClaim } from '../../desk/public.js';
import { requireMember } from './common.js';
import type { ClaimInput } from './forms.js';

/** Sends a member's claim (claimSchema) to the desk; null when the desk cannot take claims (not installed). */
export async function sendClaim(deps: Deps, a: Actor, input: ClaimInput): Promise<SubmittedClaim | null> {
  const m = requireMember(a.principal);
  try {
    return await submitClaim(deps, {
      text: input.text,
      link: input.link || null,
      seenWhere: input.seenWhere || null,
      unitId: m.unitId,
      memberUserId: a.principal.userId,
      source: 'member',
    });
  } catch (err) {
    if (err instanceof Error && /not implemented/i.test(err.message)) return null;
    throw err;
  }
}
