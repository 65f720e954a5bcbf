import { latestAnchors } from '../../platform/audit/anchors.js';
import type { Hono } from 'hono';
import { z } from 'zod';
import * as admin from '../../platform/auth/admin.js';
import { scopeOf } from '../../platform/auth/permissions.js';
import { distinctAuditActions } from '../../platform/auth/repo.js';
import type { CommonKey } from '../../platform/i18n/common.js';
import type { AppEnv, Ctx } from '../context.js';
import { pageCtx } from '../context.js';
import { notFound } from '../errors.js';
import { type FieldErrors, formValues, orRefused, parseForm, type Refused, submit } from '../forms.js';
import { need, staff } from '../guard.js';
import { AuditPage, NewUserPage, UserPage, UsersPage } from '../views/admin.js';
import { pathId } from '../params.js';
import { isPickerSearch, unitPicker } from '../unit-picker.js';
import { MAX_ID, parseId } from '../../platform/ids.js';

const optionalId = z.preprocess(
  (v) => (v === '' || v == null ? null : v),
  z.coerce.number().int().positive('field.invalidChoice').max(MAX_ID, 'field.invalidChoice').nullable(),
);

const newUserSchema = z.object({
  email: z.string().trim().min(1, 'field.required').max(200, 'field.tooLong').email('field.invalidEmail'),
  name: z.string().trim().min(1, 'field.required').max(200, 'field.tooLong'),
  password: z.string().max(200, 'field.tooLong').default(''),
  locale: z.enum(['vi', 'en'], { message: 'field.invalidChoice' }).default('vi'),
  role: z.string().default(''),
  unitId: optionalId,
  agencyId: optionalId,
});

const grantSchema = z.object({
  role: z.string().min(1, 'user.roleRequired'),
  unitId: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.coerce
      .number({ message: 'user.unitRequired' })
      .int()
      .positive('field.invalidChoice')
      .max(MAX_ID, 'field.invalidChoice'),
  ),
  agencyId: optionalId,
});

/** Any grant the page lists; which ones may go is the service's question. */
const revokeSchema = z.object({
  role: z.preprocess((v) => String(v ?? ''), z.string()),
  unitId: z.preprocess(parseId, z.number().nullable()),
});

const dateField = z
  .string()
  .trim()
  .default('')
  .refine(
    (v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(new Date(`${v}T00:00:00+07:00`).getTime())),
    'field.invalidDate',
  );

const auditSchema = z.object({
  actor: z.string().trim().max(200, 'field.tooLong').default(''),
  action: z.string().trim().max(100, 'field.tooLong').default(''),
  entity: z.string().trim().max(100, 'field.tooLong').default(''),
  entityId: z.string().trim().max(100, 'field.tooLong').default(''),
  from: dateField,
  to: dateField,
  before: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().max(MAX_ID).optional()),
});

const PAGE = 50;

