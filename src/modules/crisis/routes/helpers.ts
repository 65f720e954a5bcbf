/** What every crisis route uses: the site, the acting staff member, the id in the path, form errors, flash messages. */
import type { Ctx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import type { FieldErrors } from '../../../http/forms.js';
import { requireStaff } from '../../../http/routes/staff.js';
import { crisisText, type CrisisKey } from '../i18n.js';
import type * as repo from '../repo.js';
import type { SiteInfo } from '../service.js';
import * as service from '../service.js';
import { pathId } from '../../../http/params.js';

export const site = (c: Ctx): SiteInfo => ({
  baseUrl: c.get('deps').config.baseUrl,
  orgName: c.get('deps').config.ORG_NAME,
});
export const actor = (c: Ctx) => ({ principal: requireStaff(c), ip: c.get('ip') });
export const idParam = (c: Ctx, name = 'id') => pathId(c, name);

/** Service errors as the user sees them: 404, or field messages translated with status 422. */
export function formErrors(c: Ctx, e: unknown): FieldErrors {
  if (e instanceof service.NotFoundError) throw notFound();
  if (!(e instanceof service.CrisisFormError)) throw e;
  const t = crisisText.t(c.get('locale'));
  return Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, t(v)]));
}

export async function body(c: Ctx): Promise<Record<string, unknown>> {
  return (await c.req.parseBody({ all: true })) as Record<string, unknown>;
}

export const flashText = (c: Ctx, s?: repo.StatementRow | null): string | null => {
  const f = c.req.query('flash');
  const t = crisisText.t(c.get('locale'));
  if (!f) return null;
  if (f === 'released' && s?.number) return t('msg.released', { number: s.number, code: s.code! });
  if (f === 'already' && s?.number) return t('msg.alreadyReleased', { number: s.number });
  if (f === 'resent') return t('msg.resent', { n: Number(c.req.query('n') ?? 0) });
  const known: Record<string, CrisisKey> = {
    saved: 'msg.saved',
    opened: 'msg.opened',
    submitted: 'msg.submitted',
    returned: 'msg.returned',
  };
  return known[f] ? t(known[f]) : null;
};

export async function html(node: unknown): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString());
}
