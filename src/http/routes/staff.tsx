import type { Hono } from 'hono';
import { assertCan, can, type Principal } from '../../platform/auth/permissions.js';
import { grantsOfUsers, listTokens } from '../../platform/auth/repo.js';
import * as auth from '../../platform/auth/service.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import type { AppEnv, Ctx } from '../context.js';
import { pageCtx } from '../context.js';
import { z } from 'zod';
import { unauthorized } from '../errors.js';
import { type FieldErrors, type FormValues, submit } from '../forms.js';
import { need, staff } from '../guard.js';
import type { AppModule } from '../module.js';
import { Csrf, Field, FieldFrame, Notice, Select } from '../views/components.js';
import { Layout } from '../views/layout.js';
import { pathId } from '../params.js';
import { unitPickerRoutes } from '../unit-picker.js';

export function requireStaff(c: Ctx) {
  const p = c.get('principal');
  if (!p) throw unauthorized();
  assertCan(p, 'staff.enter');
  return p;
}

/** 'read', and the write actions the account itself may perform somewhere. */
const tokenScopesFor = (p: Principal) => auth.tokenScopeChoices().filter((x) => x === 'read' || can(p, x));

/** A new token: a name, one or more of the scopes this account may hand out, and a lifetime. */
const tokenSchema = (allowed: string[]) =>
  z.object({
    name: z.string().trim().min(1, 'field.required').max(100, 'field.tooLong'),
    scope: z.preprocess(
      (v) => ([] as unknown[]).concat(v ?? []).filter((x) => typeof x === 'string'),
      z
        .array(z.string())
        .min(1, 'token.scopeRequired')
        .refine((a) => a.every((x) => allowed.includes(x)), 'field.invalidChoice'),
    ),
    // a repeated field counts as none
    days: z.preprocess((v) => (typeof v === 'string' ? v : undefined), z.enum(['30', '90', '365']).default('90')),
  });

export function staffRoutes(app: Hono<AppEnv>, modules: readonly AppModule[]): void {
  unitPickerRoutes(app); // the search behind every unit picker (staff forms and the public mailbox form)
  app.get('/staff', async (c) => {
    const p = requireStaff(c);
    const ctx = pageCtx(c);
    const t = ctx.t;
    const sections = await Promise.all(modules.map((m) => m.staffSection?.(c) ?? null));
    const grants = await grantsOfUsers(c.get('deps').db, [p.userId]);
    return c.html(
      <Layout ctx={ctx} title={t('staff.title')} staff>
        <h1>{t('staff.welcome', { name: p.name })}</h1>
        <section>
          <h2>{t('staff.roles')}</h2>
          <ul class="roles">
            {grants.map((g) => (
              <li data-role={g.role}>
                {t(`role.${g.role}`)} — {g.unit_name}
              </li>
            ))}
          </ul>
          <p>
            <a href="/staff/account">{t('staff.account')}</a> · <a href="/staff/tokens">{t('staff.tokens')}</a>
          </p>
          <form method="post" action="/signout-everywhere">
            <Csrf token={ctx.csrf} />
            <button type="submit" class="secondary">
              {t('auth.signOutEverywhere')}
            </button>
          </form>
        </section>
        {sections}
      </Layout>,
    );
  });

  const TokensPage = async ({
    c,
    created,
    errors,
    values,
  }: {
    c: Ctx;
    created?: string;
    errors?: FieldErrors;
    values?: FormValues;
  }) => {
    const p = requireStaff(c);
    assertCan(p, 'tokens.manage-own');
    const ctx = pageCtx(c);
    const t = ctx.t;
    const tokens = await listTokens(c.get('deps').db, p.userId);
    return (
      <Layout ctx={ctx} title={t('staff.tokens')} staff>
        <h1>{t('staff.tokens')}</h1>
        <p class="muted">{t('token.hint')}</p>
        {created ? (
          <Notice kind="success">
            <p>{t('token.createdOnce')}</p>
            <p>
              <code class="token" id="new-token">
                {created}
              </code>
            </p>
            <button
              type="button"
              class="secondary small"
              hidden
              data-copy={created}
              data-copied-label={t('token.copied')}
            >
              {t('token.copy')}
            </button>
          </Notice>
        ) : null}
        {tokens.length === 0 ? (
          <p class="muted">{t('token.none')}</p>
        ) : (
          <div class="table-scroll">
            <table class="tokens">
              <thead>
                <tr>
                  <th>{t('token.name')}</th>
                  <th>{t('token.scopes')}</th>
                  <th>{t('common.date')}</th>
                  <th>{t('token.expires')}</th>
                  <th>{t('token.lastUsed')}</th>
                  <th>
                    <span class="sr-only">{t('common.status')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((k) => (
                  <tr data-token={k.name}>
                    <td>
                      {k.name} <code>{k.prefix}…</code>
                    </td>
                    <td>{k.scopes.join(', ')}</td>
                    <td>{formatDateTime(ctx.locale, k.created_at)}</td>
                    <td>{k.expires_at ? formatDateTime(ctx.locale, k.expires_at) : '—'}</td>
                    <td>{formatDateTime(ctx.locale, k.last_used_at)}</td>
                    <td>
                      {k.revoked_at ? (
                        <span class="badge">{t('token.revoked')}</span>
                      ) : (
                        <form method="post" action={`/staff/tokens/${k.id}/revoke`}>
                          <Csrf token={ctx.csrf} />
                          <button type="submit" class="secondary">
                            {t('common.revoke')}
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2>{t('token.new')}</h2>
        <form method="post" action="/staff/tokens" class="stack narrow">
          <Csrf token={ctx.csrf} />
          <Field name="name" label={t('token.name')} required maxLength={100} values={values} errors={errors} />
          <FieldFrame name="scope" label={t('token.scopes')} hint={t('token.scopesHint')} error={errors?.scope} group>
            {tokenScopesFor(p).map((scope) => (
              <label class="check">
                <input
                  type="checkbox"
                  name="scope"
                  value={scope}
                  checked={values ? (values.scope ?? '').split('\n').includes(scope) : scope === 'read'}
                />{' '}
                {scope === 'read' ? t('token.scopeRead') : scope}
              </label>
            ))}
          </FieldFrame>
          <Select
            name="days"
            label={t('token.expiresDays')}
            options={['30', '90', '365'].map((d) => ({ value: d, label: d }))}
            value="90"
            values={values}
            errors={errors}
          />
          <button type="submit">{t('common.create')}</button>
        </form>
      </Layout>
    );
  };

  app.get('/staff/tokens', async (c) => c.html(await TokensPage({ c })));
  app.post('/staff/tokens', need('tokens.manage-own'), async (c) => {
    const p = staff(c);
    return submit(
      tokenSchema(tokenScopesFor(p)),
      async (c, r) => c.html(await TokensPage({ c, ...r })),
      async (c, data) => {
        const token = await auth.createToken(c.get('deps').db, p.userId, data.name, p.email, c.get('ip'), {
          scopes: data.scope,
          expiresAt: new Date(Date.now() + Number(data.days) * 86400_000),
        });
        return c.html(await TokensPage({ c, created: token }));
      },
    )(c);
  });
  app.post('/staff/tokens/:id{[0-9]+}/revoke', async (c) => {
    const p = requireStaff(c);
    await auth.revokeToken(c.get('deps').db, p, pathId(c), c.get('ip'));
    return c.redirect('/staff/tokens', 303);
  });
}
