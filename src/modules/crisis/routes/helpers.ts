/** What the crisis routes share: the site, the id in the path, the values a form shows, flash messages. */
import type { Ctx } from '../../../http/context.js';
import { type FormValues, formValues } from '../../../http/forms.js';
import { pathId } from '../../../http/params.js';
import { isPickerSearch } from '../../../http/unit-picker.js';
import { crisisText, type CrisisKey } from '../i18n.js';
import type * as repo from '../repo.js';
import type { SiteInfo } from '../service.js';

export const site = (c: Ctx): SiteInfo => ({
  baseUrl: c.get('deps').config.baseUrl,
  orgName: c.get('deps').config.ORG_NAME,
});
export const idParam = (c: Ctx, name = 'id') => pathId(c, name);

/**
 * What a form shows on a GET: what was sent with the unit picker's Search button (JavaScript off), every value of a
 * repeated field kept (checkboxes), else `fresh()`.
 */
export async function shownValues(c: Ctx, fresh: () => FormValues | Promise<FormValues>): Promise<FormValues> {
  return isPickerSearch(c) ? formValues(c.req.queries()) : await fresh();
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