/** Administration: accounts and their roles (users.manage), and the audit log (audit.read). */
export function adminRoutes(app: Hono<AppEnv>): void {
  app.get('/staff/users', need('users.manage'), async (c) => {
    const p = staff(c);
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const role = admin.isRole(c.req.query('role')) ? (c.req.query('role') as string) : '';
    const unitId = parseId(c.req.query('unit'));
    const page = Math.min(10_000, Math.max(1, Number(c.req.query('page')) || 1));
    const users = await admin.listUsersFor(c.get('deps').db, p, q, {
      role: role || null,
      unitId,
      offset: (page - 1) * PAGE,
      limit: PAGE + 1,
    });
    const picker = await unitPicker(c, { name: 'unit', within: scopeOf(p, 'users.manage') });
    return c.html(
      <UsersPage
        ctx={pageCtx(c)}
        users={users.slice(0, PAGE)}
        q={q}
        role={role}
        picker={picker}
        page={page}
        more={users.length > PAGE}
      />,
    );
  });

  app.get('/staff/users/new', need('users.manage'), async (c) => {
    const p = staff(c);
    const db = c.get('deps').db;
    const values = isPickerSearch(c) ? formValues(c.req.query()) : undefined;
    const picker = await unitPicker(c, { name: 'unitId', within: scopeOf(p, 'users.manage') });
    return c.html(
      <NewUserPage ctx={pageCtx(c)} picker={picker} agencies={await admin.manageableAgencies(db, p)} values={values} />,
    );
  });

  /** The new-account form again: what was typed but the password, the unit picker, the messages. */
  const newUserAgain = async (c: Ctx, r: Refused) => {
    const p = staff(c);
    const { password: _, ...values } = r.values;
    const picker = await unitPicker(c, { name: 'unitId', within: scopeOf(p, 'users.manage'), values });
    return c.html(
      <NewUserPage
        ctx={pageCtx(c)}
        picker={picker}
        agencies={await admin.manageableAgencies(c.get('deps').db, p)}
        values={values}
        errors={r.errors}
      />,
    );
  };

  app.post(
    '/staff/users',
    need('users.manage'),
    submit(
      newUserSchema,
      newUserAgain,
      async (c, data) => {
        const { db, config } = c.get('deps');
        const id = await admin.createUserAsAdmin(db, staff(c), data, c.get('ip'), config.baseUrl);
        return c.redirect(`/staff/users/${id}?done=${data.password ? 'created' : 'invited'}`, 303);
      },
      { picker: { names: 'unitId' } },
    ),
  );

  const userPage = async (
    c: Ctx,
    userId: number,
    extra: { errors?: FieldErrors; values?: Record<string, string>; notice?: string } = {},
  ) => {
    const p = staff(c);
    const db = c.get('deps').db;
    const user = await admin.userFor(db, p, userId);
    if (!user) throw notFound();
    const values = extra.values ?? (isPickerSearch(c) ? formValues(c.req.query()) : undefined);
    const picker = await unitPicker(c, { name: 'unitId', within: scopeOf(p, 'users.manage'), values: values ?? {} });
    return c.html(
      <UserPage
        ctx={pageCtx(c)}
        user={user}
        picker={picker}
        agencies={await admin.manageableAgencies(db, p)}
        {...extra}
        values={values}
      />,
    );
  };

  const userId = (c: Ctx) => pathId(c);

  app.get('/staff/users/:id{[0-9]+}', need('users.manage'), (c) => {
    const t = pageCtx(c).t;
    const done = c.req.query('done');
    const notices: Record<string, CommonKey> = {
      created: 'user.created',
      invited: 'user.invited',
      granted: 'user.granted',
      revoked: 'user.revokedRole',
      disabled: 'user.disabledDone',
      enabled: 'user.enabledDone',
    };
    const notice = done && notices[done] ? t(notices[done]) : undefined;
    return userPage(c, userId(c), { notice });
  });

  app.post(
    '/staff/users/:id{[0-9]+}/grant',
    need('users.manage'),
    submit(
      grantSchema,
      (c, r) => userPage(c, userId(c), r),
      async (c, data) => {
        const id = userId(c);
        await admin.grantRoleAsAdmin(
          c.get('deps').db,
          staff(c),
          id,
          data.role,
          data.unitId,
          c.get('ip'),
          data.agencyId,
        );
        return c.redirect(`/staff/users/${id}?done=granted`, 303);
      },
      { picker: { names: 'unitId', search: (c, values) => userPage(c, userId(c), { values }) } },
    ),
  );

  app.post(
    '/staff/users/:id{[0-9]+}/revoke',
    need('users.manage'),
    submit(
      revokeSchema,
      (c, r) => userPage(c, userId(c), { errors: r.errors }),
      async (c, data) => {
        const id = userId(c);
        await admin.revokeRoleAsAdmin(c.get('deps').db, staff(c), id, data.role, data.unitId, c.get('ip'));
        return c.redirect(`/staff/users/${id}?done=revoked`, 303);
      },
    ),
  );

  /** A button on the account's page: a refusal of the service shows the page again with the reason above it. */
  const accountAction = (path: string, run: (c: Ctx, id: number) => Promise<void>, done: string) =>
    app.post(`/staff/users/:id{[0-9]+}/${path}`, need('users.manage'), (c) =>
      orRefused(
        c,
        async () => {
          await run(c, userId(c));
          return c.redirect(`/staff/users/${userId(c)}?done=${done}`, 303);
        },
        (c, r) => userPage(c, userId(c), { errors: r.errors }),
      ),
    );
  accountAction(
    'invite',
    (c, id) => admin.inviteAgainAsAdmin(c.get('deps').db, staff(c), id, c.get('deps').config.baseUrl, c.get('ip')),
    'invited',
  );
  accountAction(
    'disable',
    (c, id) => admin.setDisabledAsAdmin(c.get('deps').db, staff(c), id, true, c.get('ip')),
    'disabled',
  );
  accountAction(
    'enable',
    (c, id) => admin.setDisabledAsAdmin(c.get('deps').db, staff(c), id, false, c.get('ip')),
    'enabled',
  );

  app.get('/staff/audit', need('audit.read'), async (c) => {
    const p = staff(c);
    const db = c.get('deps').db;
    const query = c.req.query();
    const values = formValues(query);
    delete values.before;
    const actions = (await distinctAuditActions(db)).map((r) => r.action);
    const form = parseForm(auditSchema, query, c.get('locale'));
    if (!form.ok) {
      c.status(422);
      return c.html(<AuditPage ctx={pageCtx(c)} rows={[]} values={values} errors={form.errors} actions={actions} />);
    }
    const f = form.data;
    const rows = await admin.auditFor(db, p, {
      actor: f.actor,
      action: f.action,
      entityType: f.entity,
      entityId: f.entityId,
      from: f.from ? new Date(`${f.from}T00:00:00+07:00`) : undefined,
      to: f.to ? new Date(new Date(`${f.to}T00:00:00+07:00`).getTime() + 86400_000 - 1) : undefined,
      beforeId: f.before,
      limit: PAGE + 1,
    });
    const more = rows.length > PAGE;
    const shown = rows.slice(0, PAGE);
    const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
    const href = (before?: number) => {
      const q = new URLSearchParams(params);
      if (before) q.set('before', String(before));
      const s = q.toString();
      return `/staff/audit${s ? `?${s}` : ''}`;
    };
    return c.html(
      <AuditPage
        ctx={pageCtx(c)}
        rows={shown}
        values={values}
        actions={actions}
        anchors={await latestAnchors(db, 5)}
        olderHref={more ? href(shown[shown.length - 1].id) : undefined}
        newestHref={f.before ? href() : undefined}
      />,
    );
  });
}
