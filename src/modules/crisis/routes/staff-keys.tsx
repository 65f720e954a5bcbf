/** The signing keys page (/staff/crisis/keys): the keys, rotating the current key, marking a retired key as leaked. */
import type { Hono } from 'hono';
import type { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { type Refused, submit } from '../../../http/forms.js';
import { actor, staff } from '../../../http/guard.js';
import { ForbiddenError } from '../../../platform/auth/permissions.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import { leakKeySchema, rotateKeySchema } from '../service/forms.js';
import * as service from '../service.js';
import { KeysPage } from '../views/staff.js';

/** /staff/crisis/keys, its leak and its rotate forms. */
export function signingKeyRoutes(app: Hono<AppEnv>): void {
  const keysPage = async (c: Ctx, { values, errors }: Refused = { values: {}, errors: {} }) => {
    const p = staff(c);
    const db = c.get('deps').db;
    if (!(await service.mayManageKeys(db, p))) throw new ForbiddenError('crisis.keys');
    await service.publicKeys(db); // the first key exists before anyone looks at the list
    const t = crisisText.t(c.get('locale'));
    const key = c.req.query('rotated');
    const n = Number(c.req.query('n') ?? 0);
    const leaked = c.req.query('leaked');
    const flagged = n > 0 ? ` ${t('keys.flagged', { n })}` : '';
    const flash = key
      ? `${t('keys.rotated', { keyId: key.replace(/[^0-9a-f]/g, '') })}${flagged}`
      : leaked
        ? `${t('keys.leakMarked', { keyId: leaked.replace(/[^0-9a-f]/g, '') })}${flagged}`
        : null;
    return c.html(
      <KeysPage
        ctx={pageCtx(c)}
        keys={await repo.listSigningKeysWithCounts(db)}
        values={values}
        errors={errors}
        flash={flash}
      />,
    );
  };

  app.get('/staff/crisis/keys', (c) => keysPage(c));

  /** A form of the page: on success back to the page with what was done; refused, the page again with what was typed. */
  const keyForm = <S extends z.ZodType>(path: string, schema: S, act: (c: Ctx, data: z.infer<S>) => Promise<string>) =>
    app.post(
      path,
      submit(schema, keysPage, async (c, f) => c.redirect(await act(c, f), 303), { catalog: crisisText }),
    );

  keyForm('/staff/crisis/keys/leak', leakKeySchema, async (c, f) => {
    const a = actor(c);
    const r = await service.markKeyCompromised(c.get('deps'), a.principal, f, a.ip);
    return `/staff/crisis/keys?leaked=${r.key.keyId}&n=${r.flagged}`;
  });

  keyForm('/staff/crisis/keys/rotate', rotateKeySchema, async (c, f) => {
    const a = actor(c);
    const r = await service.rotateSigningKey(c.get('deps'), a.principal, f, a.ip);
    return `/staff/crisis/keys?rotated=${r.current.keyId}&n=${r.flagged}`;
  });
}
