/** The signing keys page (/staff/crisis/keys): the keys, rotating the current key, marking a retired key as leaked. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { formValues, type FieldErrors, type FormValues } from '../../../http/forms.js';
import { requireStaff } from '../../../http/routes/staff.js';
import { ForbiddenError } from '../../../platform/auth/permissions.js';
import { parseVnDateTime } from '../forms.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { KeysPage } from '../views/staff.js';
import { actor, body, formErrors } from './helpers.js';

/** /staff/crisis/keys, its leak and its rotate forms. */
export function signingKeyRoutes(app: Hono<AppEnv>): void {
  const keysPage = async (c: Ctx, values: FormValues, errors: FieldErrors, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    if (!(await service.mayManageKeys(db, p))) throw new ForbiddenError('crisis.keys');
    await service.publicKeys(db); // the first key exists before anyone looks at the list
    const t = crisisText.t(c.get('locale'));
    const key = c.req.query('rotated');
    const n = Number(c.req.query('n') ?? 0);
    const leaked = c.req.query('leaked');
    const flagged = n > 0 ? ` ${t('keys.flagged', { n })}` : '';
    const flash = key ? `${t('keys.rotated', { keyId: key.replace(/[^0-9a-f]/g, '') })}${flagged}`
      : leaked ? `${t('keys.leakMarked', { keyId: leaked.replace(/[^0-9a-f]/g, '') })}${flagged}` : null;
    c.status(status);
    c.header('cache-control', 'private, no-store');
    return c.html(<KeysPage ctx={pageCtx(c)} keys={await repo.listSigningKeysWithCounts(db)} values={values} errors={errors} flash={flash} />);
  };

  app.get('/staff/crisis/keys', (c) => keysPage(c, {}, {}));

  app.post('/staff/crisis/keys/leak', async (c) => {
    const a = actor(c);
    const db = c.get('deps').db;
    if (!(await service.mayManageKeys(db, a.principal))) throw new ForbiddenError('crisis.keys');
    const b = await body(c);
    const values = formValues(b);
    const t = crisisText.t(c.get('locale'));
    const errors: FieldErrors = {};
    const sinceText = String(b.leakSince ?? '').trim();
    const since = sinceText ? parseVnDateTime(sinceText) : null;
    if (!sinceText) errors.leakSince = t('keys.sinceRequired');
    else if (!since) errors.leakSince = t('keys.sinceInvalid');
    if (String(b.leakReason ?? '').trim().length < 3) errors.leakReason = t('keys.reasonRequired');
    if (b.leakConfirm !== '1') errors.leakConfirm = t('keys.leakConfirmRequired');
    if (Object.keys(errors).length) return keysPage(c, values, errors, 422);
    try {
      const r = await service.markKeyCompromised(db, a.principal, { keyId: String(b.leakKey ?? ''), since: since!, reason: String(b.leakReason) }, a.ip);
      return c.redirect(`/staff/crisis/keys?leaked=${r.key.keyId}&n=${r.flagged}`, 303);
    } catch (e) {
      return keysPage(c, values, formErrors(c, e), 422);
    }
  });

  app.post('/staff/crisis/keys/rotate', async (c) => {
    const a = actor(c);
    const db = c.get('deps').db;
    if (!(await service.mayManageKeys(db, a.principal))) throw new ForbiddenError('crisis.keys');
    const b = await body(c);
    const values = formValues(b);
    const t = crisisText.t(c.get('locale'));
    const errors: FieldErrors = {};
    const reason = String(b.reason ?? '').trim();
    if (reason.length < 3) errors.reason = t('keys.reasonRequired');
    else if (reason.length > 500) errors.reason = t('keys.reasonTooLong');
    let since: Date | null = null;
    const sinceText = String(b.compromisedSince ?? '').trim();
    if (b.compromised === '1') {
      if (!sinceText) errors.compromisedSince = t('keys.sinceRequired');
      else if (!(since = parseVnDateTime(sinceText))) errors.compromisedSince = t('keys.sinceInvalid');
      else if (since.getTime() > Date.now()) errors.compromisedSince = t('keys.sinceFuture');
    }
    if (b.confirm !== '1') errors.confirm = t('keys.confirmRequired');
    if (Object.keys(errors).length) return keysPage(c, values, errors, 422);
    try {
      const r = await service.rotateSigningKey(db, a.principal, { reason, compromisedSince: since }, a.ip);
      return c.redirect(`/staff/crisis/keys?rotated=${r.current.keyId}&n=${r.flagged}`, 303);
    } catch (e) {
      return keysPage(c, values, formErrors(c, e), 422);
    }
  });
}
